package dev.tpcbridge.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a JMH JSON result file (one benchmark method at one set of params) reduced to one value per fork,
 * with the spin round trip of each fork where {@code SpinRoundTripProfiler} recorded it ({@code spin.rtt}).
 *
 * <p>Per fork, as {@code benchmarks/report.py} computes it: throughput ({@code thrpt}) and average time
 * ({@code avgt}) are the mean over measurement iterations of {@code pollsMade} where the benchmark counts elements
 * that way, else of the primary score; sample time ({@code sample}) is the p50 and p99 of the fork's histogram, all
 * iterations merged. Throughput forks are split into placement classes by their round trip ({@link Placement}).
 */
final class JmhResult {
    /** A fork is "near" when its spin round trip is below this (ns), "far" otherwise; as {@code report.py}. */
    static final double NEAR_NANOS = 150.0;

    /** Which per-fork value a comparison reads. */
    enum Metric {
        /** The mean over iterations (throughput or average time). */
        SCORE,
        /** The median of the fork's sample-time histogram. */
        P50,
        /** The 99th percentile of the fork's sample-time histogram. */
        P99
    }

    /** The vCPU placement class of a fork, from the spin round trip recorded in it. */
    enum Placement {
        ALL, NEAR, FAR;

        boolean admits(double rttNanos) {
            return this == ALL || (this == NEAR) == (rttNanos < NEAR_NANOS);
        }
    }

    private final String benchmark;
    private final Map<String, String> params;
    private final String mode;
    private final String unit;
    private final String jdkVersion;
    private final Map<Metric, double[]> perFork;
    private final double[] rttNanos;

    private JmhResult(String benchmark, Map<String, String> params, String mode, String unit, String jdkVersion,
                      Map<Metric, double[]> perFork, double[] rttNanos) {
        this.benchmark = benchmark;
        this.params = params;
        this.mode = mode;
        this.unit = unit;
        this.jdkVersion = jdkVersion;
        this.perFork = perFork;
        this.rttNanos = rttNanos;
    }

    /**
     * @param file a JMH JSON result file ({@code -rf json})
     * @return its entries, in file order
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a JMH JSON result file
     */
    static List<JmhResult> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            final JsonElement root = JsonParser.parseReader(in); // lenient: JMH writes NaN scores unquoted
            if (!root.isJsonArray()) {
                throw new IllegalArgumentException(file + ": not a JMH JSON result file (expected an array)");
            }
            final List<JmhResult> results = new ArrayList<>();
            for (JsonElement entry : root.getAsJsonArray()) {
                results.add(parse(entry.getAsJsonObject()));
            }
            return results;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException
                 | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not a JMH JSON result file (" + e.getMessage() + ")", e);
        }
    }

    static JmhResult parse(JsonObject entry) {
        final String[] fqn = member(entry, "benchmark").getAsString().split("\\.");
        final String benchmark = fqn.length < 2 ? fqn[0] : fqn[fqn.length - 2] + "." + fqn[fqn.length - 1];
        final Map<String, String> params = new TreeMap<>();
        if (entry.has("params")) {
            entry.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
        }
        final String mode = member(entry, "mode").getAsString();
        final JsonObject primary = member(entry, "primaryMetric").getAsJsonObject();
        final JsonObject secondary = entry.has("secondaryMetrics") ? entry.getAsJsonObject("secondaryMetrics")
            : new JsonObject();
        final Map<Metric, double[]> perFork = new EnumMap<>(Metric.class);
        final String unit;
        if ("sample".equals(mode)) {
            unit = member(primary, "scoreUnit").getAsString();
            final JsonArray forks = member(primary, "rawDataHistogram").getAsJsonArray();
            perFork.put(Metric.P50, percentiles(forks, 0.50));
            perFork.put(Metric.P99, percentiles(forks, 0.99));
        } else {
            final JsonObject source = secondary.has("pollsMade") ? secondary.getAsJsonObject("pollsMade") : primary;
            unit = member(source, "scoreUnit").getAsString();
            perFork.put(Metric.SCORE, forkMeans(member(source, "rawData").getAsJsonArray()));
        }
        final double[] rtt = secondary.has("spin.rtt")
            ? forkMeans(member(secondary.getAsJsonObject("spin.rtt"), "rawData").getAsJsonArray()) : null;
        final String jdk = entry.has("jdkVersion") ? entry.get("jdkVersion").getAsString() : "?";
        return new JmhResult(benchmark, params, mode, unit, jdk, perFork, rtt);
    }

    private static JsonElement member(JsonObject object, String name) {
        final JsonElement member = object.get(name);
        if (member == null) {
            throw new IllegalArgumentException("no \"" + name + "\" in " + object.keySet());
        }
        return member;
    }

    private static double[] forkMeans(JsonArray forks) {
        final double[] means = new double[forks.size()];
        for (int f = 0; f < means.length; f++) {
            final JsonArray iterations = forks.get(f).getAsJsonArray();
            double sum = 0;
            for (JsonElement value : iterations) {
                sum += value.getAsDouble();
            }
            means[f] = sum / iterations.size();
        }
        return means;
    }

    /** Per fork: the value at quantile q of [[value, count], ...] pairs, all iterations merged (as report.py). */
    private static double[] percentiles(JsonArray forks, double q) {
        final double[] values = new double[forks.size()];
        for (int f = 0; f < values.length; f++) {
            final TreeMap<Double, Long> merged = new TreeMap<>();
            for (JsonElement iteration : forks.get(f).getAsJsonArray()) {
                for (JsonElement pair : iteration.getAsJsonArray()) {
                    final JsonArray valueCount = pair.getAsJsonArray();
                    merged.merge(valueCount.get(0).getAsDouble(), valueCount.get(1).getAsLong(), Long::sum);
                }
            }
            final long total = merged.values().stream().mapToLong(Long::longValue).sum();
            final double rank = q * total;
            long seen = 0;
            values[f] = merged.lastKey();
            for (Map.Entry<Double, Long> bucket : merged.entrySet()) {
                seen += bucket.getValue();
                if (seen >= rank) {
                    values[f] = bucket.getKey();
                    break;
                }
            }
        }
        return values;
    }

    /** @return {@code Class.method}, the last two parts of JMH's benchmark name */
    String benchmark() {
        return benchmark;
    }

    Map<String, String> params() {
        return params;
    }

    String unit() {
        return unit;
    }

    String jdkVersion() {
        return jdkVersion;
    }

    /** @return true for throughput, where more is better; time per operation (avgt, sample) is better lower */
    boolean higherIsBetter() {
        return "thrpt".equals(mode);
    }

    /**
     * @return true where forks are split by placement class: cross-thread throughput with a spin round trip recorded
     * (report.py reads sample-time and single-thread results over all forks)
     */
    boolean placementClassed() {
        return rttNanos != null && higherIsBetter();
    }

    /**
     * @param metric    the per-fork value
     * @param placement the forks to include; {@link Placement#ALL} unless {@link #placementClassed()}
     * @return median and min-max over the selected forks
     * @throws IllegalArgumentException if this benchmark's mode has no such metric
     */
    Summary summary(Metric metric, Placement placement) {
        final double[] values = perFork.get(metric);
        if (values == null) {
            throw new IllegalArgumentException(benchmark + " " + params + ": no " + metric + " in mode " + mode);
        }
        if (placement == Placement.ALL) {
            return Summary.of(values);
        }
        if (!placementClassed()) {
            return Summary.EMPTY;
        }
        final double[] selected = new double[values.length];
        int n = 0;
        for (int f = 0; f < values.length; f++) {
            if (placement.admits(rttNanos[f])) {
                selected[n++] = values[f];
            }
        }
        return Summary.of(Arrays.copyOf(selected, n));
    }
}
