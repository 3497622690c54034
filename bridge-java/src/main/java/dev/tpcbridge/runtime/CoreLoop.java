package dev.tpcbridge.runtime;

import dev.tpcbridge.internal.CpuAffinity;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.telemetry.MetricKind;
import dev.tpcbridge.telemetry.TelemetryBuffer;
import dev.tpcbridge.wake.WakeableIdleStrategy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.LongSupplier;

/**
 * A core's duty cycle, as an Agrona {@link Agent} run by an {@code AgentRunner} on the core thread. Everything here
 * but {@link #parks()} and {@link #channelCount()} is core-thread only: plain fields.
 *
 * <p>One cycle: take new channels; drain each channel's requests through its handler (which sends the answers);
 * run up to the task budget of tasks; slab pages need no step here, since a release puts its page straight back on
 * the pool's free stack from the releasing thread; every 64 cycles, publish telemetry if its interval passed; then
 * the runner idles through the {@link WakeableIdleStrategy} over every source, whose last step parks until a
 * channel, the task ring or the core's signal (new channel, overflowing task, stop) wakes it. Before that park, a
 * core with samples not yet published (a burst that ended between two intervals) publishes them if their interval
 * passed, and otherwise parks only until it has, so an idle core's telemetry is never left behind; once everything
 * is published, the park has no timeout. The clock is read once per park, not per idle spin.
 */
final class CoreLoop implements Agent {
    private static final System.Logger LOGGER = System.getLogger(DataPlane.class.getName());
    private static final Attachment<?, ?>[] NONE = new Attachment<?, ?>[0];
    /** While stopping, parks end after this, so the stop's deadline is seen even if nothing wakes the core. */
    private static final long STOPPING_PARK_NANOS = 1_000_000L;

    private final Core core;
    private final boolean pin;
    private final int drainLimit;
    private final int taskBudget;
    private final long telemetryIntervalNanos;
    private final LongSupplier nanoClock;
    private final int idleSpins;
    private final int idleYields;
    private final ElementHandler<Runnable> taskRunner = this::runTask;
    private Attachment<?, ?>[] attached = NONE;
    private CoreWakeables wakeables;
    private WakeableIdleStrategy running;
    /** Parks at once, for one telemetry interval at most: instead of {@link #running}'s park while samples wait. */
    private WakeableIdleStrategy flushing;
    private WakeableIdleStrategy stopping;
    /**
     * The work the last cycle did, for the idle strategy: the runner itself is always told 1 (see {@link #doWork()}).
     * Core thread only.
     */
    private int lastWork;
    private boolean isStopping;
    /** Set just before this loop throws its own AgentTerminationException, to tell it from one a handler threw. */
    private boolean terminating;
    /** Set when the core's close began; core thread (or its wrapper, on the same thread). */
    private boolean finished;
    /** Set by closeUnstarted, on the stopping thread, before the task ring's close: the core never ran. */
    private volatile boolean neverStarted;
    private long droppedTasks;
    private long strayInterrupts;
    private Object pinLock;
    private long nextTelemetry;
    private volatile int channelCount;
    private int requestsMetric;
    private int failuresMetric;
    private int tasksMetric;
    private int parksMetric;
    private int channelsMetric;
    private int outstandingMetric;
    private int slabMetric;
    private long sentRequests;
    private long sentFailures;
    private long sentTasks;
    private long sentParks;
    private long sentChannels = -1;
    private long sentOutstanding = -1;
    private long sentSlab = -1;

    CoreLoop(Core core, DataPlane.Builder config) {
        this.core = core;
        this.pin = config.pinning;
        this.drainLimit = config.drainLimit;
        this.taskBudget = config.taskBudget;
        this.telemetryIntervalNanos = config.telemetryIntervalNanos;
        this.nanoClock = config.nanoClock;
        this.idleSpins = config.idleSpins;
        this.idleYields = config.idleYields;
    }

    /** After the core's queues exist; on the building thread, before the core thread starts. */
    void init() {
        wakeables = new CoreWakeables(core.signal, core.tasks.readable());
        running = WakeableIdleStrategy.create(idleSpins, idleYields, wakeables);
        flushing = WakeableIdleStrategy.create(0, 0, telemetryIntervalNanos, wakeables);
        stopping = WakeableIdleStrategy.create(idleSpins, idleYields, STOPPING_PARK_NANOS, wakeables);
        final TelemetryBuffer t = core.telemetry;
        requestsMetric = t.register("core.requests", MetricKind.COUNTER);
        failuresMetric = t.register("core.handler_failures", MetricKind.COUNTER);
        tasksMetric = t.register("core.tasks", MetricKind.COUNTER);
        parksMetric = t.register("core.parks", MetricKind.COUNTER);
        channelsMetric = t.register("core.channels", MetricKind.GAUGE);
        outstandingMetric = t.register("core.outstanding", MetricKind.GAUGE);
        slabMetric = core.slabPool == null ? -1 : t.register("core.slab_available", MetricKind.GAUGE);
    }

    /**
     * The idle strategy for the runner. It idles on the work of the last cycle ({@link #lastWork}), not on the count
     * the runner passes (always 1, see {@link #doWork()}): a cycle that did work resets every backoff; an idle one
     * takes the next step of the untimed strategy (whose park, while samples wait, is preceded by their publication
     * or replaced by a park that ends at the next telemetry interval), or of the timed one once stopping. It clears a
     * stray interrupt before and after idling (logged), so that the park does not return at once forever: a core
     * stops through {@link DataPlane#stop}, and a stop past its deadline ends the core in {@link #checkStop} instead.
     */
    IdleStrategy idleStrategy() {
        return new IdleStrategy() {
            @Override
            public void idle(int workCount) {
                clearInterrupt();
                if (lastWork > 0) {
                    resetAll();
                } else {
                    idleStep();
                }
                clearInterrupt();
            }

            @Override
            public void idle() {
                clearInterrupt();
                idleStep();
                clearInterrupt();
            }

            @Override
            public void reset() {
                resetAll();
            }

            @Override
            public String alias() {
                return "tpcbridge-core";
            }
        };
    }

    private void resetAll() {
        running.reset();
        stopping.reset();
    }

    private void idleStep() {
        if (isStopping) {
            stopping.idle();
            return;
        }
        if (running.parksNext() && hasUnpublished()) { // once per park: spins and yields read no clock
            final long now = nanoClock.getAsLong();
            if (now - nextTelemetry >= 0) {
                publishTelemetryWhileIdle();
                nextTelemetry = now + telemetryIntervalNanos;
            }
            if (hasUnpublished()) {
                flushing.idle(); // until the next interval at most, then this again
                return;
            }
        }
        running.idle();
    }

    /** The idle path's publication: a failure is logged and the core goes on (the last one at the close retries). */
    private void publishTelemetryWhileIdle() {
        try {
            publishTelemetry();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": publishing telemetry failed", e);
        }
    }

    /** Logged at the 1st, 2nd, 4th, 8th... stray interrupt, so that a storm of them cannot flood the log. */
    private void clearInterrupt() {
        if (Thread.interrupted() && !core.stopRequested && Long.bitCount(++strayInterrupts) == 1) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " was interrupted (by a handler, a task "
                + "or another thread; " + strayInterrupts + " time(s) so far); the interrupt is cleared and the core "
                + "goes on: stop it with DataPlane.stop");
        }
    }

    long parks() {
        return running.parks() + flushing.parks() + stopping.parks();
    }

    int channelCount() {
        return channelCount;
    }

    @Override
    public String roleName() {
        return "tpcbridge-core-" + core.index;
    }

    @Override
    public void onStart() {
        try {
            Core.setCurrent(core);
            core.telemetry.bindWriter();
            pinThread();
            core.state = core.stopRequested ? CoreState.STOPPING : CoreState.RUNNING;
            isStopping = core.stopRequested;
            nextTelemetry = nanoClock.getAsLong() + telemetryIntervalNanos;
        } catch (Throwable t) {
            recordFailure(t);
            throw t;
        }
    }

    private void pinThread() {
        final String thread = "core " + core.index + " (thread '" + Thread.currentThread().getName() + "')";
        if (!pin) {
            core.pinning = "not pinned: pinning was not asked for";
            LOGGER.log(System.Logger.Level.DEBUG, thread + " runs unpinned: pinning was not asked for");
            return;
        }
        final Object outcome = CpuAffinity.pinCurrentThread();
        if (outcome instanceof String) {
            core.pinning = "not pinned: " + outcome;
            LOGGER.log(System.Logger.Level.WARNING, thread + " runs unpinned: " + outcome);
            return;
        }
        pinLock = outcome;
        final int cpu = CpuAffinity.cpuOf(outcome);
        core.pinnedCpu = cpu;
        core.pinning = "pinned to CPU " + cpu;
        LOGGER.log(System.Logger.Level.INFO, thread + " pinned to CPU " + cpu);
    }

    @Override
    public int doWork() {
        try {
            int work = 0;
            if (!core.registrations.isEmpty()) {
                work += applyRegistrations();
            }
            work += serveChannels();
            work += runTasks();
            core.counters.addCycle();
            if ((core.counters.cycles & 63) == 0 && nanoClock.getAsLong() - nextTelemetry >= 0) {
                publishTelemetry();
                nextTelemetry = nanoClock.getAsLong() + telemetryIntervalNanos;
            }
            if (work == 0) {
                // About to idle: take the signal so that the park can arm on it, then look again at what signals
                // announce (a channel, an overflowing task, a stop): one that came before the take is seen here, one
                // after it leaves the signal set and the park returns at once.
                core.signal.take();
                if (!core.registrations.isEmpty() || !core.overflow.isEmpty()) {
                    work = 1;
                }
            }
            if (core.stopRequested) {
                checkStop(work);
            }
            lastWork = work;
            // Never 0: Agrona's runner ends its loop when a cycle that did no work finds the thread interrupted after
            // idling, and an interrupt landing just after the idle strategy cleared it would stop the core silently.
            // The idle strategy idles on lastWork instead.
            return 1;
        } catch (AgentTerminationException e) {
            if (terminating) {
                throw e;
            }
            recordFailure(e);
            terminating = true;
            throw e;
        } catch (Throwable t) {
            recordFailure(t); // first, allocating nothing: if what follows fails too, the thread's wrapper closes
            terminating = true;
            throw new AgentTerminationException(t);
        }
    }

    private int applyRegistrations() {
        int applied = 0;
        Attachment<?, ?> next;
        while ((next = core.registrations.poll()) != null) {
            applied++;
            if (isAttached(next)) {
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": " + next.channel
                    + " is attached already; the second attach is ignored");
                continue;
            }
            try {
                next.data.pin();
            } catch (IllegalStateException e) {
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " cannot attach " + next.channel
                    + ": " + e.getMessage());
                continue;
            }
            final Attachment<?, ?>[] grown = java.util.Arrays.copyOf(attached, attached.length + 1);
            grown[attached.length] = next;
            attached = grown;
            wakeables.add(next.data.requestsReadable());
            channelCount = grown.length;
            if (isStopping) {
                next.data.requestDrain();
            }
        }
        return applied;
    }

    private boolean isAttached(Attachment<?, ?> candidate) {
        for (Attachment<?, ?> a : attached) {
            if (a.channel == candidate.channel) {
                return true;
            }
        }
        return false;
    }

    private int serveChannels() {
        int work = 0;
        final Attachment<?, ?>[] all = attached;
        for (Attachment<?, ?> a : all) {
            try {
                work += a.serve(drainLimit);
            } catch (RuntimeException e) { // a handler broke its contract (no answer, no fallback): isolated,
                // already counted by the Attachment
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": a handler of " + a.channel
                    + " failed without an answer; the request was dropped, the core goes on", e);
                work++;
            }
            if (a.data.isClosed()) { // the control side closed and every request was taken: let the channel go
                detach(a);
                work++;
            }
        }
        return work;
    }

    private void detach(Attachment<?, ?> gone) {
        try {
            gone.data.close();
        } finally {
            final Attachment<?, ?>[] all = attached;
            final Attachment<?, ?>[] next = new Attachment<?, ?>[all.length - 1];
            for (int i = 0, j = 0; i < all.length; i++) {
                if (all[i] != gone) {
                    next[j++] = all[i];
                }
            }
            attached = next;
            wakeables.remove(gone.data.requestsReadable());
            channelCount = next.length;
        }
    }

    private int runTasks() {
        int ran = core.tasks.drain(taskRunner, taskBudget);
        if (ran < taskBudget && !core.overflow.isEmpty()) {
            Runnable task;
            while (ran < taskBudget && (task = core.overflow.poll()) != null) {
                ran++;
                runTask(task);
            }
        }
        return ran;
    }

    /** Runs a task of the duty cycle: a RuntimeException is isolated, an Error ends the core. */
    void runTask(Runnable task) {
        try {
            task.run();
            core.counters.addTaskRun();
        } catch (RuntimeException e) {
            core.counters.addTaskFailure();
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": a task failed; the core goes on", e);
        }
    }

    /** The task ring's undelivered-element handler: runs the task at the close, or drops it if never started. */
    void onUndeliveredTask(Runnable task) {
        if (neverStarted) {
            droppedTasks++;
        } else {
            runLeftover(task);
        }
    }

    /**
     * Closes a core whose thread never started, on the stopping thread: its channels' data sides are closed; the
     * tasks given to it are dropped, counted and logged (there is no core thread to run them on, and the state they
     * were meant to touch belongs to a core that never existed).
     */
    void closeUnstarted() {
        neverStarted = true;
        finished = true;
        core.closed = true; // volatile write before the polls below: pairs with the re-check in attach()/execute()
        Attachment<?, ?> late;
        while ((late = core.registrations.poll()) != null) {
            closeChannel(late, null);
        }
        droppedTasks += core.tasks.drain(task -> { }, Integer.MAX_VALUE);
        core.tasks.closeConsumer(); // a task racing the close is dropped by onUndeliveredTask
        while (core.overflow.poll() != null) {
            droppedTasks++;
        }
        if (droppedTasks > 0) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " was closed before it started: "
                + droppedTasks + " task(s) given to it were dropped, never run");
        }
        if (core.slabPool != null) {
            core.slabPool.close();
        }
        core.state = CoreState.STOPPED;
    }

    /** Runs a task accepted before the core closed, while it closes: any failure is logged, the next still runs. */
    void runLeftover(Runnable task) {
        try {
            task.run();
            core.counters.addTaskRun();
        } catch (Throwable e) {
            core.counters.addTaskFailure();
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": a task run at the close failed", e);
        }
    }

    private void checkStop(int work) {
        if (!isStopping) {
            isStopping = true;
            core.state = CoreState.STOPPING;
            for (Attachment<?, ?> a : attached) {
                a.data.requestDrain(); // a client sends what it accepted, then closes its request side
            }
        }
        final boolean late = nanoClock.getAsLong() - core.stopDeadline >= 0;
        if ((work == 0 && isQuiet()) || late) {
            if (late && !isQuiet()) {
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " stops at its deadline with work "
                    + "left: requests not taken go to their channels' undelivered handlers, their callers fail");
            }
            terminating = true;
            throw new AgentTerminationException("core " + core.index + " stopped");
        }
    }

    /**
     * Nothing waits: no task, no registration, and on every channel no request queued or unanswered; a channel whose
     * control side honours drains (a client) is awaited until that side closed its requests and the core let the
     * channel go, since calls it accepted may not have reached the ring yet.
     */
    private boolean isQuiet() {
        for (Attachment<?, ?> a : attached) {
            if (a.data.isDrainHonoured() || a.data.outstanding() != 0 || a.data.queuedRequests() != 0) {
                return false;
            }
        }
        return core.tasks.isEmpty() && core.overflow.isEmpty() && core.registrations.isEmpty();
    }

    /** Records the core's failure (the first one wins); logged when the core closes. Allocates nothing. */
    void recordFailure(Throwable cause) {
        if (core.failure == null) {
            core.failure = cause;
        }
    }

    @Override
    public void onClose() {
        closeOnce();
    }

    /**
     * Ends the core, once: from {@link #onClose()}, or from the thread's wrapper when the runner ended without it
     * (an {@code Error} thrown where the runner does not catch it, such as in {@code onStart} or the idle strategy).
     */
    void closeOnce() {
        if (finished) {
            return;
        }
        finished = true;
        final Throwable cause = core.failure;
        try {
            if (cause != null) {
                LOGGER.log(System.Logger.Level.ERROR, "core " + core.index + " ('" + Thread.currentThread().getName()
                    + "') failed and ends; its channels fail with it", cause);
            }
            finish(cause);
        } finally {
            if (pinLock != null) {
                CpuAffinity.release(pinLock);
                pinLock = null;
            }
            // Volatile write after the close: whoever sees the terminal state sees the channels closed and the
            // tasks run.
            core.state = cause == null ? CoreState.STOPPED : CoreState.FAILED;
            if (cause != null) {
                reportUncaught(cause); // still the current core: a handler calling DataPlane.close() does not wait
            }
            Core.setCurrent(null);
        }
    }

    /** Closes what the core owns, on the core thread. */
    private void finish(Throwable cause) {
        // Tasks first: a task may carry an answer the handler deferred, which the channels must still take.
        runLeftovers();
        // Volatile write before the last polls below: pairs with the re-check in attach()/execute().
        core.closed = true;
        for (Attachment<?, ?> a : attached) {
            closeChannel(a, cause);
        }
        attached = NONE;
        channelCount = 0;
        Attachment<?, ?> late;
        while ((late = core.registrations.poll()) != null) {
            closeChannel(late, cause);
        }
        runLeftovers();
        try {
            core.tasks.closeConsumer(); // hands any task that raced the close to runLeftover, then refuses offers
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": closing the task ring failed", e);
        }
        runLeftovers();
        if (core.slabPool != null) {
            core.slabPool.close(); // stops allocation only: pages still owned stay readable until released
        }
        try {
            publishTelemetry();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": the last telemetry failed", e);
        }
    }

    /** Runs every task accepted so far, ring then overflow, each failure logged and isolated. */
    private void runLeftovers() {
        while (core.tasks.drain(this::runLeftover, Integer.MAX_VALUE) > 0) {
            // tasks accepted before the close run now, on the core thread
        }
        Runnable task;
        while ((task = core.overflow.poll()) != null) {
            runLeftover(task);
        }
    }

    private void closeChannel(Attachment<?, ?> a, Throwable cause) {
        try {
            if (cause != null) {
                a.data.fail(cause);
            } else {
                a.data.close();
            }
        } catch (Throwable e) { // an undelivered-element handler failed: the close took effect, the others go on
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": closing " + a.channel + " failed", e);
        }
    }

    private void reportUncaught(Throwable cause) {
        final Thread thread = Thread.currentThread();
        try {
            final Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
            if (handler != null) {
                handler.uncaughtException(thread, cause);
            }
        } catch (Throwable e) {
            LOGGER.log(System.Logger.Level.WARNING, "the uncaught-exception handler of '" + thread.getName()
                + "' failed", e);
        }
    }

    /**
     * Whether a sample is still unpublished: a counter moved or a gauge changed since the last publish. The parks
     * counter does not count, or every timed park would call for another; it goes with the next publish. Nor does
     * anything while the buffer is full: with no exporter draining, waking to publish would only count drops.
     */
    private boolean hasUnpublished() {
        if (core.telemetry.size() >= core.telemetry.capacity()) {
            return false;
        }
        final CoreCounters c = core.counters;
        if (c.requests != sentRequests || c.handlerFailures != sentFailures || c.tasksRun != sentTasks
            || attached.length != sentChannels
            || (core.slabPool != null && core.slabPool.available() != sentSlab)) {
            return true;
        }
        return outstanding() != sentOutstanding;
    }

    /** Requests taken and not answered yet, over every attached channel. */
    private int outstanding() {
        int outstanding = 0;
        for (Attachment<?, ?> a : attached) {
            outstanding += a.data.outstanding();
        }
        return outstanding;
    }

    private void publishTelemetry() {
        final TelemetryBuffer t = core.telemetry;
        final CoreCounters c = core.counters;
        sentRequests = counter(t, requestsMetric, c.requests, sentRequests);
        sentFailures = counter(t, failuresMetric, c.handlerFailures, sentFailures);
        sentTasks = counter(t, tasksMetric, c.tasksRun, sentTasks);
        sentParks = counter(t, parksMetric, parks(), sentParks);
        sentChannels = gauge(t, channelsMetric, attached.length, sentChannels);
        sentOutstanding = gauge(t, outstandingMetric, outstanding(), sentOutstanding);
        if (core.slabPool != null) {
            sentSlab = gauge(t, slabMetric, core.slabPool.available(), sentSlab);
        }
    }

    /** Writes the increment since the last sample written, if any; returns the total the exporter now has. */
    private static long counter(TelemetryBuffer t, int metric, long total, long sent) {
        if (total == sent) {
            return sent;
        }
        return t.counter(metric, total - sent) ? total : sent; // a dropped increment is sent with the next one
    }

    /** Writes the level if it changed since the last sample written; returns the level the exporter now has. */
    private static long gauge(TelemetryBuffer t, int metric, long level, long sent) {
        if (level == sent) {
            return sent;
        }
        return t.gauge(metric, level) ? level : sent;
    }
}
