package dev.tpcbridge.wfq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A tenant's record: its virtual queue (the {@link Flow} fields, the poll thread's) and what callers share with the
 * poll thread: the admitted depth, the weight, the admission state and the counters.
 *
 * <p>Not padded: there may be 10^5 of them, and the fields that callers write ({@code pending}, {@code state}) are
 * written by the poll thread too, so no layout keeps a line to one writer. The counters the poll thread alone writes
 * sit after the {@link Flow} fields, which only it touches.
 */
final class Tenant extends Flow {
    /** {@code pending} of a reaped record: no request may join it, a caller must look the tenant up again. */
    static final int DEAD = -1;
    static final int NORMAL = 0;
    static final int THROTTLED = 1;
    static final int SUSPENDED = 2;

    private static final VarHandle PENDING;
    private static final VarHandle STATE;
    private static final VarHandle SERVED;
    private static final VarHandle SERVED_BYTES;
    private static final VarHandle THROTTLES;
    private static final VarHandle SUSPENDS;
    private static final VarHandle REFUSED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING = lookup.findVarHandle(Tenant.class, "pending", int.class);
            STATE = lookup.findVarHandle(Tenant.class, "state", int.class);
            SERVED = lookup.findVarHandle(Tenant.class, "served", long.class);
            SERVED_BYTES = lookup.findVarHandle(Tenant.class, "servedBytes", long.class);
            THROTTLES = lookup.findVarHandle(Tenant.class, "throttles", long.class);
            SUSPENDS = lookup.findVarHandle(Tenant.class, "suspends", long.class);
            REFUSED = lookup.findVarHandle(Tenant.class, "refused", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Admitted and not served yet ({@code >= 0}), or {@link #DEAD}. CAS by callers, decremented by the poll thread. */
    private volatile int pending;
    /** The tenant's own weight, or 0 to weigh each request by its priority class; set under the intake's lock. */
    volatile int weight;
    /** The weight this tenant added to the intake's active weight when its queue became non-empty; poll thread. */
    int activeWeight;
    /** {@link #NORMAL}, {@link #THROTTLED} or {@link #SUSPENDED}; CAS by any thread evaluating the depth. */
    private volatile int state;
    /** Requests and bytes served: the poll thread alone writes them (opaque); read by exporters. */
    private volatile long served;
    private volatile long servedBytes;
    /** Entries into THROTTLED and into SUSPENDED, and requests refused: counted by the thread that made them. */
    private volatile long throttles;
    private volatile long suspends;
    private volatile long refused;

    Tenant(int id, int weight) {
        super(id);
        this.weight = weight;
    }

    // volatile: the admission's read of the depth; its CAS below decides.
    int pendingVolatile() {
        return pending;
    }

    // volatile CAS: admits a request (depth to depth + 1) or reaps (0 to DEAD); exactly one of racing CASes wins.
    boolean casPending(int expected, int next) {
        return PENDING.compareAndSet(this, expected, next);
    }

    // volatile read-modify-write: a served or withdrawn request leaves; never on a DEAD record (its depth was > 0).
    int decrementPending() {
        return (int) PENDING.getAndAdd(this, -1) - 1;
    }

    // acquire: pairs with casState() of whichever thread made the last transition.
    int stateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    // volatile CAS: publishes a transition; losers re-read.
    boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    /** The poll thread: one more request served. Opaque stores by the only writer; exporters read them opaque. */
    void servedOne(long bytes) {
        SERVED.setOpaque(this, (long) SERVED.getOpaque(this) + 1);
        SERVED_BYTES.setOpaque(this, (long) SERVED_BYTES.getOpaque(this) + bytes);
    }

    // volatile read-modify-writes, by the transition's winner (rare: a transition) or a refusing caller.
    void throttled() {
        THROTTLES.getAndAdd(this, 1L);
    }

    void suspended() {
        SUSPENDS.getAndAdd(this, 1L);
    }

    void refusedOne() {
        REFUSED.getAndAdd(this, 1L);
    }

    long served() {
        return (long) SERVED.getOpaque(this);
    }

    long servedBytes() {
        return (long) SERVED_BYTES.getOpaque(this);
    }

    long throttles() {
        return (long) THROTTLES.getOpaque(this);
    }

    long suspends() {
        return (long) SUSPENDS.getOpaque(this);
    }

    long refused() {
        return (long) REFUSED.getOpaque(this);
    }
}
