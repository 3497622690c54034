package dev.tpcbridge.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

// Padding by inheritance, as in the rings: 128 bytes between the tail (CASed by every submitter) and the head (CASed
// by every worker and by evicting submitters), and between both and the read-only fields.

/** Written once, in the constructor. */
abstract class MpmcQueueColdFields {
    /** Per slot, the sequence that says whose turn it is (see {@link MpmcQueue}). */
    final long[] sequences;
    /** Per slot, the element, or null. */
    final Object[] elements;
    final int capacity;
    final long mask;

    MpmcQueueColdFields(int capacity) {
        this.capacity = capacity;
        this.mask = capacity - 1L;
        this.sequences = new long[capacity];
        this.elements = new Object[capacity];
        for (int i = 0; i < capacity; i++) {
            sequences[i] = i; // slot i is free for the offer of position i; final-field freeze publishes it
        }
    }
}

abstract class MpmcQueuePad1 extends MpmcQueueColdFields {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    MpmcQueuePad1(int capacity) {
        super(capacity);
    }
}

/** CASed by every offer. */
abstract class MpmcQueueTailField extends MpmcQueuePad1 {
    /** The next position to offer at: also the number of elements ever offered. */
    volatile long tail;

    MpmcQueueTailField(int capacity) {
        super(capacity);
    }
}

abstract class MpmcQueuePad2 extends MpmcQueueTailField {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    MpmcQueuePad2(int capacity) {
        super(capacity);
    }
}

/** CASed by every poll. */
abstract class MpmcQueueHeadField extends MpmcQueuePad2 {
    /** The next position to poll at: also the number of elements ever polled. */
    volatile long head;

    MpmcQueueHeadField(int capacity) {
        super(capacity);
    }
}

abstract class MpmcQueuePad3 extends MpmcQueueHeadField {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    MpmcQueuePad3(int capacity) {
        super(capacity);
    }
}

/** Read by every take, written only when a take sees the queue deeper than ever: shared, read-mostly. */
abstract class MpmcQueueHighWaterField extends MpmcQueuePad3 {
    /** The deepest a take (or a refused offer) has seen the queue, in elements. */
    volatile int highWaterMark;

    MpmcQueueHighWaterField(int capacity) {
        super(capacity);
    }
}

abstract class MpmcQueuePad4 extends MpmcQueueHighWaterField {
    long p48, p49, p50, p51, p52, p53, p54, p55, p56, p57, p58, p59, p60, p61, p62, p63;

    MpmcQueuePad4(int capacity) {
        super(capacity);
    }
}

/**
 * A bounded multi-producer, multi-consumer array queue (Dmitry Vyukov's design): each slot has a sequence word that
 * says whose turn it is. Slot {@code p & mask} is free for the offer of position {@code p} when its sequence is
 * {@code p}; the offer that wins the CAS of the tail from {@code p} to {@code p + 1} writes the element and sets the
 * sequence to {@code p + 1}, which makes it pollable; the poll that wins the CAS of the head from {@code p} takes the
 * element and sets the sequence to {@code p + capacity}, which frees the slot for the offer one lap later. No element
 * is ever lost or taken twice; allocates nothing.
 *
 * <p><b>Threads.</b> Any thread offers, any thread polls. Not lock-free: a thread preempted between its CAS and its
 * sequence store (a window of a few instructions) holds up its one slot until it runs again, and an offer or a poll
 * that reaches that slot spins meanwhile, so that "full" and "empty" are only ever reported when true (the queue is
 * linearizable, as JCTools' {@code MpmcArrayQueue}). An evicting offer ({@link #offerEvictingOldest}) takes effect at
 * its claim of the oldest element, the CAS of the head; its store of the tail comes a few instructions later, so
 * {@link #offered} and {@link #size} may read one short meanwhile, and a poll that reaches its slot spins.
 *
 * <p><b>Ordering.</b> The element is a plain store before the sequence's release store, and a plain load after the
 * sequence's acquire load (the pair that publishes it, both ways: offer to poll, poll's clearing to the next offer).
 * The CASes of head and tail are volatile, so a volatile read after either is ordered after it (the pool's wake-up
 * protocol relies on that in place of a fence); so is the evicting offer's volatile store of the tail. Proved by
 * {@code OffloadLincheckTest}, {@code MpmcQueueTest}, jcstress {@code MpmcQueueStress} and {@code OffloadStress}.
 */
final class MpmcQueue extends MpmcQueuePad4 {
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle HIGH_WATER_MARK;
    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(MpmcQueueTailField.class, "tail", long.class);
            HEAD = lookup.findVarHandle(MpmcQueueHeadField.class, "head", long.class);
            HIGH_WATER_MARK = lookup.findVarHandle(MpmcQueueHighWaterField.class, "highWaterMark", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param capacity a power of two, at least 2: with one slot, "element p published" and "slot free for the offer
     *                 of p + 1" would be the same sequence value, and an offer could overwrite an unpolled element
     */
    MpmcQueue(int capacity) {
        super(checkCapacity(capacity));
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two, at least 2");
        }
        return capacity;
    }

    /**
     * Adds {@code element} at the tail if a slot is free.
     *
     * @param element not null
     * @return {@code false} if the queue was full
     */
    boolean offer(Object element) {
        long position = tail;
        while (true) {
            final int index = (int) (position & mask);
            // acquire: pairs with the release in poll(), so the previous lap's clearing of the slot comes first
            final long sequence = (long) SEQUENCES.getAcquire(sequences, index);
            final long turn = sequence - position;
            if (turn == 0) {
                if (TAIL.compareAndSet(this, position, position + 1)) {
                    elements[index] = element;
                    // release: the element before the sequence that makes it pollable; pairs with poll()'s acquire
                    SEQUENCES.setRelease(sequences, index, position + 1);
                    return true;
                }
                position = tail;
            } else if (turn < 0) {
                if (position - capacity >= head) {
                    raiseHighWaterMark(capacity);
                    return false; // full: the element of one lap ago is still queued
                }
                Thread.onSpinWait(); // a poll took that element and has not freed the slot yet: it is about to
                position = tail;
            } else {
                position = tail; // another offer took this position
            }
        }
    }

    /**
     * Adds {@code element} at the tail; if the queue is full, takes the oldest element out in the same step. A full
     * queue's tail is one lap ahead of its head, so the oldest element's slot is the very slot the new element goes
     * to: the offer that wins the oldest (the CAS of the head from {@code p - capacity}) swaps its element in without
     * freeing the slot in between. A full queue's submit then costs a CAS of the head, a volatile store of the tail
     * and a sequence store, where a failed offer, a poll and an offer cost a read of the head, two CASes and two
     * sequence stores.
     *
     * <p>Never fails: it retries, without waiting, when another thread moved the tail, won the oldest element first, or
     * is between its CAS and its sequence store at the slot (then it spins, as {@link #offer} does).
     *
     * @param element not null
     * @return null if there was room, else the element this offer took out (the oldest)
     */
    Object offerEvictingOldest(Object element) {
        long position = tail;
        while (true) {
            final int index = (int) (position & mask);
            // acquire: pairs with the release in poll() (the slot freed) and in the offers (the oldest published)
            final long sequence = (long) SEQUENCES.getAcquire(sequences, index);
            if (sequence == position) { // free: an offer as offer() makes it
                if (TAIL.compareAndSet(this, position, position + 1)) {
                    elements[index] = element;
                    SEQUENCES.setRelease(sequences, index, position + 1); // pairs with poll()'s acquire
                    return null;
                }
                position = tail;
            } else if (sequence == position - capacity + 1) {
                // full: the slot holds the element of position - capacity, published, not polled; it is the oldest
                final long oldest = position - capacity;
                if (HEAD.compareAndSet(this, oldest, oldest + 1)) {
                    // The slot is ours both ways. No poll takes it (the head has passed it), and no offer takes the
                    // position (an offer of position p waits for the sequence p, which this slot never shows); so the
                    // tail is still position, and only this thread may move it. The sequence stays "published for
                    // oldest" until the new element is in, then says "published for position".
                    final Object evicted = elements[index];
                    // volatile: a store no other thread races, and the volatile write after which the pool's volatile
                    // reads need no fence (as after offer()'s CAS; see OffloadEngine.afterOffer)
                    TAIL.setVolatile(this, position + 1);
                    elements[index] = element;
                    // release: the element before the sequence that makes it pollable; pairs with poll()'s acquire
                    SEQUENCES.setRelease(sequences, index, position + 1);
                    raiseHighWaterMark(capacity);
                    return evicted;
                }
                // a poll or another evicting offer took the oldest first, and is a few instructions from freeing or
                // refilling its slot: no CAS of the head again until it has
                Thread.onSpinWait();
                position = tail;
            } else if (sequence - position < 0) {
                // the offer of one lap ago has not published its element yet: it is a few instructions from done
                Thread.onSpinWait();
                position = tail;
            } else {
                position = tail; // another offer took this position
            }
        }
    }

    /**
     * Takes the element at the head, if any.
     *
     * @return the element, or null if the queue was empty
     */
    Object poll() {
        long position = head;
        while (true) {
            final int index = (int) (position & mask);
            // acquire: pairs with the release in offer(), so the element is visible
            final long sequence = (long) SEQUENCES.getAcquire(sequences, index);
            final long turn = sequence - (position + 1);
            if (turn == 0) {
                if (HEAD.compareAndSet(this, position, position + 1)) {
                    return take(position);
                }
                position = head;
            } else if (turn < 0) {
                if (sequence == position - capacity + 1) {
                    // The element of one lap ago was taken (the head is past it) and its slot is not free yet: a poll
                    // is about to free it, or an evicting offer that took it is about to put the element of this
                    // position in without having moved the tail yet (offerEvictingOldest). Either is a few
                    // instructions from done; "empty" would be false in the second case.
                    Thread.onSpinWait();
                } else if (position >= tail) {
                    return null; // empty
                } else {
                    Thread.onSpinWait(); // an offer took this position and has not published its element yet
                }
                position = head;
            } else {
                position = head;
            }
        }
    }

    /**
     * Takes the elements published one after another from the head, up to {@code max}, with one CAS of the head, into
     * {@code into[0, n)}. A lone worker behind a busy queue thus moves the head's line once per batch, not once per
     * element; with {@code max} 1 it is a single poll. It reads no tail while it looks (a worker's idle spin then
     * reads only the head's slot, not the tail that every offer CASes): 0 when nothing is published at the head, which
     * means empty, or an offer between its CAS and its publication there. A caller that acts on "empty" (to stop, say)
     * confirms it with {@link #poll}.
     *
     * <p>The run it takes is the oldest: an element published at position {@code p} and not taken can only be taken
     * by a CAS of the head from {@code p}, so the CAS from {@code head} to {@code head + n} fails if any of them was
     * taken (polled, or evicted by {@link #offerEvictingOldest}) since the look.
     *
     * @param into receives the elements, from index 0; at least {@code max} long
     * @param max  the most elements to take, at least 1
     * @return how many it took
     */
    int pollBatch(Object[] into, int max) {
        return pollBatch(into, max, null);
    }

    /**
     * {@link #pollBatch(Object[], int)} for a worker with a hand: announces the fill ({@link WorkerHand#beginFill})
     * before a CAS of the head that would take two elements or more (and cancels it if the CAS loses), so that a
     * stopper can find what the caller then moves into its hand ({@link WorkerHand#fill}). Writes nothing while it
     * finds nothing (an idle worker's spin), and nothing in the hand for a batch of one.
     */
    int pollBatch(Object[] into, int max, WorkerHand hand) {
        long position = head;
        while (true) {
            int n = 0;
            long sequence = 0;
            while (n < max) {
                // acquire: pairs with the release in the offers, so the element is visible after the CAS
                sequence = (long) SEQUENCES.getAcquire(sequences, (int) ((position + n) & mask));
                if (sequence != position + n + 1) {
                    break;
                }
                n++;
            }
            if (n > 0) {
                final boolean announced = hand != null && n > 1;
                if (announced) {
                    hand.beginFill(); // before the CAS that takes the batch out of the queue: see WorkerHand
                }
                if (HEAD.compareAndSet(this, position, position + n)) {
                    for (int i = 0; i < n; i++) {
                        into[i] = takeElement(position + i);
                    }
                    // the depth this batch found: what the tail says now, less what was taken before it; one read of
                    // the tail per batch
                    raiseHighWaterMark((int) Math.min(capacity, tail - position));
                    return n;
                }
                if (announced) {
                    hand.cancelFill();
                }
            } else if (sequence == position - capacity + 1) {
                // a poll or an evicting offer is finishing with the head's slot (see poll()): spin, as poll() does;
                // under a full queue's evictions this is frequent, and "nothing there" would send the caller to sleep
                Thread.onSpinWait();
            } else if (sequence - (position + 1) < 0) {
                return 0; // nothing published at the head: empty, or an offer about to publish
            }
            position = head; // another poll took the head, or the CAS lost: look again
        }
    }

    /** The element of {@code position}, whose CAS of the head this thread won; frees its slot for the next lap. */
    private Object take(long position) {
        final Object element = takeElement(position);
        // the depth this poll found: what the tail says now, less what was taken before this one
        raiseHighWaterMark((int) Math.min(capacity, tail - position));
        return element;
    }

    /** The element of {@code position}, taken by this thread's CAS of the head; frees its slot for the next lap. */
    private Object takeElement(long position) {
        final int index = (int) (position & mask);
        final Object element = elements[index];
        elements[index] = null; // no reference kept after the poll
        // release: the clearing and the read before the slot is offered again; pairs with the offers' acquire
        SEQUENCES.setRelease(sequences, index, position + capacity);
        return element;
    }

    /**
     * Elements offered so far (the tail): a volatile read. During an evicting offer's swap (between its claim of the
     * oldest and its store of the tail) it is one short.
     */
    long offered() {
        return tail;
    }

    /** Elements polled so far (the head): a volatile read. */
    long polled() {
        return head;
    }

    /** Raises the high-water mark to {@code depth}; a read unless deeper than ever (at most capacity times). */
    private void raiseHighWaterMark(int depth) {
        int mark;
        while (depth > (mark = highWaterMark) && !HIGH_WATER_MARK.compareAndSet(this, mark, depth)) {
            Thread.onSpinWait();
        }
    }

    /**
     * The deepest the queue has been seen: by each poll (the depth it found) and by each offer refused as full. A
     * burst offered and drained between two polls is seen by the later one. A volatile read.
     */
    int highWaterMark() {
        return highWaterMark;
    }

    /** Elements in the queue now, in {@code [0, capacity]}: a snapshot. */
    int size() {
        while (true) {
            final long before = head;
            final long size = tail - before;
            if (head == before) { // a consistent pair: the head did not move between the two reads
                return (int) Math.max(0, Math.min(size, capacity));
            }
        }
    }

    int capacity() {
        return capacity;
    }
}
