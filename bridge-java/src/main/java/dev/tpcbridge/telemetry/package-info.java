/**
 * Per-core telemetry: a {@link dev.tpcbridge.telemetry.TelemetryBuffer} of metric samples (counter, gauge,
 * histogram observation) that one core writes without waiting and one exporter drains from any thread without ever
 * seeing a torn sample, with a count of the samples dropped while it was full.
 *
 * <p>The seed's buffer made room by advancing the read index from the writer, racing the reader on it; here each
 * index has one writer (the core writes the write index, the exporter the read index), a full buffer drops the new
 * sample and counts it, and tear-freedom is proved by jcstress {@code TelemetryStress} in {@code bridge-jcstress}.
 * A {@link dev.tpcbridge.runtime.DataPlane} core writes its own samples each telemetry interval, and user code on the
 * core may add its own through {@code Core.telemetry()}.
 */
package dev.tpcbridge.telemetry;
