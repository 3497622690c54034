package dev.tpcbridge.runtime;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.CompletionThreads;
import dev.tpcbridge.internal.CpuAffinity;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.wake.WaitPolicy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The thread-per-core data plane: N {@link Core}s, each a platform thread that owns its state and runs a duty cycle:
 * drain the requests of each attached channel through its handler, which sends the responses; run up to a budget of
 * tasks ({@link Core#execute}); publish telemetry each interval; then idle: spin, yield, and park until a transition
 * waker (a request, a freed response slot when credit ran out, a task, a new channel, a stop) wakes it. An idle core
 * costs no CPU.
 *
 * <pre>{@code
 * try (DataPlane plane = DataPlane.builder().cores(2).pinning(true).build().start()) {
 *     BridgeClient client = BridgeClient.builder().build();
 *     plane.core(0).attach(client.channel(), request -> request.response().count(request.id()));
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread. {@link #start()} once. {@link #stop} and
 * {@link #close()} from a core thread (a handler, a task, the core's uncaught-exception handler) or from a
 * {@code BridgeClient}'s completion thread (a call's callback) ask every core to stop and return at once (waiting
 * there would wait for the calling thread itself). A stray interrupt of a core thread is cleared and
 * logged; it does not stop the core.
 *
 * <p><b>Pinning</b> is opt-in ({@link Builder#pinning}) and uses OpenHFT Affinity when it is on the class path and
 * works: each core takes a free CPU when it starts (never CPU 0), and one {@code System.Logger} line per core says
 * which, or why it runs unpinned (not asked, Affinity missing, no CPU free); {@link Core#pinning()} says the same.
 * Threads started from a core inherit its CPU mask, so the library's control-plane threads (a {@code BridgeClient}'s
 * completion thread, {@link ControlThreads}) reset themselves to the process's base mask: they never run pinned.
 *
 * <p><b>Lifecycle.</b> {@link #start()} starts the cores. {@link #stop(long, TimeUnit)} is a graceful drain-and-stop:
 * each core asks its channels' control sides to drain ({@code DataHandle.beginDrain}: a {@code BridgeClient}
 * refuses new calls, sends those it accepted, then closes its request side) and keeps serving until nothing waits
 * (those channels closed, no request queued or unanswered on the others, no task) or the deadline passes, then
 * closes its channels' data sides (requests not taken go to their undelivered handlers, and each client fails
 * its pending calls with {@code BridgeClosedException}), runs the tasks it accepted, refuses new ones, and ends.
 * A core still alive 100 ms after the deadline (stuck in a handler) is interrupted once. {@link #close()} is
 * {@code stop} with the builder's close timeout, idempotent. A core that fails ends alone: see {@link Core}.
 */
public final class DataPlane implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(DataPlane.class.getName());
    private static final AtomicInteger PLANES = new AtomicInteger();
    private static final long STOP_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * The longest stop deadline, about 73 years: deadlines are compared by difference ({@code now - deadline >= 0}),
     * which holds only while they lie less than 2^63 ns apart, so a longer timeout ({@code Long.MAX_VALUE} days, say)
     * is this one instead of wrapping round into the past.
     */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE >> 2;

    private final Core[] cores;
    private final List<Core> coreList;
    private final ThreadFactory threadFactory;
    private final long closeTimeoutNanos;
    private final LongSupplier nanoClock;
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int STOPPED = 2;
    /** Orders start() against stop(): the phase and the threads are read and written under it (never while joining). */
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Thread[] threads;
    private int phase = NEW;

    private DataPlane(Builder builder) {
        this.threadFactory = builder.threadFactory != null ? builder.threadFactory : defaultFactory();
        this.closeTimeoutNanos = builder.closeTimeoutNanos;
        this.nanoClock = builder.nanoClock;
        this.cores = new Core[builder.cores];
        for (int i = 0; i < cores.length; i++) {
            cores[i] = new Core(this, i, builder);
        }
        this.coreList = Collections.unmodifiableList(List.of(cores));
        this.threads = new Thread[cores.length];
    }

    /**
     * A builder with the defaults: 1 core, no pinning, daemon threads named {@code tpcbridge-core-<plane>-<index>}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static ThreadFactory defaultFactory() {
        final int plane = PLANES.incrementAndGet();
        final AtomicInteger index = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "tpcbridge-core-" + plane + "-" + index.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts every core's thread, made by the builder's thread factory (one call per core, in index order).
     *
     * @return this plane
     * @throws IllegalStateException if already started or stopped, or the thread factory failed: returned null, a
     *                               thread already started, or the same thread twice, or threw (then its failure is
     *                               the cause); after a failed start the cores that started are stopping and the
     *                               others are closed, so the plane is stopped
     */
    public DataPlane start() {
        lifecycle.lock();
        try {
            if (phase != NEW) {
                throw new IllegalStateException("the data plane was " + (phase == STARTED ? "started" : "stopped")
                    + " already");
            }
            phase = STARTED;
            int made = 0;
            int launched = 0;
            try {
                for (; made < cores.length; made++) {
                    final Core core = cores[made];
                    final Thread thread = threadFactory.newThread(core.runner);
                    checkNew(thread, made);
                    threads[made] = thread;
                    core.runner.thread = thread;
                }
                for (; launched < cores.length; launched++) {
                    threads[launched].start();
                }
            } catch (Throwable failure) {
                for (int i = launched; i < cores.length; i++) {
                    threads[i] = null;
                    cores[i].runner.thread = null;
                    cores[i].runner.closeUnstarted();
                }
                requestStop(nanoClock.getAsLong()); // the cores that started stop at once
                if (failure instanceof IllegalStateException) {
                    throw failure;
                }
                throw new IllegalStateException("starting core " + Math.min(made, launched) + " failed: " + failure,
                    failure);
            }
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** {@code Thread.isVirtual()} on JDK 21+, looked up so that this compiles for 17; null before 21. */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17-20: no virtual threads
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    private void checkNew(Thread thread, int index) {
        String problem = null;
        if (thread == null) {
            problem = "null";
        } else if (thread.getState() != Thread.State.NEW) {
            problem = "a thread already started ('" + thread.getName() + "')";
        } else if (isVirtual(thread)) {
            problem = "a virtual thread ('" + thread.getName() + "'); a core must be a platform thread";
        } else {
            for (int j = 0; j < index; j++) {
                if (threads[j] == thread) {
                    problem = "the thread of core " + j + " again ('" + thread.getName() + "')";
                }
            }
        }
        if (problem != null) {
            throw new IllegalStateException("the thread factory returned " + problem + " for core " + index);
        }
    }

    /**
     * The number of cores.
     *
     * @return the count
     */
    public int size() {
        return cores.length;
    }

    /**
     * One core.
     *
     * @param index from 0 to {@link #size()} - 1
     * @return the core
     * @throws IllegalArgumentException if {@code index} is out of range
     */
    public Core core(int index) {
        if (index < 0 || index >= cores.length) {
            throw new IllegalArgumentException("core index " + index + " is out of range [0, " + cores.length + ")");
        }
        return cores[index];
    }

    /**
     * Every core, in index order.
     *
     * @return an unmodifiable list
     */
    public List<Core> cores() {
        return coreList;
    }

    /**
     * A snapshot of every core's counters, in index order.
     *
     * @return the snapshots
     */
    public List<CoreMetrics> metrics() {
        final List<CoreMetrics> all = new ArrayList<>(cores.length);
        for (Core core : cores) {
            all.add(core.metrics());
        }
        return all;
    }

    /**
     * Stops every core gracefully (see the class comment) and waits until they have ended, or {@code timeout} and a
     * 100 ms grace passed (a core checks its deadline itself, then closes its channels).
     * Idempotent: the first call's deadline holds for the cores, and a later call waits for that deadline at most.
     * From a core thread (or its uncaught-exception handler) it only asks, and returns {@code false}: a core cannot
     * wait for itself. So it does from a {@code BridgeClient}'s completion thread (a call's callback): the drain waits
     * for that client's completion thread to send the calls it accepted, which it can only do once this returns.
     *
     * @param timeout the deadline for the cores' drain, and for this wait; one beyond about 73 years counts as that
     * @param unit    its unit
     * @return {@code true} if every core has ended
     * @throws InterruptedException     if interrupted while waiting (the cores still stop)
     * @throws IllegalArgumentException if {@code unit} is null or {@code timeout < 0}
     */
    public boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout=" + timeout + " must be >= 0");
        }
        final long timeoutNanos = Math.min(unit.toNanos(timeout), MAX_TIMEOUT_NANOS); // toNanos saturates
        final long now = nanoClock.getAsLong();
        final Thread[] started;
        lifecycle.lock();
        try {
            if (phase == NEW) { // never started: nothing runs; close what was given to the cores, here
                phase = STOPPED;
                for (Core core : cores) {
                    core.runner.closeUnstarted();
                }
                return true;
            }
            phase = STOPPED;
            requestStop(now + timeoutNanos);
            started = threads.clone(); // read under the lock: start() wrote them under it
        } finally {
            lifecycle.unlock();
        }
        final Core current = Core.current();
        if ((current != null && current.plane == this) || CompletionThreads.isCurrent()) {
            return false;
        }
        final long waitUntil = now + timeoutNanos + STOP_GRACE_NANOS;
        boolean allEnded = true;
        for (int i = 0; i < started.length; i++) {
            final Thread thread = started[i];
            if (thread == null || thread == Thread.currentThread()) {
                allEnded &= thread == null;
                continue;
            }
            // The core checks its own deadline (at least every millisecond while stopping): a short grace beyond it
            // lets a core that is only closing its channels end on its own.
            final long coreDeadline = cores[i].runner.stopDeadline() + STOP_GRACE_NANOS;
            final long left = Math.min(waitUntil, coreDeadline) - nanoClock.getAsLong();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive() && nanoClock.getAsLong() - coreDeadline >= 0) {
                // Past its deadline and still in a handler: interrupt it once, and give it a moment to end.
                LOGGER.log(System.Logger.Level.WARNING, "data-plane core thread '" + thread.getName()
                    + "' did not stop by its deadline; interrupting it");
                thread.interrupt();
                thread.join(TimeUnit.NANOSECONDS.toMillis(STOP_GRACE_NANOS));
            }
            allEnded &= !thread.isAlive();
        }
        return allEnded;
    }

    /** Asks every core to stop by {@code deadline}, unless asked before. Under the lifecycle lock. */
    private void requestStop(long deadline) {
        for (Core core : cores) {
            core.runner.requestStop(deadline);
            core.signal.signal();
        }
    }

    /**
     * {@link #stop(long, TimeUnit)} with the builder's close timeout; idempotent. Logs a warning if a core outlived
     * it. From a core thread or a client's completion thread, asks every core to stop and returns at once.
     */
    @Override
    public void close() {
        try {
            if (!stop(closeTimeoutNanos, TimeUnit.NANOSECONDS) && Core.current() == null
                && !CompletionThreads.isCurrent()) {
                LOGGER.log(System.Logger.Level.WARNING, "a data-plane core outlived close()'s timeout of "
                    + TimeUnit.NANOSECONDS.toMillis(closeTimeoutNanos) + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the cores still stop; the caller learns of the interrupt
        }
    }

    @Override
    public String toString() {
        return "DataPlane" + coreList;
    }

    /**
     * Builds a {@link DataPlane}. One thread at a time.
     */
    public static final class Builder {
        int cores = 1;
        ThreadFactory threadFactory;
        boolean pinning;
        WaitPolicy idlePolicy = WaitPolicy.DEFAULT;
        int drainLimit = 256;
        int taskBudget = 64;
        int taskCapacity = 1024;
        int telemetryCapacity = 4096;
        long telemetryIntervalNanos = TimeUnit.SECONDS.toNanos(1);
        long closeTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
        LongSupplier nanoClock = System::nanoTime;
        IntFunction<SlabConfig> slabConfig;

        private Builder() {
        }

        /**
         * The number of cores.
         *
         * @param cores from 1 to 1024; default 1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder cores(int cores) {
            if (cores < 1 || cores > 1024) {
                throw new IllegalArgumentException("cores=" + cores + " must be in [1, 1024]");
            }
            this.cores = cores;
            return this;
        }

        /**
         * The factory of the core threads (names, daemon flag, uncaught-exception handler, which receives a core's
         * fatal failure), called once per core at {@link #start()}. It must return a new, unstarted platform thread
         * that runs the given runnable.
         *
         * @param threadFactory the factory; default: daemon threads named {@code tpcbridge-core-<plane>-<index>}
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Checks.notNull("threadFactory", threadFactory);
            return this;
        }

        /**
         * Whether each core pins its thread to a free CPU (see {@link DataPlane}). Optional at run time: without
         * OpenHFT Affinity, or with no CPU free, a core runs unpinned and says so.
         *
         * @param pinning {@code true} to pin; default {@code false}
         * @return this builder
         */
        public Builder pinning(boolean pinning) {
            this.pinning = pinning;
            return this;
        }

        /**
         * The idle backoff: cycles that did nothing spin, then yield, then park.
         *
         * @param policy the spins and yields before a park; default {@link WaitPolicy#DEFAULT}
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder idle(WaitPolicy policy) {
            this.idlePolicy = Checks.notNull("policy", policy);
            return this;
        }

        /**
         * The most requests a core takes from one channel per cycle.
         *
         * @param limit at least 1; default 256
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder drainLimit(int limit) {
            this.drainLimit = Checks.positive("drainLimit", limit);
            return this;
        }

        /**
         * The most tasks a core runs per cycle, so tasks cannot starve the channels.
         *
         * @param budget at least 1; default 64
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder taskBudget(int budget) {
            this.taskBudget = Checks.positive("taskBudget", budget);
            return this;
        }

        /**
         * The slots of each core's task ring: the bound of its task intake from other threads
         * ({@link Core#offerTask} answers {@code FULL} beyond it, {@link Core#sendTask} waits, {@link Core#execute}
         * throws {@code RejectedExecutionException}).
         *
         * @param capacity from 1 to 2^20, rounded up to a power of two; default 1024
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder taskCapacity(int capacity) {
            this.taskCapacity = Checks.powerOfTwoCapacity("taskCapacity", capacity, 1 << 20);
            return this;
        }

        /**
         * The samples each core's telemetry buffer holds until an exporter drains them.
         *
         * @param capacity from 1 to 2^24, rounded up to a power of two; default 4096
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder telemetryCapacity(int capacity) {
            this.telemetryCapacity = Checks.powerOfTwoCapacity("telemetryCapacity", capacity, 1 << 24);
            return this;
        }

        /**
         * How often a busy core writes its own samples (counter increments and changed gauges) into its telemetry.
         *
         * @param interval at least 1 ms
         * @param unit     its unit
         * @return this builder
         * @throws IllegalArgumentException if {@code unit} is null or the interval is below 1 ms
         */
        public Builder telemetryInterval(long interval, TimeUnit unit) {
            Checks.notNull("unit", unit);
            final long nanos = unit.toNanos(interval);
            if (nanos < TimeUnit.MILLISECONDS.toNanos(1)) {
                throw new IllegalArgumentException("telemetry interval " + interval + " " + unit + " is below 1 ms");
            }
            this.telemetryIntervalNanos = nanos;
            return this;
        }

        /**
         * The deadline {@link DataPlane#close()} gives the cores to drain and stop.
         *
         * @param timeout 0 or more
         * @param unit    its unit
         * @return this builder
         * @throws IllegalArgumentException if {@code unit} is null or {@code timeout < 0}
         */
        public Builder closeTimeout(long timeout, TimeUnit unit) {
            Checks.notNull("unit", unit);
            if (timeout < 0) {
                throw new IllegalArgumentException("closeTimeout=" + timeout + " must be >= 0");
            }
            this.closeTimeoutNanos = unit.toNanos(timeout);
            return this;
        }

        /**
         * The clock of the stop deadline, the telemetry interval and the samples' time stamps.
         *
         * @param nanoClock a monotonic nanosecond clock; default {@link System#nanoTime()}
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * Gives each core its own slab pool ({@link Core#slabPool()}), built from the configuration returned for its
         * index (give each a distinct pool id).
         *
         * @param configOf the configuration of core {@code i}'s pool
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder slabPools(IntFunction<SlabConfig> configOf) {
            this.slabConfig = Checks.notNull("configOf", configOf);
            return this;
        }

        /**
         * Builds the plane, its cores not started yet: attach channels and give tasks before or after
         * {@link DataPlane#start()}.
         *
         * @return the plane
         */
        public DataPlane build() {
            if (pinning) {
                CpuAffinity.base(); // reads the base CPU mask now, on this (control-plane) thread, before a core pins
            }
            return new DataPlane(this);
        }
    }
}
