package dev.tpcbridge.backpressure;

/**
 * Told of every transition of a {@link BackpressureController}, on the thread that made it.
 *
 * <p><b>Threads.</b> Called by the thread whose {@code update} made the transition, just after its compare-and-set
 * (so {@link BackpressureController#pressure()} on that thread shows this state or a later one), before that
 * {@code update} returns: a producer's or a consumer's thread, often on a hot path, so a listener must be quick and
 * must not block. Listeners for transitions made by different threads may run at the same time and may finish in
 * either order, so a listener must not take {@code to} for the current state: it should read
 * {@link BackpressureController#pressure()} for the latest. The calls for the transitions one thread makes arrive
 * in the order it made them.
 *
 * <p><b>Failures.</b> An exception thrown by a listener is caught, counted
 * ({@link BackpressureController#listenerFailures()}) and logged at {@code WARNING}; it never reaches the caller of
 * {@code update}, and the other listeners still run. Only a {@link VirtualMachineError} (out of memory, stack
 * overflow) propagates, after the transition has been made and counted.
 */
@FunctionalInterface
public interface PressureListener {
    /**
     * Called once for each transition.
     *
     * @param from the state the transition left
     * @param to   the state it entered, never equal to {@code from}
     */
    void onTransition(PressureState from, PressureState to);
}
