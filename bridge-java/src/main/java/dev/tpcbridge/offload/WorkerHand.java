package dev.tpcbridge.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The tasks a worker has taken from the queue and not started yet: up to {@link #SIZE} - 1 of them, the rest of a
 * batch taken with one CAS of the queue's head ({@link MpmcQueue#pollBatch}) whose first task the worker runs at once
 * (a batch of one never touches the hand), so that a lone worker behind a busy queue moves the head's line between
 * the cores once per batch instead of once per task (an evicting submitter CASes the same head). They count in the
 * pool's depth, and a stop abandons them as it abandons the queue: a stopping thread takes them back.
 *
 * <p><b>Threads.</b> The owning worker fills the hand and takes from it; any stopping thread may take back what is
 * left. Each entry goes to exactly one of them: both take it with a getAndSet to null. A fill is announced by the
 * {@code filling} flag, set (an opaque store) before the CAS of the queue's head that takes a batch of two or more
 * and cleared (a release store) once the entries are in. A stopper writes the pool's state, drains the queue, then
 * waits while the flag is set before it takes the entries back. Its drain reads the head (volatile) of every lane,
 * so a CAS of a head that took a batch before that read happens-before what the stopper does next, and the flag's
 * store with it (a volatile write synchronizes-with every later volatile read of the same word): the stopper sees
 * the fill announced, or ended with its entries in. A batch taken after the stopper's drain was offered after the
 * stop began, and its submitter abandons it (it reads the state after its offer, as the pool's Dekker pair (1) has
 * it). An idle worker's spin finds nothing and writes nothing.
 */
final class WorkerHand {
    /** The most tasks a worker takes at once. */
    static final int SIZE = 16;

    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle FILLING;

    static {
        try {
            FILLING = MethodHandles.lookup().findVarHandle(WorkerHand.class, "filling", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Entries {@code [next, count)} are the worker's to take, unless a stopper took them back (then null). */
    private final Object[] entries = new Object[SIZE];
    /** 1 while the worker fills the hand. */
    private volatile int filling;
    /** The worker's: the next entry to take, and how many the last fill put in. */
    private int next;
    private int count;

    /**
     * The worker, before its CAS of the queue's head that would take a batch: announces the fill. An opaque store,
     * ordered before that CAS (a volatile read-modify-write), and through it before a stopper's later volatile read of
     * the head.
     */
    void beginFill() {
        FILLING.setOpaque(this, 1);
    }

    /** The worker, whose CAS after {@link #beginFill} lost: ends the announcement with the hand still empty. */
    void cancelFill() {
        FILLING.setRelease(this, 0);
    }

    /**
     * The worker, after the CAS that took its batch: moves {@code batch[from, to)} into the hand (clearing them there)
     * and ends the fill. The entries are plain stores, then a release store of the flag: pairs with the acquire in
     * {@link #awaitFill}.
     */
    void fill(Object[] batch, int from, int to) {
        for (int i = from; i < to; i++) {
            entries[i - from] = batch[i];
            batch[i] = null;
        }
        next = 0;
        count = to - from;
        FILLING.setRelease(this, 0);
    }

    /**
     * The worker: the next entry, or null if the hand is empty or a stopper is taking it back. A volatile getAndSet:
     * races a stopper's take-back, and one of them wins each entry. A stopper takes back from the first entry up, so
     * a null here means it has passed this one and takes the rest: the worker takes no more.
     */
    Object take() {
        if (next == count) {
            return null;
        }
        final Object entry = ENTRIES.getAndSet(entries, next++, null);
        if (entry == null) {
            next = count;
        }
        return entry;
    }

    /** A stopper, after its drain of the queue: waits out a fill in progress (a few instructions). */
    void awaitFill() {
        // acquire (volatile): pairs with the release in fill() and cancelFill(), so the entries filled are seen below
        while ((int) FILLING.getVolatile(this) != 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * A stopper (after {@link #awaitFill}) or the worker as it leaves: takes entry {@code i} back.
     *
     * @return the entry, or null if it was taken already (or never filled)
     */
    Object takeBack(int i) {
        return ENTRIES.getAndSet(entries, i, null);
    }

    /** Entries taken and not started: a snapshot, any thread. */
    int held() {
        int held = 0;
        for (int i = 0; i < SIZE; i++) {
            if (ENTRIES.getOpaque(entries, i) != null) { // opaque: a snapshot count, orders nothing
                held++;
            }
        }
        return held;
    }
}
