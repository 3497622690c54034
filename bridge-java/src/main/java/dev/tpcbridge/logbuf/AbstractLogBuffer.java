package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Checks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import static dev.tpcbridge.logbuf.LogBufferDescriptor.TYPE_DATA;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.TYPE_PADDING;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.TYPE_REVOKED;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.headerWord;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.isClaimed;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.length;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.recordLength;
import static dev.tpcbridge.logbuf.LogBufferDescriptor.type;

// Padding by inheritance (JCTools), as in the rings: the read-mostly fields, then 128 bytes, the producer-written
// fields, 128 bytes, the consumer-written fields, 128 bytes. LogBufferLayoutTest checks it with JOL.

/** Read-mostly fields, written once in the constructor, plus the rarely written close state. */
abstract class LogBufferFields implements LogBuffer {
    /** Producer-side close: no new claims. */
    static final int STATE_PRODUCER_CLOSED = 1;
    /** Consumer-side close: nothing more is read; producers get CLOSED. */
    static final int STATE_CONSUMER_CLOSED = 2;

    final LogMemory memory;
    final int base;
    final int capacity;
    final long mask;
    final int maxPayloadLength;
    final int maxRecordLength;
    final java.util.function.LongSupplier nanoClock;
    final long stallTimeoutNanos;
    /** The view a batch read hands to its handler; consumer-only. */
    final ReadClaim batchView = new ReadClaim(true);
    /** {@code 0} or a mix of {@code STATE_PRODUCER_CLOSED} and {@code STATE_CONSUMER_CLOSED}; bits only added. */
    volatile int state;

    LogBufferFields(Builder builder) {
        this.capacity = builder.capacity;
        this.mask = capacity - 1L;
        this.memory = builder.memoryFactory != null ? builder.memoryFactory.apply(capacity)
            : builder.direct ? LogMemory.direct(capacity) : LogMemory.heap(capacity);
        this.base = memory.base;
        this.maxPayloadLength = LogBufferDescriptor.maxPayloadLength(capacity);
        this.maxRecordLength = LogBufferDescriptor.maxRecordLength(capacity);
        this.nanoClock = builder.nanoClock;
        this.stallTimeoutNanos = builder.stallTimeoutNanos;
    }
}

abstract class LogBufferPad1 extends LogBufferFields {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    LogBufferPad1(Builder builder) {
        super(builder);
    }
}

/** Written by the producers only. */
abstract class LogBufferProducerFields extends LogBufferPad1 {
    /**
     * The position after the last claimed record; released by each claim. On an MPSC buffer it is CASed, and its sign
     * bit ({@code AbstractLogBuffer.TAIL_CLOSED}) is the producer-side close, so that a claim and a close cannot cross.
     */
    long tail;
    /** A copy of the consumer's head, refreshed only when the cached one shows too little room. */
    long headCache;

    LogBufferProducerFields(Builder builder) {
        super(builder);
    }
}

abstract class LogBufferPad2 extends LogBufferProducerFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    LogBufferPad2(Builder builder) {
        super(builder);
    }
}

/** Written by the consumer only. */
abstract class LogBufferConsumerFields extends LogBufferPad2 {
    /** The position of the next record to read; released after the consumed space is zeroed. */
    long head;
    /** Consumer-local: {@code READING} while a batch runs its handler, {@code CLAIM_OUT} while a read claim is held. */
    long consumerFlags;
    /** Consumer-local: the position of the uncommitted MPSC claim the consumer waits behind, or -1. */
    long stallPosition = -1;
    /** Consumer-local: when the consumer first found that claim (nano clock). */
    long stallSince;
    /** Claims revoked after the stall timeout; written by the consumer (release), read by any thread. */
    long stalledClaims;

    LogBufferConsumerFields(Builder builder) {
        super(builder);
    }
}

abstract class LogBufferPad3 extends LogBufferConsumerFields {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    LogBufferPad3(Builder builder) {
        super(builder);
    }
}

/**
 * The consumer side, shared by both topologies (the consumer of an SPSC buffer simply never meets a claimed,
 * uncommitted header), and the producer side's skeleton; {@link SpscLogBuffer} and {@link MpscLogBuffer} claim and
 * commit. See {@link LogBuffer} for the contract and {@code package-info} for the ordering legend.
 */
abstract class AbstractLogBuffer extends LogBufferPad3 implements ClaimOwner {
    /** The sign bit of an MPSC tail: the producer side is closed. */
    static final long TAIL_CLOSED = Long.MIN_VALUE;
    /** {@code claimPosition} results: no room, or closed. */
    static final long CLAIM_FULL = -1;
    static final long CLAIM_CLOSED = -2;

    static final long READING = 1;
    static final long CLAIM_OUT = 2;

    static final VarHandle TAIL;
    static final VarHandle HEAD_CACHE;
    static final VarHandle HEAD;
    static final VarHandle STALLED;
    static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(LogBufferProducerFields.class, "tail", long.class);
            HEAD_CACHE = lookup.findVarHandle(LogBufferProducerFields.class, "headCache", long.class);
            HEAD = lookup.findVarHandle(LogBufferConsumerFields.class, "head", long.class);
            STALLED = lookup.findVarHandle(LogBufferConsumerFields.class, "stalledClaims", long.class);
            STATE = lookup.findVarHandle(LogBufferFields.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    AbstractLogBuffer(Builder builder) {
        super(builder);
    }

    // ---------------------------------------------------------------- producer side, per topology

    /**
     * Claims {@code recordLength} bytes (writing a padding record first if they would cross the end of the region)
     * and, on MPSC, the claimed header word.
     *
     * @return the record's position, or {@code CLAIM_FULL} or {@code CLAIM_CLOSED}
     */
    abstract long claimPosition(int length, int recordLength);

    /**
     * Publishes the committed header word; on MPSC by CAS from {@code claimedWord} (the word the claim wrote), and
     * throws if the consumer revoked the claim. SPSC ignores {@code claimedWord}.
     */
    abstract void commitAt(int headerIndex, int length, long position, long claimedWord);

    /** Turns the claimed space into padding; on MPSC by CAS from {@code claimedWord}, throws if it was revoked. */
    abstract void abortAt(int headerIndex, int length, long position, long claimedWord);

    /** The claimed header word of an MPSC claim at {@code position} ({@link LogBufferDescriptor#claimedWord}). */
    final long claimedWord(int length, long position) {
        return LogBufferDescriptor.claimedWord(length, position, capacity);
    }

    /**
     * The word a {@link WriteClaim} checks before each put: the claimed word on MPSC (never 0), 0 on SPSC, which
     * writes no claimed word and never revokes, so its claims skip the check.
     */
    abstract long expectedClaimWord(int length, long position);

    /** The tail position without the closed bit, with an acquire load. */
    abstract long tailAcquire();

    @Override
    public final ClaimStatus tryClaim(int length, WriteClaim claim) {
        LogBufferDescriptor.checkLength(length);
        Checks.notNull("claim", claim);
        if (claim.owner != null) {
            throw new IllegalStateException("claim=" + claim + " is active: commit or abort it before reusing it");
        }
        if (length > maxPayloadLength) {
            return ClaimStatus.TOO_LARGE;
        }
        final long position = claimPosition(length, recordLength(length));
        if (position < 0) {
            return position == CLAIM_FULL ? ClaimStatus.FULL : ClaimStatus.CLOSED;
        }
        claim.activate(this, memory, base + (int) (position & mask), length, position,
            expectedClaimWord(length, position));
        claimGranted(claim);
        return ClaimStatus.OK;
    }

    /** Producer side: {@code claim} was granted. SPSC keeps it until it ends (see its closeProducer()). */
    void claimGranted(WriteClaim claim) {
    }

    /** Producer side: {@code claim} is about to be committed or aborted. */
    void claimEnding(WriteClaim claim) {
    }

    @Override
    public final ClaimStatus tryWrite(byte[] src, int offset, int length) {
        LogBufferDescriptor.checkLength(length);
        Checks.notNull("src", src);
        Objects.checkFromIndexSize(offset, length, src.length);
        if (length > maxPayloadLength) {
            return ClaimStatus.TOO_LARGE;
        }
        final long position = claimPosition(length, recordLength(length));
        if (position < 0) {
            return position == CLAIM_FULL ? ClaimStatus.FULL : ClaimStatus.CLOSED;
        }
        final int headerIndex = base + (int) (position & mask);
        memory.putBytes(headerIndex + LogBufferDescriptor.PAYLOAD_OFFSET, src, offset, length);
        commitAt(headerIndex, length, position, expectedClaimWord(length, position));
        return ClaimStatus.OK;
    }

    @Override
    public final void commit(WriteClaim claim) {
        claimEnding(claim);
        commitAt(claim.headerIndex, claim.length, claim.position, claim.claimedWord);
    }

    @Override
    public final void abort(WriteClaim claim) {
        claimEnding(claim);
        abortAt(claim.headerIndex, claim.length, claim.position, claim.claimedWord);
    }

    /** Commits by CAS from the claim's claimed word (MPSC, and SPSC claims open at the producer's close). */
    final void casCommitAt(int headerIndex, int length, long position, long claimedWord) {
        // CAS from exactly this claim's claimed word (lap-stamped): the payload before the header; pairs with the
        // consumer's acquire of the header. Fails only if the consumer revoked the claim (revokeIfStalled CASes from
        // the same word).
        if (!memory.casLong(headerIndex, claimedWord, headerWord(length, TYPE_DATA))) {
            throw revoked(position, length);
        }
    }

    /** Aborts by CAS from the claim's claimed word to padding; as {@link #casCommitAt}. */
    final void casAbortAt(int headerIndex, int length, long position, long claimedWord) {
        if (!memory.casLong(headerIndex, claimedWord, headerWord(length, TYPE_PADDING))) {
            throw revoked(position, length);
        }
    }

    /** Whether a record of aligned length {@code recordLength} would fit now; any producer; a snapshot. */
    final boolean hasRoomFor(int recordLength) {
        final long tail = tailAcquire();
        final int toEnd = capacity - (int) (tail & mask);
        final int required = recordLength <= toEnd ? recordLength : toEnd + recordLength;
        return tail + required - headAcquire() <= capacity;
    }

    @Override
    public final IllegalStateException revoked(long position, int length) {
        return new IllegalStateException("the claim at position=" + position + " (length=" + length + ") was revoked: "
            + "it stayed uncommitted for longer than stallTimeoutNanos=" + stallTimeoutNanos + "; the record is lost");
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public final ReadStatus tryRead(ReadClaim claim) {
        Checks.notNull("claim", claim);
        if (claim.owner != null) {
            throw new IllegalStateException("claim=" + claim + " is active: release it before reading again");
        }
        if (consumerFlags != 0) {
            throw misuse(consumerFlags);
        }
        // opaque: never hoisted out of the caller's loop, so a close is seen promptly; no ordering needed (it drops)
        if ((stateOpaque() & STATE_CONSUMER_CLOSED) != 0) {
            return ReadStatus.CLOSED;
        }
        final LogMemory memory = this.memory;
        long head = this.head;
        while (true) {
            final int index = base + (int) (head & mask);
            // acquire: the header word first; pairs with the release store (SPSC) or CAS (MPSC) of commitAt(), so
            // the payload written before the commit is visible to the reads that follow.
            final long word = memory.getLongAcquire(index);
            final int length = length(word);
            if (type(word) == TYPE_DATA && length > 0) {
                consumerFlags = CLAIM_OUT;
                claim.activate(this, memory, index, length, head);
                return ReadStatus.OK;
            }
            final int skip = skipLength(index, word, head);
            if (skip == 0) {
                return word == 0 ? emptyOrClosed(head) : ReadStatus.EMPTY;
            }
            memory.setZero(index, skip);
            head += skip;
            // release: the zeroed padding before the head; pairs with the producers' headAcquire()
            headRelease(head);
        }
    }

    @Override
    public final void releaseRead(ReadClaim claim) {
        final int recordLength = recordLength(claim.length);
        memory.setZero(claim.headerIndex, recordLength);
        // release: the zeroed record before the head; pairs with the producers' headAcquire(), after which they
        // write into the space and rely on it reading 0.
        headRelease(claim.position + recordLength);
        consumerFlags = 0;
    }

    @Override
    public final int read(RecordHandler handler, int limit) {
        Checks.notNull("handler", handler);
        Checks.positiveLimit(limit);
        if (consumerFlags != 0) {
            throw misuse(consumerFlags);
        }
        if ((stateOpaque() & STATE_CONSUMER_CLOSED) != 0) {
            return 0;
        }
        final LogMemory memory = this.memory;
        final ReadClaim view = this.batchView;
        final long start = this.head;
        // A batch zeroes what it consumed only at its end, so it stops one lap after its start: past that point it
        // would meet its own records again, not yet zeroed.
        final long end = start + capacity;
        long head = start;
        int taken = 0;
        consumerFlags = READING;
        try {
            while (taken < limit && head < end) {
                final int index = base + (int) (head & mask);
                // acquire: pairs with commitAt()'s release store or CAS, as in tryRead()
                final long word = memory.getLongAcquire(index);
                final int length = length(word);
                if (type(word) == TYPE_DATA && length > 0) {
                    view.activate(this, memory, index, length, head);
                    head += recordLength(length); // counted as consumed before the handler runs: a throw keeps it so
                    taken++;
                    handler.onRecord(view);
                } else {
                    final int skip = skipLength(index, word, head);
                    if (skip == 0) {
                        break;
                    }
                    head += skip;
                }
            }
        } finally {
            view.deactivate();
            consumerFlags = 0;
            if (head != start) {
                zero(start, head);
                // release, once per batch: the zeroed records before the head; pairs with the producers'
                // headAcquire().
                headRelease(head);
            }
        }
        return taken;
    }

    /**
     * How far to skip over a record that is not a committed data record: its aligned length for padding and revoked
     * records, and for an MPSC claim that the stall timeout lets the consumer revoke now; 0 to wait (a zero word, or
     * a claim still within its timeout).
     */
    private int skipLength(int index, long word, long position) {
        if (word == 0) {
            return 0;
        }
        final int type = type(word);
        final int length = length(word);
        if (type == TYPE_PADDING || type == TYPE_REVOKED) {
            return recordLength(length);
        }
        if (isClaimed(word)) {
            return revokeIfStalled(index, word, position) ? recordLength(-length) : 0;
        }
        throw new IllegalStateException("corrupt header word=0x" + Long.toHexString(word) + " at position=" + position);
    }

    /**
     * The consumer found an uncommitted MPSC claim at {@code position}: starts its stall clock, or revokes it once the
     * stall timeout has passed. Reads the clock only here, off the fast path.
     */
    private boolean revokeIfStalled(int index, long word, long position) {
        if (!stallTimedOut(position)) {
            return false;
        }
        // CAS from the claimed word read at the head (lap-stamped, so it is this claim's own word): exactly one of
        // this and the producer's commit/abort CAS from the same word wins; the loser sees it.
        if (!memory.casLong(index, word, headerWord(-length(word), TYPE_REVOKED))) {
            return false; // committed or aborted just now: the caller re-reads it next time
        }
        stallPosition = -1;
        stalledClaimsOpaque(stalledClaims + 1);
        return true;
    }

    /**
     * The consumer found an uncommitted MPSC claim at {@code position}, the head: starts its stall clock if it is
     * not running for that position, and says whether the stall timeout has passed (a read now revokes it). Revokes
     * nothing; reads the clock, so it is called off the fast path only.
     */
    private boolean stallTimedOut(long position) {
        final long now = nanoClock.getAsLong();
        if (stallPosition != position) {
            stallPosition = position;
            stallSince = now;
            return false;
        }
        return now - stallSince >= stallTimeoutNanos;
    }

    /**
     * When the uncommitted claim the consumer waits behind may be revoked (nano clock), or {@code Long.MAX_VALUE} if
     * it waits behind none. Consumer thread; for the channel, which must not sleep past it.
     */
    final long stallDeadline() {
        return stallPosition >= 0 && stallPosition == head ? stallSince + stallTimeoutNanos : Long.MAX_VALUE;
    }

    private ReadStatus emptyOrClosed(long head) {
        // acquire: pairs with the volatile bit-set of closeProducer(), which follows every claim that can still
        // commit, so the tail read next is final and head == tail means nothing claimed before the close is unread.
        if ((stateAcquire() & STATE_PRODUCER_CLOSED) != 0 && tailAcquire() == head) {
            return ReadStatus.CLOSED;
        }
        return ReadStatus.EMPTY;
    }

    /**
     * Consumer thread: whether tryRead would not return EMPTY now (a record or padding is there, or closed), or would
     * revoke an uncommitted MPSC claim at the head whose stall deadline has passed. Finding such a claim starts its
     * stall clock if no read started it yet, so a waiter that then bounds its sleep by {@link #stallDeadline()} wakes
     * in time to revoke it.
     */
    final boolean isReadable() {
        if ((stateAcquire() & STATE_CONSUMER_CLOSED) != 0) {
            return true;
        }
        final long head = this.head;
        // acquire: as in tryRead()
        final long word = memory.getLongAcquire(base + (int) (head & mask));
        if (word != 0) {
            return !isClaimed(word) || stallTimedOut(head);
        }
        return emptyOrClosed(head) == ReadStatus.CLOSED;
    }

    @Override
    public final boolean isClosedForRead() {
        if ((stateAcquire() & STATE_CONSUMER_CLOSED) != 0) {
            return true;
        }
        final long head = this.head;
        return memory.getLongAcquire(base + (int) (head & mask)) == 0 && emptyOrClosed(head) == ReadStatus.CLOSED;
    }

    @Override
    public final void closeConsumer() {
        STATE.getAndBitwiseOr(this, STATE_CONSUMER_CLOSED);
    }

    private IllegalStateException misuse(long flags) {
        return new IllegalStateException((flags & READING) != 0
            ? "a batch handler called tryRead() or read() on the buffer it is reading"
            : "a read claim is still held: release it before reading again");
    }

    private void zero(long from, long to) {
        final int n = (int) (to - from);
        final int index = (int) (from & mask);
        final int first = Math.min(n, capacity - index);
        memory.setZero(base + index, first);
        if (n > first) {
            memory.setZero(base, n - first);
        }
    }

    // ---------------------------------------------------------------- any thread

    @Override
    public final int used() {
        final long head = headAcquire();
        final long used = tailAcquire() - head;
        return (int) Math.max(0, Math.min(used, capacity));
    }

    /** The consumer's position; consumer thread (a waking buffer compares it around a read to see space freed). */
    final long head() {
        return head;
    }

    @Override
    public final boolean isClosedForWrite() {
        return state != 0;
    }

    @Override
    public final int capacity() {
        return capacity;
    }

    @Override
    public final int maxPayloadLength() {
        return maxPayloadLength;
    }

    @Override
    public final boolean isDirect() {
        return memory.isDirect();
    }

    @Override
    public final long stallTimeoutNanos() {
        return stallTimeoutNanos;
    }

    @Override
    public final long stalledClaims() {
        return (long) STALLED.getOpaque(this);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{capacity=" + capacity + ", used=" + used() + ", state=" + state
            + (isDirect() ? ", direct" : ", heap") + '}';
    }

    // ---------------------------------------------------------------- accessors named for their mode

    final int stateOpaque() {
        return (int) STATE.getOpaque(this);
    }

    final int stateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    final long headAcquire() {
        return (long) HEAD.getAcquire(this);
    }

    final void headRelease(long value) {
        HEAD.setRelease(this, value);
    }

    /**
     * Consumer thread: opaque, the counter's only writer, so a plain increment is exact; opaque keeps the store atomic
     * for {@link #stalledClaims()}'s opaque readers, who need a whole value, not an ordering (nothing is published
     * with it).
     */
    private void stalledClaimsOpaque(long value) {
        STALLED.setOpaque(this, value);
    }
}
