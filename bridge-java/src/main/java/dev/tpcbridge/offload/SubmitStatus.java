package dev.tpcbridge.offload;

/** The outcome of {@link OffloadPool#submit} and {@link OffloadPool#send}: a value, never an exception. */
public enum SubmitStatus {
    /** Queued; a worker will run it (unless it is evicted, replaced or abandoned later, each reported). */
    QUEUED,
    /** Queued, after evicting the oldest queued task ({@link OverflowPolicy#DROP_OLDEST}), which was reported. */
    EVICTED_OLDEST,
    /** It replaced the queued task with the same key ({@link OverflowPolicy#COALESCE_BY_KEY}), which was reported. */
    COALESCED,
    /**
     * Not queued: the queue (or the submitter's lane) was full ({@link OverflowPolicy#REJECT_NEWEST}), or a timed
     * {@code send} ran out of time.
     */
    REJECTED_FULL,
    /** Not queued: the pool is shut down or closed. */
    CLOSED
}
