package dev.tpcbridge.logbuf;

import static dev.tpcbridge.logbuf.LogBufferDescriptor.HEADER_LENGTH;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.TYPE_DATA;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.TYPE_PADDING;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.headerWord;

/**
 * The single-producer buffer: the producer owns the tail, so a claim is plain arithmetic plus one release store of
 * the tail (for {@code used()} and the consumer's close check), and a commit is one release store of the header word.
 * The header word stays 0 (zeroed by the consumer) until the commit, so no "claimed" state is written. Threads, as
 * {@link LogBuffer} says: one producer thread, one consumer thread.
 */
final class SpscLogBuffer extends AbstractLogBuffer {
    SpscLogBuffer(LogBuffer.Builder builder) {
        super(builder);
    }

    @Override
    long claimPosition(int length, int recordLength) {
        // opaque: never hoisted out of a caller's retry loop, so a close is seen promptly; claiming after a
        // consumer-side close would only waste space, so no ordering is needed.
        if (stateOpaque() != 0) {
            return CLAIM_CLOSED;
        }
        final int capacity = this.capacity;
        final long tail = this.tail;
        final int index = (int) (tail & mask);
        final int toEnd = capacity - index;
        final int required = recordLength <= toEnd ? recordLength : toEnd + recordLength;
        if (tail + required - headCache > capacity) {
            // acquire: pairs with the consumer's headRelease() after zeroing, so the space claimed reads 0.
            final long head = headAcquire();
            if (tail + required - head > capacity) {
                return CLAIM_FULL;
            }
            headCache = head;
        }
        long position = tail;
        if (required != recordLength) {
            // release: a padding record to the end of the region; pairs with the consumer's acquire of the header.
            memory.putLongRelease(base + index, headerWord(toEnd - HEADER_LENGTH, TYPE_PADDING));
            position += toEnd;
        }
        tailRelease(tail + required);
        return position;
    }

    @Override
    void commitAt(int headerIndex, int length, long position, long claimedWord) {
        // release: the payload [headerIndex + 8, headerIndex + 8 + length) before the header word, the commit marker;
        // pairs with the consumer's getLongAcquire() of the header in tryRead()/read().
        memory.putLongRelease(headerIndex, headerWord(length, TYPE_DATA));
    }

    @Override
    void abortAt(int headerIndex, int length, long position, long claimedWord) {
        // release: the space becomes padding the consumer skips; pairs with its acquire of the header.
        memory.putLongRelease(headerIndex, headerWord(length, TYPE_PADDING));
    }

    @Override
    long expectedClaimWord(int length, long position) {
        return 0; // no claimed word, no revocation: WriteClaim skips its check
    }

    @Override
    public void closeProducer() {
        // volatile bit-set after the last tail release: pairs with stateAcquire() in the consumer's close check.
        STATE.getAndBitwiseOr(this, STATE_PRODUCER_CLOSED);
    }

    @Override
    long tailAcquire() {
        return (long) TAIL.getAcquire(this);
    }

    /** Producer thread: release, pairs with tailAcquire() in used() and in the consumer's close check. */
    private void tailRelease(long value) {
        TAIL.setRelease(this, value);
    }

    @Override
    public boolean isMultiProducer() {
        return false;
    }
}
