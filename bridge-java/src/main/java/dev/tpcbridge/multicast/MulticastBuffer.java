package dev.tpcbridge.multicast;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waiter;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A single-producer, multi-subscriber broadcast buffer: every subscriber sees every element the producer publishes
 * after it subscribed, in publication order ({@link SlowSubscriberPolicy#LOSSLESS}), or every element it was not
 * lapped past, with an exact count of those it was ({@link SlowSubscriberPolicy#LOSSY}).
 *
 * <p><b>Threads.</b> One producer thread at a time calls {@link #offer}, {@link #send}, {@link #fill},
 * {@link #close()} and arms {@link #writable()}. Any thread may {@link #subscribe()}; each {@link Subscriber} has
 * one owner thread at a time that consumes from it ({@code poll}, {@code drain}, {@code receive}, {@code readable()});
 * any thread may close a subscriber. Gauges ({@link #published()}, {@link Subscriber#lag()},
 * {@link Subscriber#lost()}, {@link #subscriberCount()}) are snapshots, any thread.
 *
 * <p><b>Visibility.</b> What the producer wrote before a publication happens-before what a subscriber does after it
 * takes the element.
 *
 * <p><b>Progress.</b> {@code offer}, {@code fill}, {@code poll} and {@code drain} never wait for room or elements.
 * They are wait-free, but for one case: a lossy subscriber that finds its slot being overwritten spins (then yields)
 * until that one publication ends, a few stores later on the producer thread, so that the loss it counts is one the
 * published count already shows. {@code send} and
 * {@code receive} wait through {@link Waiter}; they are woken on transitions only (an element published, the slowest
 * subscriber advancing, a close), never per element by a sleeper's absence. Each publication and each lossless
 * consumption batch pays one full fence for that wake protocol: batch with {@code fill} and {@code drain}, or build
 * the buffer {@link Builder#busySpin() busy-spin}.
 *
 * <p><b>Busy spin.</b> A buffer built with {@link Builder#busySpin()} has no sleeping waiters, so it has no wake
 * protocol and the producer pays no fence per publication: {@code send} and {@code receive} spin with
 * {@link Thread#onSpinWait()} for the wait policy's spins, then yield the thread on every further try, and never
 * park; {@link #writable()} and {@link Subscriber#readable()} refuse to arm ({@code IllegalStateException}), so the
 * suspending Kotlin adapters, which arm them, do not work on it. A subscriber still pays one fence per consumption
 * batch, for the release of passed slots (below). For threads that wait by spinning, as with the Disruptor's
 * busy-spin and yielding strategies ({@code benchmarks/results/multicast-2026-12-07}).
 *
 * <p><b>Normal outcomes.</b> {@link PublishStatus#FULL} (lossless: the slowest subscriber holds the slot) and
 * {@link PublishStatus#CLOSED} are values and leave the element with the caller; an empty poll returns {@code null};
 * a lapped lossy subscriber skips ahead and counts the loss. Exceptions are for contract violations: a null element,
 * use of a closed subscriber, a drain handler re-entering its subscriber.
 *
 * <p><b>Subscribing.</b> A new subscriber starts at the next element published after {@code subscribe()} returns
 * (an element whose publication races with the call may or may not be seen, never half). Until it has read its start
 * it holds a lossless buffer's floor where it saw it before registering, so a publication racing the subscribe can be
 * refused {@code FULL} for that instant (the element stays with the caller; a retry or {@code send} goes through),
 * and it waits out a clearing in progress (a few stores on another thread).
 * A closed subscriber no longer gates the producer, whatever its owner thread is doing (a subscriber whose thread
 * died must be closed by another thread to release the producer).
 *
 * <p><b>References.</b> Lossless: the last subscriber to pass a slot clears it before its consuming call returns
 * (a subscriber that closes while it is the last clears, in its {@code close()}, what the others have passed), so
 * the buffer keeps no element that a registered subscriber has no more use for. With no subscriber at all, the
 * producer clears each element right after its publication. A lossy buffer keeps the last {@code capacity}
 * elements, which a lapped subscriber may still read.
 *
 * <p><b>Closing.</b> {@link #close()} (producer side, idempotent): later publications return {@code CLOSED}; each
 * subscriber still takes what was published, then {@link Subscriber#isClosedForPoll()} is {@code true} and a
 * waiting {@code receive} returns {@code null}. A close wakes every waiter.
 *
 * <p><b>Algorithm.</b> Per-subscriber padded sequences and a gating minimum, as in the LMAX Disruptor, kept as a
 * floor: every slot below it is passed by all and cleared. The subscriber that held the floor moves it after its
 * advance, clearing the slots on the way (one clearer at a time, by a busy bit in the floor word); the producer
 * caches the floor and reads it again only when the cache says full (or once per quarter capacity, to move it itself
 * if no subscriber did), and moves it after each publication while no subscriber is registered. Lossless
 * publication: the element, then the cursor with a release. Lossy
 * publication: a per-slot sequence word marked "being written", the element, the word with a release, then the cursor
 * with a release; a subscriber acquires the cursor (as when lossless), then reads the word, the element and the word
 * again (a seqlock) and treats a word for a later index as a lap. See the package
 * documentation for the ordering pairs and the tests that guard them.
 *
 * @param <E> the element type
 */
public final class MulticastBuffer<E> extends MulticastPad3<E> implements AutoCloseable {
    /** The largest capacity accepted: 2^30 slots. */
    public static final int MAX_CAPACITY = 1 << 30;

    private static final VarHandle CURSOR;
    private static final VarHandle FLOOR;
    private static final VarHandle SUBSCRIBERS;
    private static final VarHandle CLOSED;
    private static final VarHandle NEXT_ID;
    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CURSOR = lookup.findVarHandle(MulticastBuffer.class, "cursor", long.class);
            FLOOR = lookup.findVarHandle(MulticastBuffer.class, "floor", long.class);
            SUBSCRIBERS = lookup.findVarHandle(MulticastColdFields.class, "subscribers", Subscriber[].class);
            CLOSED = lookup.findVarHandle(MulticastColdFields.class, "closed", int.class);
            NEXT_ID = lookup.findVarHandle(MulticastColdFields.class, "nextId", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Wakeable writable = new Writable();

    private MulticastBuffer(Builder<E> builder) {
        super(builder);
    }

    /**
     * A lossless buffer with the default wait policy and clock.
     *
     * @param capacity the number of slots, a power of two in {@code [1, MAX_CAPACITY]}
     * @param <E>      the element type
     * @return a new, open buffer with no subscriber
     * @throws IllegalArgumentException if {@code capacity} is not a power of two in range
     */
    public static <E> MulticastBuffer<E> lossless(int capacity) {
        return MulticastBuffer.<E>builder().capacity(capacity).build();
    }

    /**
     * A lossy buffer with the default wait policy and clock.
     *
     * @param capacity the number of slots, a power of two in {@code [1, MAX_CAPACITY]}
     * @param <E>      the element type
     * @return a new, open buffer with no subscriber
     * @throws IllegalArgumentException if {@code capacity} is not a power of two in range
     */
    public static <E> MulticastBuffer<E> lossy(int capacity) {
        return MulticastBuffer.<E>builder().capacity(capacity).policy(SlowSubscriberPolicy.LOSSY).build();
    }

    /**
     * A builder for every setting: capacity (required), policy, wait policy, clock.
     *
     * @param <E> the element type
     * @return a new builder
     */
    public static <E> Builder<E> builder() {
        return new Builder<>();
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Publishes {@code element} to every subscriber, without waiting (producer side).
     *
     * @param element the element, not null
     * @return {@link PublishStatus#OK}; {@code FULL} (lossless only) if the slowest subscriber still holds the slot;
     *         {@code CLOSED} if the producer side is closed (on {@code FULL} and {@code CLOSED} the caller keeps it)
     * @throws IllegalArgumentException if {@code element} is null
     */
    public PublishStatus offer(E element) {
        final PublishStatus status = publish(element);
        if (status == PublishStatus.OK && !busySpin) { // busy spin: no reader sleeps, nothing to wake
            // fence, then read: the publication before the read of the readers' list (StoreLoad); pairs with
            // WaiterList.add() followed by the re-check in Subscriber.Readable.arm().
            VarHandle.fullFence();
            readers.wakeAllIfArmedAfterFence();
        }
        return status;
    }

    /**
     * Publishes up to {@code limit} elements taken from {@code supplier}, as many as there is room for, with one wake
     * check for the batch (producer side). The supplier is asked only for elements that will be published.
     *
     * @param supplier gives the elements, never null ones
     * @param limit    the most elements to publish, at least 1
     * @return how many were published: 0 if full or closed
     * @throws IllegalArgumentException if {@code supplier} is null, {@code limit < 1}, or the supplier gives null
     *                                  (the elements it gave before stay published)
     */
    public int fill(Supplier<? extends E> supplier, int limit) {
        Checks.notNull("supplier", supplier);
        Checks.positiveLimit(limit);
        if (closedOpaque() != 0) {
            return 0;
        }
        final long cursor = this.cursor;
        int filled = 0;
        try {
            while (filled < limit) {
                final long index = cursor + filled;
                if (!lossy && index >= producerLimit && !refresh(index)) {
                    break;
                }
                final E element = supplier.get();
                if (element == null) {
                    throw new IllegalArgumentException("supplier gave element=null at batch index " + filled);
                }
                if (lossy) {
                    writeLossy(index, element);
                    cursorRelease(index + 1); // release per element: a lapped reader waits for it (see lapped())
                } else {
                    elements[offset(index)] = element; // plain: published by the cursor release below
                }
                filled++;
            }
        } finally {
            if (filled > 0) {
                // release, once per batch: the elements before the cursor; pairs with cursorAcquire() in the
                // subscribers' poll and drain.
                cursorRelease(cursor + filled);
                if (!busySpin) {
                    VarHandle.fullFence(); // StoreLoad, as in offer()
                    readers.wakeAllIfArmedAfterFence();
                }
                if (!lossy) {
                    releaseUnwatched();
                }
            }
        }
        return filled;
    }

    /**
     * Publishes {@code element}, waiting as long as it takes for the slowest subscriber to free its slot (producer
     * side). A lossy buffer never waits.
     *
     * @param element the element, not null
     * @return {@link PublishStatus#OK}, or {@code CLOSED} if the producer side closed first (the caller keeps it)
     * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the element)
     * @throws IllegalArgumentException if {@code element} is null
     */
    public PublishStatus send(E element) throws InterruptedException {
        return send(element, Waiter.NO_TIMEOUT);
    }

    /**
     * Publishes {@code element}, waiting up to {@code timeout} for the slowest subscriber to free its slot (producer
     * side).
     *
     * @param element the element, not null
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return {@link PublishStatus#OK}; {@code FULL} if the deadline passed first; {@code CLOSED} if the producer side
     *         closed (on {@code FULL} and {@code CLOSED} the caller keeps the element)
     * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the element)
     * @throws IllegalArgumentException if {@code element} or {@code unit} is null
     */
    public PublishStatus send(E element, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return send(element, unit.toNanos(timeout));
    }

    private PublishStatus send(E element, long timeoutNanos) throws InterruptedException {
        Checks.notNull("element", element);
        PublishStatus status;
        if (busySpin) {
            final long deadline = SpinWait.start(nanoClock, timeoutNanos);
            final int spins = waitPolicy.spins();
            int step = 0;
            while ((status = offer(element)) == PublishStatus.FULL
                && SpinWait.step(step++, spins, nanoClock, timeoutNanos, deadline)) {
                // spin, then yield, per try
            }
            return status;
        }
        final Waiter waiter = Waiter.start(waitPolicy, nanoClock, timeoutNanos);
        while ((status = offer(element)) == PublishStatus.FULL && waiter.await(writable)) {
            // one backoff step per try
        }
        return status;
    }

    /**
     * Closes the producer side (idempotent): later publications return {@code CLOSED}; subscribers take what was
     * published, then see the buffer closed for poll. Wakes every waiter. Called by the producer thread, or by any
     * thread once the producer has stopped publishing.
     */
    @Override
    public void close() {
        // volatile read-modify-write, after the producer's last cursor release: a subscriber that acquires the flag
        // then reads the final cursor (isClosedForPoll()).
        if ((int) CLOSED.getAndSet(this, 1) == 0) {
            VarHandle.fullFence(); // StoreLoad: the close before the reads of both lists; pairs with the arm re-checks
            readers.wakeAllIfArmedAfterFence();
            writers.wakeAllIfArmedAfterFence();
        }
    }

    /**
     * Whether the producer side is closed. Any thread.
     *
     * @return {@code true} once {@link #close()} ran
     */
    public boolean isClosed() {
        return (int) CLOSED.getAcquire(this) != 0;
    }

    /**
     * The producer's condition "an element can be published, or the producer side is closed": armed by the producer
     * thread only (arming re-reads the subscribers' sequences). Always holds on a lossy buffer. A busy-spin buffer's
     * refuses to arm: nothing would wake the waiter.
     *
     * @return the writable condition (the same object on every call)
     */
    public Wakeable writable() {
        return writable;
    }

    private PublishStatus publish(E element) {
        if (element == null) {
            throw new IllegalArgumentException("element=null is not allowed");
        }
        // opaque: never hoisted out of a retry loop, no ordering needed (the producer side closes itself)
        if (closedOpaque() != 0) {
            return PublishStatus.CLOSED;
        }
        final long cursor = this.cursor;
        if (lossy) {
            writeLossy(cursor, element);
        } else {
            if (cursor >= producerLimit && !refresh(cursor)) {
                return PublishStatus.FULL;
            }
            elements[offset(cursor)] = element; // plain: published by the release below
        }
        // release: the element (lossy: and its word) before the cursor; pairs with cursorAcquire() in poll/drain.
        cursorRelease(cursor + 1);
        if (!lossy) {
            releaseUnwatched();
        }
        return PublishStatus.OK;
    }

    /**
     * Lossless, producer side, after a publication: with no subscriber registered, nobody will read what was just
     * published (a subscriber starts after it), so it is cleared at once rather than at the next look at the floor.
     * A volatile read of the subscriber array per publication; a subscriber registering at the same moment is handled
     * by {@link #advanceFloor}'s claim, as for any clearer.
     */
    private void releaseUnwatched() {
        if (subscribersVolatile().length == 0) {
            advanceFloor();
        }
    }

    /** Lossy: the seqlock write of one slot. */
    private void writeLossy(long index, E element) {
        final int word = sequenceOffset(index);
        // opaque: the "being written" mark; ordered before the element by the fence below
        sequenceOpaque(word, index << 1 | 1);
        // StoreStore: the mark before the element; pairs with the acquireFence between a reader's element read and
        // its re-check of the word, so a reader that saw this element sees the mark (or later) and drops it.
        VarHandle.releaseFence();
        elements[offset(index)] = element;
        // release: the element before its word; pairs with sequenceAcquire() in Subscriber.readLossy().
        sequenceRelease(word, index << 1);
    }

    /**
     * Lossless, producer side: moves the floor up to the slowest subscriber if no subscriber did (a close, a buffer
     * with no subscriber, a subscriber that lost the race to clear), then sets the limit below which the producer
     * publishes without looking again: the floor plus the capacity, and at most a quarter capacity ahead, so that the
     * producer looks at least that often. Full while another thread is moving the floor, it waits for that thread's
     * new floor (a few stores: it spins, then yields) and looks again, so that a subscriber's close or advance is never
     * hidden by a clearing in progress.
     *
     * @return whether {@code index} may be published
     */
    private boolean refresh(long index) {
        long limit;
        int step = 0;
        while (true) {
            advanceFloor();
            // acquire (volatile read): pairs with the clearer's volatile write of the floor after its clears, so the
            // clears (and the subscribers' reads before them) come before the overwrites below the new limit.
            final long word = floor;
            limit = (word >>> 1) + capacity;
            if (index < limit || (word & 1) == 0) {
                break;
            }
            if (step++ < waitPolicy.spins()) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        producerLimit = Math.min(limit, index + refreshStep);
        return index < limit;
    }

    /**
     * Lossless, any thread: clears the slots every registered subscriber has passed and moves the floor above them,
     * while there are such slots. One thread clears at a time: it claims the floor by setting its busy bit (a CAS),
     * reads the subscribers' sequences again, nulls the slots from the floor up to their minimum, and publishes the new
     * floor (a volatile write), then looks again. A thread that finds the floor busy leaves: the clearer's next look
     * comes after its publication. A subscriber's advance is seen by that look, or the subscriber sees the new floor
     * itself and calls this (Dekker: the subscriber's release, a full fence, its read of the floor; the clearer's
     * volatile write, its reads of the sequences).
     *
     * <p>While the floor is busy, the producer cannot reuse the slots being cleared (they are above the published
     * floor), and a new subscriber waits before it picks its start (see {@link #subscribe()}). A clearer that moved
     * the floor wakes a producer waiting for room (the floor is what gates it).
     */
    void advanceFloor() {
        long word = floor; // volatile read
        boolean moved = false;
        while ((word & 1) == 0 && minimumSequence() > word >>> 1) {
            // volatile CAS: the claim. A subscriber registering at the same time either is in the array read below,
            // or reads the floor after this CAS (its registration CAS, a full fence, its read) and waits for it.
            if (!FLOOR.compareAndSet(this, word, word | 1)) {
                return; // another clearer claimed it: its next look comes after its publication
            }
            final long from = word >>> 1;
            final long to = Math.max(from, minimumSequence()); // a subscriber registered since may hold it at from
            final Object[] elements = this.elements;
            for (long i = from; i < to; i++) {
                elements[offset(i)] = null; // plain: published by the volatile write below
            }
            moved |= to > from;
            word = to << 1;
            // volatile write: the clears before the new floor (pairs with the producer's read in refresh()); and the
            // store before the next look's reads of the sequences (StoreLoad), for the Dekker with subscribers.
            floor = word;
        }
        if (moved && !busySpin) {
            // fence, then read: the new floor before the read of the producer's list; pairs with WaiterList.add()
            // and the re-check (a refresh) in Writable.arm(). Busy spin: the producer never sleeps.
            writers.wakeAllIfArmed();
        }
    }

    /** Lossless: the least sequence of the registered subscribers, or the cursor if there is none. */
    private long minimumSequence() {
        final Subscriber<?>[] subscribers = subscribersVolatile();
        long min = cursorAcquire(); // no subscriber: every published element is passed
        for (Subscriber<?> subscriber : subscribers) {
            // acquire: pairs with the owner's release of its sequence after its reads of the slots below it, so the
            // clears that follow come after those reads.
            min = Math.min(min, sequenceAcquire(subscriber));
        }
        return min;
    }

    // ---------------------------------------------------------------- subscribers

    /**
     * Registers a new subscriber, which starts at the next element published. Any thread; the returned handle belongs
     * to one owner thread at a time (hand it over with a happens-before edge). Subscribing to a closed buffer gives a
     * subscriber that is closed for poll at once.
     *
     * @return a new subscriber
     */
    public Subscriber<E> subscribe() {
        final Subscriber<E> subscriber = new Subscriber<>(this, (long) NEXT_ID.getAndAdd(this, 1L));
        // provisional, lossless: the floor, not ahead of where the subscriber will start (floors only rise), so a
        // clearer that sees it early clears nothing it will read. Lossy (no floor): the cursor, for lag().
        subscriber.sequence = lossy ? cursorAcquire() : floor >>> 1;
        Subscriber<?>[] current;
        Subscriber<?>[] next;
        do {
            current = subscribersVolatile();
            next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = subscriber;
        } while (!SUBSCRIBERS.compareAndSet(this, current, next)); // volatile: publishes the subscriber's fields
        // StoreLoad: the registration before the reads of the floor and the cursor; pairs with the claim CAS in
        // advanceFloor(): a clearer that did not see this registration claimed the floor before these reads.
        VarHandle.fullFence();
        long word;
        int step = 0;
        while (((word = floor) & 1) != 0) { // volatile read; busy: wait for that clearer's new floor (a few stores)
            if (step++ < waitPolicy.spins()) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        // never below the floor: a clearer that did not see this subscriber may have cleared up to it
        final long start = Math.max(cursorAcquire(), word >>> 1);
        subscriber.cachedCursor = start;
        // release: pairs with sequenceAcquire() in minimumSequence() and lag(); the owner reads it after the hand-over.
        Subscriber.SEQUENCE.setRelease(subscriber, start);
        // volatile: counted from here on, so that a thread that sees it counted and then publishes has it seen (the
        // registration above is visible earlier, with a start not fixed yet)
        subscriber.started = true;
        if (!lossy) {
            // its provisional sequence may have held the floor while a clearer looked: look again, as an advancing
            // subscriber does (StoreLoad: the start before the reads of the sequences, as in Subscriber.advanced()).
            VarHandle.fullFence();
            advanceFloor();
        }
        return subscriber;
    }

    void unsubscribe(Subscriber<?> subscriber) {
        Subscriber<?>[] current;
        Subscriber<?>[] next;
        do {
            current = subscribersVolatile();
            int at = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == subscriber) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                return;
            }
            next = current.length == 1 ? NO_SUBSCRIBERS : new Subscriber<?>[current.length - 1];
            System.arraycopy(current, 0, next, 0, at);
            System.arraycopy(current, at + 1, next, at, current.length - at - 1);
        } while (!SUBSCRIBERS.compareAndSet(this, current, next));
    }

    /**
     * How many subscribers are registered (not closed) and started: each one counted sees every element published
     * after the count was read (a subscriber whose {@link #subscribe} is still choosing its start is not counted yet).
     * Any thread; a snapshot.
     *
     * @return the subscriber count
     */
    public int subscriberCount() {
        int count = 0;
        for (Subscriber<?> subscriber : subscribersVolatile()) {
            if (subscriber.started) { // volatile: pairs with the write in subscribe(), after the start is set
                count++;
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- any thread

    /**
     * How many elements were published so far. Any thread; a snapshot.
     *
     * @return the published count
     */
    public long published() {
        return cursorAcquire();
    }

    /**
     * The number of slots.
     *
     * @return the capacity, a power of two
     */
    public int capacity() {
        return capacity;
    }

    /**
     * How {@code send} and {@code receive} back off before they park (suspending adapters spin as many times).
     *
     * @return the wait policy
     */
    public WaitPolicy waitPolicy() {
        return waitPolicy;
    }

    /**
     * Whether this buffer was built {@link Builder#busySpin() busy-spin}: its waiters never park.
     *
     * @return {@code true} for a busy-spin buffer
     */
    public boolean isBusySpin() {
        return busySpin;
    }

    /** Refuses an arm on a busy-spin buffer, naming the condition. */
    IllegalStateException noParking(String condition) {
        return new IllegalStateException(condition + " of a busy-spin buffer cannot be armed: none of its waiters "
            + "parks, so nothing would wake one; poll and spin instead (or build the buffer without busySpin())");
    }

    /**
     * The policy for slow subscribers this buffer was built with.
     *
     * @return {@code LOSSLESS} or {@code LOSSY}
     */
    public SlowSubscriberPolicy policy() {
        return lossy ? SlowSubscriberPolicy.LOSSY : SlowSubscriberPolicy.LOSSLESS;
    }

    @Override
    public String toString() {
        return "MulticastBuffer{" + policy() + ", capacity=" + capacity + ", published=" + published()
            + ", subscribers=" + subscriberCount() + ", closed=" + isClosed() + '}';
    }

    // ---------------------------------------------------------------- accessors named for their mode

    int offset(long index) {
        return (int) (index & mask) + SLACK;
    }

    int sequenceOffset(long index) {
        return (int) (index & mask) + SEQUENCE_SLACK;
    }

    long cursorAcquire() {
        return (long) CURSOR.getAcquire(this);
    }

    private void cursorRelease(long value) {
        CURSOR.setRelease(this, value);
    }

    int closedOpaque() {
        return (int) CLOSED.getOpaque(this);
    }

    private Subscriber<?>[] subscribersVolatile() {
        return (Subscriber<?>[]) SUBSCRIBERS.getVolatile(this);
    }

    long sequenceAcquire(int offset) {
        return (long) SEQUENCES.getAcquire(sequences, offset);
    }

    long sequenceOpaque(int offset) {
        return (long) SEQUENCES.getOpaque(sequences, offset);
    }

    private void sequenceOpaque(int offset, long value) {
        SEQUENCES.setOpaque(sequences, offset, value);
    }

    private void sequenceRelease(int offset, long value) {
        SEQUENCES.setRelease(sequences, offset, value);
    }

    private static long sequenceAcquire(Subscriber<?> subscriber) {
        return (long) Subscriber.SEQUENCE.getAcquire(subscriber);
    }

    /** Ready when an element can be published or the producer side is closed; armed by the producer only. */
    private final class Writable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            if (busySpin) {
                throw noParking("writable()");
            }
            writers.add(waker); // a CAS and a fence before the re-check; pairs with the subscribers' fences
            if (lossy || closedOpaque() != 0 || refresh(cursor)) {
                writers.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            writers.remove(waker);
        }
    }

    /**
     * Settings of a {@link MulticastBuffer}; one thread at a time.
     *
     * @param <E> the element type
     */
    public static final class Builder<E> {
        int capacity = -1;
        SlowSubscriberPolicy policy = SlowSubscriberPolicy.LOSSLESS;
        WaitPolicy waitPolicy = WaitPolicy.DEFAULT;
        LongSupplier nanoClock = System::nanoTime;
        boolean busySpin;

        private Builder() {
        }

        /**
         * The number of slots (required).
         *
         * @param capacity a power of two in {@code [1, MAX_CAPACITY]}
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity} is not a power of two or out of range
         */
        public Builder<E> capacity(int capacity) {
            if (capacity < 1 || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + MAX_CAPACITY + "]");
            }
            if (Integer.bitCount(capacity) != 1) {
                throw new IllegalArgumentException("capacity=" + capacity + " is not a power of two");
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * What to do about a subscriber a whole buffer behind; default {@link SlowSubscriberPolicy#LOSSLESS}.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is null
         */
        public Builder<E> policy(SlowSubscriberPolicy policy) {
            this.policy = Checks.notNull("policy", policy);
            return this;
        }

        /**
         * How {@code send} and {@code receive} back off before they park; default {@link WaitPolicy#DEFAULT}.
         *
         * @param waitPolicy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code waitPolicy} is null
         */
        public Builder<E> waitPolicy(WaitPolicy waitPolicy) {
            this.waitPolicy = Checks.notNull("waitPolicy", waitPolicy);
            return this;
        }

        /**
         * Makes the buffer busy-spin: its waiters never park, so there is no wake protocol and a publication pays no
         * fence for one (a consumption batch still pays one, to release the slots it passed). {@code send} and
         * {@code receive} spin for the wait policy's spins, then yield on every further try, as long as they wait;
         * {@code writable()} and {@code readable()} refuse to arm, so the suspending Kotlin adapters do not work on
         * it. For producers and subscribers that wait by spinning on threads of their own; a waiter that never parks
         * keeps its thread busy however long it waits.
         *
         * @return this builder
         */
        public Builder<E> busySpin() {
            this.busySpin = true;
            return this;
        }

        /**
         * The clock that deadlines read; default {@link System#nanoTime()}. Tests inject one.
         *
         * @param nanoClock a monotonic clock in nanoseconds
         * @return this builder
         * @throws IllegalArgumentException if {@code nanoClock} is null
         */
        public Builder<E> nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * Creates the buffer.
         *
         * @return a new, open buffer with no subscriber
         * @throws IllegalStateException if no capacity was set
         */
        public MulticastBuffer<E> build() {
            if (capacity < 0) {
                throw new IllegalStateException("capacity is not set: call capacity(int) before build()");
            }
            return new MulticastBuffer<>(this);
        }
    }
}
