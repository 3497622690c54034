package dev.tpcbridge.telemetry;

/** What a metric sample means, and so how an exporter folds a run of them. */
public enum MetricKind {
    /** The sample's value is an increment: an exporter adds them up. */
    COUNTER,
    /** The sample's value is the current level: an exporter keeps the latest. */
    GAUGE,
    /** The sample's value is one observation (a latency, a batch size): an exporter puts it in a histogram. */
    HISTOGRAM
}
