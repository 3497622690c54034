package dev.tpcbridge.logbuf;

import java.util.Arrays;

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
    /**
     * Producer-local: the claims granted and not ended yet, oldest first, as positions and lengths (primitives: no GC
     * barrier on the claim path); see closeProducer().
     */
    private long[] openPositions = new long[4];
    private int[] openLengths = new int[4];
    /** Producer-local: how many; a long, so that HotSpot cannot fit it into a gap of the fields both sides read. */
    private long openCount;
    /** Producer-local: set by closeProducer(); a claim ended after it ends by CAS from its claimed word. */
    private boolean closedForClaims;

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
        if (closedForClaims) {
            // open at the close, which wrote its claimed word: the consumer may revoke it, so commit by CAS
            casCommitAt(headerIndex, length, position, claimedWord(length, position));
            return;
        }
        // release: the payload [headerIndex + 8, headerIndex + 8 + length) before the header word, the commit marker;
        // pairs with the consumer's getLongAcquire() of the header in tryRead()/read().
        memory.putLongRelease(headerIndex, headerWord(length, TYPE_DATA));
    }

    @Override
    void abortAt(int headerIndex, int length, long position, long claimedWord) {
        if (closedForClaims) {
            casAbortAt(headerIndex, length, position, claimedWord(length, position));
            return;
        }
        // release: the space becomes padding the consumer skips; pairs with its acquire of the header.
        memory.putLongRelease(headerIndex, headerWord(length, TYPE_PADDING));
    }

    @Override
    long expectedClaimWord(int length, long position) {
        return 0; // no claimed word while open: WriteClaim skips its revocation check
    }

    @Override
    void claimGranted(WriteClaim claim) {
        final int n = (int) openCount;
        if (n == openPositions.length) { // more claims open at once than ever before
            openPositions = Arrays.copyOf(openPositions, 2 * n);
            openLengths = Arrays.copyOf(openLengths, 2 * n);
        }
        openPositions[n] = claim.position;
        openLengths[n] = claim.length;
        openCount = n + 1;
    }

    @Override
    void claimEnding(WriteClaim claim) {
        final long position = claim.position;
        final long[] positions = openPositions;
        final int last = (int) openCount - 1;
        if (last >= 0 && positions[last] == position) { // the common case: ended before the next claim was granted
            openCount = last;
            return;
        }
        int i = last - 1;
        while (i >= 0 && positions[i] != position) {
            i--;
        }
        if (i < 0) {
            return; // open at the close, which forgot it
        }
        System.arraycopy(positions, i + 1, positions, i, last - i);
        System.arraycopy(openLengths, i + 1, openLengths, i, last - i);
        openCount = last;
    }

    /**
     * Claims still open may commit after the close, as on every buffer; but one that never will (abandoned) would
     * hold the consumer at {@code EMPTY} for ever, as an SPSC claim writes no header word. So the close gives each open
     * claim the MPSC claimed word: the consumer then waits behind it for the stall timeout at most and revokes it, and
     * its late commit or abort goes by CAS, as on an MPSC buffer (its puts are not checked for the revocation: after
     * the close no record can own the space they may land in). Producer thread (the class contract).
     */
    @Override
    public void closeProducer() {
        final long[] positions = openPositions;
        final int[] lengths = openLengths;
        for (int i = 0, n = (int) openCount; i < n; i++) {
            // release: the claimed word, sized, before the close below; pairs with the consumer's acquire of the
            // header, which reads 0 (waits) or this word (starts the stall clock).
            memory.putLongRelease(base + (int) (positions[i] & mask), claimedWord(lengths[i], positions[i]));
        }
        openCount = 0;
        closedForClaims = true;
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
