package dev.tpcbridge.bench.report;

import dev.tpcbridge.bench.report.JmhResult.Metric;

import java.util.Map;
import java.util.TreeMap;

/**
 * One subject-to-peer comparison of the report: which results file, which benchmark and params, which two
 * {@code impl} values, and which per-fork value. Both sides come from the same run (the same file), so that the ratio
 * means something on machines whose placement swings results 3-5x between runs.
 *
 * @param family    the row group in the table and chart ("rings", "log buffer", ...)
 * @param label     what is compared, for a reader ("SPSC offer/poll, 1 producer 1 consumer")
 * @param file      the results file name, e.g. {@code ring-2026-11-26-cross-thread.json}
 * @param benchmark {@code Class.method}, e.g. {@code SpscRingThroughputBenchmark.offerPoll}
 * @param params    params other than {@code impl} that the entries must have (e.g. {@code recordSize=32})
 * @param subject   the subject's {@code impl}
 * @param peer      the peer's {@code impl}
 * @param metric    the per-fork value compared
 */
record Comparison(String family, String label, String file, String benchmark, Map<String, String> params,
                  String subject, String peer, Metric metric) {

    Comparison {
        params = Map.copyOf(params);
    }

    static Comparison of(String family, String label, String file, String benchmark, String subject, String peer) {
        return new Comparison(family, label, file, benchmark, Map.of(), subject, peer, Metric.SCORE);
    }

    /** @return this comparison restricted to entries whose {@code name} param is {@code value} */
    Comparison with(String name, String value) {
        final Map<String, String> more = new TreeMap<>(params);
        more.put(name, value);
        return new Comparison(family, label, file, benchmark, more, subject, peer, metric);
    }

    /** @return this comparison reading another per-fork value (a sample-time percentile) */
    Comparison reading(Metric other) {
        return new Comparison(family, label, file, benchmark, params, subject, peer, other);
    }

    /** @return true if {@code result} is this comparison's benchmark and params, with {@code impl} equal to impl */
    boolean matches(JmhResult result, String impl) {
        return result.benchmark().equals(benchmark) && impl.equals(result.params().get("impl"))
            && result.params().entrySet().containsAll(params.entrySet());
    }
}
