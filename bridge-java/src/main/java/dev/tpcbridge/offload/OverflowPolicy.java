package dev.tpcbridge.offload;

/**
 * What {@link OffloadPool#submit} does when the queue is full, chosen once per pool.
 */
public enum OverflowPolicy {
    /**
     * Evicts the oldest queued task (handed to the dropped-task handler as {@link DropReason#EVICTED}) and queues the
     * new one: under load the freshest work is worth the most (the seed's policy).
     */
    DROP_OLDEST,
    /** Refuses the new task ({@link SubmitStatus#REJECTED_FULL}); the queued ones keep their places. */
    REJECT_NEWEST,
    /**
     * A task whose key is already queued replaces the queued one in its place ({@link SubmitStatus#COALESCED}; the
     * replaced task is handed over as {@link DropReason#REPLACED}): the cache-promotion case, where only the newest
     * request for a key matters. A task with a new key finds room as {@link #DROP_OLDEST} does.
     */
    COALESCE_BY_KEY
}
