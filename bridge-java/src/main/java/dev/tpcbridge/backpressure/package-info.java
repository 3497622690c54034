/**
 * Adaptive backpressure: {@link dev.tpcbridge.backpressure.BackpressureController} watches one buffer's size
 * through hysteresis watermarks ({@link dev.tpcbridge.backpressure.BackpressureConfig}) and tells its producers
 * to produce freely, more slowly, or not at all ({@link dev.tpcbridge.backpressure.PressureState}); a
 * {@link dev.tpcbridge.backpressure.PressureListener} hears of each transition.
 *
 * <h2>The concept</h2>
 * A buffer between an asynchronous control plane and a thread-per-core data plane fills when the consumer falls
 * behind. Rather than let producers run into a full buffer on every offer, the controller turns the buffer's
 * utilisation into a state: {@code NORMAL} below the throttle watermark, {@code THROTTLED} above it,
 * {@code SUSPENDED} above the suspend watermark. Each state is entered at one watermark and left at a lower one
 * (hysteresis, as in a Schmitt trigger), so a buffer hovering at a watermark does not flap between states. The
 * watermarks are fractions of the capacity, turned into integer sizes once, so the hot path compares ints only.
 *
 * <h2>Thread model</h2>
 * Every method of the controller may be called by any thread. The structure that owns the buffer (a
 * {@code WakingRing}) calls {@code settle(size)} after every push and every pop that can make a transition (so that a
 * suspended producer is released by the consumer's pops, and a stale size never has the last word); either
 * plane reads {@code shouldThrottle()} and {@code shouldSuspend()}. Updates are lock-free and write nothing unless a
 * transition is due; reads are wait-free; nothing blocks. Listeners run on the thread that made the transition,
 * possibly on both planes at once. {@code BackpressureConfig} is immutable.
 *
 * <h2>Memory-ordering legend</h2>
 * Every VarHandle access to the state and the listener array goes through an accessor named for its mode; the
 * counters, touched on the transition path and by monitoring only, use their VarHandle at the line:
 * <ul>
 *   <li>{@code xxxAcquire()} — {@code getAcquire}: later reads and writes stay after it;</li>
 *   <li>{@code casXxx(expect, update)} — {@code compareAndSet}: volatile (sequentially consistent), so it also
 *   releases everything before it;</li>
 *   <li>{@code XXX.getAndAdd(this, 1L)} — a counter's volatile read-modify-write, read back with
 *   {@code getAcquire};</li>
 *   <li>plain access — final fields only, set in the constructor and published by the final-field rule.</li>
 * </ul>
 * Pairing rule: each compare-and-set or read-modify-write names, at the line, the acquire load it pairs with. The
 * state is changed only by {@code casState} in {@code update}, which pairs with {@code stateAcquire()} in
 * {@code pressure()}, {@code shouldThrottle()}, {@code shouldSuspend()} and every {@code update}; the listener array
 * is replaced only by {@code casListeners}, which pairs with {@code listenersAcquire()} on the transition path.
 *
 * <p>Proof: {@code BackpressureConfigTest}, {@code BackpressureControllerTest}, {@code BackpressureConcurrentTest},
 * {@code BackpressureLincheckTest}, {@code BackpressureLayoutTest}, jcstress {@code BackpressureStress}.
 */
package dev.tpcbridge.backpressure;
