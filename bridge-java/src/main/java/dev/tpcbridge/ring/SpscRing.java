package dev.tpcbridge.ring;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.Failures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

// Padding by inheritance (JCTools): fields of a superclass are laid out before those of a subclass, so each pad
// class puts 128 bytes (two cache lines, against adjacent-line prefetch) between the fields written by different
// threads. RingLayoutTest checks the distances with JOL.

/** Read-mostly fields, written once in the constructor, plus the rarely written close state. */
abstract class SpscRingColdFields<E> {
    /** Slack slots at each end of the array, so that no neighbour shares a cache line with a live slot. */
    static final int SLACK = 32;
    static final int OPEN = 0;
    static final int PRODUCER_CLOSED = 1;
    static final int CONSUMER_CLOSED = 2;
    /** Bits of the consumer-local {@code consumerState}. */
    static final long CONSUMER_STATE_CLOSED = 1L;
    static final long CONSUMER_STATE_DRAINING = 2L;

    final Object[] buffer;
    final long mask;
    final int capacity;
    final ElementHandler<? super E> onUndelivered;
    /** How far ahead the producer looks for an empty slot: capacity/4, at most 4096, 0 for capacities below 4. */
    final long lookAheadStep;
    /** {@code OPEN} or a mix of {@code PRODUCER_CLOSED} and {@code CONSUMER_CLOSED}; only bits are ever added. */
    volatile int state;
    /** Sweep requests not yet served (work-in-progress counter); see {@code SpscRing.reclaim()}. */
    volatile int reclaimRequests;

    SpscRingColdFields(int capacity, ElementHandler<? super E> onUndelivered) {
        this.capacity = capacity;
        this.mask = capacity - 1L;
        this.buffer = new Object[capacity + 2 * SLACK];
        this.onUndelivered = onUndelivered;
        this.lookAheadStep = Math.min(capacity / 4, 4096);
    }
}

abstract class SpscRingPad1<E> extends SpscRingColdFields<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    SpscRingPad1(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/** Written by the producer only. */
abstract class SpscRingProducerFields<E> extends SpscRingPad1<E> {
    /** The next index to publish; released after the element is stored. */
    long producerIndex;
    /**
     * Producer-local cache of the consumer's progress: every index below it has a free slot. Refreshed by looking
     * ahead at a slot, not at the consumer index, so that a producer that finds the ring full reads a slot line (the
     * consumer writes one per 16 elements) rather than the consumer index (written per poll).
     */
    long producerLimit;
    /** Producer-local: set once the producer has reclaimed after seeing a consumer-side close. */
    boolean producerReclaimed;

    SpscRingProducerFields(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

abstract class SpscRingPad2<E> extends SpscRingProducerFields<E> {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    SpscRingPad2(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/** Written by the consumer only (and, after a consumer-side close, by whoever holds the reclaim). */
abstract class SpscRingConsumerFields<E> extends SpscRingPad2<E> {
    /** The next index to take; released after the slot is cleared. */
    long consumerIndex;
    /**
     * Consumer-local: {@code CONSUMER_STATE_CLOSED} once closeConsumer() ran (poll and drain then take nothing) and
     * {@code CONSUMER_STATE_DRAINING} while a drain runs its handler (so that a handler calling back is caught). A
     * {@code long}, not a {@code boolean}: HotSpot (JDK 15+) may place a subclass's small field in a superclass's
     * alignment gap, which put a boolean here on the producer's cache line (RingLayoutTest caught it).
     */
    long consumerState;

    SpscRingConsumerFields(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

abstract class SpscRingPad3<E> extends SpscRingConsumerFields<E> {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    SpscRingPad3(int capacity, ElementHandler<? super E> onUndelivered) {
        super(capacity, onUndelivered);
    }
}

/**
 * A bounded ring of object references for <b>one producer thread and one consumer thread</b>; threads, visibility
 * and outcomes as {@link Ring} says (two threads on one side at once corrupt the ring: use {@link MpscRing} for many
 * producers). Offer, fill, poll and drain are wait-free; nothing blocks.
 *
 * <p><b>Closing.</b> See {@link Ring}. One detail is particular to this ring: an element offered at the very moment
 * of a consumer-side close can land after the consumer's own sweep. A ring with an undelivered-element handler
 * therefore checks the state again after each {@code offer}, and once per {@code fill}, behind a full fence (one per
 * call: batch with {@code fill}); if it finds the close, that call hands over what the sweep missed before it
 * returns. A ring without a handler skips the fence: such an element is dropped, as every buffered element is, but
 * its slot is cleared only by the producer's next call. The handler may thus run on the producer thread, and when
 * the producer's sweep is already running, {@code closeConsumer()} leaves the whole hand-over to it and returns
 * first; the handler is never called from two threads at once. An exception from the handler propagates from
 * whichever call ran the sweep ({@code closeConsumer}, or the producer's {@code offer}, {@code fill} or
 * {@code closeProducer}), after every element has been handed over.
 *
 * <p><b>Algorithm.</b> Free-running {@code long} indexes, padded by inheritance (JCTools). The slots carry the
 * protocol, as in FastFlow and JCTools' {@code SpscArrayQueue}: an element stored with a release is its own
 * "published" flag for the consumer, and a slot cleared with a release is the "free" flag for the producer, who
 * caches its progress in a limit found by looking a quarter of the ring ahead. Neither side reads the other's index
 * on its fast path, so the only line that moves between the cores is the slot line, once per 16 elements. Rigtorp's
 * cached-opposite-index design was measured against it and lost 2-4x on the 2-vCPU machines (the producer of a full
 * ring re-reads the consumer index, which moves per poll): see {@code benchmarks/results/}. The indexes are still
 * published (for {@code size}, {@code isClosedForPoll} and the close sweep), once per offer or poll, or per batch.
 * Guarded by {@code RingContractTest}, {@code RingLincheckTest} and jcstress {@code SpscRingStress}.
 *
 * @param <E> the element type
 */
public final class SpscRing<E> extends SpscRingPad3<E> implements Ring<E> {
    /** The largest capacity accepted: 2^30 slots. */
    public static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle STATE;
    private static final VarHandle RECLAIM;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(SpscRingProducerFields.class, "producerIndex", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(SpscRingConsumerFields.class, "consumerIndex", long.class);
            STATE = lookup.findVarHandle(SpscRingColdFields.class, "state", int.class);
            RECLAIM = lookup.findVarHandle(SpscRingColdFields.class, "reclaimRequests", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SpscRing(int capacity, ElementHandler<? super E> onUndelivered) {
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
    public static <E> SpscRing<E> create(int capacity) {
        return new SpscRing<>(Checks.powerOfTwoCapacity("capacity", capacity, MAX_CAPACITY), null);
    }

    /**
     * Creates a ring whose consumer-side close hands every buffered element to {@code onUndelivered}.
     *
     * @param capacity      the least number of slots, in {@code [1, MAX_CAPACITY]}; rounded up to a power of two
     * @param onUndelivered receives the elements that the consumer will never take (see the class comment for
     *                      the thread it is called on)
     * @param <E>           the element type
     * @return a new, open, empty ring
     * @throws IllegalArgumentException if {@code capacity} is out of range or {@code onUndelivered} is null
     */
    public static <E> SpscRing<E> create(int capacity, ElementHandler<? super E> onUndelivered) {
        Checks.notNull("onUndelivered", onUndelivered);
        return new SpscRing<>(Checks.powerOfTwoCapacity("capacity", capacity, MAX_CAPACITY), onUndelivered);
    }

    // ---------------------------------------------------------------- producer side

    @Override
    public OfferStatus offer(E element) {
        final OfferStatus status = publish(element);
        if (status == OfferStatus.OK && onUndelivered != null) {
            // StoreLoad: the publication before the read of the state; pairs with the read-modify-write that sets
            // CONSUMER_CLOSED before the consumer's sweep reads the producer index (Dekker). Either the sweep sees
            // this element or this check sees the close and hands the element over itself.
            VarHandle.fullFence();
            handOverIfConsumerClosed();
        }
        return status;
    }

    /** {@link #offer} without the close check that follows its publication: for a caller that fences anyway. */
    OfferStatus publish(E element) {
        if (element == null) {
            throw new IllegalArgumentException("element=null is not allowed");
        }
        // opaque: never hoisted out of a caller's retry loop, so a close is seen at once, but with no ordering
        // cost; the slow path re-reads the state with an acquire before acting on it.
        if (stateOpaque() != OPEN) {
            return offerClosedSlowPath();
        }
        final long producerIndex = this.producerIndex;
        if (producerIndex >= producerLimit && !offerSlowPath(producerIndex)) {
            return OfferStatus.FULL;
        }
        // release: what the caller wrote before the element; pairs with slotAcquire() in poll()/drain(). The
        // element is its own "published" flag, so the consumer never reads the producer index on its fast path.
        slotRelease(offset(producerIndex, mask), element);
        // release: pairs with producerIndexAcquire() in size(), isClosedForPoll() and the close sweep.
        producerIndexRelease(producerIndex + 1);
        return OfferStatus.OK;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        if (onUndelivered == null) {
            return publishBatch(supplier, limit);
        }
        int filled = 0;
        boolean thrown = true;
        try {
            filled = publishBatch(supplier, limit);
            thrown = false;
        } finally {
            if (filled > 0 || thrown) {
                // StoreLoad once per batch, even if the supplier threw after giving some: as in offer().
                VarHandle.fullFence();
                handOverIfConsumerClosed();
            }
        }
        return filled;
    }

    /** {@link #fill} without the close check that follows its publication: for a caller that fences anyway. */
    int publishBatch(Supplier<? extends E> supplier, int limit) {
        Checks.notNull("supplier", supplier);
        Checks.positiveLimit(limit);
        if (stateAcquire() != OPEN) {
            offerClosedSlowPath();
            return 0;
        }
        final Object[] buffer = this.buffer;
        final long mask = this.mask;
        final long producerIndex = this.producerIndex;
        final long room = producerLimit - producerIndex;
        final int batch = room >= limit ? limit : freeSlots(producerIndex, Math.min(limit, capacity));
        int filled = 0;
        try {
            while (filled < batch) {
                final E element = supplier.get();
                if (element == null) {
                    break;
                }
                // release: pairs with slotAcquire() in poll()/drain(); a plain store on x86 and ARMv8's stlr.
                slotRelease(offset(producerIndex + filled, mask), element);
                filled++;
            }
        } finally {
            if (filled > 0) {
                // release, once per batch: pairs with producerIndexAcquire() in size(), isClosedForPoll() and the
                // close sweep. Runs even if the supplier threw: nothing it gave is lost.
                producerIndexRelease(producerIndex + filled);
            }
        }
        return filled;
    }

    @Override
    public void closeProducer() {
        final int previous = (int) STATE.getAndBitwiseOr(this, PRODUCER_CLOSED);
        if ((previous & CONSUMER_CLOSED) != 0) {
            offerClosedSlowPath();
        }
    }

    /** The cached limit is used up: look ahead for an empty slot, else check the next slot itself. */
    private boolean offerSlowPath(long producerIndex) {
        final long lookAhead = producerIndex + lookAheadStep;
        // acquire: pairs with the consumer's slotRelease(null). An empty slot at lookAhead means its previous
        // occupant, element lookAhead - capacity, was taken, and so was every element before it: every slot in
        // [producerIndex, lookAhead] is free.
        if (slotAcquire(offset(lookAhead, mask)) == null) {
            producerLimit = lookAhead;
            return true;
        }
        return slotAcquire(offset(producerIndex, mask)) == null;
    }

    /** How many of the next {@code wanted} slots are free: all of them if the last is, else count from the first. */
    private int freeSlots(long producerIndex, int wanted) {
        final long last = producerIndex + wanted - 1;
        // acquire: pairs with the consumer's slotRelease(null); see offerSlowPath().
        if (slotAcquire(offset(last, mask)) == null) {
            producerLimit = last + 1;
            return wanted;
        }
        int free = 0;
        while (free < wanted && slotAcquire(offset(producerIndex + free, mask)) == null) {
            free++;
        }
        return free;
    }

    /**
     * Producer side, after a publication and a full fence: if the consumer side has closed meanwhile, its sweep may
     * have run before the publication, so this producer sweeps (once) what it left. Without this check such an
     * element would wait for the producer's next call, which may never come.
     */
    void handOverIfConsumerClosed() {
        // opaque: the caller's fence orders it after the publication; the slow path re-reads with an acquire.
        if ((stateOpaque() & CONSUMER_CLOSED) != 0) {
            offerClosedSlowPath();
        }
    }

    private OfferStatus offerClosedSlowPath() {
        if ((stateAcquire() & CONSUMER_CLOSED) != 0 && !producerReclaimed) {
            // This producer has now seen the consumer-side close, so it publishes nothing more: one sweep hands
            // over any element it published while the consumer was sweeping.
            producerReclaimed = true;
            reclaim();
        }
        return OfferStatus.CLOSED;
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public E poll() {
        if (consumerState != 0) {
            return pollSlowPath();
        }
        final long consumerIndex = this.consumerIndex;
        final int offset = offset(consumerIndex, mask);
        // acquire: pairs with slotRelease() in offer()/fill(); null means empty.
        @SuppressWarnings("unchecked") final E element = (E) slotAcquire(offset);
        if (element == null) {
            return null;
        }
        // release: our read of the element before the slot is seen empty; pairs with slotAcquire() in the
        // producer's look-ahead, after which it may overwrite the slot.
        slotRelease(offset, null);
        // release: pairs with consumerIndexAcquire() in size(); the index is not on the producer's fast path.
        consumerIndexRelease(consumerIndex + 1);
        return element;
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
        final long consumerIndex = this.consumerIndex;
        consumerState = CONSUMER_STATE_DRAINING;
        int taken = 0;
        try {
            while (taken < limit) {
                final int offset = offset(consumerIndex + taken, mask);
                // acquire: pairs with slotRelease() in offer()/fill().
                @SuppressWarnings("unchecked") final E element = (E) slotAcquire(offset);
                if (element == null) {
                    break;
                }
                // release: pairs with slotAcquire() in the producer's look-ahead, as in poll().
                slotRelease(offset, null);
                taken++;
                handler.onElement(element);
                if (consumerState != CONSUMER_STATE_DRAINING) {
                    break; // the handler closed the consumer side
                }
            }
        } finally {
            if (taken > 0) {
                // release, once per batch: pairs with consumerIndexAcquire() in size() and the close sweep. Runs
                // even if the handler threw: what it was given is consumed.
                consumerIndexRelease(consumerIndex + taken);
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
        reclaim();
    }

    @Override
    public boolean isClosedForPoll() {
        // acquire: pairs with the volatile bit-set in closeProducer(), which follows the producer's last publish,
        // so the producer index read next is final.
        final int state = stateAcquire();
        if ((state & CONSUMER_CLOSED) != 0) {
            return true;
        }
        return (state & PRODUCER_CLOSED) != 0 && consumerIndex == producerIndexAcquire();
    }

    /**
     * Hands every element between the consumer and producer indexes to the undelivered-element handler. Called
     * after a consumer-side close, by the consumer (from closeConsumer, or the drain it was called from) and by the
     * producer (once it has seen the close). A work-in-progress counter serialises the sweeps: a caller that finds
     * one running leaves its request in the counter and returns; the runner sweeps again until no request is left.
     * Each request is a volatile read-modify-write after the requester's last publish, and the runner reads it with
     * one, so the runner's next sweep sees that publish.
     */
    private void reclaim() {
        if ((int) RECLAIM.getAndAdd(this, 1) != 0) {
            return;
        }
        Throwable failure = null;
        int missed = 1;
        do {
            failure = sweep(failure);
            missed = (int) RECLAIM.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
        Failures.rethrowIfAny(failure);
    }

    private Throwable sweep(Throwable failure) {
        final Object[] buffer = this.buffer;
        final long mask = this.mask;
        final ElementHandler<? super E> onUndelivered = this.onUndelivered;
        // Plain read of consumerIndex: the reclaim counter's read-modify-writes order us after the previous
        // sweeper's writes, and the consumer's own writes precede its close.
        long index = consumerIndex;
        final long end = producerIndexAcquire();
        Throwable first = failure;
        while (index < end) {
            final int offset = offset(index, mask);
            @SuppressWarnings("unchecked") final E element = (E) buffer[offset];
            slotRelease(offset, null); // release: pairs with the producer's look-ahead, as in poll()
            index++;
            consumerIndexRelease(index);
            if (onUndelivered != null) {
                try {
                    onUndelivered.onElement(element);
                } catch (Throwable t) {
                    first = Failures.add(first, t);
                }
            }
        }
        return first;
    }

    // ---------------------------------------------------------------- any thread

    @Override
    public boolean isClosedForOffer() {
        return stateAcquire() != OPEN;
    }

    @Override
    public int size() {
        long after = consumerIndexAcquire();
        while (true) {
            final long before = after;
            final long producerIndex = producerIndexAcquire();
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
        return "SpscRing{capacity=" + capacity + ", size=" + size() + ", state=" + stateAcquire() + '}';
    }

    // ---------------------------------------------------------------- accessors named for their mode

    private static int offset(long index, long mask) {
        return (int) (index & mask) + SLACK;
    }

    // The slot accessors use a plain array access beside a fence rather than SLOT.getAcquire/setRelease: the same
    // ordering (a load followed by an acquire fence is a load-acquire; a release fence followed by a store is a
    // store-release), measured cheaper in RingOfferPollCostBenchmark on JDK 17.
    private Object slotAcquire(int offset) {
        final Object element = buffer[offset];
        VarHandle.acquireFence();
        return element;
    }

    private void slotRelease(int offset, Object element) {
        VarHandle.releaseFence();
        buffer[offset] = element;
    }

    private int stateOpaque() {
        return (int) STATE.getOpaque(this);
    }

    private int stateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    private long producerIndexAcquire() {
        return (long) PRODUCER_INDEX.getAcquire(this);
    }

    private void producerIndexRelease(long value) {
        PRODUCER_INDEX.setRelease(this, value);
    }

    private long consumerIndexAcquire() {
        return (long) CONSUMER_INDEX.getAcquire(this);
    }

    private void consumerIndexRelease(long value) {
        CONSUMER_INDEX.setRelease(this, value);
    }
}
