package dev.tpcbridge.internal;

import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;
import dev.tpcbridge.wake.WakingRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

// Padding by inheritance, as in the rings: the head is read by the notifier on every publication and written by
// waiters only when they arm, so it gets two cache lines of its own on each side.

abstract class WaiterListPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class WaiterListFields extends WaiterListPad0 {
    /** {@code null} (nobody armed), a {@link Waker} (one armed: no allocation), or a {@link WaiterList.Node} chain. */
    volatile Object head;
    /** How many wakers were woken; written only on the wake (slow) path. */
    volatile long wakeups;
}

abstract class WaiterListPad1 extends WaiterListFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
}

/**
 * The armed wakers of one condition: the building block with which a structure implements {@link Wakeable} (as
 * {@link WakingRing} and {@code dev.tpcbridge.logbuf.LogChannel} do) without writing a second wake protocol.
 *
 * <p><b>Threads.</b> Every method may be called by any thread at any time. A waiter adds and removes its own waker;
 * notifiers (the threads that publish, free room or close) call the {@code wakeAll...} methods.
 *
 * <p><b>Protocol</b> (Dekker-style; see {@link Wakeable}). The waiter's half is {@link #add} (a CAS, then a full
 * fence) followed by the caller's re-check of its condition; if the condition already holds, the caller
 * {@link #remove}s the waker and does not sleep. The notifier's half is the caller's publication (a plain, release or
 * volatile store) followed by {@link #wakeAllIfArmed()} (a full fence, then the read of the head). Either the waiter's
 * re-check sees the publication or the notifier sees the waker, so no wake-up is lost.
 *
 * <p><b>Visibility.</b> The list carries no data: what the notifier wrote before its publication is visible to a
 * re-check that observes that publication through the caller's own acquire load, not through this list.
 *
 * <p><b>Progress.</b> Lock-free: a lock-free stack (Treiber) whose head is {@code null} when nobody waits, so a
 * notifier's fast path is one fence and one read, no allocation and no wake call. Waking runs the wakers on the
 * notifier's thread; they must be quick and must not throw (a throwing waker is logged and the others are still
 * woken). A waker is woken at most once per {@code add}.
 *
 * <p><b>Normal outcomes.</b> Spurious wakes are normal: a woken waiter re-checks its condition and re-arms.
 */
public final class WaiterList extends WaiterListPad1 {
    private static final System.Logger LOGGER = System.getLogger(WaiterList.class.getName());
    private static final VarHandle HEAD;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(WaiterListFields.class, "head", Object.class);
            WAKEUPS = lookup.findVarHandle(WaiterListFields.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A link of the stack when more than one waker is armed. */
    static final class Node {
        final Waker waker;
        final Object next;

        Node(Waker waker, Object next) {
            this.waker = waker;
            this.next = next;
        }
    }

    /** Creates an empty list: nobody armed. */
    public WaiterList() {
    }

    /**
     * Arms {@code waker}: pushes it with a CAS, then a full fence, so the caller's re-check that follows cannot be
     * reordered before the announcement (StoreLoad); pairs with the fence in {@link #wakeAllIfArmed()}. On x86 and
     * AArch64 the CAS alone would do; the explicit fence keeps the protocol inside the specification, on the slow
     * path only.
     *
     * @param waker the waiter's waker, not null (not checked here: callers check it once at their API edge)
     */
    public void add(Waker waker) {
        Object head;
        do {
            head = HEAD.getVolatile(this);
        } while (!HEAD.compareAndSet(this, head, head == null ? waker : new Node(waker, head)));
        VarHandle.fullFence();
    }

    /**
     * Withdraws {@code waker}. Nothing to do if a notifier already took it (the common case after a wake: only its
     * owner can push the waker again, so one look decides). Otherwise the head is replaced, with a CAS, by a copy of
     * the chain without one occurrence of {@code waker}; the others stay armed and are not woken. The CAS cannot
     * open a window in which a notifier finds the stack empty: a notifier that takes the chain first makes the CAS
     * fail, and the retry then finds the waker gone. An ABA on the head is harmless: nodes are immutable, so the same
     * head holds the same chain; a chain a notifier took is never reachable again (an add pushes on the current head,
     * a removal keeps only nodes of the current chain); and a lone waker is pushed again only by its owner, the
     * caller. The copy allocates one node per waker armed above {@code waker}; a withdrawal (a timeout, an interrupt, a
     * cancellation) is a slow path.
     *
     * @param waker a waker passed to {@link #add}
     */
    public void remove(Waker waker) {
        Object head;
        do {
            head = HEAD.getVolatile(this);
            if (!contains(head, waker)) {
                return;
            }
        } while (!HEAD.compareAndSet(this, head, without(head, waker)));
    }

    /** {@code chain} without its first occurrence of {@code waker}, which it contains; shares the tail below it. */
    private static Object without(Object chain, Waker waker) {
        int above = 0;
        Object next = chain;
        while (next instanceof Node && ((Node) next).waker != waker) {
            above++;
            next = ((Node) next).next;
        }
        Object rest = next == waker ? null : ((Node) next).next; // the tail below waker's link, shared
        if (above == 0) {
            return rest;
        }
        final Waker[] kept = new Waker[above];
        next = chain;
        for (int i = 0; i < above; i++) {
            kept[i] = ((Node) next).waker;
            next = ((Node) next).next;
        }
        for (int i = above - 1; i >= 0; i--) {
            rest = rest == null ? kept[i] : new Node(kept[i], rest);
        }
        return rest;
    }

    private static boolean contains(Object chain, Waker waker) {
        Object next = chain;
        while (next instanceof Node) {
            final Node node = (Node) next;
            if (node.waker == waker) {
                return true;
            }
            next = node.next;
        }
        return next == waker;
    }

    /**
     * The notifier's half: the caller has just published (a plain or release store); the full fence orders that
     * store before the read of the head (StoreLoad), and pairs with the CAS in {@link #add}. With nobody armed this
     * is the whole cost: one fence, one read.
     */
    public void wakeAllIfArmed() {
        VarHandle.fullFence();
        wakeAllIfArmedAfterFence();
    }

    /**
     * {@link #wakeAllIfArmed()} without its fence, for a caller that has just issued one (to cover two lists with one
     * fence) or a volatile read-modify-write.
     */
    public void wakeAllIfArmedAfterFence() {
        if (headOpaque() != null) {
            wakeAll();
        }
    }

    /**
     * Wakes every armed waker. The caller's publication must already be ordered before this call's read of the head,
     * as it is after a volatile read-modify-write (a close, a signal's add) or after {@link #wakeAllIfArmed()}'s fence.
     */
    public void wakeAll() {
        if (HEAD.getVolatile(this) != null) {
            wakeChain(HEAD.getAndSet(this, null));
        }
    }

    /**
     * Whether any waker is armed; a snapshot.
     *
     * @return {@code true} if a waker was armed when the head was read
     */
    public boolean isArmed() {
        return HEAD.getVolatile(this) != null;
    }

    /**
     * How many wakers were woken so far; a snapshot.
     *
     * @return the wake-up count
     */
    public long wakeups() {
        return (long) WAKEUPS.getVolatile(this);
    }

    private Object headOpaque() {
        return HEAD.getOpaque(this);
    }

    /**
     * Wakes every waker of a chain taken off the stack. A waker that throws
     * breaks its contract; the failure is logged and the others are still woken. It is not rethrown: the notifier's
     * own operation (an offer, a poll, a close) has already taken effect, and an exception would make its caller
     * believe it had not.
     */
    private void wakeChain(Object chain) {
        long woken = 0;
        Object next = chain;
        while (next != null) {
            final Waker waker;
            if (next instanceof Node) {
                final Node node = (Node) next;
                waker = node.waker;
                next = node.next;
            } else {
                waker = (Waker) next;
                next = null;
            }
            woken++;
            try {
                waker.wake();
            } catch (Throwable t) {
                // a broken waker must neither leave the others asleep nor undo the notifier's operation
                LOGGER.log(System.Logger.Level.ERROR, "Waker.wake() threw; the other waiters are still woken", t);
            }
        }
        if (woken > 0) {
            WAKEUPS.getAndAdd(this, woken);
        }
    }
}
