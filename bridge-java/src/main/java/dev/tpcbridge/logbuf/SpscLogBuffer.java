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
    /** Producer-local: the claims granted and not yet ended, oldest first (see closeProducer()). */
    private WriteClaim[] openClaims = new WriteClaim[2];
    /** Producer-local: how many; a long, so that HotSpot cannot fit it into a gap of the fields both sides read. */
    private long openCount;

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
        if (claimedWord != 0) {
            casCommitAt(headerIndex, length, position, claimedWord); // open at the close: revocable, see below
            return;
        }
        // release: the payload [headerIndex + 8, headerIndex + 8 + length) before the header word, the commit marker;
        // pairs with the consumer's getLongAcquire() of the header in tryRead()/read().
        memory.putLongRelease(headerIndex, headerWord(length, TYPE_DATA));
    }

    @Override
    void abortAt(int headerIndex, int length, long position, long claimedWord) {
        if (claimedWord != 0) {
            casAbortAt(headerIndex, length, position, claimedWord);
            return;
        }
        // release: the space becomes padding the consumer skips; pairs with its acquire of the header.
        memory.putLongRelease(headerIndex, headerWord(length, TYPE_PADDING));
    }

    @Override
    long expectedClaimWord(int length, long position) {
        return 0; // no claimed word, no revocation while open: WriteClaim skips its check
    }

    @Override
    void claimGranted(WriteClaim claim) {
        final int n = (int) openCount;
        if (n == openClaims.length) {
            openClaims = Arrays.copyOf(openClaims, 2 * n); // more claims open at once than ever before
        }
        openClaims[n] = claim;
        openCount = n + 1;
    }

    @Override
    void claimEnding(WriteClaim claim) {
        final WriteClaim[] open = openClaims;
        final int n = (int) openCount;
        int i = n - 1; // the newest first: a claim is most often ended before the next is granted
        while (i >= 0 && open[i] != claim) {
            i--;
        }
        if (i < 0) {
            return; // open at the close, which forgot it
        }
        System.arraycopy(open, i + 1, open, i, n - 1 - i);
        open[n - 1] = null;
        openCount = n - 1;
    }

    /**
     * Claims still open may commit after the close, as on every buffer; but one that never will (abandoned) would
     * hold the consumer at {@code EMPTY} for ever, as an SPSC claim writes no header word. So the close gives each open
     * claim the MPSC claimed word: the consumer then waits behind it for the stall timeout at most and revokes it, and
     * its late commit or abort goes by CAS, as on an MPSC buffer. Producer thread (the class contract).
     */
    @Override
    public void closeProducer() {
        final WriteClaim[] open = openClaims;
        for (int i = 0, n = (int) openCount; i < n; i++) {
            final WriteClaim claim = open[i];
            final long claimedWord = claimedWord(claim.length, claim.position);
            claim.claimedWord = claimedWord; // its puts now check for revocation, its end goes by CAS
            // release: the claimed word, sized, before the close below; pairs with the consumer's acquire of the
            // header, which reads 0 (waits) or this word (starts the stall clock).
            memory.putLongRelease(claim.headerIndex, claimedWord);
            open[i] = null;
        }
        openCount = 0;
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
