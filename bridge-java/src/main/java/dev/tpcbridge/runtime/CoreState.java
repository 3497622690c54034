package dev.tpcbridge.runtime;

/** Where a {@link Core} is in its life. The order is the only order it moves in. */
public enum CoreState {
    /** Built, its thread not started yet: channels and tasks given to it wait. */
    NEW,
    /** Its thread runs the duty cycle. */
    RUNNING,
    /** Asked to stop: it still serves what it has, until idle or the stop's deadline. */
    STOPPING,
    /** Stopped cleanly: its channels' data sides are closed, its tasks run or refused. */
    STOPPED,
    /** Ended by a fault ({@link Core#failure()}): its channels failed with it, so their clients learned it. */
    FAILED;

    /**
     * Whether the core has ended for good.
     *
     * @return {@code true} for {@link #STOPPED} and {@link #FAILED}
     */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
