package dev.tpcbridge.logbuf;

/**
 * What a claim calls when it ends: the buffer that granted it, or the {@link WakingLogBuffer} around that buffer, which
 * wakes the other side after the buffer has done its part. Called on the claim's own thread.
 */
interface ClaimOwner {
    /** Publishes a write claim's record. */
    void commit(WriteClaim claim);

    /** Turns a write claim's space into padding. */
    void abort(WriteClaim claim);

    /** Consumes a read claim's record and frees its space. */
    void releaseRead(ReadClaim claim);

    /** The exception a revoked MPSC claim throws. */
    IllegalStateException revoked(long position, int length);
}
