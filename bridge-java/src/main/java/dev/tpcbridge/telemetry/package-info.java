/**
 * Per-core telemetry: a {@link dev.tpcbridge.telemetry.TelemetryBuffer} of metric samples (counter, gauge,
 * histogram observation) that one core writes without waiting and one exporter drains from any thread without ever
 * seeing a torn sample, with a count of the samples dropped while it was full.
 *
 * <p>Each index has one writer (the core writes the write index, the exporter the read index), and a full buffer
 * drops the new sample and counts it: the writer never makes room by moving the reader's index. A
 * {@link dev.tpcbridge.runtime.DataPlane} core writes its own samples each telemetry interval, and user code on the
 * core may add its own through {@code Core.telemetry()}.
 *
 * <p>Proof: {@code TelemetryBufferTest}, {@code TelemetryLincheckTest}, {@code TelemetryLayoutTest}, jcstress
 * {@code TelemetryStress}.
 */
package dev.tpcbridge.telemetry;
