package dev.tpcbridge.bench.report;

import dev.tpcbridge.bench.report.JmhResult.Metric;
import dev.tpcbridge.bench.report.JmhResult.Placement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart tool on a tiny synthetic JMH JSON file: per-fork reduction, placement classes, ratios, the PNG. */
class ResultsChartTest {
    /**
     * Throughput of two impls over 4 forks, 2 iterations each; the subject counts pollsMade. Subject forks (mean of
     * pollsMade) 10, 20, 30, 40 at round trips 60, 80, 200, 300 ns: near 10, 20 and far 30, 40. Peer (no pollsMade:
     * the primary score) 5, 10, 10, 20 at 100, 400, 120, 500 ns: near 5, 10 and far 10, 20. Then a sample-time entry.
     */
    private static final String JSON = """
        [
          {"benchmark": "x.y.DemoBenchmark.run", "mode": "thrpt", "jdkVersion": "17.0.15", "params": {"impl": "Ours"},
           "primaryMetric": {"score": NaN, "scoreUnit": "ops/us", "rawData": [[0, 0], [0, 0], [0, 0], [0, 0]]},
           "secondaryMetrics": {
             "pollsMade": {"scoreUnit": "ops/us", "rawData": [[9, 11], [20, 20], [29, 31], [40, 40]]},
             "spin.rtt": {"scoreUnit": "ns", "rawData": [[60], [80], [200], [300]]}}},
          {"benchmark": "x.y.DemoBenchmark.run", "mode": "thrpt", "jdkVersion": "17.0.15", "params": {"impl": "Peer"},
           "primaryMetric": {"scoreUnit": "ops/us", "rawData": [[5, 5], [10, 10], [10, 10], [20, 20]]},
           "secondaryMetrics": {"spin.rtt": {"scoreUnit": "ns", "rawData": [[100], [400], [120], [500]]}}},
          {"benchmark": "x.y.DemoLatencyBenchmark.trip", "mode": "sample", "params": {"impl": "Ours"},
           "primaryMetric": {"scoreUnit": "us/op", "rawDataHistogram": [
             [[[1.0, 60], [2.0, 39]], [[9.0, 1]]],
             [[[3.0, 50]], [[4.0, 50]]]]},
           "secondaryMetrics": {"spin.rtt": {"scoreUnit": "ns", "rawData": [[60], [300]]}}}
        ]
        """;

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private List<JmhResult> demo() throws IOException {
        final Path file = Files.writeString(dir.resolve("demo-2026-01-02.json"), JSON);
        return JmhResult.read(file);
    }

    @Test
    void reducesEachForkAndSplitsThroughputByPlacement() throws IOException {
        final List<JmhResult> results = demo();
        final JmhResult ours = results.get(0);
        assertEquals("DemoBenchmark.run", ours.benchmark());
        assertEquals("ops/us", ours.unit());
        assertEquals(new Summary(4, 25, 10, 40), ours.summary(Metric.SCORE, Placement.ALL));
        assertEquals(new Summary(2, 15, 10, 20), ours.summary(Metric.SCORE, Placement.NEAR));
        assertEquals(new Summary(2, 35, 30, 40), ours.summary(Metric.SCORE, Placement.FAR));
        final JmhResult peer = results.get(1);
        assertEquals(new Summary(4, 10, 5, 20), peer.summary(Metric.SCORE, Placement.ALL));
        assertEquals(new Summary(2, 7.5, 5, 10), peer.summary(Metric.SCORE, Placement.NEAR));
        assertThrows(IllegalArgumentException.class, () -> peer.summary(Metric.P50, Placement.ALL));
    }

    @Test
    void sampleTimeForksArePercentilesOfTheMergedHistogramOverAllForks() throws IOException {
        final JmhResult trip = demo().get(2);
        // Fork 0: 60 x 1.0, 39 x 2.0, 1 x 9.0 (two iterations merged); fork 1: 50 x 3.0, 50 x 4.0.
        assertEquals(new Summary(2, 2.0, 1.0, 3.0), trip.summary(Metric.P50, Placement.ALL));
        assertEquals(new Summary(2, 3.0, 2.0, 4.0), trip.summary(Metric.P99, Placement.ALL));
        assertEquals(0, trip.summary(Metric.P50, Placement.NEAR).forks(), "report.py reads sample time over all forks");
    }

    @Test
    void ratioIsOfMediansWithinOneClassAndSpansEveryForkPairing() throws IOException {
        final List<JmhResult> results = demo();
        final Comparison c = Comparison.of("demo", "Ours vs Peer", "demo-2026-01-02.json", "DemoBenchmark.run", "Ours",
            "Peer");
        final ResultsChart.Row row = new ResultsChart.Row(c, results.get(0), results.get(1));
        assertEquals(new Ratio(2.5, 0.5, 8.0), row.ratio(Placement.ALL));
        assertEquals(new Ratio(2.0, 1.0, 4.0), row.ratio(Placement.NEAR));
        assertEquals(new Ratio(35 / 15.0, 30 / 20.0, 40 / 10.0), row.ratio(Placement.FAR));
        assertNull(Ratio.of(Summary.EMPTY, Summary.of(new double[] {1})));
    }

    @Test
    void summaryMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(new Summary(4, 2.5, 1, 9), Summary.of(new double[] {9, 1, 3, 2}));
        assertEquals(new Summary(3, 3, 1, 9), Summary.of(new double[] {9, 1, 3}));
        assertTrue(Summary.of(new double[0]).isEmpty());
    }

    @Test
    void comparisonMatchesImplAndParamsAndReportsWhatIsMissing() throws IOException {
        demo();
        final List<Comparison> comparisons = List.of(
            Comparison.of("demo", "found", "demo-2026-01-02.json", "DemoBenchmark.run", "Ours", "Peer"),
            Comparison.of("demo", "wrong param", "demo-2026-01-02.json", "DemoBenchmark.run", "Ours", "Peer")
                .with("recordSize", "32"),
            Comparison.of("demo", "no file", "absent.json", "DemoBenchmark.run", "Ours", "Peer"));
        final List<String> skipped = new ArrayList<>();
        final List<ResultsChart.Row> rows = ResultsChart.rows(dir, comparisons, skipped);
        assertEquals(1, rows.size());
        assertEquals("found", rows.get(0).comparison().label());
        assertEquals(2, skipped.size());
        assertTrue(skipped.get(0).contains("impl=Ours"), skipped.get(0));
        assertTrue(skipped.get(1).contains("no absent.json"), skipped.get(1));
    }

    @Test
    void drawsAPngWithOneRowPerComparison() throws IOException {
        final List<JmhResult> results = demo();
        final Comparison c = Comparison.of("demo", "Ours vs Peer", "demo-2026-01-02.json", "DemoBenchmark.run", "Ours",
            "Peer");
        final ResultsChart.Row row = new ResultsChart.Row(c, results.get(0), results.get(1));
        final Path png = dir.resolve("chart.png");
        final BufferedImage one = ResultsChart.draw(List.of(row), true);
        ImageIO.write(one, "png", png.toFile());
        final byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
        final BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(one.getWidth(), read.getWidth());
        assertEquals(one.getHeight(), read.getHeight());
        final BufferedImage two = ResultsChart.draw(List.of(row, row), true);
        assertTrue(two.getHeight() > one.getHeight(), one.getHeight() + " then " + two.getHeight());
    }

    @Test
    void badArgumentsAreErrorsThatSayWhatWasWrong() throws IOException {
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals("expected 2 arguments, got 1", assertThrows(IllegalArgumentException.class,
            () -> ResultsChart.run(new String[] {"x"}, out)).getMessage());
        final Path missing = dir.resolve("missing");
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ResultsChart.run(new String[] {missing.toString(), dir.toString()}, out)).getMessage()
            .contains("is not a directory"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ResultsChart.run(new String[] {dir.toString(), dir.resolve("out").toString()}, out)).getMessage()
            .contains("holds no JMH JSON file"));
        final Path broken = dir.resolve("results");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(ResultsChart.MAIN.get(0).file()), "{\"not\": \"an array\"}");
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ResultsChart.run(new String[] {broken.toString(), dir.resolve("out").toString()}, out)).getMessage()
            .contains("not a JMH JSON result file"));
    }
}
