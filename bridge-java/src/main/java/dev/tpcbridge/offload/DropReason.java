package dev.tpcbridge.offload;

/** Why a task handed to a {@link DroppedTaskHandler} will not run. Each task is reported at most once. */
public enum DropReason {
    /** Evicted from a full {@link OverflowPolicy#DROP_OLDEST} (or coalescing) queue by a newer task. */
    EVICTED,
    /** Replaced in the queue by a newer task with the same key ({@link OverflowPolicy#COALESCE_BY_KEY}). */
    REPLACED,
    /** Refused by {@link OffloadPool#submit}: the queue was full ({@link SubmitStatus#REJECTED_FULL}). */
    REJECTED,
    /** Refused by {@link OffloadPool#submit}: the pool was shut down or closed ({@link SubmitStatus#CLOSED}). */
    CLOSED,
    /** Still queued when the pool closed, or when a shutdown's deadline passed. */
    ABANDONED
}
