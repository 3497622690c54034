package dev.tpcbridge.logbuf;

/**
 * What a read attempt ({@link LogBuffer#tryRead}) found.
 *
 * <p>Immutable; any thread.
 */
public enum ReadStatus {
    /** A committed record is held by the read claim; release it to consume it. */
    OK,
    /** No committed record now. Normal: retry, back off or wait ({@link WakingLogBuffer#receive}). */
    EMPTY,
    /**
     * Closed and nothing left: the producer side closed and every record claimed before the close was read (or
     * skipped), or the consumer side closed. After a producer-side close alone, never reported while a committed
     * record is unread; after a consumer-side close ({@link LogBuffer#closeConsumer()}), reported at once, and the
     * records still buffered are dropped unread.
     */
    CLOSED
}
