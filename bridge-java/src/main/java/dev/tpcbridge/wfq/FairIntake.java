package dev.tpcbridge.wfq;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.MpscRing;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waiter;
import dev.tpcbridge.wake.WaiterList;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A weighted-fair {@link Intake}: one virtual queue per tenant, served in order of virtual finish time, with a
 * per-tenant admission share. Plug it into a client with {@code BridgeClient.builder().intake(FairIntake.builder()
 * .build())}; the coroutine client uses the same intake through its {@code BridgeClient}.
 *
 * <p><b>Threads.</b> {@link #offer}, {@link #tryOffer}, {@link #send}, {@link #writable}, {@link #close}, the weight
 * setters and the queries ({@link #size}, {@link #tenantState}, {@link #forEachTenant}, {@link #tenantCount}): any
 * thread. {@link #poll}, {@link #drain}, {@link #readable} and {@link #isClosedForPoll}: the one poll thread (the
 * client's completion thread), which alone runs the scheduler. A call taken by an offer happens-before its poll.
 *
 * <p><b>Order.</b> Self-clocked fair queuing: a call of cost {@code c} (its payload bytes, or a {@link RequestCost})
 * from a tenant of weight {@code w} gets the finish tag {@code max(V, tenant's last tag) + c / w}, and the least tag
 * goes first, compared after rounding each tag down to a multiple of the largest power of two not above its own
 * {@code c / w} (cheaper to keep in order; {@link FairIntakeBuilder#exactOrder} turns it off); {@code V} is the
 * (rounded) tag last served. Weights come from the tenant ({@link #tenantWeight}) or else from the call's priority
 * class ({@link #CRITICAL} 4, {@link #STANDARD} 2, {@link #BULK} 1 by default), and may change at any time: a change
 * applies to calls that arrive after it. Any two tenants that stay backlogged receive service in proportion to their
 * weights, to within one maximal call each in exact order and two with rounding.
 *
 * <p><b>Placement.</b> The intake orders the calls it holds; the client's request ring after it is FIFO, so each
 * slot of that ring is a call that a later, fairer one may wait behind. Keep it shallow
 * ({@code BridgeClient.builder().requestCapacity(2)}): in the {@code tenants} demo, a light tenant's p99 under a flood
 * of 64 KiB calls fell from 1.6-2.3 ms with 8 slots to 0.4-0.9 ms with 2.
 *
 * <p><b>Admission.</b> The intake holds {@code capacity} calls; a tenant of weight {@code w} may hold
 * {@code (capacity - reserve) * w / W} of them, {@code W} the weight of the tenants holding calls (itself included),
 * so a tenant alone uses the idle capacity but never the reserve, which is there for the next tenant to arrive.
 * A tenant is {@code THROTTLED} from 85 % of its share and {@code SUSPENDED} (refused) from 95 %, until it is below
 * 75 % and 85 % (hysteresis; a {@link BackpressureConfig} changes the bands). Every outcome is an {@link Admission}
 * value; a refused call stays with the caller. {@link #offer} answers the {@link Intake} contract: {@code OK},
 * {@code FULL} (also for a suspended tenant) or {@code CLOSED}.
 *
 * <p><b>Progress.</b> Offers are lock-free for a tenant the intake knows; a tenant's first call and the reaping of
 * idle ones (beyond {@link FairIntakeBuilder#maxIdleTenants}) take a lock, which the poll thread only tries.
 * {@code poll} costs O(1) amortised (a radix heap of active tenants) and, like {@code offer}, allocates nothing in
 * steady state; it sees every offer that returned before it began, so it may wait (spin, then yield) for an offer
 * between its claim of a slot and its store there, a few instructions unless that caller is descheduled in between. A
 * blocking {@code send} waits through {@link Waiter} on {@link #writable()}, which every served batch and the close
 * wake.
 */
public final class FairIntake implements Intake {
    /** Priority of the bulk class ({@code Request.priority}). */
    public static final int BULK = 0;
    /** Priority of the standard class. */
    public static final int STANDARD = 1;
    /** Priority of the critical class; any higher priority is critical too. */
    public static final int CRITICAL = 2;
    /** The largest cost of one call. */
    public static final long MAX_COST = FairScheduler.MAX_COST;
    /** The largest weight. */
    public static final int MAX_WEIGHT = FairScheduler.MAX_WEIGHT;
    /** The largest capacity. */
    public static final int MAX_CAPACITY = FairScheduler.MAX_CAPACITY;

    private static final PressureState[] STATES = PressureState.values();
    private static final VarHandle SIZE;
    private static final VarHandle ACTIVE_WEIGHT;
    private static final VarHandle CLASS_WEIGHTS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(FairIntake.class, "size", int.class);
            ACTIVE_WEIGHT = lookup.findVarHandle(FairIntake.class, "activeWeight", long.class);
            CLASS_WEIGHTS = lookup.findVarHandle(FairIntake.class, "classWeights", int[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int elastic;
    private final int maxIdleTenants;
    private final double enterThrottle;
    private final double exitThrottle;
    private final double enterSuspend;
    private final double exitSuspend;
    private final RequestCost cost;
    private final WaitPolicy policy;
    private final LongSupplier nanoClock;
    /** Callers to the poll thread: every taken call, in the order taken. */
    private final MpscRing<BridgeCall<?>> arrivals;
    /** The poll thread when it waits for calls; woken by the offer that publishes one, and by the close. */
    private final WaiterList readers = new WaiterList();
    private final TenantTable tenants = new TenantTable();
    /** Guards tenant creation and reaping, and the weight settings. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The tenants' own weights, kept while a tenant is reaped; under the lock. */
    private final Map<Integer, Integer> tenantWeights = new HashMap<>();
    /** Senders waiting for room; woken after every served batch and by the close. */
    private final WaiterList senders = new WaiterList();
    private final Wakeable writable = new Writable();
    private final Wakeable readable = new Readable();
    /** Calls taken and not yet polled: reserved by a CAS before a call goes in. */
    private volatile int size;
    /** The summed weights of the tenants with calls in the scheduler: written by the poll thread only. */
    private volatile long activeWeight;
    /** Weight by class: BULK, STANDARD, CRITICAL; replaced whole (copy on write). */
    private volatile int[] classWeights;

    // ---------------------------------------------------------------- the poll thread's
    private final FairScheduler scheduler;
    private final IdleList idle = new IdleList();

    FairIntake(FairIntakeBuilder builder) {
        this.capacity = builder.capacity;
        final int reserve = builder.reserve >= 0 ? builder.reserve : Math.max(1, capacity >> 4);
        if (reserve >= capacity) {
            throw new IllegalArgumentException("reserve=" + reserve + " must be < capacity=" + capacity);
        }
        this.elastic = capacity - reserve;
        this.maxIdleTenants = builder.maxIdleTenants;
        this.enterThrottle = builder.bands.enterThrottle();
        this.exitThrottle = builder.bands.exitThrottle();
        this.enterSuspend = builder.bands.enterSuspend();
        this.exitSuspend = builder.bands.exitSuspend();
        this.cost = builder.cost;
        this.policy = builder.policy;
        this.nanoClock = builder.nanoClock;
        this.classWeights = builder.classWeights.clone();
        this.scheduler = new FairScheduler(capacity, builder.exactOrder);
        this.arrivals = MpscRing.create(capacity);
    }

    /**
     * A builder with the defaults: 4096 calls, a reserve of a sixteenth, weights CRITICAL 4, STANDARD 2, BULK 1,
     * cost = payload bytes, bands 85/75 % and 95/85 %, 1024 idle tenants kept.
     *
     * @return a new builder
     */
    public static FairIntakeBuilder builder() {
        return new FairIntakeBuilder();
    }

    // ---------------------------------------------------------------- callers

    /**
     * Offers a call without waiting. Any thread; lock-free once its tenant is known.
     *
     * @param call the call, not null
     * @return what became of it: taken ({@code ACCEPTED}, {@code THROTTLED}) or still the caller's
     * @throws IllegalArgumentException if {@code call} is null or its cost is outside {@code [1, MAX_COST]}
     */
    public Admission tryOffer(BridgeCall<?> call) {
        Checks.notNull("call", call);
        final long c = cost.cost(call);
        if (c < 1 || c > MAX_COST) {
            throw new IllegalArgumentException("cost=" + c + " of call id=" + call.id() + " must be in [1, " + MAX_COST
                + "]");
        }
        if (arrivals.isClosedForOffer()) {
            return Admission.CLOSED;
        }
        final int id = call.tenant();
        Tenant tenant = tenants.find(id);
        boolean created = false;
        if (tenant == null) {
            if (size >= capacity) {
                return Admission.FULL; // before making a record that nothing would use
            }
            tenant = tenantSlowPath(id);
            created = true;
        }
        while (true) {
            final long admitted = tenant.admittedVolatile();
            if (admitted == Tenant.DEAD) { // reaped since we found it: look again
                tenant = tenantSlowPath(id);
                created = true;
                continue;
            }
            final int depth = (int) (admitted - tenant.servedAcquire()); // never below the depth at our CAS
            final int weight = weightOf(tenant, call.priority());
            final long share = share(weight, depth == 0);
            if (settle(tenant, depth, share) == Tenant.SUSPENDED) {
                tenant.refusedOne();
                return Admission.SUSPENDED;
            }
            if (!reserveSlot()) {
                tenant.refusedOne();
                if (created) {
                    tryReap(tenant);
                }
                return Admission.FULL;
            }
            if (!tenant.casAdmitted(admitted, admitted + 1)) {
                releaseSlots(1); // another caller of this tenant, or a reap, moved first: again
                continue;
            }
            final OfferStatus status = arrivals.offer(call); // publishes the call (release) to the poll thread
            if (status == OfferStatus.OK) {
                // fence, then read: the call published before the look at the poll thread's list (StoreLoad); pairs
                // with WaiterList.add() and the re-check in Readable.arm().
                readers.wakeAllIfArmed();
            } else { // closed meanwhile (never full: the slot was reserved)
                tenant.withdrawOne();
                releaseSlots(1);
                senders.wakeAllIfArmedAfterVolatileWrite(); // after the volatile RMW above
                return status == OfferStatus.CLOSED ? Admission.CLOSED : Admission.FULL;
            }
            return settle(tenant, depth + 1, share) == Tenant.NORMAL ? Admission.ACCEPTED : Admission.THROTTLED;
        }
    }

    /**
     * Offers a call without waiting, by the {@link Intake} contract: {@code OK} if taken (throttled or not),
     * {@code FULL} if the intake or the call's tenant has no room, {@code CLOSED}.
     *
     * @param call the call, not null
     * @return the outcome
     * @throws IllegalArgumentException as for {@link #tryOffer}
     */
    @Override
    public OfferStatus offer(BridgeCall<?> call) {
        final Admission admission = tryOffer(call);
        return admission.isTaken() ? OfferStatus.OK
            : admission == Admission.CLOSED ? OfferStatus.CLOSED : OfferStatus.FULL;
    }

    /**
     * Offers a call, waiting up to {@code timeout} while the intake is full or the call's tenant suspended.
     *
     * @param call    the call, not null
     * @param timeout how long to wait at most; {@code Long.MAX_VALUE} nanoseconds or more: as long as it takes
     * @param unit    its unit, not null
     * @return {@code OK}, {@code FULL} once the time ran out, or {@code CLOSED}
     * @throws InterruptedException     if interrupted before or while waiting (the call stays the caller's)
     * @throws IllegalArgumentException as for {@link #tryOffer}, or if {@code unit} is null
     */
    @Override
    public OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        final long nanos = unit.toNanos(timeout);
        final Waiter waiter = Waiter.start(policy, nanoClock, nanos == Long.MAX_VALUE ? Waiter.NO_TIMEOUT : nanos);
        OfferStatus status;
        while ((status = offer(call)) == OfferStatus.FULL && waiter.await(writable)) {
            // each await: spin, yield, or park until a batch is served or the intake closes
        }
        return status;
    }

    /**
     * The condition "a batch was served since you armed, or nothing is queued, or the intake is closed": wait on it
     * after a refused offer, then offer again. Any thread. It wakes every waiter at once (the refusals differ by
     * tenant), so a woken waiter may find no room for its tenant yet and wait again.
     *
     * @return the condition
     */
    @Override
    public Wakeable writable() {
        return writable;
    }

    /** Refuses further calls and wakes every waiting sender. Idempotent; any thread. */
    @Override
    public void close() {
        arrivals.closeProducer(); // later offers see CLOSED
        VarHandle.fullFence(); // the close before the looks at both lists: pairs with Readable.arm and Writable.arm
        readers.wakeAllIfArmedAfterFence();
        senders.wakeAllIfArmedAfterFence();
    }

    /**
     * Calls taken and not yet polled; a snapshot (it may count a call whose offer is still under way). Any thread.
     *
     * @return the count
     */
    @Override
    public int size() {
        return size;
    }

    /**
     * The capacity.
     *
     * @return the most calls the intake holds
     */
    public int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------- weights

    /**
     * Gives {@code tenant} its own weight, used instead of its calls' class weights from the next call on; it is kept
     * while the tenant is idle or reaped. Any thread (takes the lock).
     *
     * @param tenant the tenant id, {@code >= 0}
     * @param weight in {@code [1, MAX_WEIGHT]}
     * @throws IllegalArgumentException if either is out of range
     */
    public void tenantWeight(int tenant, int weight) {
        checkTenant(tenant);
        checkWeight("weight", weight);
        lock.lock();
        try {
            tenantWeights.put(tenant, weight);
            final Tenant record = tenants.find(tenant);
            if (record != null) {
                record.weight = weight; // volatile: read by the next admission and by the poll thread
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops {@code tenant}'s own weight: its calls are weighed by class again. Any thread (takes the lock).
     *
     * @param tenant the tenant id, {@code >= 0}
     * @throws IllegalArgumentException if {@code tenant < 0}
     */
    public void clearTenantWeight(int tenant) {
        checkTenant(tenant);
        lock.lock();
        try {
            tenantWeights.remove(tenant);
            final Tenant record = tenants.find(tenant);
            if (record != null) {
                record.weight = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the weight of a priority class, from the next call on. Any thread.
     *
     * @param priorityClass {@link #BULK}, {@link #STANDARD} or {@link #CRITICAL}
     * @param weight        in {@code [1, MAX_WEIGHT]}
     * @throws IllegalArgumentException if either is out of range
     */
    public void classWeight(int priorityClass, int weight) {
        checkClass(priorityClass);
        checkWeight("weight", weight);
        int[] current;
        int[] next;
        do {
            current = classWeights;
            next = current.clone();
            next[priorityClass] = weight;
        } while (!CLASS_WEIGHTS.compareAndSet(this, current, next)); // volatile: the array is never written after
    }

    /**
     * The weight a call of {@code tenant} with {@code priority} gets now.
     *
     * @param tenant   the tenant id, {@code >= 0}
     * @param priority the call's priority, {@code >= 0}
     * @return the weight
     * @throws IllegalArgumentException if either is negative
     */
    public int weightOf(int tenant, int priority) {
        checkTenant(tenant);
        if (priority < 0) {
            throw new IllegalArgumentException("priority=" + priority + " must be >= 0");
        }
        final Tenant record = tenants.find(tenant);
        if (record != null) {
            return weightOf(record, priority);
        }
        lock.lock();
        try {
            final Integer own = tenantWeights.get(tenant);
            return own != null ? own : classWeights[Math.min(priority, CRITICAL)];
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- metrics

    /**
     * The admission state of {@code tenant}. Any thread; lock-free.
     *
     * @param tenant the tenant id, {@code >= 0}
     * @return its state, {@code NORMAL} for a tenant the intake does not hold
     * @throws IllegalArgumentException if {@code tenant < 0}
     */
    public PressureState tenantState(int tenant) {
        checkTenant(tenant);
        final Tenant record = tenants.find(tenant);
        return record == null ? PressureState.NORMAL : STATES[record.stateAcquire()];
    }

    /**
     * Hands every tenant the intake holds (active or idle, not reaped) to {@code handler}, for export. Any thread;
     * lock-free, allocates nothing. A tenant created or reaped meanwhile may be missed or seen.
     *
     * @param handler receives each tenant, on the calling thread; not null
     * @return how many tenants it received
     * @throws IllegalArgumentException if {@code handler} is null
     */
    public int forEachTenant(TenantMetricsHandler handler) {
        Checks.notNull("handler", handler);
        final Tenant[] table = tenants.snapshot();
        int n = 0;
        for (int i = 0; i < table.length; i++) {
            final Tenant t = TenantTable.slotAcquire(table, i);
            if (t == null) {
                continue;
            }
            final int depth = t.depth();
            handler.onTenant(t.id, Math.max(0, depth), t.served(), t.servedBytes(), t.throttles(), t.suspends(),
                t.refused(), STATES[t.stateAcquire()]);
            n++;
        }
        return n;
    }

    /**
     * Tenants held (active or idle); a snapshot. Any thread.
     *
     * @return the count
     */
    public int tenantCount() {
        return tenants.count();
    }

    /** The summed weight of the tenants holding calls; tests check that it returns to 0. */
    long activeWeight() {
        return activeWeight;
    }

    /** The tenant table's slot count; tests check that memory returns to a bound. */
    int tableLength() {
        return tenants.length();
    }

    // ---------------------------------------------------------------- the poll thread

    /**
     * The next call in fair order. Poll thread only.
     *
     * @return the call, or {@code null} if none is waiting
     */
    @Override
    public BridgeCall<?> poll() {
        takeArrivals();
        final BridgeCall<?> call = next();
        if (call != null) {
            releaseSlots(1);
            senders.wakeAllIfArmedAfterVolatileWrite(); // after releaseSlots' volatile RMW: pairs with Writable.arm
        }
        return call;
    }

    /**
     * Hands up to {@code limit} calls, in fair order, to {@code handler}. Poll thread only.
     *
     * @param handler receives each call, on this thread; not null
     * @param limit   the most calls, at least 1
     * @return how many calls were handed over
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     */
    @Override
    public int drain(ElementHandler<? super BridgeCall<?>> handler, int limit) {
        Checks.notNull("handler", handler);
        Checks.positiveLimit(limit);
        takeArrivals();
        int n = 0;
        try {
            BridgeCall<?> call;
            while (n < limit && (call = next()) != null) {
                n++;
                handler.onElement(call);
            }
        } finally {
            if (n > 0) {
                releaseSlots(n); // one RMW per batch
                senders.wakeAllIfArmedAfterVolatileWrite(); // after it: pairs with Writable.arm
            }
        }
        return n;
    }

    /**
     * The condition "a call is waiting, or the intake is closed". Poll thread only.
     *
     * @return the condition
     */
    @Override
    public Wakeable readable() {
        return readable;
    }

    /**
     * Whether the intake is closed and every call taken was polled. Poll thread only.
     *
     * @return {@code true} once closed and empty
     */
    @Override
    public boolean isClosedForPoll() {
        return scheduler.size() == 0 && arrivals.isClosedForPoll();
    }

    /** Moves the calls that arrived into their tenants' virtual queues. */
    private void takeArrivals() {
        // poll() takes every call whose slot a caller has claimed, waiting (spin, then yield) for one claimed and not
        // yet filled, until the ring is empty: so a poll sees every offer that returned before it began, and takes
        // calls in claim order, which is the offers' order. Stopping at an unfilled slot instead (relaxedPoll(), as the
        // ring's drain does after its first element) let an offer that had returned wait behind a later, concurrent one
        // and change which of two equal keys went first: FairIntakeLincheckStressTest found that history not
        // linearizable. The wait is the window between a caller's claim and its store, a few instructions unless the
        // caller is descheduled there. poll() acquires each slot (pairs with the caller's release); no fence: no caller
        // waits for the ring's room (it is reserved by the size). Bounded: the ring never holds more than the capacity.
        // A loop of polls, not drain(): measured 7-10 ns less per request (benchmarks/results/wfq-2026-12-08/arrivals).
        BridgeCall<?> call;
        while ((call = arrivals.poll()) != null) {
            arrive(call);
        }
    }

    /** An arrived call joins its tenant's queue; its tenant is in the table (its depth counts the call). */
    private void arrive(BridgeCall<?> call) {
        final Tenant tenant = tenants.find(call.tenant());
        if (tenant == null || tenant.depth() <= 0) { // its depth counts this call: see TenantTable
            throw new IllegalStateException("tenant=" + call.tenant() + " of call id=" + call.id() + " has no live "
                + "record: admission accounting is broken");
        }
        if (tenant.idle) {
            idle.remove(tenant);
        }
        long c = cost.cost(call); // checked by the offer; a function that is not pure is clamped, not trusted
        c = c < 1 ? 1 : Math.min(c, MAX_COST);
        final int weight = weightOf(tenant, call.priority());
        final boolean joining = tenant.queued == 0;
        if (!scheduler.enqueue(tenant, call, c, weight, call.payloadLength())) {
            throw new IllegalStateException("no slot for call id=" + call.id() + ": size accounting is broken");
        }
        if (joining) {
            tenant.activeWeight = weight;
            // release, by the only writer: pairs with the volatile read in share(); a plain RMW is safe here
            ACTIVE_WEIGHT.setRelease(this, activeWeight + weight);
        }
    }

    /** The next call by finish tag, with its tenant's bookkeeping; the slot is released by the caller. */
    private BridgeCall<?> next() {
        final BridgeCall<?> call = (BridgeCall<?>) scheduler.poll();
        if (call == null) {
            return null;
        }
        final Tenant tenant = (Tenant) scheduler.lastFlow();
        // bytes read at arrival: the poll touches nothing of the call; a release store, no RMW on the tenant
        final int depth = tenant.servedOne(scheduler.lastBytes());
        if (tenant.queued == 0) {
            ACTIVE_WEIGHT.setRelease(this, activeWeight - tenant.activeWeight); // the only writer, as in arrive()
        }
        settle(tenant, depth, share(scheduler.lastWeight(), depth == 0)); // the exits of the bands
        if (tenant.queued == 0) {
            idle.add(tenant);
            reapIdle();
        }
        return call;
    }

    /** Reaps the oldest idle tenants beyond the bound; gives up at once if a caller holds the lock. */
    private void reapIdle() {
        if (idle.size() <= maxIdleTenants || !lock.tryLock()) {
            return;
        }
        try {
            while (idle.size() > maxIdleTenants) {
                final Tenant oldest = (Tenant) idle.oldest();
                idle.remove(oldest);
                // volatile CAS served to DEAD: a caller's admission CAS and this one race on the admitted count, one
                // wins. Lost: a call is on its way to the queue, and the tenant stays.
                if (oldest.reapIfIdle()) {
                    tenants.remove(oldest);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- shared helpers

    /** A tenant's record, made on first sight; under the lock. */
    private Tenant tenantSlowPath(int id) {
        lock.lock();
        try {
            Tenant tenant = tenants.find(id); // under the lock the table holds no DEAD record
            if (tenant == null) {
                final Integer own = tenantWeights.get(id);
                tenant = new Tenant(id, own != null ? own : 0);
                tenants.insert(tenant); // release: pairs with the acquire in TenantTable.find
            }
            return tenant;
        } finally {
            lock.unlock();
        }
    }

    /** A caller made a record and could not use it: it goes now unless someone else's call joined it. */
    private void tryReap(Tenant tenant) {
        lock.lock();
        try {
            if (tenant.queued == 0 && tenant.reapIfIdle()) {
                // benign race on 'queued' (the poll thread's): a depth of 0 means no call is queued or on its way,
                // so the poll thread's queue for it is empty; it skips a DEAD record on its idle list.
                tenants.remove(tenant);
            }
        } finally {
            lock.unlock();
        }
    }

    private int weightOf(Tenant tenant, int priority) {
        final int own = tenant.weight;
        return own > 0 ? own : classWeights[Math.min(priority, CRITICAL)];
    }

    /**
     * The share of a tenant of {@code weight}; {@code joining}: it holds no call yet, so W lacks its weight. W counts
     * the tenants whose calls reached the scheduler: one whose first calls are still on their way is missing from it
     * for that moment, and its share reads a little high (never above the elastic part).
     */
    private long share(int weight, boolean joining) {
        long total = activeWeight + (joining ? weight : 0);
        if (total < weight) {
            total = weight; // a racing update: never a share above the elastic part
        }
        return Math.max(1, elastic * (long) weight / total);
    }

    /** Re-evaluates a tenant's band for {@code depth} of {@code share}; counts the entries made. */
    private int settle(Tenant tenant, int depth, long share) {
        final double d = depth;
        final double s = share; // the bands as depth >= band * share: multiplications, no division on the hot path
        while (true) {
            // acquire: pairs with casState of the last transition
            final int state = tenant.stateAcquire();
            final int target = target(state, d, s);
            if (target == state) {
                return state;
            }
            if (tenant.casState(state, target)) { // volatile CAS: one winner per transition counts it
                if (target == Tenant.SUSPENDED) {
                    tenant.suspended();
                } else if (target == Tenant.THROTTLED && state == Tenant.NORMAL) {
                    tenant.throttled();
                }
                return target;
            }
        }
    }

    private int target(int state, double depth, double share) {
        if (state == Tenant.NORMAL) {
            return depth >= enterSuspend * share ? Tenant.SUSPENDED
                : depth >= enterThrottle * share ? Tenant.THROTTLED : Tenant.NORMAL;
        }
        if (state == Tenant.THROTTLED) {
            return depth >= enterSuspend * share ? Tenant.SUSPENDED
                : depth < exitThrottle * share ? Tenant.NORMAL : Tenant.THROTTLED;
        }
        return depth < exitThrottle * share ? Tenant.NORMAL
            : depth < exitSuspend * share ? Tenant.THROTTLED : Tenant.SUSPENDED;
    }

    private boolean reserveSlot() {
        int s;
        do {
            s = size;
            if (s >= capacity) {
                return false;
            }
        } while (!SIZE.compareAndSet(this, s, s + 1)); // volatile CAS: the global bound, exact
        return true;
    }

    private void releaseSlots(int n) {
        SIZE.getAndAdd(this, -n); // volatile RMW: also the fence before the senders' list is read
    }

    private static void checkTenant(int tenant) {
        if (tenant < 0) {
            throw new IllegalArgumentException("tenant=" + tenant + " must be >= 0");
        }
    }

    static void checkClass(int priorityClass) {
        if (priorityClass < BULK || priorityClass > CRITICAL) {
            throw new IllegalArgumentException("priorityClass=" + priorityClass + " must be BULK=0, STANDARD=1 or "
                + "CRITICAL=2");
        }
    }

    static int checkWeight(String name, int weight) {
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException(name + "=" + weight + " must be in [1, " + MAX_WEIGHT + "]");
        }
        return weight;
    }

    @Override
    public String toString() {
        return "FairIntake[size=" + size + ", capacity=" + capacity + ", tenants=" + tenants.count() + "]";
    }

    /** {@link #writable()}: armed by senders, woken by served batches and the close. */
    private final class Writable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            senders.add(waker); // CAS and fence: pairs with releaseSlots' RMW, then the senders' volatile read
            if (size == 0 || arrivals.isClosedForOffer()) { // nothing left to serve, or closed: no wake would come
                senders.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            senders.remove(Checks.notNull("waker", waker));
        }
    }

    /** {@link #readable()}: ready when calls are queued or have arrived, or the intake is closed for poll. */
    private final class Readable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            if (scheduler.size() > 0) { // the poll thread's own state
                return false;
            }
            readers.add(waker); // a CAS and a fence before the re-check; pairs with the offer's fence
            if (!arrivals.isEmpty() || arrivals.isClosedForPoll()) {
                readers.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            readers.remove(Checks.notNull("waker", waker));
        }
    }
}
