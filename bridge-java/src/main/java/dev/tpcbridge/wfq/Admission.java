package dev.tpcbridge.wfq;

/**
 * What became of a call offered to a {@link FairIntake}. {@link #ACCEPTED} and {@link #THROTTLED} took it; after
 * {@link #SUSPENDED}, {@link #FULL} or {@link #CLOSED} the call (and its request) is still the caller's.
 *
 * <p>Immutable; any thread.
 */
public enum Admission {
    /** Taken; the tenant is below its throttle band. */
    ACCEPTED,
    /** Taken, but the tenant holds 85 % (by default) of its fair share or more: slow down. */
    THROTTLED,
    /**
     * Refused: the tenant holds 95 % (by default) of its fair share or more, and stays suspended until it is below
     * 85 % (hysteresis). Normal: retry after some of its requests were served, back off or shed load.
     */
    SUSPENDED,
    /** Refused: the intake as a whole is full. Normal: retry, back off or shed load. */
    FULL,
    /** Refused: the intake is closed; no later offer succeeds. */
    CLOSED;

    /**
     * Whether the call was taken.
     *
     * @return {@code true} for {@link #ACCEPTED} and {@link #THROTTLED}
     */
    public boolean isTaken() {
        return this == ACCEPTED || this == THROTTLED;
    }
}
