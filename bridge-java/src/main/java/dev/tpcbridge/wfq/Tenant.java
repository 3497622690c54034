package dev.tpcbridge.wfq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A tenant's record: its virtual queue (the {@link Flow} fields, the poll thread's) and what callers share with the
 * poll thread: the admitted and served counts (their difference is the tenant's depth), the weight, the admission
 * state and the counters. Callers move {@code admitted} by CAS; the poll thread alone moves {@code served}, with a
 * release store and no read-modify-write, so serving a request costs no atomic instruction on the tenant.
 *
 * <p>Not padded: there may be 10^5 of them, and the fields that callers write ({@code admitted}, {@code state}) are
 * written by the poll thread too, so no layout keeps a line to one writer. The counters the poll thread alone writes
 * sit after the {@link Flow} fields, which only it touches.
 */
final class Tenant extends Flow {
    /** {@code admitted} of a reaped record: no request may join it, a caller must look the tenant up again. */
    static final long DEAD = -1;
    static final int NORMAL = 0;
    static final int THROTTLED = 1;
    static final int SUSPENDED = 2;

    private static final VarHandle ADMITTED;
    private static final VarHandle STATE;
    private static final VarHandle SERVED;
    private static final VarHandle SERVED_BYTES;
    private static final VarHandle THROTTLES;
    private static final VarHandle SUSPENDS;
    private static final VarHandle REFUSED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ADMITTED = lookup.findVarHandle(Tenant.class, "admitted", long.class);
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

    /**
     * Requests admitted over the record's life, less those withdrawn ({@code >= served}), or {@link #DEAD}. CAS by
     * callers (a withdrawal is a decrement by its caller); never written by the poll thread.
     */
    private volatile long admitted;
    /** The tenant's own weight, or 0 to weigh each request by its priority class; set under the intake's lock. */
    volatile int weight;
    /** The weight this tenant added to the intake's active weight when its queue became non-empty; poll thread. */
    int activeWeight;
    /** {@link #NORMAL}, {@link #THROTTLED} or {@link #SUSPENDED}; CAS by any thread evaluating the depth. */
    private volatile int state;
    /**
     * Requests served: the poll thread alone writes it, with a release store (pairs with the acquire in
     * {@link #servedAcquire}); callers subtract it from {@code admitted}, exporters read it. Bytes served likewise,
     * opaque: only exporters read them.
     */
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

    // volatile: the admission's read of the count; its CAS below decides.
    long admittedVolatile() {
        return admitted;
    }

    // acquire: pairs with the poll thread's release in servedOne(). Read after admitted, it may be newer than it, so
    // a depth taken as admitted - served is never below the true one at the caller's CAS (admission errs on "full").
    long servedAcquire() {
        return (long) SERVED.getAcquire(this);
    }

    /**
     * Admitted and not served, any thread: {@code -1} for a reaped record. A snapshot.
     */
    int depth() {
        final long a = admitted;
        return a == DEAD ? -1 : (int) (a - servedAcquire());
    }

    // volatile CAS: admits a request (n to n + 1) or reaps (served to DEAD); exactly one of racing CASes wins.
    boolean casAdmitted(long expected, long next) {
        return ADMITTED.compareAndSet(this, expected, next);
    }

    // volatile read-modify-write: a caller takes back the request it admitted and could not queue; never on a DEAD
    // record (admitted > served while the request counts, so no reap could win).
    void withdrawOne() {
        ADMITTED.getAndAdd(this, -1L);
    }

    /**
     * Reaps the record if it holds no request: one CAS from {@code served} to {@link #DEAD}, which an admission's CAS
     * racing it makes fail (or which makes that admission's fail). The poll thread, or a caller under the intake's
     * lock while the poll thread cannot serve this tenant (nothing is admitted).
     */
    boolean reapIfIdle() {
        final long s = servedAcquire();
        return ADMITTED.compareAndSet(this, s, DEAD);
    }

    // acquire: pairs with casState() of whichever thread made the last transition.
    int stateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    // volatile CAS: publishes a transition; losers re-read.
    boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    /**
     * The poll thread: one more request served; returns the tenant's depth after it (a snapshot: an admission racing
     * it may be missed, which only delays a band's exit to the next evaluation). The only writer of both counts: a
     * release store each, no read-modify-write.
     */
    int servedOne(long bytes) {
        final long s = (long) SERVED.getOpaque(this) + 1;
        SERVED.setRelease(this, s); // release: pairs with servedAcquire(); the request's bookkeeping before it
        SERVED_BYTES.setOpaque(this, (long) SERVED_BYTES.getOpaque(this) + bytes);
        return (int) (admitted - s);
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
