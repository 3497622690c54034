package dev.tpcbridge.ring;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.Failures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

// Padding by inheritance, as in SpscRing: 128 bytes between the producer index (CASed by every producer), the
// producer limit (a cache shared by producers, written rarely) and the consumer index. RingLayoutTest checks it.

/** Read-mostly fields, written once in the constructor, plus the rarely written close state. */
abstract class MpscRingColdFields<E> {
    static final int SLACK = 32;
    static final int PRODUCER_CLOSED = 1;
    static final int CONSUMER_CLOSED = 2;
    /** Bit 0 of the raw producer index: set once either side closes; indexes advance in steps of 2. */
    static final long CLOSED_BIT = 1L;
    static final long INDEX_STEP = 2L;
    /** Fills a slot that a failed {@code fill} had claimed: the consumer frees it silently. */
    static final Object SKIP = new Object();
    /** Bits of the consumer-local {@code consumerState}. */
    static final long CONSUMER_STATE_CLOSED = 1L;
    static final long CONSUMER_STATE_DRAINING = 2L;

    final Object[] buffer;
    final long mask;
    final int capacity;
    final ElementHandler<? super E> onUndelivered;
    /** Which sides closed (informational; the authoritative flag is {@code CLOSED_BIT} in the producer index). */
    volatile int state;

    MpscRingColdFields(int capacity, ElementHandler<? super E> onUndelivered) {
        this.capacity = capacity;
        this.mask = capacity - 1L;
        this.buffer = new Object[capacity + 2 * SLACK];
        this.onUndelivered = onUndelivered;
    }
}

abstract class MpscRingPad1<E> extends MpscRingColdFields<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    MpscRingPad1(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/** CASed by every producer. */
abstract class MpscRingProducerIndexField<E> extends MpscRingPad1<E> {
    /** {@code index << 1 | closed}: the next index to claim, and the closed flag, in one word. */
    volatile long producerIndex;

    MpscRingProducerIndexField(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

abstract class MpscRingPad2<E> extends MpscRingProducerIndexField<E> {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    MpscRingPad2(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/** Read by every producer, written only when a producer finds its cached limit exhausted. */
abstract class MpscRingProducerLimitField<E> extends MpscRingPad2<E> {
    /** Every index below it has a free slot: some {@code consumerIndex + capacity} ever read. */
    volatile long producerLimit;

    MpscRingProducerLimitField(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
        this.producerLimit = capacity;
    }
}

abstract class MpscRingPad3<E> extends MpscRingProducerLimitField<E> {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    MpscRingPad3(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/** Written by the consumer only. */
abstract class MpscRingConsumerFields<E> extends MpscRingPad3<E> {
    /** The next index to take; released after the slot is cleared. */
    long consumerIndex;
    /**
     * Consumer-local: {@code CONSUMER_STATE_CLOSED} once closeConsumer() ran, {@code CONSUMER_STATE_DRAINING} while
     * a drain runs its handler. A {@code long} so that it cannot land in a superclass's alignment gap.
     */
    long consumerState;

    MpscRingConsumerFields(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

abstract class MpscRingPad4<E> extends MpscRingConsumerFields<E> {
    long p48, p49, p50, p51, p52, p53, p54, p55, p56, p57, p58, p59, p60, p61, p62, p63;

    MpscRingPad4(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/**
 * A bounded ring of object references for <b>any number of producer threads and one consumer thread</b>; threads,
 * visibility and outcomes as {@link Ring} says. Offer and fill are lock-free (a CAS on the producer index); poll and
 * drain wait (spin) only for a producer that has claimed the next slot and not yet stored into it, so that "nothing"
 * always means "empty"; past its first element a drain does not wait but stops there.
 *
 * <p><b>Closing</b> is exact: the closed flag is bit 0 of the producer index, so a close and a producer's claim are
 * ordered by the same CAS. Every offer that returned {@code OK} either reaches the consumer (after a producer-side
 * close) or the undelivered-element handler, on the consumer thread, during {@code closeConsumer()}.
 *
 * <p><b>Algorithm.</b> JCTools-style: producers CAS the producer index (claiming one slot, or a whole batch in
 * {@code fill}) against a shared cached limit, then store the element with a release; the element doubles as the
 * consumer's "published" flag, so a producer touches no per-slot sequence word (Vyukov's alternative costs a
 * second store per slot: see {@code benchmarks/results/}). Guarded by {@code RingContractTest},
 * {@code RingLincheckTest} and jcstress {@code MpscRingStress}.
 *
 * @param <E> the element type
 */
public final class MpscRing<E> extends MpscRingPad4<E> implements Ring<E> {
    /** The largest capacity accepted: 2^30 slots. */
    public static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle PRODUCER_LIMIT;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle STATE;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(MpscRingProducerIndexField.class, "producerIndex", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(MpscRingProducerLimitField.class, "producerLimit", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(MpscRingConsumerFields.class, "consumerIndex", long.class);
            STATE = lookup.findVarHandle(MpscRingColdFields.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MpscRing(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }

    /**
     * Creates a ring whose consumer-side close drops any buffered element.
     *
     * @param capacity the least number of slots, in {@code [1, MAX_CAPACITY]}; rounded up to a power of two
     * @param <E>      the element type
     * @return a new, open, empty ring
     * @throws IllegalArgumentException if {@code capacity} is out of range
     */
    public static <E> MpscRing<E> create(int capacity) {
        return new MpscRing<>(Checks.powerOfTwoCapacity("capacity", capacity, MAX_CAPACITY), null);
    }

    /**
     * Creates a ring whose consumer-side close hands every buffered element to {@code onUndelivered}, on the thread
     * that calls {@link #closeConsumer()}.
     *
     * @param capacity      the least number of slots, in {@code [1, MAX_CAPACITY]}; rounded up to a power of two
     * @param onUndelivered receives the elements that the consumer will never take
     * @param <E>           the element type
     * @return a new, open, empty ring
     * @throws IllegalArgumentException if {@code capacity} is out of range or {@code onUndelivered} is null
     */
    public static <E> MpscRing<E> create(int capacity, ElementHandler<? super E> onUndelivered) {
        Checks.notNull("onUndelivered", onUndelivered);
        return new MpscRing<>(Checks.powerOfTwoCapacity("capacity", capacity, MAX_CAPACITY), onUndelivered);
    }

    // ---------------------------------------------------------------- producer side

    @Override
    public OfferStatus offer(E element) {
        if (element == null) {
            throw new IllegalArgumentException("element=null is not allowed");
        }
        final long capacity = this.capacity;
        long limit = producerLimitAcquire();
        long raw;
        long index;
        do {
            raw = producerIndexAcquire();
            if ((raw & CLOSED_BIT) != 0) {
                return OfferStatus.CLOSED;
            }
            index = raw >>> 1;
            if (index >= limit) {
                // acquire: pairs with consumerIndexRelease(); the consumer cleared the slots before releasing them.
                limit = consumerIndexAcquire() + capacity;
                if (index >= limit) {
                    return OfferStatus.FULL;
                }
                // release: publishes a limit derived from the acquired consumer index to the other producers, who
                // acquire it. Benign race: a smaller limit may overwrite a larger one; the index only grows, so any
                // limit ever computed stays valid and a smaller one just costs a refresh.
                producerLimitRelease(limit);
            }
        } while (!casProducerIndex(raw, raw + INDEX_STEP));
        // release: everything the producer wrote before the element; pairs with slotAcquire() in the consumer.
        slotRelease(offset(index, mask), element);
        return OfferStatus.OK;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        Checks.notNull("supplier", supplier);
        Checks.positiveLimit(limit);
        final long capacity = this.capacity;
        long producerLimit = producerLimitAcquire();
        long raw;
        long index;
        int batch;
        do {
            raw = producerIndexAcquire();
            if ((raw & CLOSED_BIT) != 0) {
                return 0;
            }
            index = raw >>> 1;
            if (producerLimit - index < limit) {
                // acquire/release: as in offer().
                producerLimit = consumerIndexAcquire() + capacity;
                if (producerLimit <= index) {
                    return 0;
                }
                producerLimitRelease(producerLimit);
            }
            batch = (int) Math.min(producerLimit - index, limit);
        } while (!casProducerIndex(raw, raw + INDEX_STEP * batch));
        // The batch [index, index + batch) is ours: every slot must be stored, or the consumer would wait forever.
        int filled = 0;
        try {
            while (filled < batch) {
                final E element = supplier.get();
                if (element == null) {
                    break;
                }
                // release: pairs with slotAcquire() in the consumer.
                slotRelease(offset(index + filled, mask), element);
                filled++;
            }
        } finally {
            if (filled < batch) {
                returnUnfilledSlots(raw, index, filled, batch);
            }
        }
        return filled;
    }

    /**
     * The supplier stopped (or threw) before the claimed batch was full. If no other producer has claimed since, the
     * unfilled tail is handed back with one CAS; otherwise each unfilled slot gets {@code SKIP}, which the consumer
     * frees without showing it (until then those slots count in {@link #size()}).
     */
    private void returnUnfilledSlots(long raw, long index, int filled, int batch) {
        // volatile CAS: fails if another producer claimed after us or the ring was closed; then the slots are ours
        // to fill. A consumer waiting on the first unfilled slot re-reads the producer index (spinForSlot) and
        // sees the ring empty there.
        if (!casProducerIndex(raw + INDEX_STEP * batch, raw + INDEX_STEP * filled)) {
            for (int i = filled; i < batch; i++) {
                // release: pairs with slotAcquire() in the consumer.
                slotRelease(offset(index + i, mask), SKIP);
            }
        }
    }

    @Override
    public void closeProducer() {
        STATE.getAndBitwiseOr(this, PRODUCER_CLOSED);
        setClosedBit();
    }

    /** Sets the closed bit with a CAS, so that it is ordered with every claim; returns the final index. */
    private long setClosedBit() {
        long raw;
        do {
            raw = producerIndexAcquire();
            if ((raw & CLOSED_BIT) != 0) {
                return raw >>> 1;
            }
        } while (!casProducerIndex(raw, raw | CLOSED_BIT));
        return raw >>> 1;
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public E poll() {
        if (consumerState != 0) {
            return pollSlowPath();
        }
        final Object[] buffer = this.buffer;
        final long mask = this.mask;
        long consumerIndex = this.consumerIndex;
        for (;;) {
            final int offset = offset(consumerIndex, mask);
            // acquire: pairs with slotRelease() in the producer; the element's contents are visible.
            Object element = slotAcquire(offset);
            if (element == null && (element = spinForSlot(offset, consumerIndex)) == null) {
                return null;
            }
            buffer[offset] = null;
            consumerIndex++;
            // release: the slot cleared above before the index; pairs with consumerIndexAcquire() in producers.
            consumerIndexRelease(consumerIndex);
            if (element != SKIP) {
                @SuppressWarnings("unchecked") final E e = (E) element;
                return e;
            }
        }
    }

    /**
     * Takes the oldest element without waiting for a producer that has claimed its slot but not stored into it yet:
     * returns {@code null} then, even though the ring is not empty (consumer side).
     *
     * <p>Cheaper than {@link #poll()} for a consumer that polls an often empty ring in a loop: it never reads the
     * producer index, the line every producer CASes. Use it where a spurious {@code null} is harmless, such as a
     * duty-cycle loop that polls again, or one woken by the producer after its store; use {@code poll()} where
     * {@code null} must mean empty. Not linearizable (the Lincheck model covers {@code poll()}).
     *
     * @return the element, or {@code null} when the next slot holds none yet
     */
    public E relaxedPoll() {
        if (consumerState != 0) {
            return pollSlowPath();
        }
        final Object[] buffer = this.buffer;
        final long mask = this.mask;
        long consumerIndex = this.consumerIndex;
        for (;;) {
            final int offset = offset(consumerIndex, mask);
            // acquire: pairs with slotRelease() in the producer.
            final Object element = slotAcquire(offset);
            if (element == null) {
                return null;
            }
            buffer[offset] = null;
            consumerIndex++;
            // release: the slot cleared above before the index; pairs with consumerIndexAcquire() in producers.
            consumerIndexRelease(consumerIndex);
            if (element != SKIP) {
                @SuppressWarnings("unchecked") final E e = (E) element;
                return e;
            }
        }
    }

    @Override
    public int drain(ElementHandler<? super E> handler, int limit) {
        Checks.notNull("handler", handler);
        Checks.positiveLimit(limit);
        if (consumerState != 0) {
            pollSlowPath(); // closed: nothing to take; called from a drain handler: throws
            return 0;
        }
        final Object[] buffer = this.buffer;
        final long mask = this.mask;
        final long start = this.consumerIndex;
        long consumerIndex = start;
        int taken = 0;
        consumerState = CONSUMER_STATE_DRAINING;
        try {
            while (taken < limit) {
                final int offset = offset(consumerIndex, mask);
                // acquire: pairs with slotRelease() in the producer.
                Object element = slotAcquire(offset);
                if (element == null) {
                    // Wait, as poll() does, only until the first element, so that 0 always means "empty"; past it,
                    // stop at a slot still being stored and leave it to the next drain.
                    if (taken != 0 || (element = spinForSlot(offset, consumerIndex)) == null) {
                        break;
                    }
                }
                buffer[offset] = null;
                consumerIndex++;
                if (element != SKIP) {
                    taken++;
                    @SuppressWarnings("unchecked") final E e = (E) element;
                    handler.onElement(e);
                    if (consumerState != CONSUMER_STATE_DRAINING) {
                        break; // the handler closed the consumer side
                    }
                }
            }
        } finally {
            if (consumerIndex != start) {
                // release: the slots cleared above before the index, once per batch; pairs with
                // consumerIndexAcquire() in producers. Runs even if the handler threw.
                consumerIndexRelease(consumerIndex);
            }
            consumerState &= ~CONSUMER_STATE_DRAINING;
            if (consumerState == CONSUMER_STATE_CLOSED) {
                closeConsumerNow(); // the handler closed the consumer side: finish it now the index is published
            }
        }
        return taken;
    }

    /** poll() or drain() found the consumer side closed (nothing to take) or called from a drain handler. */
    private E pollSlowPath() {
        if ((consumerState & CONSUMER_STATE_DRAINING) != 0) {
            throw new IllegalStateException("a drain handler called poll() or drain() on the ring it is draining");
        }
        return null;
    }

    @Override
    public void closeConsumer() {
        final long consumerState = this.consumerState;
        if ((consumerState & CONSUMER_STATE_CLOSED) != 0) {
            return; // idempotent, also when called again from the undelivered handler during the sweep
        }
        this.consumerState = consumerState | CONSUMER_STATE_CLOSED;
        if ((consumerState & CONSUMER_STATE_DRAINING) == 0) {
            closeConsumerNow();
        } // else called from a drain handler: the drain finishes the close when the handler returns
    }

    private void closeConsumerNow() {
        STATE.getAndBitwiseOr(this, CONSUMER_CLOSED);
        final long end = setClosedBit();
        final Object[] buffer = this.buffer;
        final long mask = this.mask;
        final ElementHandler<? super E> onUndelivered = this.onUndelivered;
        Throwable failure = null;
        long index = consumerIndex;
        // Every index below `end` was claimed before the closed bit: its producer is storing it now, so wait.
        while (index < end) {
            final int offset = offset(index, mask);
            Object element = slotAcquire(offset);
            if (element == null && (element = spinForSlot(offset, index)) == null) {
                break; // unreachable: a batch can be handed back only before the closed bit is set
            }
            buffer[offset] = null;
            index++;
            consumerIndexRelease(index);
            if (element != SKIP && onUndelivered != null) {
                try {
                    @SuppressWarnings("unchecked") final E e = (E) element;
                    onUndelivered.onElement(e);
                } catch (Throwable t) {
                    failure = Failures.add(failure, t);
                }
            }
        }
        Failures.rethrowIfAny(failure);
    }

    @Override
    public boolean isClosedForPoll() {
        final long raw = producerIndexAcquire();
        return (raw & CLOSED_BIT) != 0 && consumerIndex == raw >>> 1;
    }

    /**
     * The slot of {@code index} is empty. Returns null if the ring is empty there; otherwise a producer claimed the
     * slot and has not stored into it yet (within a few instructions for an offer; after its supplier returns for a
     * fill, which is why suppliers must be quick), so wait for the element. The
     * producer index is re-read on each turn: a fill may hand back a claimed batch it could not fill.
     */
    private Object spinForSlot(int offset, long index) {
        Object element;
        int spins = 0;
        while ((element = slotAcquire(offset)) == null) {
            // acquire: pairs with the producers' CAS on the producer index.
            if (index >= producerIndexAcquire() >>> 1) {
                return null;
            }
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the producer was descheduled between its claim and its store
            }
        }
        return element;
    }

    // ---------------------------------------------------------------- any thread

    @Override
    public boolean isClosedForOffer() {
        return (producerIndexAcquire() & CLOSED_BIT) != 0;
    }

    @Override
    public int size() {
        long after = consumerIndexAcquire();
        while (true) {
            final long before = after;
            final long producerIndex = producerIndexAcquire() >>> 1;
            after = consumerIndexAcquire();
            if (before == after) {
                return (int) Math.max(0, Math.min(producerIndex - after, capacity));
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public double utilization() {
        return (double) size() / capacity;
    }

    @Override
    public String toString() {
        return "MpscRing{capacity=" + capacity + ", size=" + size() + ", state=" + state + '}';
    }

    // ---------------------------------------------------------------- accessors named for their mode

    private static int offset(long index, long mask) {
        return (int) (index & mask) + SLACK;
    }

    private long producerIndexAcquire() {
        return (long) PRODUCER_INDEX.getAcquire(this);
    }

    private boolean casProducerIndex(long expect, long update) {
        return PRODUCER_INDEX.compareAndSet(this, expect, update);
    }

    private long producerLimitAcquire() {
        return (long) PRODUCER_LIMIT.getAcquire(this);
    }

    private void producerLimitRelease(long value) {
        PRODUCER_LIMIT.setRelease(this, value);
    }

    private long consumerIndexAcquire() {
        return (long) CONSUMER_INDEX.getAcquire(this);
    }

    private void consumerIndexRelease(long value) {
        CONSUMER_INDEX.setRelease(this, value);
    }

    private Object slotAcquire(int offset) {
        return SLOT.getAcquire(buffer, offset);
    }

    private void slotRelease(int offset, Object value) {
        SLOT.setRelease(buffer, offset, value);
    }
}
