package dev.tpcbridge.wake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

// Padding by inheritance: the head is read by a notifier on every publication and written by waiters only when they
// arm, so it gets two cache lines of its own on each side.

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
 * The armed wakers of one condition: the building block of every {@link Wakeable} in the library, and of your own.
 *
 * <p><b>Threads.</b> Any thread, any method. A waiter adds and removes its own waker; notifiers (the threads that
 * publish, free room or close) call {@link #wakeAllIfArmed()}.
 *
 * <p><b>Protocol</b> (see the package documentation). The waiter's half is {@link #add} (a CAS, then a full fence)
 * followed by the caller's re-check of its condition; if the condition already holds, the caller {@link #remove}s the
 * waker and does not sleep. The notifier's half is its publication followed by {@link #wakeAllIfArmed()} (a full
 * fence, then one read of the head). The list carries no data: what the notifier published is seen through the
 * caller's own acquire load in the re-check.
 *
 * <p><b>Progress.</b> Lock-free (a Treiber stack whose head is {@code null} when nobody waits). With nobody armed a
 * notifier pays one fence and one read, and allocates nothing; one armed waker allocates nothing either. Wakers run
 * on the notifier's thread, at most once per {@code add}; one that throws is logged and the others are still woken.
 */
public final class WaiterList extends WaiterListPad1 {
    private static final System.Logger LOGGER = System.getLogger(WaiterList.class.getName());
    private static final VarHandle HEAD;
    private static final VarHandle WAKEUPS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(WaiterListFields.class, "head", Object.class);
            WAKEUPS = lookup.findVarHandle(WaiterListFields.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A link of the stack when more than one waker is armed; immutable. */
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
     * Arms {@code waker}: pushes it with a CAS, then a full fence, so that the caller's re-check cannot move before
     * the announcement (StoreLoad); pairs with the fence in {@link #wakeAllIfArmed()}.
     *
     * @param waker the waiter's waker, not null (callers check it once at their API edge)
     */
    public void add(Waker waker) {
        Object head;
        do {
            head = HEAD.getVolatile(this);
        } while (!HEAD.compareAndSet(this, head, head == null ? waker : new Node(waker, head)));
        VarHandle.fullFence(); // the CAS already is one on x86 and AArch64; this keeps the protocol in the JMM's letter
    }

    /**
     * Withdraws {@code waker}, leaving the others armed and not woken. Nothing to do if a notifier took it already.
     * Otherwise the head is replaced, with a CAS, by a copy of the chain without {@code waker}: a notifier that takes
     * the chain first makes the CAS fail, and the retry finds the waker gone. An ABA on the head is harmless: nodes
     * are immutable, and a lone waker is pushed again only by its owner, the caller. The copy allocates one node per
     * waker armed above {@code waker}: a withdrawal (timeout, interrupt, cancellation) is a slow path.
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

    /**
     * The notifier's half, after a publication: a full fence orders the publication before the read of the head
     * (StoreLoad; pairs with the CAS and fence of {@link #add}), then wakes every armed waker if there is one.
     */
    public void wakeAllIfArmed() {
        VarHandle.fullFence();
        wakeAllIfArmedAfterFence();
    }

    /**
     * {@link #wakeAllIfArmed()} without its fence, for a caller that has just issued one (to cover two lists with one
     * fence). After a volatile read-modify-write and no fence, use {@link #wakeAllIfArmedAfterVolatileWrite()}.
     */
    public void wakeAllIfArmedAfterFence() {
        // opaque: ordered by the caller's fence, never hoisted; the swap below is the volatile read that decides
        if (HEAD.getOpaque(this) != null) {
            wakeChain(HEAD.getAndSet(this, null));
        }
    }

    /**
     * {@link #wakeAllIfArmed()} for a caller whose publication was a volatile write or read-modify-write (a CAS of the
     * word the waiters' re-check reads): a volatile read of the head takes the fence's place, since the synchronization
     * order keeps it after that write (pairs with the CAS of the head in {@link #add}, which comes before the waiter's
     * re-check). An opaque read would not do: it is no synchronization action, and only x86's locked instruction, not
     * the memory model, would keep it after the write. On x86 this is a plain load.
     */
    public void wakeAllIfArmedAfterVolatileWrite() {
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

    /** {@code chain} without its first occurrence of {@code waker}, which it contains; shares the tail below it. */
    private static Object without(Object chain, Waker waker) {
        int above = 0;
        Object next = chain;
        while (next instanceof Node && ((Node) next).waker != waker) {
            above++;
            next = ((Node) next).next;
        }
        Object rest = next == waker ? null : ((Node) next).next;
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

    /**
     * Wakes every waker of a chain taken off the stack (null: none). A failure is logged, not rethrown: the
     * notifier's own operation has already taken effect, and an exception would tell its caller it had not.
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
                LOGGER.log(System.Logger.Level.ERROR, "Waker.wake() threw; the other waiters are still woken", t);
            }
        }
        if (woken > 0) {
            WAKEUPS.getAndAdd(this, woken);
        }
    }
}
