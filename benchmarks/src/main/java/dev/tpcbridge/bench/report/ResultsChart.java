package dev.tpcbridge.bench.report;

import dev.tpcbridge.bench.report.JmhResult.Metric;
import dev.tpcbridge.bench.report.JmhResult.Placement;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Draws the main subject-to-peer comparisons of the committed JMH results as two PNG charts, throughput and time per
 * operation, and prints them as a markdown table (the one in {@code benchmarks/README.md}).
 *
 * <p>Each chart is a forest plot on a log scale: one row per comparison, a dot at the ratio of the medians (subject
 * over peer, the same run), a bar from the lowest to the highest ratio of any subject fork to any peer fork. Where
 * the forks recorded their spin round trip, throughput rows carry three dots: all forks, and the "near" and "far"
 * placement classes of {@code benchmarks/report.py} (round trip below 150 ns or not), compared within their class.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tpcbridge.bench.report.ResultsChart RESULTS_DIR OUT_DIR}
 * (exit status 2 on bad arguments, 1 when a results file cannot be read). After a new benchmark run, point
 * {@link #MAIN} at its files.
 */
public final class ResultsChart {
    private static final String USAGE = "usage: java -cp benchmarks/target/benchmarks.jar "
        + ResultsChart.class.getName() + " RESULTS_DIR OUT_DIR   (e.g. benchmarks/results docs/charts)";

    private static final String RING_X = "ring-2026-11-26-cross-thread.json";
    private static final String RING_1 = "ring-2026-11-26-single-thread.json";
    private static final String WAKE_T = "wake-2026-11-27-throughput.json";
    private static final String WAKE_L = "wake-2026-11-27-latency.json";
    private static final String SLAB_C = "slab-2026-11-27-cost.json";
    private static final String SLAB_H = "slab-2026-11-27-handoff.json";
    private static final String LOG_S = "logbuf-2026-11-27-spsc.json";
    private static final String LOG_M = "logbuf-2026-11-27-mpsc.json";
    private static final String LOG_T = "logbuf-2026-11-27-timeout.json";
    private static final String LOG_S25 = "logbuf-2026-11-27-h200-jdk25-spsc-32.json";
    private static final String LOG_M25 = "logbuf-2026-11-27-h200-jdk25-mpsc-32.json";
    private static final String BRIDGE_RT = "bridge-2026-11-27-roundtrip.json";
    private static final String BRIDGE_TP = "bridge-2026-11-27-throughput.json";
    private static final String BRIDGE_RT25 = "bridge-2026-11-27-h200-jdk25-roundtrip.json";
    private static final String BRIDGE_TP25 = "bridge-2026-11-27-h200-jdk25-throughput.json";
    private static final String RUNTIME_WAKE = "runtime-2026-11-27-rerun-wake.json";
    private static final String RUNTIME_TP = "runtime-2026-11-27-rerun-throughput.json";
    /** Five alternating one-fork rounds per implementation, merged: each "fork" of a row is one round. */
    private static final String MULTICAST_TP = "multicast-2026-12-07/publish-merged.json";
    private static final String MULTICAST_C = "multicast-2026-12-07/cost.json";
    private static final String WFQ_C = "wfq-2026-12-08/linearizable/WfqIntakeCostBenchmark.json";

    /** The main comparisons, in report order: each subject beside its peer of the same run (the latest run). */
    static final List<Comparison> MAIN = List.of(
        Comparison.of("rings", "SPSC offer/poll vs JCTools", RING_X, "SpscRingThroughputBenchmark.offerPoll",
            "SpscRing", "JCToolsSpscArrayQueue"),
        Comparison.of("rings", "SPSC offer/poll vs Agrona", RING_X, "SpscRingThroughputBenchmark.offerPoll",
            "SpscRing", "AgronaOneToOneConcurrentArrayQueue"),
        Comparison.of("rings", "SPSC offer/poll vs ArrayBlockingQueue", RING_X, "SpscRingThroughputBenchmark.offerPoll",
            "SpscRing", "ArrayBlockingQueue"),
        Comparison.of("rings", "SPSC fill/drain 64 vs JCTools", RING_X, "SpscRingBatchThroughputBenchmark.fillDrain",
            "SpscRing", "JCToolsSpscArrayQueue"),
        Comparison.of("rings", "MPSC offer/poll, strict poll, vs JCTools", RING_X,
            "MpscRingThroughputBenchmark.offerPoll", "MpscRing", "JCToolsMpscArrayQueue"),
        Comparison.of("rings", "MPSC offer/relaxedPoll vs JCTools", RING_X, "MpscRingThroughputBenchmark.offerPoll",
            "MpscRingRelaxed", "JCToolsMpscArrayQueueRelaxed"),
        Comparison.of("rings", "MPSC offer/relaxedPoll vs Agrona", RING_X, "MpscRingThroughputBenchmark.offerPoll",
            "MpscRingRelaxed", "AgronaManyToOneConcurrentArrayQueue"),
        Comparison.of("rings", "SPSC offer+poll on one thread vs JCTools", RING_1,
            "RingOfferPollCostBenchmark.offerThenPoll", "SpscRing", "JCToolsSpscArrayQueue"),
        Comparison.of("rings", "MPSC offer+poll on one thread vs JCTools", RING_1,
            "RingOfferPollCostBenchmark.offerThenPoll", "MpscRing", "JCToolsMpscArrayQueue"),
        Comparison.of("wake", "waking SPSC fill/drain 64 vs bare SpscRing", WAKE_T,
            "SpscWakeThroughputBenchmark.fillDrain", "WakingSpscRing", "SpscRing"),
        Comparison.of("wake", "waking SPSC offer/poll vs bare SpscRing", WAKE_T,
            "SpscWakeThroughputBenchmark.offerPoll", "WakingSpscRing", "SpscRing"),
        Comparison.of("wake", "waking SPSC offer/drain 64 vs bare SpscRing", WAKE_T,
            "SpscWakeThroughputBenchmark.offerDrain", "WakingSpscRing", "SpscRing"),
        Comparison.of("wake", "parked wake-up round trip p50 vs unpark/park", WAKE_L, "WakeLatencyBenchmark.roundTrip",
            "WakingRing", "Unpark").reading(Metric.P50),
        Comparison.of("wake", "parked wake-up round trip p99 vs unpark/park", WAKE_L, "WakeLatencyBenchmark.roundTrip",
            "WakingRing", "Unpark").reading(Metric.P99),
        Comparison.of("slab", "alloc+release on one thread vs JCTools index recycling", SLAB_C,
            "SlabPoolAllocReleaseCostBenchmark.allocRelease", "SlabPool", "JCToolsSpscRecycle"),
        Comparison.of("slab", "page hand-off, 64 KiB payload, vs JCTools page recycling", SLAB_H,
            "SpscSlabHandoffThroughputBenchmark.handoff", "SlabPool", "JCToolsPageRecycle").with("payload", "65536"),
        Comparison.of("slab", "page hand-off, 64 B payload, vs JCTools page recycling", SLAB_H,
            "SpscSlabHandoffThroughputBenchmark.handoff", "SlabPool", "JCToolsPageRecycle").with("payload", "64"),
        Comparison.of("log buffer", "SPSC 32 B records vs Agrona", LOG_S, "SpscLogBufferThroughputBenchmark.writeRead",
            "SpscLogBuffer", "AgronaOneToOneRingBuffer").with("recordSize", "32"),
        Comparison.of("log buffer", "SPSC 1 KiB records vs Agrona", LOG_S, "SpscLogBufferThroughputBenchmark.writeRead",
            "SpscLogBuffer", "AgronaOneToOneRingBuffer").with("recordSize", "1024"),
        Comparison.of("log buffer", "SPSC 64 KiB records vs Agrona", LOG_S,
            "SpscLogBufferThroughputBenchmark.writeRead", "SpscLogBuffer", "AgronaOneToOneRingBuffer")
            .with("recordSize", "65536"),
        Comparison.of("log buffer", "MPSC 32 B records vs Agrona", LOG_M, "MpscLogBufferThroughputBenchmark.writeRead",
            "MpscLogBuffer", "AgronaManyToOneRingBuffer").with("recordSize", "32"),
        Comparison.of("log buffer", "MPSC 1 KiB records vs Agrona", LOG_M, "MpscLogBufferThroughputBenchmark.writeRead",
            "MpscLogBuffer", "AgronaManyToOneRingBuffer").with("recordSize", "1024"),
        Comparison.of("log buffer", "MPSC 64 KiB records vs Agrona", LOG_M,
            "MpscLogBufferThroughputBenchmark.writeRead", "MpscLogBuffer", "AgronaManyToOneRingBuffer")
            .with("recordSize", "65536"),
        Comparison.of("log buffer", "SPSC 32 B records vs Agrona", LOG_S25,
            "SpscLogBufferThroughputBenchmark.writeRead", "SpscLogBuffer", "AgronaOneToOneRingBuffer")
            .with("recordSize", "32"),
        Comparison.of("log buffer", "MPSC 32 B records vs Agrona", LOG_M25,
            "MpscLogBufferThroughputBenchmark.writeRead", "MpscLogBuffer", "AgronaManyToOneRingBuffer")
            .with("recordSize", "32"),
        Comparison.of("log buffer", "timed receive (100 µs) p50 vs parkNanos", LOG_T,
            "SpscLogChannelTimeoutLatencyBenchmark.timedReceive", "LogChannel", "ParkNanos").reading(Metric.P50),
        Comparison.of("log buffer", "timed receive (100 µs) p99 vs parkNanos", LOG_T,
            "SpscLogChannelTimeoutLatencyBenchmark.timedReceive", "LogChannel", "ParkNanos").reading(Metric.P99),
        Comparison.of("bridge", "spinning round trip p50 vs two JCTools queues", BRIDGE_RT,
            "BridgeRoundTripBenchmark.roundTrip", "BridgeSpin", "JCToolsSpin").reading(Metric.P50),
        Comparison.of("bridge", "spinning round trip p50 vs two JCTools queues", BRIDGE_RT25,
            "BridgeRoundTripBenchmark.roundTrip", "BridgeSpin", "JCToolsSpin").reading(Metric.P50),
        Comparison.of("bridge", "parked round trip p50 vs unpark/park", BRIDGE_RT,
            "BridgeRoundTripBenchmark.roundTrip", "BridgeParked", "UnparkParked").reading(Metric.P50),
        Comparison.of("bridge", "parked round trip p50 vs unpark/park", BRIDGE_RT25,
            "BridgeRoundTripBenchmark.roundTrip", "BridgeParked", "UnparkParked").reading(Metric.P50),
        Comparison.of("bridge", "client round trip, caller joins, p50 vs executor", BRIDGE_RT,
            "BridgeRoundTripBenchmark.roundTrip", "ClientJoin", "ExecutorJoin").reading(Metric.P50),
        Comparison.of("bridge", "client round trip, caller joins, p50 vs executor", BRIDGE_RT25,
            "BridgeRoundTripBenchmark.roundTrip", "ClientJoin", "ExecutorJoin").reading(Metric.P50),
        Comparison.of("bridge", "client round trip, caller spins, p50 vs executor", BRIDGE_RT,
            "BridgeRoundTripBenchmark.roundTrip", "ClientSpin", "ExecutorJoin").reading(Metric.P50),
        Comparison.of("bridge", "client round trip, caller spins, p50 vs executor", BRIDGE_RT25,
            "BridgeRoundTripBenchmark.roundTrip", "ClientSpin", "ExecutorJoin").reading(Metric.P50),
        Comparison.of("bridge", "client calls, 256 in flight, vs executor", BRIDGE_TP,
            "BridgeClientThroughputBenchmark.call", "Client", "Executor"),
        Comparison.of("bridge", "client calls, 256 in flight, vs executor", BRIDGE_TP25,
            "BridgeClientThroughputBenchmark.call", "Client", "Executor"),
        Comparison.of("runtime", "DataPlane core parked round trip p50 vs unpark/park", RUNTIME_WAKE,
            "BridgeRoundTripBenchmark.roundTrip", "CoreParked", "UnparkParked").reading(Metric.P50),
        Comparison.of("runtime", "calls through a channel handle to a DataPlane core vs JCTools loop", RUNTIME_TP,
            "BridgeClientThroughputBenchmark.call", "PlaneHandle", "JCToolsLoop"),
        Comparison.of("runtime", "client calls to a DataPlane core vs JCTools loop", RUNTIME_TP,
            "BridgeClientThroughputBenchmark.call", "Plane", "JCToolsLoop"),
        Comparison.of("multicast", "lossless, 1 subscriber, vs Disruptor", MULTICAST_TP,
            "MulticastThroughputBenchmark.publish", "tpcbridgeParkNanos", "Disruptor").with("subscribers", "1"),
        Comparison.of("multicast", "lossless, 3 subscribers, vs Disruptor", MULTICAST_TP,
            "MulticastThroughputBenchmark.publish", "tpcbridgeParkNanos", "Disruptor").with("subscribers", "3"),
        Comparison.of("multicast", "busy-spin buffer, 1 subscriber, vs Disruptor", MULTICAST_TP,
            "MulticastThroughputBenchmark.publish", "tpcbridgeBusySpin", "Disruptor").with("subscribers", "1"),
        Comparison.of("multicast", "busy-spin buffer, 3 subscribers, vs Disruptor", MULTICAST_TP,
            "MulticastThroughputBenchmark.publish", "tpcbridgeBusySpin", "Disruptor").with("subscribers", "3"),
        Comparison.of("multicast", "busy-spin buffer, 3 yielding subscribers, vs Disruptor yielding", MULTICAST_TP,
            "MulticastThroughputBenchmark.publish", "tpcbridgeBusySpinYield", "DisruptorYield")
            .with("subscribers", "3"),
        Comparison.of("multicast", "publish on one thread vs Disruptor", MULTICAST_C, "MulticastCostBenchmark.publish",
            "tpcbridge", "Disruptor"),
        Comparison.of("multicast", "publish+poll on one thread vs Disruptor", MULTICAST_C,
            "MulticastCostBenchmark.publishPoll", "tpcbridge", "Disruptor"),
        Comparison.of("multicast", "batch of 64 each way on one thread vs Disruptor", MULTICAST_C,
            "MulticastCostBenchmark.fillDrain64", "tpcbridge", "Disruptor"),
        Comparison.of("wfq", "offer+poll, 10 tenants, fair vs FIFO", WFQ_C, "WfqIntakeCostBenchmark.pollThenOffer",
            "fair", "fifo").with("tenants", "10"),
        Comparison.of("wfq", "offer+poll, 10,000 tenants, fair vs FIFO", WFQ_C,
            "WfqIntakeCostBenchmark.pollThenOffer", "fair", "fifo").with("tenants", "10000"),
        Comparison.of("wfq", "offer+poll, 10,000 tenants, fair vs the seed's DRR", WFQ_C,
            "WfqIntakeCostBenchmark.pollThenOffer", "fair", "seedDrr").with("tenants", "10000"),
        Comparison.of("wfq", "offer+poll, 10,000 tenants, fair vs the memory floor (random order, one atomic add)",
            WFQ_C, "WfqIntakeCostBenchmark.pollThenOffer", "fair", "randomOrderAtomic").with("tenants", "10000"),
        Comparison.of("wfq", "offer+poll, 10,000 tenants, rounded order (default) vs exact order", WFQ_C,
            "WfqIntakeCostBenchmark.pollThenOffer", "fair", "fairExact").with("tenants", "10000"));

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Placement[] PLACEMENTS = {Placement.ALL, Placement.NEAR, Placement.FAR};
    private static final Color[] COLORS = {new Color(0x20, 0x20, 0x20), new Color(0x1f, 0x77, 0xb4),
        new Color(0xd6, 0x5f, 0x0e)};
    private static final double[] OFFSETS = {0, 0.24, -0.24};
    private static final int WIDTH = 1150;
    private static final int ROW_HEIGHT = 34;

    private ResultsChart() {
    }

    /**
     * A comparison with both sides found in its results file.
     *
     * @param comparison what is compared
     * @param subject    the subject's entry
     * @param peer       the peer's entry, from the same file
     */
    record Row(Comparison comparison, JmhResult subject, JmhResult peer) {
        Ratio ratio(Placement placement) {
            final Metric metric = comparison.metric();
            return Ratio.of(subject.summary(metric, placement), peer.summary(metric, placement));
        }

        /** @return true if both sides' forks are split into placement classes */
        boolean placementClassed() {
            return subject.placementClassed() && peer.placementClassed();
        }

        /** @return the row's label in a chart: family, comparison, and the machine where it is not the 2 vCPUs */
        String chartLabel() {
            final String where = machineTag(comparison.file(), subject.jdkVersion());
            return comparison.family() + ": " + comparison.label() + (where.isEmpty() ? "" : " (" + where + ")");
        }
    }

    /**
     * Arguments: {@code RESULTS_DIR OUT_DIR}. Writes {@code throughput-vs-peer.png} and {@code time-vs-peer.png} to
     * OUT_DIR and prints the comparisons as a markdown table.
     *
     * @param args the results directory and the output directory
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // no display needed: charts are drawn into images
        try {
            run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("ResultsChart: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("ResultsChart: " + e);
            System.exit(1);
        }
    }

    static void run(String[] args, PrintStream out) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("expected 2 arguments, got " + args.length);
        }
        final Path resultsDir = Path.of(args[0]);
        final Path outDir = Path.of(args[1]);
        if (!Files.isDirectory(resultsDir)) {
            throw new IllegalArgumentException("RESULTS_DIR=" + resultsDir + " is not a directory");
        }
        try (Stream<Path> files = Files.list(resultsDir)) {
            if (files.noneMatch(f -> f.getFileName().toString().endsWith(".json"))) {
                throw new IllegalArgumentException("RESULTS_DIR=" + resultsDir + " holds no JMH JSON file (*.json)");
            }
        }
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("OUT_DIR=" + outDir + " exists and is not a directory");
        }
        final List<String> skipped = new ArrayList<>();
        final List<Row> rows = rows(resultsDir, MAIN, skipped);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("RESULTS_DIR=" + resultsDir + " holds none of the main comparisons' "
                + "results: " + String.join("; ", skipped));
        }
        printTable(rows, out);
        Files.createDirectories(outDir);
        out.println();
        for (boolean throughput : new boolean[] {true, false}) {
            final List<Row> part = rows.stream().filter(r -> r.subject().higherIsBetter() == throughput).toList();
            if (part.isEmpty()) {
                continue;
            }
            final Path png = outDir.resolve(throughput ? "throughput-vs-peer.png" : "time-vs-peer.png");
            final BufferedImage image = draw(part, throughput);
            ImageIO.write(image, "png", png.toFile());
            out.printf("wrote %s (%dx%d, %d comparisons)%n", png, image.getWidth(), image.getHeight(), part.size());
        }
        skipped.forEach(s -> out.println("skipped: " + s));
    }

    /**
     * @param resultsDir where the JMH JSON files are
     * @param comparisons what to compare
     * @param skipped    receives one line per comparison whose file or entries are missing
     * @return the comparisons found, in order
     */
    static List<Row> rows(Path resultsDir, List<Comparison> comparisons, List<String> skipped) throws IOException {
        final Map<String, List<JmhResult>> files = new LinkedHashMap<>();
        final List<Row> rows = new ArrayList<>();
        for (Comparison c : comparisons) {
            final Path file = resultsDir.resolve(c.file());
            if (!Files.isRegularFile(file)) {
                skipped.add(c.family() + ": " + c.label() + ": no " + c.file());
                continue;
            }
            List<JmhResult> results = files.get(c.file());
            if (results == null) {
                results = JmhResult.read(file);
                files.put(c.file(), results);
            }
            final JmhResult subject = find(results, c, c.subject());
            final JmhResult peer = find(results, c, c.peer());
            if (subject == null || peer == null) {
                skipped.add(c.family() + ": " + c.label() + ": " + c.file() + " has no " + c.benchmark() + " "
                    + c.params() + " for impl=" + (subject == null ? c.subject() : c.peer()));
                continue;
            }
            rows.add(new Row(c, subject, peer));
        }
        return rows;
    }

    private static JmhResult find(List<JmhResult> results, Comparison comparison, String impl) {
        return results.stream().filter(r -> comparison.matches(r, impl)).findFirst().orElse(null);
    }

    /**
     * @return the forest plot of {@link #chart} with each row's label to its left and its ratios to its right
     * (all forks, then near / far), level with the row: XChart's own tick labels cannot be pinned to rows, its tick
     * calculator picks their positions
     */
    static BufferedImage draw(List<Row> rows, boolean throughput) {
        final XYChart chart = chart(rows, throughput);
        final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        final FontRenderContext context = new FontRenderContext(null, true, true);
        final List<String> labels = rows.stream().map(Row::chartLabel).toList();
        final List<String> values = rows.stream().map(ResultsChart::chartValues).toList();
        final String valuesHeader = rows.stream().anyMatch(Row::placementClassed) ? "ratio: all (near / far)" : "ratio";
        final int labelWidth = 16 + width(labels, font, context);
        final int valueWidth = 16 + width(Stream.concat(values.stream(), Stream.of(valuesHeader)).toList(), font,
            context);
        final BufferedImage image = new BufferedImage(labelWidth + chart.getWidth() + valueWidth, chart.getHeight(),
            BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.translate(labelWidth, 0);
            chart.paint(g, chart.getWidth(), chart.getHeight());
            g.translate(-labelWidth, 0);
            g.setFont(font);
            g.setColor(Color.BLACK);
            final FontMetrics metrics = g.getFontMetrics();
            final int n = rows.size();
            g.drawString(valuesHeader, labelWidth + chart.getWidth() + 8,
                (float) chart.getScreenYFromChart(n + 0.6) - metrics.getDescent());
            for (int k = 0; k < n; k++) {
                final float baseline = (float) (chart.getScreenYFromChart(n - k) // valid once painted
                    + (metrics.getAscent() - metrics.getDescent()) / 2.0);
                g.drawString(labels.get(k), labelWidth - 8 - metrics.stringWidth(labels.get(k)), baseline);
                g.drawString(values.get(k), labelWidth + chart.getWidth() + 8, baseline);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static int width(List<String> texts, Font font, FontRenderContext context) {
        return (int) Math.ceil(texts.stream().mapToDouble(t -> font.getStringBounds(t, context).getWidth()).max()
            .orElse(0));
    }

    private static String chartValues(Row row) {
        final String all = fmtRatio(row.ratio(Placement.ALL));
        return row.placementClassed()
            ? all + "  (" + fmtRatio(row.ratio(Placement.NEAR)) + " / " + fmtRatio(row.ratio(Placement.FAR)) + ")"
            : all;
    }

    /** One forest plot: a row per comparison (row k at y = n - k), dots at the median ratios, bars over fork pairs. */
    static XYChart chart(List<Row> rows, boolean throughput) {
        final int n = rows.size();
        final XYChart chart = new XYChart(WIDTH, 150 + ROW_HEIGHT * n);
        chart.setTitle(throughput
            ? "Throughput, subject / peer in the same run (log scale; right of 1: ours ahead)"
            : "Time per operation, subject / peer in the same run (log scale; left of 1: ours ahead)");
        chart.setXAxisTitle("ratio to the peer: dot = ratio of medians over forks; bar = every subject fork "
            + "over every peer fork (min-max)");
        final XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setXAxisLogarithmicDecadeOnly(false);
        styler.setYAxisMin(0.4);
        styler.setYAxisMax(n + 0.6);
        styler.setYAxisTicksVisible(false); // draw() labels the rows
        styler.setPlotGridVerticalLinesVisible(true);
        styler.setPlotGridHorizontalLinesVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setMarkerSize(9);
        double min = 1;
        double max = 1;
        for (int p = 0; p < PLACEMENTS.length; p++) {
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                final Ratio ratio = rows.get(k).ratio(PLACEMENTS[p]);
                if (ratio == null) {
                    continue;
                }
                final double y = n - k + OFFSETS[p];
                xs.add(ratio.median());
                ys.add(y);
                min = Math.min(min, ratio.low());
                max = Math.max(max, ratio.high());
                final XYSeries bar = chart.addSeries("bar " + k + " " + PLACEMENTS[p],
                    new double[] {ratio.low(), ratio.high()}, new double[] {y, y});
                bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
                    .setLineColor(COLORS[p]).setLineStyle(new BasicStroke(p == 0 ? 2f : 1.5f)).setShowInLegend(false);
            }
            if (!xs.isEmpty()) {
                chart.addSeries(legend(PLACEMENTS[p]), xs, ys)
                    .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                    .setMarker(p == 0 ? SeriesMarkers.CIRCLE : p == 1 ? SeriesMarkers.DIAMOND : SeriesMarkers.SQUARE)
                    .setMarkerColor(COLORS[p]);
            }
        }
        styler.setXAxisMin(min / 1.15);
        styler.setXAxisMax(max * 1.15);
        chart.addSeries("peer = 1", new double[] {1, 1}, new double[] {0.4, n + 0.6})
            .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
            .setLineColor(Color.GRAY)
            .setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4},
                0))
            .setShowInLegend(false);
        return chart;
    }

    private static String legend(Placement placement) {
        return switch (placement) {
            case ALL -> "all forks";
            case NEAR -> "near forks (spin round trip < 150 ns), within the class";
            case FAR -> "far forks (>= 150 ns), within the class";
        };
    }

    static void printTable(List<Row> rows, PrintStream out) {
        out.println("| family | comparison | subject | peer | unit | subject median (min-max) | peer median (min-max) "
            + "| ratio, all forks | ratio near / far | forks subject, peer (near/far) | machine | date | source |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            final Comparison c = row.comparison();
            final Summary s = row.subject().summary(c.metric(), Placement.ALL);
            final Summary p = row.peer().summary(c.metric(), Placement.ALL);
            final boolean classed = row.placementClassed();
            final String unit = (c.metric() == Metric.SCORE ? "" : c.metric().name().toLowerCase(Locale.ROOT) + " ")
                + row.subject().unit().replace("us", "µs");
            // The source links resolve from benchmarks/README.md, where this table goes.
            out.printf("| %s | %s | `%s` | `%s` | %s | %s (%s-%s) | %s (%s-%s) | **%s** | %s | %s | %s | %s "
                    + "| [`%s`](results/%s) |%n",
                c.family(), c.label(), c.subject(), c.peer(), unit,
                fmt(s.median()), fmt(s.min()), fmt(s.max()), fmt(p.median()), fmt(p.min()), fmt(p.max()),
                fmtRatio(row.ratio(Placement.ALL)),
                classed ? fmtRatio(row.ratio(Placement.NEAR)) + " / " + fmtRatio(row.ratio(Placement.FAR)) : "n/a",
                classed ? forks(row.subject(), c) + ", " + forks(row.peer(), c) : s.forks() + ", " + p.forks(),
                machine(c.file(), row.subject().jdkVersion()), date(c.file()), c.file(), c.file());
        }
    }

    private static String forks(JmhResult result, Comparison c) {
        return result.summary(c.metric(), Placement.ALL).forks() + " (" + result.summary(c.metric(), Placement.NEAR)
            .forks() + "/" + result.summary(c.metric(), Placement.FAR).forks() + ")";
    }

    /** Results from the lent 16-core device machine carry {@code -h200-} in their file name; the rest are 2 vCPUs. */
    static String machine(String file, String jdkVersion) {
        return (file.contains("-h200-") ? "16-core device machine, idle" : "2 vCPU AMD EPYC, shared")
            + ", JDK " + jdkVersion;
    }

    private static String machineTag(String file, String jdkVersion) {
        return file.contains("-h200-") ? "16 cores, JDK " + jdkVersion.split("\\.")[0] : "";
    }

    private static String date(String file) {
        final Matcher m = DATE.matcher(file);
        return m.find() ? m.group() : "?";
    }

    /** As report.py: one decimal from 10 up, two from 1, three below; none from 1000 up (round trips in ns). */
    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "-";
        }
        final double a = Math.abs(x);
        final int digits = a >= 1000 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        return String.format(Locale.ROOT, "%." + digits + "f", x);
    }

    private static String fmtRatio(Ratio ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio.median());
    }
}
