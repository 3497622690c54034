/**
 * The thread-per-core data plane: a {@link dev.tpcbridge.runtime.DataPlane} of
 * {@link dev.tpcbridge.runtime.Core}s, each a platform thread (optionally pinned) that owns its state and runs a duty
 * cycle over the bridge channels attached to it, its tasks and its telemetry, parking when idle until a transition
 * waker wakes it. {@link dev.tpcbridge.runtime.ControlThreads} makes control-plane threads that never inherit a
 * core's pinned CPU mask.
 *
 * <p>Proofs: {@code DataPlaneTest} (lifecycle, drain-and-stop with requests in flight, a core dying mid-traffic,
 * handler and task faults), {@code PinningTest} (pinning, its fallback when no CPU is free, control-plane threads not
 * pinned), and jcstress {@code TelemetryStress} for the telemetry buffer the cores write.
 */
package dev.tpcbridge.runtime;
