package dev.tpcbridge.logbuf;

import static dev.tpcbridge.logbuf.LogBufferDescriptor.HEADER_LENGTH;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.TYPE_PADDING;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.headerWord;

/**
 * The multi-producer buffer: producers claim by CAS on the tail (whose sign bit is the producer-side close, so that
 * a claim cannot slip in after a close), write the claimed header word (negative length) at once, and commit or
 * abort by CAS from that claimed state. The claimed word is stamped with the claim's lap
 * ({@link LogBufferDescriptor#claimedWord}), so a revoked claim's late commit cannot match a later claim of the same
 * length at the same index (ABA;
 * {@code LogChannelTest.aRevokedClaimsLateCommitCannotHitALaterClaimAtTheSameIndex}). The consumer revokes a claim
 * that stays uncommitted past the stall timeout with a CAS from the same state, so exactly one side wins and a late
 * commit fails loudly. Threads, as {@link LogBuffer} says: any producer threads, one consumer thread.
 */
final class MpscLogBuffer extends AbstractLogBuffer {
    MpscLogBuffer(LogBuffer.Builder builder) {
        super(builder);
    }

    @Override
    long claimPosition(int length, int recordLength) {
        // opaque: a consumer-side close is seen promptly (never hoisted); the tail's own bit decides the producer-side
        // close.
        if ((stateOpaque() & STATE_CONSUMER_CLOSED) != 0) {
            return CLAIM_CLOSED;
        }
        final int capacity = this.capacity;
        // acquire: pairs with the headCacheRelease() of the producer that refreshed it after its own headAcquire(),
        // so the consumer's zeroing of the space is visible to this producer too.
        long head = headCacheAcquire();
        long tail;
        int index;
        int toEnd;
        int required;
        do {
            tail = tailVolatile();
            if (tail < 0) {
                return CLAIM_CLOSED; // TAIL_CLOSED: the producer side closed
            }
            index = (int) (tail & mask);
            toEnd = capacity - index;
            required = recordLength <= toEnd ? recordLength : toEnd + recordLength;
            if (tail + required - head > capacity) {
                // acquire: pairs with the consumer's headRelease() after zeroing.
                head = headAcquire();
                if (tail + required - head > capacity) {
                    return CLAIM_FULL;
                }
                // benign race: producers may store older heads over newer ones; a stale cache only sends a producer
                // here again, it never grants room that is not free.
                headCacheRelease(head);
            }
            // CAS: the claim; fails if another producer claimed or the producer side closed meanwhile.
        } while (!casTail(tail, tail + required));
        long position = tail;
        if (required != recordLength) {
            // release: a padding record to the end of the region; pairs with the consumer's acquire of the header.
            memory.putLongRelease(base + index, headerWord(toEnd - HEADER_LENGTH, TYPE_PADDING));
            position += toEnd;
            index = 0;
        }
        // opaque: the claimed state (negative length, lap-stamped: LogBufferDescriptor.claimedWord), so that a
        // consumer that waits behind this claim knows how far to skip if it must revoke it; nothing is published by
        // it. Between the tail CAS above and this store the
        // consumer sees 0 and waits: two of our instructions, never user code.
        memory.putLongOpaque(base + index, claimedWord(length, position));
        return position;
    }

    @Override
    void commitAt(int headerIndex, int length, long position, long claimedWord) {
        casCommitAt(headerIndex, length, position, claimedWord); // lap-stamped: a later claim here cannot match
    }

    @Override
    void abortAt(int headerIndex, int length, long position, long claimedWord) {
        casAbortAt(headerIndex, length, position, claimedWord);
    }

    @Override
    long expectedClaimWord(int length, long position) {
        return claimedWord(length, position);
    }

    @Override
    public void closeProducer() {
        // volatile bit-set on the tail: no claim succeeds after it, so the tail value is final; then the state bit
        // (pairs with stateAcquire() in the consumer's close check, which then reads the final tail).
        TAIL.getAndBitwiseOr(this, TAIL_CLOSED);
        STATE.getAndBitwiseOr(this, STATE_PRODUCER_CLOSED);
    }

    @Override
    long tailAcquire() {
        return (long) TAIL.getAcquire(this) & ~TAIL_CLOSED;
    }

    @Override
    public boolean isMultiProducer() {
        return true;
    }

    private long tailVolatile() {
        return (long) TAIL.getVolatile(this);
    }

    private boolean casTail(long expected, long value) {
        return TAIL.compareAndSet(this, expected, value);
    }

    private long headCacheAcquire() {
        return (long) HEAD_CACHE.getAcquire(this);
    }

    private void headCacheRelease(long value) {
        HEAD_CACHE.setRelease(this, value);
    }
}
