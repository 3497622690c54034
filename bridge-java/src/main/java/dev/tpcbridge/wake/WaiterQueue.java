package dev.tpcbridge.wake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import dev.tpcbridge.internal.Checks;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

// Padding by inheritance: the count is read by the notifier on every publication and written only when waiters arm,
// withdraw or are woken, so it gets two cache lines of its own on each side.

abstract class WaiterQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class WaiterQueueFields extends WaiterQueuePad0 {
    /** How many wakers are queued: the notifier's one read on its fast path; written under the lock. */
    volatile int armed;
    /** Non-zero when a notifier asked for a hand-out not done yet ({@code ALL}: a close); see {@code handOut()}. */
    volatile int pending;
    /** How many wakers were woken; written under the lock. */
    volatile long wakeups;
}

abstract class WaiterQueuePad1 extends WaiterQueueFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
}

/**
 * The armed wakers of a condition that many waiters share and that frees a counted number of units (the free slots of
 * a ring with many producers): they are woken in the order they armed, and only as many as can make progress, that
 * is, as many as there are free units beyond those already promised to waiters woken and not yet back. A
 * {@link WaiterList} wakes every waiter on each transition, which is right for one waiter and a herd for two thousand.
 *
 * <p><b>Threads.</b> Any thread, any method. Waiters {@link #add} and {@link #remove} their own waker, and
 * {@link #abandon} it when they give up; notifiers call {@link #wakeIfArmed()} and {@link #wakeAllIfArmed()}.
 *
 * <p><b>Protocol</b> (see the package documentation), as for {@link WaiterList}: {@code add} then a full fence, then
 * the caller's re-check; the notifier's publication, a full fence, then one read of the armed count. What changes is
 * what a wake promises: not "you" but "one free unit, for the oldest waiter". A woken waiter is counted as owing a try
 * until it {@code remove}s its waker; it must then try again (take the unit, or re-arm behind the others if someone
 * else took it), or, giving up, {@link #abandon} it, which passes the unit on to the next waiter; otherwise a waiter
 * behind it could sleep while the unit stays free.
 *
 * <p><b>Progress.</b> With nobody armed, a notifier pays one fence and one read, and allocates nothing. Arming and
 * withdrawing take a lock (a waiter is about to sleep: microseconds); they allocate nothing once the queue has held as
 * many waiters at a time as it will (nodes are reused, and wakers are kept in identity maps: told apart by identity,
 * not {@code equals}), so an idle worker that parks and is woken over and over allocates nothing. A notifier never
 * blocks: if
 * the lock is held, it leaves a request that the holder serves before it leaves. Wakers must be quick and never
 * block, as {@link Waker} says: they run after the unlock, on the thread that hands out (the notifier, or a waiter
 * that held the lock); one that throws is logged and the others are still woken.
 */
public final class WaiterQueue extends WaiterQueuePad1 {
    private static final System.Logger LOGGER = System.getLogger(WaiterQueue.class.getName());
    private static final VarHandle ARMED;
    private static final VarHandle PENDING;
    private static final VarHandle WAKEUPS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ARMED = lookup.findVarHandle(WaiterQueueFields.class, "armed", int.class);
            PENDING = lookup.findVarHandle(WaiterQueueFields.class, "pending", int.class);
            WAKEUPS = lookup.findVarHandle(WaiterQueueFields.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A waker in line, or a spare node (no waker); guarded by the lock. */
    private static final class Node {
        Waker waker;
        Node prev;
        Node next;
    }

    /** Spare nodes kept for reuse at most: more than this many waiters at once allocate past it. */
    private static final int MAX_SPARES = 64;

    /** {@code pending}: a close, which wakes everyone. */
    private static final int ALL = -1;

    private final IntSupplier available;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by the lock: every queued waker's node, for an O(1) withdrawal (open addressing: no entry objects). */
    private final IdentityHashMap<Waker, Node> nodes = new IdentityHashMap<>(4);
    /**
     * Guarded by the lock: the wakers woken that have not removed or abandoned themselves yet (owing a try). Small to
     * start with: a close's {@code clear()} walks the whole table.
     */
    private final Set<Waker> woken = Collections.newSetFromMap(new IdentityHashMap<>(4));
    /** Guarded by the lock: the oldest and the newest node. */
    private Node first;
    private Node last;
    /** Guarded by the lock: spare nodes, linked through {@code next}, and how many. */
    private Node spares;
    private int spareCount;

    /**
     * Creates an empty queue: nobody armed.
     *
     * @param available how many units are free now (a ring's free slots); read by whoever hands wakes out, only
     *                  while a waiter is armed; any thread
     * @throws IllegalArgumentException if {@code available} is null
     */
    public WaiterQueue(IntSupplier available) {
        this.available = Checks.notNull("available", available);
    }

    /**
     * Arms {@code waker} behind every waker armed before it, then a full fence, so that the caller's re-check cannot
     * move before the announcement (StoreLoad); pairs with the fence in {@link #wakeIfArmed()}.
     *
     * @param waker the waiter's waker, not null, not armed here already
     * @throws IllegalStateException if {@code waker} is armed here already
     */
    public void add(Waker waker) {
        lock.lock();
        try {
            if (nodes.containsKey(waker)) {
                throw new IllegalStateException("waker=" + waker + " is armed here already");
            }
            Node node = spares;
            if (node == null) {
                node = new Node();
            } else {
                spares = node.next;
                node.next = null;
                spareCount--;
            }
            node.waker = waker;
            nodes.put(waker, node);
            node.prev = last;
            if (last == null) {
                first = node;
            } else {
                last.next = node;
            }
            last = node;
            ARMED.setVolatile(this, nodes.size()); // the count mirrors the map, published for the notifiers
        } finally {
            lock.unlock();
        }
        VarHandle.fullFence(); // the volatile store already is one on x86; this keeps the protocol in the JMM's letter
        handOut(); // wakes a notifier left while this thread held the lock (possibly this waker's own)
    }

    /**
     * Withdraws {@code waker}, leaving the others in line and not woken.
     *
     * @param waker a waker passed to {@link #add}
     * @return {@code true} if it was still armed; {@code false} if a notifier had woken it already (or it was never
     *         armed): then the wake is this waiter's to use or to {@link #abandon}
     */
    public boolean remove(Waker waker) {
        final boolean withdrawn;
        lock.lock();
        try {
            final Node node = nodes.remove(waker);
            withdrawn = node != null;
            if (withdrawn) {
                unlink(node);
                recycle(node);
                ARMED.setVolatile(this, nodes.size());
            } else {
                woken.remove(waker); // back to try: no longer owes one
            }
        } finally {
            lock.unlock();
        }
        handOut();
        return withdrawn;
    }

    /**
     * Withdraws {@code waker} for good: the waiter gives up (timeout, interrupt, cancellation) and will not try again.
     * If a notifier had woken it already, the unit it was woken for goes to the next waiter in line.
     *
     * @param waker a waker passed to {@link #add}
     */
    public void abandon(Waker waker) {
        if (!remove(waker)) {
            request(1); // the unit it owed a try for is free for another
        }
    }

    /**
     * The notifier's half, after a publication that frees units: a full fence orders the publication before the read
     * of the armed count (StoreLoad; pairs with the fence of {@link #add}), then, if a waiter is armed, wakes the
     * oldest ones, as many as there are free units beyond the waiters already woken and not back yet.
     */
    public void wakeIfArmed() {
        VarHandle.fullFence();
        wakeIfArmedAfterFence();
    }

    /** {@link #wakeIfArmed()} without its fence, for a caller that has just issued one. */
    public void wakeIfArmedAfterFence() {
        // opaque: ordered by the caller's fence, never hoisted; the hand-out reads the queue under the lock
        if ((int) ARMED.getOpaque(this) != 0) {
            request(1);
        }
    }

    /**
     * {@link #wakeIfArmed()} for a caller whose publication was a volatile write or read-modify-write (a CAS of the
     * word the waiters' re-check reads): a volatile read of the armed count takes the fence's place, since the
     * synchronization order keeps it after that write (pairs with the volatile write of the count in {@link #add},
     * which comes before the waiter's re-check). On x86 this is a plain load: the CAS was the barrier.
     */
    public void wakeIfArmedAfterVolatileWrite() {
        if ((int) ARMED.getVolatile(this) != 0) {
            request(1);
        }
    }

    /** Wakes every armed waiter (a close): a full fence, then as {@link #wakeIfArmed()} with no bound. */
    public void wakeAllIfArmed() {
        VarHandle.fullFence();
        wakeAllIfArmedAfterFence();
    }

    /** {@link #wakeAllIfArmed()} without its fence, for a caller that has just issued one. */
    public void wakeAllIfArmedAfterFence() {
        if ((int) ARMED.getOpaque(this) != 0) {
            request(ALL);
        }
    }

    /**
     * Whether any waker is armed; a snapshot.
     *
     * @return {@code true} if a waker was armed when the count was read
     */
    public boolean isArmed() {
        return armed != 0;
    }

    /**
     * How many wakers were woken so far; a snapshot.
     *
     * @return the wake-up count
     */
    public long wakeups() {
        return wakeups;
    }

    /** Asks for a hand-out ({@code ALL}: wake everyone) and serves it unless another thread holds the lock. */
    private void request(int what) {
        if (what == ALL) {
            PENDING.setVolatile(this, ALL);
        } else {
            PENDING.compareAndSet(this, 0, what); // a pending ALL stays ALL
        }
        handOut();
    }

    /**
     * Serves a pending request, if the lock is free: wakes the oldest waiters, as many as there are free units now
     * beyond the waiters woken earlier and not back yet (everyone for {@code ALL}). A thread that finds the lock held
     * leaves: the holder calls this after it unlocks and re-checks the request after each pass, so none is lost. The
     * wakers run after the unlock (a resumed coroutine may run at once, on this thread, and arm again).
     */
    private void handOut() {
        while ((int) PENDING.getVolatile(this) != 0 && lock.tryLock()) {
            Node taken = null;
            try {
                final int request = (int) PENDING.getAndSet(this, 0);
                int left = request == ALL ? Integer.MAX_VALUE
                    : first == null ? 0 : available.getAsInt() - woken.size();
                int count = 0;
                Node tail = null;
                while (left > 0 && first != null) {
                    final Node node = first;
                    unlink(node);
                    nodes.remove(node.waker);
                    woken.add(node.waker);
                    if (tail == null) {
                        taken = node;
                    } else {
                        tail.next = node; // the taken nodes, in order, linked for the wakes after the unlock
                    }
                    tail = node;
                    left--;
                    count++;
                }
                if (count > 0) {
                    ARMED.setVolatile(this, nodes.size());
                    WAKEUPS.setVolatile(this, wakeups + count);
                }
                if (request == ALL) {
                    woken.clear(); // a close: nobody owes a try any more
                }
            } finally {
                lock.unlock();
            }
            wakeAll(taken);
            if (taken != null && lock.tryLock()) { // the nodes back to the spares; busy: let them go
                try {
                    for (Node node = taken; node != null; ) {
                        final Node next = node.next;
                        node.next = null;
                        recycle(node);
                        node = next;
                    }
                } finally {
                    lock.unlock(); // the loop re-checks the request next, as after the lock above
                }
            }
        }
    }

    /** Keeps an unlinked node for the next {@link #add}, up to {@link #MAX_SPARES}; the lock is held. */
    private void recycle(Node node) {
        node.waker = null;
        if (spareCount < MAX_SPARES) {
            node.next = spares;
            spares = node;
            spareCount++;
        }
    }

    private static void wakeAll(Node taken) {
        for (Node node = taken; node != null; node = node.next) {
            try {
                node.waker.wake();
            } catch (Throwable t) {
                LOGGER.log(System.Logger.Level.ERROR, "Waker.wake() threw; the others are still woken", t);
            }
        }
    }

    /** Takes {@code node} out of the line; the lock is held. */
    private void unlink(Node node) {
        if (node.prev == null) {
            first = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            last = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
    }
}
