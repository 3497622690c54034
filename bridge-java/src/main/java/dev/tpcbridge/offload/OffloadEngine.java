package dev.tpcbridge.offload;

import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waiter;
import dev.tpcbridge.wake.WaiterQueue;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The state of an {@link OffloadPool} that its workers share: the queue, the counters, the lifecycle. Workers hold
 * this, never the pool, so that a pool dropped without a shutdown becomes unreachable and its cleaner stops them.
 *
 * <p>Two Dekker pairs keep a task from being stranded, each side a volatile write then a volatile read: (1) a
 * submitter queues its task (a CAS), then reads the state; a closer writes the state (a getAndSet), then drains the
 * queue; one of them abandons the task. (2) a submitter queues, then reads the live-worker count; the last worker to
 * leave decrements it (a getAndAdd), then drains the queue; one of them abandons it.
 */
final class OffloadEngine<T> {
    static final int OPEN = 0;
    /** Refuses new tasks; the workers run what is queued, then stop. */
    static final int SHUTTING_DOWN = 1;
    /** Refuses new tasks; what is queued is abandoned; the workers stop after their current task. */
    static final int STOPPING = 2;

    private static final System.Logger LOGGER = System.getLogger(OffloadPool.class.getName());
    private static final VarHandle STATE;
    private static final VarHandle ALIVE;

    /** How long a lone worker that caught up waits before it looks again, in spin-wait hints: see letTasksGather. */
    private static final int GATHER_SPINS = 32;

    // counters, one per 128-byte stride of one array (no false sharing between them)
    private static final int STRIDE = 16;
    static final int COALESCED = 1;
    static final int REJECTED = 2;
    static final int REFUSED_CLOSED = 3;
    static final int EVICTED = 4;
    static final int COMPLETED = 5;
    static final int FAILED = 6;
    static final int ABANDONED = 7;
    static final int RUNNING = 8;
    private static final int COUNTERS = 9;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(OffloadEngine.class, "state", int.class);
            ALIVE = lookup.findVarHandle(OffloadEngine.class, "alive", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    final Lanes lanes;
    final OverflowPolicy policy;
    private final TaskHandler<? super T> handler;
    private final DroppedTaskHandler<? super T> dropped;
    private final FailureHook<? super T> failures;
    private final Function<? super T, ?> keyOf;
    /** COALESCE_BY_KEY only: key to its queued task (the queue holds the keys). */
    private final ConcurrentHashMap<Object, T> pending;
    final WaitPolicy waitPolicy;
    final LongSupplier nanoClock;
    /** The workers' counters, one per 128-byte stride. */
    private final AtomicLongArray counters = new AtomicLongArray((COUNTERS + 1) * STRIDE);
    /**
     * The submitters' counters: striped ({@code LongAdder}), since every submit of a full {@code DROP_OLDEST} pool
     * counts an eviction and submitters run on many threads at once. Exact once the pool is quiet. Tasks queued are
     * the queue's tail.
     */
    private final LongAdder[] submitterCounters = new LongAdder[COUNTERS];
    /** Idle workers, woken oldest first, one per queued task. */
    private final WaiterQueue idleWorkers;
    /** Senders waiting for room, woken oldest first, one per free slot. */
    private final WaiterQueue senders;
    /** Ready when a task is queued or the pool is no longer open: idle workers sleep on it (see afterOffer). */
    final Wakeable workAvailable;
    /** Ready when a slot is free or the pool is no longer open: senders sleep on it (read after a worker's poll). */
    final Wakeable room;
    final CompletableFuture<ShutdownReport> terminated = new CompletableFuture<>();
    /** Every live worker's hand: a stop takes back what they hold. */
    private final Set<WorkerHand> hands = ConcurrentHashMap.newKeySet();

    volatile int state;
    /** Workers that have started and not left. */
    volatile int alive;

    /** A hook for a handler's failure: the pool's, or a logger. */
    @FunctionalInterface
    interface FailureHook<T> {
        void failed(T task, Throwable failure);
    }

    OffloadEngine(String name, int capacity, int laneCount, OverflowPolicy policy, TaskHandler<? super T> handler,
                  DroppedTaskHandler<? super T> dropped, FailureHook<? super T> failures,
                  Function<? super T, ?> keyOf, WaitPolicy waitPolicy, LongSupplier nanoClock) {
        this.name = name;
        this.lanes = new Lanes(capacity, laneCount);
        this.policy = policy;
        this.handler = handler;
        this.dropped = dropped;
        this.failures = failures;
        this.keyOf = keyOf;
        this.pending = policy == OverflowPolicy.COALESCE_BY_KEY ? new ConcurrentHashMap<>(capacity * 2) : null;
        this.waitPolicy = waitPolicy;
        this.nanoClock = nanoClock;
        this.idleWorkers = new WaiterQueue(lanes::size);
        this.senders = new WaiterQueue(() -> lanes.capacity() - lanes.size());
        this.workAvailable = new QueuedCondition(idleWorkers, () -> lanes.size() > 0 || state != OPEN);
        this.room = new QueuedCondition(senders, () -> lanes.size() < lanes.capacity() || state != OPEN);
        for (int counter : new int[] {COALESCED, REJECTED, REFUSED_CLOSED, EVICTED}) {
            submitterCounters[counter] = new LongAdder();
        }
    }

    // ---------------------------------------------------------------- submitting

    SubmitStatus submit(T task) {
        if (state != OPEN) {
            return refuseClosed(task);
        }
        switch (policy) {
            case REJECT_NEWEST:
                if (lanes.mine().offer(task)) {
                    afterOffer();
                    return SubmitStatus.QUEUED;
                }
                add(REJECTED);
                drop(task, DropReason.REJECTED);
                return SubmitStatus.REJECTED_FULL;
            case DROP_OLDEST:
                return offerEvicting(task);
            default:
                return coalesce(task);
        }
    }

    /** {@code send}'s try: queues without evicting; null when full. */
    SubmitStatus tryQueue(T task) {
        if (state != OPEN) {
            return refuseClosed(task);
        }
        if (lanes.offerAnywhere(task)) {
            afterOffer();
            return SubmitStatus.QUEUED;
        }
        return null;
    }

    void gaveUp() {
        add(REJECTED);
    }

    private SubmitStatus refuseClosed(T task) {
        add(REFUSED_CLOSED);
        drop(task, DropReason.CLOSED);
        return SubmitStatus.CLOSED;
    }

    private SubmitStatus coalesce(T task) {
        final Object key = keyOf.apply(task);
        if (key == null) {
            throw new IllegalArgumentException("the key of task " + task + " is null");
        }
        final T replaced = pending.put(key, task);
        if (replaced != null) { // its key is queued: the newer task takes its place
            add(COALESCED);
            drop(replaced, DropReason.REPLACED);
            return SubmitStatus.COALESCED;
        }
        // The key is ours to queue, and we always do: once in the map, other submitters may replace our task (and
        // report COALESCED), so we never take it back. Every map entry thus has exactly one queue entry, queued or
        // about to be, and whoever polls (or evicts) that entry removes the map entry.
        return offerEvicting(key);
    }

    /**
     * Queues {@code entry} (a task, or a coalescing pool's key) in the caller's lane, in place of the lane's oldest
     * entry if the lane is full; reports that one evicted.
     */
    private SubmitStatus offerEvicting(Object entry) {
        final Object oldest = lanes.mine().offerEvictingOldest(entry);
        afterOffer();
        if (oldest == null) {
            return SubmitStatus.QUEUED;
        }
        add(EVICTED); // counted before it is reported, so that a handler reading the counters sees its own eviction
        final T task = taskOf(oldest);
        if (task != null) { // always, by the map's invariant in coalesce(); a null would be a lost map entry
            drop(task, DropReason.EVICTED);
        }
        return SubmitStatus.EVICTED_OLDEST;
    }

    /**
     * After a successful offer, whose CAS of the queue's tail was a volatile read-modify-write: volatile reads follow
     * it in the synchronization order, so no fence is needed before them (StoreLoad; they pair with the idle workers'
     * arm ({@code workAvailable}: a volatile write of the armed count, then the re-check's volatile reads of the
     * queue's indexes), with {@link #stop}'s getAndSet of the state and with the live-worker decrement in
     * {@link #leave}). Wakes an idle worker if one sleeps, then makes sure no task is stranded.
     */
    private void afterOffer() {
        idleWorkers.wakeIfArmedAfterVolatileWrite();
        if (state == STOPPING || alive == 0 && state != OPEN) {
            abandonAll(); // nobody else will look at the queue again
        }
    }

    // ---------------------------------------------------------------- workers

    /** A worker's loop: runs tasks until the pool stops; sleeps on {@link #workAvailable} when there are none. */
    void work() {
        final Waiter waiter = Waiter.create(waitPolicy);
        final WorkerHand hand = new WorkerHand();
        final Object[] batch = new Object[WorkerHand.SIZE]; // this worker's own: the hand is what stoppers see
        hands.add(hand);
        int lane = 0; // each batch starts one lane further: no lane waits behind a busy one
        boolean caughtUp = false; // the last batch stopped short: it left no task published behind it
        try {
            while (true) {
                final int now = state;
                if (now == STOPPING) {
                    return;
                }
                Object entry = hand.take();
                if (entry == null) {
                    // An idle worker spins here before it parks: a batch's look reads the head slots only, not the
                    // tails that the submitters CAS. Its "empty" is confirmed by a strict poll before it is acted on
                    // (a drained stop, or a park), which waits out an offer between its CAS and its publication
                    // rather than arm and disarm around a submitter preempted there.
                    if (caughtUp) {
                        letTasksGather();
                    }
                    final int max = alive == 1 ? WorkerHand.SIZE : 1;
                    final int n = lanes.pollBatchFrom(lane++, batch, max, hand);
                    caughtUp = n > 0 && n < max;
                    entry = n > 0 ? firstOfBatch(hand, batch, n) : null;
                    if (entry == null && (now == SHUTTING_DOWN || waiter.parksNext())) {
                        entry = lanes.pollFrom(lane);
                    }
                }
                if (entry != null) {
                    waiter.reset();
                    // the CAS that freed its slot (a volatile RMW), or the hand's getAndSet, then a volatile read of
                    // the senders' count; pairs with room's arm
                    senders.wakeIfArmedAfterVolatileWrite();
                    final T task = taskOf(entry);
                    if (task != null) {
                        run(task);
                    }
                } else if (now == SHUTTING_DOWN) {
                    return; // drained
                } else if (state != STOPPING) {
                    waiter.idle(workAvailable, Long.MAX_VALUE);
                    Thread.interrupted(); // a stray interrupt does not stop a worker: stop() does
                }
            }
        } finally {
            // What the hand still holds: none after a drained shutdown; after a stop, what the stopper has not taken
            // back yet; after an Error from the handler, the tasks this worker took and will not start.
            abandonHand(hand);
            hands.remove(hand);
            leave();
        }
    }

    /**
     * A lone worker whose last batch stopped short had caught up with its submitters: it took each task as soon as it
     * was published. Looking again at once would take the next one alone too, and each such look and take pulls the
     * slot's lines (and, for the high-water mark, the tail's) from the submitter's core just as it writes the next
     * task beside them. In that lock-step a paced submitter's submit cost several times as much, for whole runs that
     * fell into it. So the worker lets tasks gather first: {@value #GATHER_SPINS} spin-wait hints, about 0.9 us on
     * this project's machine (27 ns each), a few tasks' worth at a paced submitter's rate, which its next batch takes
     * with one CAS ({@code benchmarks/results/offload-2026-12-07/worker-lag}). A worker behind a busy queue takes full
     * batches and does not wait here; nor do several workers sharing the queue (their batches are of one).
     */
    private static void letTasksGather() {
        for (int i = 0; i < GATHER_SPINS; i++) {
            Thread.onSpinWait();
        }
    }

    /**
     * The first task of a batch of {@code n} that {@code pollBatchFrom} took into {@code batch} (up to
     * {@link WorkerHand#SIZE} tasks for a lone worker, one each when several share the queue, so that none waits
     * behind another's batch); the rest go into {@code hand}. A stop that comes after this worker's look at the state
     * takes the rest back; the first task runs, as a single poll's would have.
     */
    private static Object firstOfBatch(WorkerHand hand, Object[] batch, int n) {
        final Object first = batch[0];
        batch[0] = null;
        if (n > 1) {
            hand.fill(batch, 1, n); // ends the fill that pollBatch announced
        }
        return first;
    }

    private void run(T task) {
        add(RUNNING);
        try {
            handler.handle(task);
            add(COMPLETED);
        } catch (Exception e) {
            add(FAILED);
            report(task, e);
        } catch (Error e) {
            add(FAILED);
            report(task, e);
            throw e; // the worker ends; leave() counts it out (the pool keeps running with the others)
        } finally {
            counters.getAndAdd(RUNNING * STRIDE, -1);
        }
    }

    private void report(T task, Throwable failure) {
        try {
            failures.failed(task, failure);
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "OffloadPool " + name + ": the failure hook threw", e);
        }
    }

    void arrive() {
        ALIVE.getAndAdd(this, 1);
    }

    /** A worker leaves; the last one drains what is left (abandoned) and ends the pool. */
    void leave() {
        // volatile RMW, then the queue's volatile reads in abandonAll(): pairs with afterOffer() (its CAS, then reads)
        if ((int) ALIVE.getAndAdd(this, -1) == 1 && state != OPEN) {
            abandonAll();
            terminated.complete(new ShutdownReport(get(ABANDONED) == 0, get(ABANDONED), 0));
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Refuses new tasks; the workers drain the queue and stop. */
    void shutdown() {
        if (STATE.compareAndSet(this, OPEN, SHUTTING_DOWN)) {
            wakeEveryone();
            if (alive == 0) { // no worker started, or all died: nobody will drain
                abandonAll();
                terminated.complete(new ShutdownReport(get(ABANDONED) == 0, get(ABANDONED), 0));
            }
        }
    }

    /**
     * Refuses new tasks and abandons the queued ones now; workers stop after their current task.
     *
     * @return how many tasks this call abandoned
     */
    long stop() {
        final int before = (int) STATE.getAndSet(this, STOPPING);
        // getAndSet is a volatile RMW: the state before the queue's reads below; pairs with afterOffer()
        final long abandoned = abandonAll();
        if (before != STOPPING) {
            wakeEveryone();
        }
        if (alive == 0) {
            terminated.complete(new ShutdownReport(get(ABANDONED) == 0, get(ABANDONED), 0));
        }
        return abandoned;
    }

    private void wakeEveryone() {
        VarHandle.fullFence(); // the state before the reads of the waiters' counts; pairs with the arms' fences
        idleWorkers.wakeAllIfArmedAfterFence();
        senders.wakeAllIfArmedAfterFence();
    }

    /**
     * Takes every queued task out, then every task that workers took and have not started (after a fill in progress,
     * a few instructions), and reports each abandoned; returns how many. The queue first: its drain reads each lane's
     * head (volatile) after the caller's volatile write (the state, the live-worker count or an offer's CAS), so a
     * batch taken by a CAS of the head before that read is seen announced or filled in its hand (see WorkerHand).
     */
    long abandonAll() {
        long count = 0;
        Object entry;
        while ((entry = lanes.pollFrom(0)) != null) {
            count += abandon(entry);
        }
        for (WorkerHand hand : hands) {
            hand.awaitFill();
            count += abandonHand(hand);
        }
        return count;
    }

    private long abandonHand(WorkerHand hand) {
        long count = 0;
        for (int i = 0; i < WorkerHand.SIZE; i++) {
            final Object entry = hand.takeBack(i);
            if (entry != null) {
                count += abandon(entry);
            }
        }
        return count;
    }

    private int abandon(Object entry) {
        final T task = taskOf(entry);
        if (task == null) {
            return 0;
        }
        add(ABANDONED);
        drop(task, DropReason.ABANDONED);
        return 1;
    }

    /** Tasks queued, and taken by workers and not started: the pool's depth. A snapshot. */
    int depth() {
        int depth = lanes.size();
        for (WorkerHand hand : hands) {
            depth += hand.held();
        }
        return depth;
    }

    // ---------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    private T taskOf(Object entry) {
        return pending == null ? (T) entry : pending.remove(entry);
    }

    private void drop(T task, DropReason reason) {
        try {
            if (task instanceof DropAware) {
                ((DropAware) task).dropped(reason);
            }
            dropped.dropped(task, reason);
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "OffloadPool " + name + ": the dropped-task handler threw for a "
                + reason + " task", e);
        }
    }

    void add(int counter) {
        final LongAdder striped = submitterCounters[counter];
        if (striped != null) {
            striped.increment();
        } else {
            counters.getAndAdd(counter * STRIDE, 1);
        }
    }

    long get(int counter) {
        final LongAdder striped = submitterCounters[counter];
        return striped != null ? striped.sum() : counters.get(counter * STRIDE);
    }

    /**
     * A condition a {@link WaiterQueue} of waiters sleeps on: the waiter announces itself (the queue's lock, then a
     * full fence), then re-checks {@code ready}; pairs with the notifier's publication, then its read of the count.
     */
    private static final class QueuedCondition implements Wakeable {
        private final WaiterQueue waiters;
        private final java.util.function.BooleanSupplier ready;

        QueuedCondition(WaiterQueue waiters, java.util.function.BooleanSupplier ready) {
            this.waiters = waiters;
            this.ready = ready;
        }

        @Override
        public boolean arm(Waker waker) {
            waiters.add(waker);
            if (ready.getAsBoolean()) {
                waiters.remove(waker); // a wake that came already is the caller's to use on its retry
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            waiters.remove(waker);
        }

        @Override
        public void abandon(Waker waker) {
            waiters.abandon(waker);
        }
    }
}
