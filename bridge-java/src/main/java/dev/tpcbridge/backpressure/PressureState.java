package dev.tpcbridge.backpressure;

/**
 * The pressure a {@link BackpressureController} reports for its buffer, from none to the most. Immutable; any thread.
 *
 * <p>A state is a normal outcome, never an error: it tells a producer how hard to push.
 */
public enum PressureState {
    /** Below the throttle band: produce freely. */
    NORMAL,
    /** In the throttle band: produce more slowly (batch, yield, lower the rate). Offers still succeed. */
    THROTTLED,
    /** In the suspend band: stop producing until the consumer has drained the buffer below the suspend exit. */
    SUSPENDED
}
