package dev.tpcbridge.telemetry;

/**
 * Receives the samples an exporter drains from a {@link TelemetryBuffer}, on the exporter's thread, in the order the
 * core wrote them. Each call sees one whole sample: its fields were written together and are never mixed with a
 * later sample's (see {@link TelemetryBuffer}).
 */
@FunctionalInterface
public interface SampleHandler {
    /**
     * One sample.
     *
     * @param metric         the metric's id ({@link TelemetryBuffer#name(int)} names it)
     * @param kind           the metric's kind
     * @param timestampNanos when the core wrote it, on the buffer's nano clock
     * @param value          the increment, level or observation
     */
    void onSample(int metric, MetricKind kind, long timestampNanos, long value);
}
