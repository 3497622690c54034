package dev.tpcbridge.multicast;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.wake.Waiter;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

// Padding by inheritance, as in MulticastBuffer: the owner's hot fields 128 bytes away from the read-mostly ones
// and from other objects. MulticastLayoutTest checks the distances with JOL.

/** The subscriber's read-mostly fields. */
abstract class SubscriberColdFields<E> {
    final MulticastBuffer<E> buffer;
    final long id;
    /** 0 while subscribed, 1 once closed (by any thread). */
    volatile int closed;
    /** Set once its start is fixed: {@code subscriberCount()} counts it from then on (MulticastBuffer.subscribe). */
    volatile boolean started;

    SubscriberColdFields(MulticastBuffer<E> buffer, long id) {
        this.buffer = buffer;
        this.id = id;
    }
}

abstract class SubscriberPad1<E> extends SubscriberColdFields<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    SubscriberPad1(MulticastBuffer<E> buffer, long id) {
        super(buffer, id);
    }
}

/** Written by the subscriber's owner thread only. */
abstract class SubscriberFields<E> extends SubscriberPad1<E> {
    /** The next index to read: everything below is consumed (or lost). Released per poll or per batch. */
    long sequence;
    /** Owner-local: the producer's cursor as last read; everything below it is published. */
    long cachedCursor;
    /** Lossy: how many elements this subscriber was lapped past; written by the owner, read by any thread. */
    long lost;
    /** Owner-local: non-zero while a drain runs its handler. A long, not a boolean: see SpscRing's consumerState. */
    long draining;
    /** Owner-local: the index readLossy() stopped at (its element's, or the next to try), for its caller. */
    long foundAt;

    SubscriberFields(MulticastBuffer<E> buffer, long id) {
        super(buffer, id);
    }
}

abstract class SubscriberPad2<E> extends SubscriberFields<E> {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    SubscriberPad2(MulticastBuffer<E> buffer, long id) {
        super(buffer, id);
    }
}

/**
 * One subscriber of a {@link MulticastBuffer}: its position in the stream, its lag and (lossy) its losses.
 *
 * <p><b>Threads.</b> One owner thread at a time calls {@code poll}, {@code drain}, {@code receive} and arms
 * {@link #readable()}; any thread may {@link #close()} it and read its gauges. A subscriber closed while its owner
 * is inside {@code poll} or {@code drain} delivers nothing read after the close was seen (the slot may already be
 * reused); a {@code receive} waiting when it is closed wakes and throws {@link IllegalStateException}.
 *
 * <p><b>Visibility and progress</b> as the buffer's. An empty poll returns {@code null}; closed for poll
 * (producer closed and everything taken) is {@link #isClosedForPoll()}; any consuming call on a closed subscriber
 * throws {@link IllegalStateException} naming it.
 *
 * @param <E> the element type
 */
public final class Subscriber<E> extends SubscriberPad2<E> implements AutoCloseable {
    static final VarHandle SEQUENCE;
    static final VarHandle LOST;
    static final VarHandle SUBSCRIBER_CLOSED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SEQUENCE = lookup.findVarHandle(SubscriberFields.class, "sequence", long.class);
            LOST = lookup.findVarHandle(SubscriberFields.class, "lost", long.class);
            SUBSCRIBER_CLOSED = lookup.findVarHandle(SubscriberColdFields.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Wakeable readable = new Readable();

    Subscriber(MulticastBuffer<E> buffer, long id) {
        super(buffer, id);
    }

    /**
     * Takes the next element without waiting (owner thread).
     *
     * @return the element, or {@code null} if none is published yet (or the buffer is closed for poll)
     * @throws IllegalStateException if this subscriber is closed, or called from a drain handler of its own
     */
    public E poll() {
        if (draining != 0) {
            throw reentered();
        }
        final MulticastBuffer<E> buffer = this.buffer;
        final long sequence = this.sequence;
        if (buffer.lossy) {
            return pollLossy(buffer, sequence);
        }
        if (sequence >= cachedCursor && sequence >= (cachedCursor = buffer.cursorAcquire())) {
            // acquire above: pairs with cursorRelease() in publish()/fill(); nothing published past us
            checkOpen();
            return null;
        }
        @SuppressWarnings("unchecked") final E element = (E) buffer.elements[buffer.offset(sequence)];
        // LoadLoad: the element before the close check; a close seen here may have let the producer reuse the slot
        // (pairs with the volatile write in close(), which precedes the unsubscribe the producer acquires).
        VarHandle.acquireFence();
        checkOpen();
        advanced(buffer, sequence, sequence + 1);
        return element;
    }

    /**
     * Lossless: publishes this subscriber's advance from {@code from} to {@code to}, wakes the producer if it waits,
     * and, if this subscriber was at the floor, clears what every subscriber has now passed.
     */
    private void advanced(MulticastBuffer<E> buffer, long from, long to) {
        // release: our reads of the slots before the producer may reuse or anyone clear them; pairs with
        // sequenceAcquire() in the buffer's minimumSequence().
        SEQUENCE.setRelease(this, to);
        // StoreLoad: the advance before the reads of the producer's list and of the floor; pairs with
        // Writable.arm()'s add and fence, and with the clearer's volatile write of the floor in advanceFloor().
        VarHandle.fullFence();
        if (!buffer.busySpin) { // busy spin: the producer never sleeps, nothing to wake
            buffer.writers.wakeAllIfArmedAfterFence();
        }
        if (buffer.floor == from << 1) { // volatile read: we held the floor (not busy): we may have been the last
            buffer.advanceFloor();
        }
    }

    private E pollLossy(MulticastBuffer<E> buffer, long sequence) {
        checkOpen();
        @SuppressWarnings("unchecked") final E element = (E) readLossy(buffer, sequence);
        final long at = foundAt;
        if (element != null) {
            SEQUENCE.setRelease(this, at + 1); // release: for lag(); nothing gates on a lossy one
        } else if (at != sequence) {
            SEQUENCE.setRelease(this, at);
        }
        return element;
    }

    /**
     * Lossy: finds the element at {@code sequence}, or, if this subscriber was lapped, at the oldest index still
     * available (counting the skipped ones in {@code lost}). Returns the element (null if the index is not
     * published yet) and leaves its index in {@code foundAt}.
     */
    private Object readLossy(MulticastBuffer<E> buffer, long sequence) {
        long index = sequence;
        while (true) {
            // acquire: pairs with cursorRelease() in publish()/fill(). A lossy publication takes effect at its
            // cursor release, as a lossless one does, so that what a subscriber takes agrees with the published
            // count that lag() reads (MulticastLincheckStressTest found a take ahead of the count).
            if (index >= cachedCursor && index >= (cachedCursor = buffer.cursorAcquire())) {
                foundAt = index;
                return null;
            }
            final int wordAt = buffer.sequenceOffset(index);
            // acquire: pairs with the release of the word in writeLossy(), after the element
            final long word = buffer.sequenceAcquire(wordAt);
            final long written = word >> 1;
            if (written < index || (written == index && (word & 1) != 0)) {
                // not after the cursor check above (the publication of index completed before its cursor
                // release); kept so that a slot is never read on a word that does not say it holds index
                foundAt = index;
                return null;
            }
            if (written == index) {
                final Object element = buffer.elements[buffer.offset(index)];
                // LoadLoad: the element before the re-check; pairs with the producer's releaseFence between the
                // "being written" mark and the element.
                VarHandle.acquireFence();
                final long again = buffer.sequenceOpaque(wordAt);
                if (again == word) {
                    foundAt = index;
                    return element;
                }
                index = lapped(buffer, index, again >> 1); // overwritten while read
            } else {
                index = lapped(buffer, index, written);
            }
        }
    }

    /**
     * Lossy: the producer has begun writing {@code overwriting} (at least {@code index + capacity}) into the slot
     * of {@code index}: every index up to {@code overwriting - capacity} is gone, and so is every index below the
     * cursor less the capacity. Counts the skipped ones and returns the oldest that may still be available.
     */
    private long lapped(MulticastBuffer<E> buffer, long index, long overwriting) {
        // The overwrite is the publication of `overwriting`, which takes effect at its cursor release: wait for
        // it (a few stores away, on the producer thread), so that the loss counted here and the lag read after
        // it agree with the published count (MulticastLincheckTest found a lag of 0 beside a counted loss).
        long cursor;
        for (int spins = 0; (cursor = buffer.cursorAcquire()) <= overwriting; spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the producer was descheduled mid-publication
            }
        }
        final long resume = Math.max(overwriting - buffer.capacity + 1, cursor - buffer.capacity);
        // release: a gauge for any thread; the owner is its only writer
        LOST.setRelease(this, lost + (resume - index));
        return resume;
    }

    /**
     * Takes up to {@code limit} elements without waiting, handing each to {@code handler}, and publishes this
     * subscriber's progress once for the batch (owner thread). The handler must not consume from this
     * subscriber; it may close it (the drain stops).
     *
     * @param handler receives the elements in order, on this thread
     * @param limit   the most elements to take, at least 1
     * @return how many were handed over
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     * @throws IllegalStateException    if this subscriber is closed, or called from a drain handler of its own
     */
    public int drain(ElementHandler<? super E> handler, int limit) {
        Checks.notNull("handler", handler);
        Checks.positiveLimit(limit);
        if (draining != 0) {
            throw reentered();
        }
        checkOpen();
        final MulticastBuffer<E> buffer = this.buffer;
        return buffer.lossy ? drainLossy(buffer, handler, limit) : drainLossless(buffer, handler, limit);
    }

    private int drainLossless(MulticastBuffer<E> buffer, ElementHandler<? super E> handler, int limit) {
        final long sequence = this.sequence;
        long available = cachedCursor;
        if (sequence >= available) {
            // acquire: pairs with cursorRelease() in publish()/fill()
            available = buffer.cursorAcquire();
            cachedCursor = available;
            if (sequence >= available) {
                return 0;
            }
        }
        final int batch = (int) Math.min(limit, available - sequence);
        final Object[] elements = buffer.elements;
        int taken = 0;
        draining = 1;
        try {
            while (taken < batch) {
                @SuppressWarnings("unchecked")
                final E element = (E) elements[buffer.offset(sequence + taken)];
                VarHandle.acquireFence(); // LoadLoad: the element before the close check, as in poll()
                if (closed != 0) {
                    break; // closed by the handler or another thread: the slot may be reused
                }
                taken++;
                handler.onElement(element);
            }
        } finally {
            draining = 0;
            if (taken > 0) {
                advanced(buffer, sequence, sequence + taken); // once per batch, even if the handler threw
            }
        }
        return taken;
    }

    private int drainLossy(MulticastBuffer<E> buffer, ElementHandler<? super E> handler, int limit) {
        final long start = this.sequence;
        long index = start;
        int taken = 0;
        draining = 1;
        try {
            while (taken < limit && closed == 0) {
                @SuppressWarnings("unchecked") final E element = (E) readLossy(buffer, index);
                index = foundAt;
                if (element == null) {
                    break;
                }
                index++;
                taken++;
                handler.onElement(element);
            }
        } finally {
            draining = 0;
            if (index != start) {
                SEQUENCE.setRelease(this, index); // release: for lag(), once per batch
            }
        }
        return taken;
    }

    /**
     * Takes the next element, waiting as long as it takes (owner thread).
     *
     * @return the element, or {@code null} once the buffer is closed for poll (producer closed, all taken)
     * @throws InterruptedException  if interrupted before or while waiting
     * @throws IllegalStateException if this subscriber is closed (before or while waiting)
     */
    public E receive() throws InterruptedException {
        return receive(Waiter.NO_TIMEOUT);
    }

    /**
     * Takes the next element, waiting up to {@code timeout} for one (owner thread).
     *
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return the element, or {@code null} if the deadline passed first or the buffer is closed for poll
     *         ({@link #isClosedForPoll()} tells which)
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code unit} is null
     * @throws IllegalStateException    if this subscriber is closed (before or while waiting)
     */
    public E receive(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return receive(unit.toNanos(timeout));
    }

    private E receive(long timeoutNanos) throws InterruptedException {
        checkOpen();
        final MulticastBuffer<E> buffer = this.buffer;
        E element;
        if (buffer.busySpin) {
            final long deadline = SpinWait.start(buffer.nanoClock, timeoutNanos);
            final int spins = buffer.waitPolicy.spins();
            int step = 0;
            while ((element = poll()) == null && !isClosedForPoll()
                && SpinWait.step(step++, spins, buffer.nanoClock, timeoutNanos, deadline)) {
                // spin, then yield, per try
            }
            return element;
        }
        final Waiter waiter = Waiter.start(buffer.waitPolicy, buffer.nanoClock, timeoutNanos);
        while ((element = poll()) == null && !isClosedForPoll() && waiter.await(readable)) {
            // one backoff step per try
        }
        return element;
    }

    /**
     * Unsubscribes (idempotent, any thread): this subscriber no longer gates the producer, its owner's next
     * consuming call throws, and every waiter is woken (a waiting {@code receive} throws, a waiting
     * {@code send} re-checks its room). If it was the last to pass some slots of a lossless buffer, the close clears
     * those the others have passed.
     */
    @Override
    public void close() {
        // volatile: before the unsubscribe; the owner checks it after each element read (see poll())
        if ((int) SUBSCRIBER_CLOSED.getAndSet(this, 1) != 0) {
            return;
        }
        buffer.unsubscribe(this);
        if (!buffer.lossy) {
            // it may have held the floor: clear what the others have passed. Its owner may still read a slot: it
            // checks the close flag after each read and drops what it read (see poll()).
            buffer.advanceFloor();
        }
        VarHandle.fullFence(); // StoreLoad: the close before the reads of both lists; pairs with the arm re-checks
        buffer.writers.wakeAllIfArmedAfterFence();
        buffer.readers.wakeAllIfArmedAfterFence();
    }

    /**
     * Whether this subscriber was closed. Any thread.
     *
     * @return {@code true} once {@link #close()} ran
     */
    public boolean isClosed() {
        return closed != 0;
    }

    /**
     * Whether nothing more will come: this subscriber is closed, or the producer side is closed and everything
     * published was taken (or lost). Any thread; exact on the owner thread.
     *
     * @return {@code true} if no element will ever be polled again
     */
    public boolean isClosedForPoll() {
        if (closed != 0) {
            return true;
        }
        // acquire: pairs with the close's read-modify-write after the last cursor release, so the cursor read
        // next is final.
        if (!buffer.isClosed()) {
            return false;
        }
        return (long) SEQUENCE.getAcquire(this) >= buffer.cursorAcquire();
    }

    /**
     * How many published elements this subscriber has not taken yet (lossy: may exceed the capacity, the excess
     * to be counted as lost). Any thread; a snapshot.
     *
     * @return the lag, at least 0
     */
    public long lag() {
        // sequence first: the cursor only grows, so the difference is never below the true lag at the read
        final long sequence = (long) SEQUENCE.getAcquire(this);
        return Math.max(0, buffer.cursorAcquire() - sequence);
    }

    /**
     * How many elements this subscriber was lapped past (lossy buffers; always 0 when lossless). Any thread; a
     * snapshot, exact on the owner thread: {@code taken + lost() == position()}.
     *
     * @return the loss count
     */
    public long lost() {
        return (long) LOST.getAcquire(this);
    }

    /**
     * The index of the next element this subscriber takes (elements are numbered from 0 by the producer). Any
     * thread; a snapshot.
     *
     * @return the position
     */
    public long position() {
        return (long) SEQUENCE.getAcquire(this);
    }

    /**
     * This subscriber's id, unique within its buffer (for logs and gauges).
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * The owner's condition "an element can be taken, or nothing more will come": armed by the owner thread. A
     * busy-spin buffer's subscribers refuse to arm it: nothing would wake the waiter.
     *
     * @return the readable condition (the same object on every call)
     */
    public Wakeable readable() {
        return readable;
    }

    @Override
    public String toString() {
        return "Subscriber{id=" + id + ", position=" + position() + ", lag=" + lag() + ", lost="
            + lost() + ", closed=" + isClosed() + '}';
    }

    private void checkOpen() {
        if (closed != 0) { // volatile read: pairs with the getAndSet in close()
            throw new IllegalStateException("subscriber id=" + id + " is closed");
        }
    }

    private IllegalStateException reentered() {
        return new IllegalStateException(
            "subscriber id=" + id + ": a drain handler called poll() or drain() on the subscriber it drains");
    }

    /** Ready when an element is published past this subscriber, or nothing more will come. */
    private final class Readable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            final MulticastBuffer<E> buffer = Subscriber.this.buffer;
            if (buffer.busySpin) {
                throw buffer.noParking("readable()");
            }
            buffer.readers.add(waker); // a CAS and a fence before the re-check; pairs with offer()'s fence
            if (sequence < buffer.cursorAcquire() || isClosedForPoll()) {
                buffer.readers.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            buffer.readers.remove(waker);
        }
    }
}
