/**
 * The thread-per-core data plane: a {@link dev.tpcbridge.runtime.DataPlane} of {@link dev.tpcbridge.runtime.Core}s,
 * each a platform thread (optionally pinned) that owns its state and runs a duty cycle over the bridge channels
 * attached to it, its tasks and its telemetry, parking when idle until a transition wakes it.
 * {@link dev.tpcbridge.runtime.ControlThreads} makes control-plane threads that never inherit a core's pinned CPU.
 *
 * <h2>Inside a core</h2>
 * {@code CoreRunner} is the thread's body and the core's life (start, stop, the end); {@code CoreLoop} one duty cycle
 * (channels, tasks); {@code CoreTelemetry} the samples; {@code Pinning} the CPU; {@code Channels} the attached set.
 * The runner is a plain loop, not Agrona's {@code AgentRunner}, which ends a duty cycle on an interrupt seen after an
 * idle cycle: a core outlives stray interrupts (cleared, logged) and stops only through {@code DataPlane.stop}. Its
 * idle step is a {@link dev.tpcbridge.wake.Waiter} over the core's signal, its task ring and its channels' request
 * sides.
 * A core counts only its own work (cycles, tasks); its request counts are its channels' ({@code BridgeChannel}).
 *
 * <p>Proof: {@code DataPlaneTest}, {@code PinningTest}, {@code CoreCountersLayoutTest}, jcstress
 * {@code TelemetryStress}.
 */
package dev.tpcbridge.runtime;
