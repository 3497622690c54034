package dev.tpcbridge.offload;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waiter;

import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A bounded pool of background workers for slow, best-effort work that a hot path must never wait for: a data-plane
 * core (or any thread) {@link #submit submits} a task and goes on at once; a worker runs it later with the injected
 * {@link TaskHandler}. When the queue is full, the pool's {@link OverflowPolicy} decides (drop the oldest, reject the
 * newest, or coalesce by key), and every task that will not run is handed once to the {@link DroppedTaskHandler} with
 * its {@link DropReason}: nothing vanishes silently.
 *
 * <pre>{@code
 * try (OffloadPool<Snapshot> pool = OffloadPool.<Snapshot>builder(snapshot -> snapshot.writeTo(dir))
 *         .capacity(64).workers(2).overflow(OverflowPolicy.DROP_OLDEST)
 *         .onDropped((snapshot, reason) -> log.info("skipped " + snapshot + ": " + reason)).build()) {
 *     SubmitStatus status = pool.submit(snapshot);   // never waits; a value, never an exception
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #submit} from any thread, a data-plane core included: it never blocks (it may spin while
 * another thread finishes the few instructions between its claim of a slot and its store there; a full
 * {@code DROP_OLDEST} lane swaps the new task in for its oldest in one step, never reporting
 * {@link SubmitStatus#REJECTED_FULL}) and allocates nothing beyond the task (a
 * {@code COALESCE_BY_KEY} pool allocates one map node per newly queued key). {@link #send} waits for room instead of
 * overflowing, for producers that prefer waiting to dropping; never call it on a core. Workers are platform threads
 * from the builder's {@link ThreadFactory}, or long-running tasks on its {@link Executor} (pass
 * {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+ for virtual threads); an idle worker parks on the
 * project's wakers ({@code wake.WaiterQueue}: one woken per queued task, none while the queue is busy) and costs no
 * CPU. The counters may be read from any thread at any time, without locks.
 *
 * <p><b>Accounting</b> (exact once the pool is quiet; {@code running} and the queue depth are the work in flight):
 * {@code submitted = queued + coalesced + rejected + refusedClosed} and
 * {@code queued = completed + failed + evicted + abandoned + depth + running}.
 *
 * <p><b>Lifecycle.</b> {@link #shutdown(long, TimeUnit)} refuses new tasks ({@link SubmitStatus#CLOSED}), lets the
 * workers run what is queued, and completes its future when they have, or at the deadline, when what is still queued
 * is abandoned (and reported). {@link #close()} is a shutdown with no grace: it abandons the queue at once and returns
 * without waiting; running tasks finish, then their workers stop. Both are idempotent. A pool that becomes unreachable
 * without either is closed by a cleaner, so its threads do not leak. A handler's exception is counted as failed and
 * given to the failure hook (by default a log line at powers of two); an {@code Error} also ends its worker, and the
 * tasks of its batch that it had not started are abandoned.
 *
 * <p>A task that implements {@link DropAware} is told itself when it is dropped; {@link OffloadCalls} builds on that
 * to run a call off a core and answer it back on the core.
 *
 * <p>Proof: {@code OffloadPoolTest}, {@code OffloadChaosTest}, {@code OffloadLincheckTest}, {@code MpmcQueueTest},
 * jcstress {@code OffloadStress} and {@code MpmcQueueStress}.
 *
 * @param <T> the task type
 */
public final class OffloadPool<T> implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(OffloadPool.class.getName());
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        final Thread thread = new Thread(runnable, "tpcbridge-offload-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private final OffloadEngine<T> engine;
    private final ThreadFactory threadFactory;
    private final int workers;
    private final Cleaner.Cleanable cleanable;
    private final AtomicReference<CompletableFuture<ShutdownReport>> shutdown = new AtomicReference<>();

    private OffloadPool(Builder<T> builder, OffloadEngine<T> engine) {
        this.engine = engine;
        this.threadFactory = builder.threadFactory;
        this.workers = builder.workers;
        this.cleanable = CLEANER.register(this, new Stop(engine));
        try {
            for (int i = 0; i < workers; i++) {
                engine.arrive();
                try {
                    if (builder.executor != null) {
                        builder.executor.execute(engine::work);
                    } else {
                        threadFactory.newThread(engine::work).start();
                    }
                } catch (RuntimeException | Error e) {
                    engine.leave();
                    throw e;
                }
            }
        } catch (RejectedExecutionException e) {
            engine.stop();
            throw new IllegalStateException("OffloadPool " + engine.name + ": the executor refused a worker", e);
        } catch (RuntimeException | Error e) {
            engine.stop();
            throw e;
        }
    }

    /** Closes the engine; holds no reference to the pool (a cleaner action must not). */
    private static final class Stop implements Runnable {
        private final OffloadEngine<?> engine;

        Stop(OffloadEngine<?> engine) {
            this.engine = engine;
        }

        @Override
        public void run() {
            if (engine.state == OffloadEngine.OPEN) { // dropped while open: a shutdown already under way goes on
                engine.stop();
            }
        }
    }

    /**
     * A builder of a pool whose workers run {@code handler}.
     *
     * @param handler runs each task on a worker; not null
     * @param <T>     the task type
     * @return a builder with the defaults: capacity 1024, 2 workers, {@link OverflowPolicy#DROP_OLDEST}, dropped
     *         tasks logged at debug level, daemon worker threads
     * @throws IllegalArgumentException if {@code handler} is null
     */
    public static <T> Builder<T> builder(TaskHandler<? super T> handler) {
        return new Builder<>(Checks.notNull("handler", handler));
    }

    // ---------------------------------------------------------------- submitting

    /**
     * Hands {@code task} to the pool; never waits. Any thread, a data-plane core included.
     *
     * @param task the task, not null
     * @return {@link SubmitStatus#QUEUED}, {@link SubmitStatus#EVICTED_OLDEST}, {@link SubmitStatus#COALESCED},
     *         {@link SubmitStatus#REJECTED_FULL} or {@link SubmitStatus#CLOSED}; a task not queued (and one evicted
     *         or replaced to make room) is handed to the dropped-task handler first
     * @throws IllegalArgumentException if {@code task} is null, or its key is ({@code COALESCE_BY_KEY})
     */
    public SubmitStatus submit(T task) {
        return engine.submit(Checks.notNull("task", task));
    }

    /**
     * Queues {@code task}, waiting for room as long as it takes instead of overflowing. Not on a data-plane core.
     *
     * @param task the task, not null
     * @return {@link SubmitStatus#QUEUED}, or {@link SubmitStatus#CLOSED} (the task then went to the dropped-task
     *         handler)
     * @throws IllegalArgumentException if {@code task} is null
     * @throws IllegalStateException    in a {@code COALESCE_BY_KEY} pool, which always has room: use {@link #submit}
     * @throws InterruptedException     if interrupted while waiting (the task stays with the caller; counted as
     *                                  rejected)
     */
    public SubmitStatus send(T task) throws InterruptedException {
        return send(task, Waiter.NO_TIMEOUT);
    }

    /**
     * Queues {@code task}, waiting up to {@code timeout} for room instead of overflowing. Not on a data-plane core.
     *
     * @param task    the task, not null
     * @param timeout the longest wait; 0 or less: no wait
     * @param unit    its unit, not null
     * @return {@link SubmitStatus#QUEUED}, {@link SubmitStatus#CLOSED} (the task then went to the dropped-task
     *         handler), or {@link SubmitStatus#REJECTED_FULL} at the timeout (the task stays with the caller, counted
     *         as rejected)
     * @throws IllegalArgumentException if {@code task} or {@code unit} is null
     * @throws IllegalStateException    in a {@code COALESCE_BY_KEY} pool, which always has room: use {@link #submit}
     * @throws InterruptedException     if interrupted while waiting (the task stays with the caller; counted as
     *                                  rejected)
     */
    public SubmitStatus send(T task, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return send(task, Math.max(0, unit.toNanos(timeout)));
    }

    private SubmitStatus send(T task, long timeoutNanos) throws InterruptedException {
        Checks.notNull("task", task);
        if (engine.policy == OverflowPolicy.COALESCE_BY_KEY) {
            throw new IllegalStateException("send waits for room, and a COALESCE_BY_KEY pool always has room: "
                + "use submit");
        }
        SubmitStatus status = engine.tryQueue(task);
        if (status != null) {
            return status;
        }
        final Waiter waiter;
        try {
            waiter = Waiter.start(engine.waitPolicy, engine.nanoClock, timeoutNanos);
            while ((status = engine.tryQueue(task)) == null) {
                if (!waiter.await(engine.room)) {
                    engine.gaveUp();
                    return SubmitStatus.REJECTED_FULL;
                }
            }
        } catch (InterruptedException e) {
            engine.gaveUp();
            throw e;
        }
        return status;
    }

    /**
     * Queues {@code task} if there is room, never overflowing and never waiting: the try of {@link #send}, for a
     * caller that waits its own way (the Kotlin module's suspending send waits on {@link #sendable()}).
     *
     * @param task the task, not null
     * @return {@link SubmitStatus#QUEUED}; {@link SubmitStatus#REJECTED_FULL} if full (the task stays with the
     *         caller, not reported and not counted); {@link SubmitStatus#CLOSED} (reported and counted, as for
     *         {@code submit})
     * @throws IllegalArgumentException if {@code task} is null
     * @throws IllegalStateException    in a {@code COALESCE_BY_KEY} pool, which always has room: use {@link #submit}
     */
    public SubmitStatus offer(T task) {
        Checks.notNull("task", task);
        if (engine.policy == OverflowPolicy.COALESCE_BY_KEY) {
            throw new IllegalStateException("offer queues without overflowing, and a COALESCE_BY_KEY pool always has"
                + " room: use submit");
        }
        final SubmitStatus status = engine.tryQueue(task);
        return status != null ? status : SubmitStatus.REJECTED_FULL;
    }

    /**
     * The condition a sender waits on: a free slot, or the pool shut down. Armed by any thread that waits to send.
     *
     * @return the condition
     */
    public dev.tpcbridge.wake.Wakeable sendable() {
        return engine.room;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Refuses new tasks and lets the workers run what is queued; idempotent (a second call returns the first call's
     * future). Any thread; never blocks. At the deadline, the tasks still queued are abandoned (handed to the
     * dropped-task handler) on a thread from the builder's factory, and running tasks finish.
     *
     * @param timeout how long the workers may take; 0 or less: abandon what is queued at once
     * @param unit    its unit, not null
     * @return a future completed with the report when the queue is drained or at the deadline, whichever is first
     * @throws IllegalArgumentException if {@code unit} is null
     */
    public CompletableFuture<ShutdownReport> shutdown(long timeout, TimeUnit unit) {
        Checks.notNull("unit", unit);
        final CompletableFuture<ShutdownReport> result = new CompletableFuture<>();
        if (!shutdown.compareAndSet(null, result)) {
            return shutdown.get();
        }
        engine.terminated.thenAccept(result::complete);
        engine.shutdown();
        final long nanos = unit.toNanos(timeout);
        if (nanos <= 0) {
            expire(result);
        } else if (!result.isDone()) {
            final Thread reaper = threadFactory.newThread(() -> {
                try {
                    engine.terminated.get(nanos, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    expire(result);
                } catch (InterruptedException e) {
                    expire(result);
                } catch (java.util.concurrent.ExecutionException e) {
                    result.completeExceptionally(e.getCause());
                }
            });
            reaper.setDaemon(true);
            reaper.start();
        }
        return result;
    }

    private void expire(CompletableFuture<ShutdownReport> result) {
        engine.stop();
        final long abandoned = engine.get(OffloadEngine.ABANDONED);
        result.complete(new ShutdownReport(abandoned == 0 && engine.get(OffloadEngine.RUNNING) == 0, abandoned,
            (int) engine.get(OffloadEngine.RUNNING)));
    }

    /**
     * Refuses new tasks and abandons the queued ones now (handed to the dropped-task handler on this thread);
     * running tasks finish, then their workers stop. Does not wait. Idempotent; any thread.
     */
    @Override
    public void close() {
        engine.stop();
        cleanable.clean(); // its action does nothing now: the engine is no longer open
    }

    /**
     * Whether the pool refuses new tasks (after {@link #shutdown} or {@link #close()}).
     *
     * @return {@code true} once shut down or closed
     */
    public boolean isShutdown() {
        return engine.state != OffloadEngine.OPEN;
    }

    // ---------------------------------------------------------------- counters

    /**
     * Every call of {@code submit} or {@code send} with a task so far: {@code queued + coalesced + rejected +
     * refusedClosed}. Any thread; a snapshot.
     *
     * @return the count
     */
    public long submitted() {
        return queued() + coalesced() + rejected() + refusedClosed();
    }

    /**
     * Tasks that entered the queue. Any thread; a snapshot.
     *
     * @return the count
     */
    public long queued() {
        return engine.lanes.offered();
    }

    /**
     * Tasks that replaced a queued task with the same key. Any thread; a snapshot.
     *
     * @return the count
     */
    public long coalesced() {
        return engine.get(OffloadEngine.COALESCED);
    }

    /**
     * Tasks not queued for want of room: {@code REJECTED_FULL} submits, and sends that gave up. Any thread.
     *
     * @return the count
     */
    public long rejected() {
        return engine.get(OffloadEngine.REJECTED);
    }

    /**
     * Tasks refused because the pool was shut down or closed. Any thread; a snapshot.
     *
     * @return the count
     */
    public long refusedClosed() {
        return engine.get(OffloadEngine.REFUSED_CLOSED);
    }

    /**
     * Queued tasks evicted by newer ones. Any thread; a snapshot.
     *
     * @return the count
     */
    public long evicted() {
        return engine.get(OffloadEngine.EVICTED);
    }

    /**
     * Tasks whose handler returned normally. Any thread; a snapshot.
     *
     * @return the count
     */
    public long completed() {
        return engine.get(OffloadEngine.COMPLETED);
    }

    /**
     * Tasks whose handler threw. Any thread; a snapshot.
     *
     * @return the count
     */
    public long failed() {
        return engine.get(OffloadEngine.FAILED);
    }

    /**
     * Queued tasks abandoned by a close or at a shutdown's deadline (those in a worker's batch included), or by a
     * worker that an {@code Error} ended (its batch). Any thread; a snapshot.
     *
     * @return the count
     */
    public long abandoned() {
        return engine.get(OffloadEngine.ABANDONED);
    }

    /**
     * Tasks running now. Any thread; a snapshot.
     *
     * @return the count
     */
    public int running() {
        return (int) engine.get(OffloadEngine.RUNNING);
    }

    /**
     * Tasks waiting now: queued, over all lanes, and in the workers' batches. A lone worker takes up to 16 published
     * tasks at once, with one CAS of the queue's head (behind a busy queue the head's line then moves between the cores
     * once per batch, not once per task), and after a batch that took all there was it waits about a microsecond
     * before it looks again, so that the next tasks gather into a batch; a task in a batch is waiting still, but no
     * longer queued: a full queue's {@code DROP_OLDEST} evicts the oldest task still queued, and a send's room is the
     * queue's. Any thread; a snapshot.
     *
     * @return the depth
     */
    public int depth() {
        return engine.depth();
    }

    /**
     * The deepest the queue has been seen: by a worker as it takes a batch (the depth it found), by an eviction, or by
     * a submit that found it full. A submit into room does not read the queue's depth (it would cost the hot path a
     * read of the workers' index), so a burst drained before any worker polls again is seen at that poll. With
     * {@link Builder#lanes lanes}, the sum of the lanes' marks: an upper bound (the lanes need not have been deepest
     * at once). Any thread.
     *
     * @return the high-water mark
     */
    public int highWaterMark() {
        return engine.lanes.highWaterMark();
    }

    /**
     * The queue's capacity, over all lanes.
     *
     * @return the capacity, a power of two
     */
    public int capacity() {
        return engine.lanes.capacity();
    }

    /**
     * How many lanes split the queue ({@link Builder#lanes}).
     *
     * @return the lane count, a power of two
     */
    public int lanes() {
        return engine.lanes.count();
    }

    /**
     * Workers alive now (started and not stopped). Any thread; a snapshot.
     *
     * @return the count
     */
    public int workers() {
        return engine.alive;
    }

    @Override
    public String toString() {
        return "OffloadPool[" + engine.name + ", policy=" + engine.policy + ", capacity=" + capacity() + ", lanes="
            + lanes() + ", depth=" + depth() + ", workers=" + workers() + ", submitted=" + submitted() + ", queued="
            + queued() + ", coalesced=" + coalesced() + ", rejected=" + rejected() + ", refusedClosed="
            + refusedClosed() + ", evicted=" + evicted() + ", completed=" + completed() + ", failed=" + failed()
            + ", abandoned=" + abandoned() + ", running=" + running() + "]";
    }

    /**
     * Settings of an {@link OffloadPool}. One thread at a time; {@link #build()} may be called more than once.
     *
     * @param <T> the task type
     */
    public static final class Builder<T> {
        private static final int MAX_CAPACITY = 1 << 24;
        private final TaskHandler<? super T> handler;
        private String name;
        private int capacity = 1024;
        private int lanes = 1;
        private int workers = 2;
        private OverflowPolicy policy = OverflowPolicy.DROP_OLDEST;
        private Function<? super T, ?> keyOf;
        private DroppedTaskHandler<? super T> onDropped;
        private OffloadEngine.FailureHook<? super T> onFailure;
        private ThreadFactory threadFactory;
        private Executor executor;
        private WaitPolicy waitPolicy = WaitPolicy.DEFAULT;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(TaskHandler<? super T> handler) {
            this.handler = handler;
        }

        /**
         * A name for thread names and messages (default {@code offload-N}).
         *
         * @param name not null
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is null
         */
        public Builder<T> name(String name) {
            this.name = Checks.notNull("name", name);
            return this;
        }

        /**
         * The most tasks queued at once (default 1024).
         *
         * @param capacity from 1 to 2^24, rounded up to a power of two and to at least 2 (a slot's sequence word
         *                 tells "full" from "free" only with two slots or more)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<T> capacity(int capacity) {
            this.capacity = Math.max(2, Checks.powerOfTwoCapacity("capacity", capacity, MAX_CAPACITY));
            return this;
        }

        /**
         * Splits the queue into {@code lanes} queues of {@code capacity / lanes} tasks each (default 1: one queue).
         * A thread submits into its own lane, chosen by its thread id (threads made one after another get lanes one
         * after another), so submitters on different threads CAS different words instead of all one; workers take
         * from every lane in turn. What changes: order and overflow are per lane. A thread's tasks keep their order;
         * tasks of threads in different lanes have none between them; a full lane's {@code DROP_OLDEST} evicts the
         * oldest task of that lane (a flooding thread evicts its own tasks first), and {@code REJECT_NEWEST} rejects
         * when the submitter's lane is full, even if another has room. {@link OffloadPool#send(Object)} takes room in
         * any lane. Worth it when several threads (cores) submit at once to a full pool; two threads may still share
         * a lane.
         *
         * @param lanes a power of two from 1 to 64, and at most {@code capacity / 2} (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<T> lanes(int lanes) {
            if (lanes < 1 || lanes > Lanes.MAX_LANES || Integer.bitCount(lanes) != 1) {
                throw new IllegalArgumentException("lanes=" + lanes + " must be a power of two from 1 to "
                    + Lanes.MAX_LANES);
            }
            this.lanes = lanes;
            return this;
        }

        /**
         * How many workers run tasks (default 2).
         *
         * @param workers at least 1, at most 4096
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<T> workers(int workers) {
            if (workers < 1 || workers > 4096) {
                throw new IllegalArgumentException("workers=" + workers + " must be in [1, 4096]");
            }
            this.workers = workers;
            return this;
        }

        /**
         * What a submit does when the queue is full (default {@link OverflowPolicy#DROP_OLDEST}). For
         * {@link OverflowPolicy#COALESCE_BY_KEY} use {@link #coalesceBy} instead, which names the key.
         *
         * @param policy {@code DROP_OLDEST} or {@code REJECT_NEWEST}
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is null, or {@code COALESCE_BY_KEY} (which needs a key)
         */
        public Builder<T> overflow(OverflowPolicy policy) {
            Checks.notNull("policy", policy);
            if (policy == OverflowPolicy.COALESCE_BY_KEY) {
                throw new IllegalArgumentException("policy=COALESCE_BY_KEY needs the task's key: use coalesceBy(key)");
            }
            this.policy = policy;
            this.keyOf = null;
            return this;
        }

        /**
         * Coalesces by key ({@link OverflowPolicy#COALESCE_BY_KEY}): a task whose key is queued replaces the queued
         * one. Keys are compared with {@code equals}; the function runs on the submitting thread.
         *
         * @param key the task's key, never null for a submitted task
         * @return this builder
         * @throws IllegalArgumentException if {@code key} is null
         */
        public Builder<T> coalesceBy(Function<? super T, ?> key) {
            this.keyOf = Checks.notNull("key", key);
            this.policy = OverflowPolicy.COALESCE_BY_KEY;
            return this;
        }

        /**
         * Told of every task that will not run, with why (default: a debug log line).
         *
         * @param onDropped quick and non-blocking (it may run on a core); not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<T> onDropped(DroppedTaskHandler<? super T> onDropped) {
            this.onDropped = Checks.notNull("onDropped", onDropped);
            return this;
        }

        /**
         * Told of every handler failure, on the worker (default: a warning logged at the 1st, 2nd, 4th, 8th...).
         *
         * @param onFailure the task and what it threw; not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<T> onFailure(java.util.function.BiConsumer<? super T, Throwable> onFailure) {
            Checks.notNull("onFailure", onFailure);
            this.onFailure = onFailure::accept;
            return this;
        }

        /**
         * Workers are threads of this factory, started at {@link #build()}; the shutdown deadline's thread too
         * (default: daemon platform threads named {@code tpcbridge-offload-NAME-N}).
         *
         * @param threadFactory not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<T> threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Checks.notNull("threadFactory", threadFactory);
            return this;
        }

        /**
         * Workers are long-running tasks of this executor instead of threads of the factory (one per worker, so it
         * must run that many at once: a virtual-thread-per-task executor, or a pool at least that large).
         *
         * @param executor not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<T> executor(Executor executor) {
            this.executor = Checks.notNull("executor", executor);
            return this;
        }

        /**
         * How idle workers and waiting senders back off before they park (default {@link WaitPolicy#DEFAULT}).
         *
         * @param policy not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<T> waitPolicy(WaitPolicy policy) {
            this.waitPolicy = Checks.notNull("policy", policy);
            return this;
        }

        /**
         * The clock of timed sends (default {@link System#nanoTime()}).
         *
         * @param nanoClock not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<T> nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * Builds the pool and starts its workers.
         *
         * @return a new, open pool
         * @throws IllegalArgumentException if {@code capacity / lanes < 2}
         * @throws IllegalStateException    if the executor refuses a worker (the pool is closed again)
         */
        public OffloadPool<T> build() {
            if (capacity / lanes < 2) {
                throw new IllegalArgumentException("lanes=" + lanes + " need a capacity of at least " + 2 * lanes
                    + " (two slots a lane), not capacity=" + capacity);
            }
            final String poolName = name != null ? name : "offload-" + POOLS.incrementAndGet();
            final OffloadEngine<T> engine = new OffloadEngine<>(poolName, capacity, lanes, policy, handler,
                onDropped != null ? onDropped : OffloadPool::logDropped,
                onFailure != null ? onFailure : new LogFailures<>(poolName), keyOf, waitPolicy, nanoClock);
            final Builder<T> copy = copy(poolName);
            return new OffloadPool<>(copy, engine);
        }

        private Builder<T> copy(String poolName) {
            final Builder<T> copy = new Builder<>(handler);
            copy.workers = workers;
            copy.executor = executor;
            copy.threadFactory = threadFactory != null ? threadFactory : daemonThreads(poolName);
            return copy;
        }
    }

    private static ThreadFactory daemonThreads(String poolName) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "tpcbridge-" + poolName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void logDropped(Object task, DropReason reason) {
        LOGGER.log(System.Logger.Level.DEBUG, () -> "OffloadPool dropped a task (" + reason + "): " + task);
    }

    /** The default failure hook: a warning at the 1st, 2nd, 4th, 8th... failure, so a storm cannot flood the log. */
    private static final class LogFailures<T> implements OffloadEngine.FailureHook<T> {
        private final String poolName;
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        LogFailures(String poolName) {
            this.poolName = poolName;
        }

        @Override
        public void failed(T task, Throwable failure) {
            final long n = count.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOGGER.log(System.Logger.Level.WARNING, "OffloadPool " + poolName + ": a task failed (" + n
                    + " so far; see failed()): " + task, failure);
            }
        }
    }
}
