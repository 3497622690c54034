package dev.tpcbridge.runtime;

import dev.tpcbridge.telemetry.CoreFailedEvent;
import dev.tpcbridge.telemetry.CoreParkEvent;

import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waiter;

import java.util.function.LongSupplier;

/**
 * A core thread's body and the core's life: start (pin, bind telemetry), run the duty cycle and idle between cycles
 * until a stop has drained or passed its deadline (or a fault ends the core), then close what the core owns. The
 * lifecycle fields are written here, on the core thread (or by the stopping thread for a core that never started),
 * and read through {@link Core} by any thread.
 *
 * <p>A plain loop rather than Agrona's {@code AgentRunner}, which ends a duty cycle when an interrupt is seen after an
 * idle cycle: a core must outlive stray interrupts (cleared and logged here) and stop only through
 * {@link DataPlane#stop}.
 */
final class CoreRunner implements Runnable {
    private static final System.Logger LOGGER = System.getLogger(DataPlane.class.getName());
    /** While stopping, parks end after this, so the stop's deadline is seen even if nothing wakes the core. */
    private static final long STOPPING_PARK_NANOS = 1_000_000L;

    private final Core core;
    private final CoreLoop loop;
    private final CoreTelemetry telemetry;
    private final Pinning pinning;
    private final LongSupplier nanoClock;
    /** Idles with no timeout; parks at once until the next telemetry interval; parks at most 1 ms while stopping. */
    private final Waiter running;
    private final Waiter flushing = Waiter.create(WaitPolicy.PARK);
    private final Waiter stoppingIdle;

    volatile CoreState state = CoreState.NEW;
    volatile Throwable failure;
    volatile Thread thread;
    /** The core refuses new channels and tasks; see Core.execute() for the hand-off at the close. */
    private volatile boolean closed;
    /** A stop was asked; the deadline is valid. The stopper writes the deadline, then the flag. */
    private volatile boolean stopRequested;
    private volatile long stopDeadline;
    /** Set by closeUnstarted on the stopping thread before the task ring's close: the core never ran. */
    private volatile boolean neverStarted;
    private boolean stopping;
    private boolean finished;
    private long droppedTasks;
    private long strayInterrupts;

    CoreRunner(Core core, DataPlane.Builder config) {
        this.core = core;
        this.loop = core.loop;
        this.telemetry = core.telemetryWriter;
        this.pinning = new Pinning(config.pinning);
        this.nanoClock = config.nanoClock;
        this.running = Waiter.create(config.idlePolicy);
        this.stoppingIdle = Waiter.create(config.idlePolicy);
    }

    @Override
    public void run() {
        try {
            start();
            while (cycle()) {
                // until the stop drained or passed its deadline
            }
        } catch (Throwable t) {
            recordFailure(t); // first, allocating nothing: closeOnce logs it and hands it on
        } finally {
            closeOnce();
        }
    }

    private void start() {
        Core.setCurrent(core);
        telemetry.start();
        pinning.pin(core.index);
        state = stopRequested ? CoreState.STOPPING : CoreState.RUNNING;
    }

    /** One duty cycle and its idle step; false once the core should end. */
    private boolean cycle() {
        final int work = loop.doWork();
        core.counters.addCycle();
        telemetry.afterCycle(work, core.counters.cycles);
        if (stopRequested && shouldEnd(work)) {
            return false;
        }
        clearStrayInterrupt(); // a park would return at once, for ever
        idle(work);
        return true;
    }

    private void idle(int work) {
        if (work > 0) {
            running.reset();
            stoppingIdle.reset();
        } else if (stopping) {
            stoppingIdle.idle(loop.sources(), STOPPING_PARK_NANOS);
        } else {
            // until the next telemetry interval if samples wait to be published (then look again), else until woken
            final boolean flush = running.parksNext() && telemetry.pendingBeforePark();
            final Waiter idler = flush ? flushing : running;
            final long limit = flush ? telemetry.intervalNanos() : Long.MAX_VALUE;
            if (CoreParkEvent.enabled()) { // a recording wants the parks: time those that happen
                final long parks = idler.parks();
                final CoreParkEvent event = new CoreParkEvent(core.index);
                event.begin();
                idler.idle(loop.sources(), limit);
                if (idler.parks() != parks) {
                    event.commit();
                }
            } else {
                idler.idle(loop.sources(), limit);
            }
        }
    }

    /** Logged at the 1st, 2nd, 4th, 8th... stray interrupt, so that a storm of them cannot flood the log. */
    private void clearStrayInterrupt() {
        if (Thread.interrupted() && !stopRequested && Long.bitCount(++strayInterrupts) == 1) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " was interrupted (by a handler, a task or "
                + "another thread; " + strayInterrupts + " time(s) so far); the interrupt is cleared and the core goes "
                + "on: stop it with DataPlane.stop");
        }
    }

    /** A stop was asked: drain (the first time), then end once quiet or late. */
    private boolean shouldEnd(int work) {
        if (!stopping) {
            stopping = true;
            state = CoreState.STOPPING;
            loop.beginDrain(); // a client sends what it accepted, then closes its request side
        }
        final boolean late = nanoClock.getAsLong() - stopDeadline >= 0;
        if (work == 0 && loop.isQuiet()) {
            return true;
        }
        if (late && !loop.isQuiet()) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " stops at its deadline with work left: "
                + "requests not taken go to their channels' undelivered handlers, their callers fail");
        }
        return late;
    }

    // ---------------------------------------------------------------- asked by other threads

    /** The stopper: asks the core to stop by {@code deadline}, unless asked before; the caller signals the core. */
    void requestStop(long deadline) {
        if (!stopRequested) {
            stopDeadline = deadline;
            stopRequested = true; // volatile write after the deadline: the core reads them in this order
        }
    }

    long stopDeadline() {
        return stopDeadline;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    long parks() {
        return running.parks() + flushing.parks() + stoppingIdle.parks();
    }

    int pinnedCpu() {
        return pinning.cpu();
    }

    String pinning() {
        return pinning.description();
    }

    /** Records the core's failure (the first one wins); logged when the core closes, and a JFR event. */
    void recordFailure(Throwable cause) {
        if (failure == null) {
            failure = cause;
            new CoreFailedEvent(core.index, cause).commit(); // recorded only if a recording enables it
        }
    }

    // ---------------------------------------------------------------- the end

    /** Ends the core, once, on its thread. */
    private void closeOnce() {
        if (finished) {
            return;
        }
        finished = true;
        final Throwable cause = failure;
        try {
            if (cause != null) {
                LOGGER.log(System.Logger.Level.ERROR, "core " + core.index + " ('" + Thread.currentThread().getName()
                    + "') failed and ends; its channels fail with it", cause);
            }
            loop.finish(cause);
            if (core.slabPool != null) {
                core.slabPool.close(); // stops allocation only: pages still owned stay readable until released
            }
            try {
                telemetry.publish();
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": the last telemetry failed", e);
            }
        } finally {
            pinning.release();
            // Volatile write after the close: whoever sees the terminal state sees the channels closed, tasks run.
            state = cause == null ? CoreState.STOPPED : CoreState.FAILED;
            if (cause != null) {
                reportUncaught(cause); // still the current core: a handler calling DataPlane.close() does not wait
            }
            Core.setCurrent(null);
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
     * Closes a core whose thread never started, on the stopping thread: its channels' data sides are closed; the tasks
     * given to it are dropped, counted and logged (no core thread exists to run them on).
     */
    void closeUnstarted() {
        neverStarted = true;
        finished = true;
        closed = true; // volatile write before the polls below: pairs with the re-check in attach()/execute()
        Attachment<?, ?> late;
        while ((late = core.registrations.poll()) != null) {
            CoreLoop.closeChannel(late, null);
        }
        // Closed before anything is taken out: draining first would free room that a sender waiting in sendTask could
        // take, and be told OK for a task about to be dropped. Every buffered task, and any racing the close, goes to
        // onUndeliveredTask, which counts it; a waiting sender wakes to CLOSED.
        core.tasks.closeConsumer();
        if (droppedTasks > 0) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " was closed before it started: "
                + droppedTasks + " task(s) given to it were dropped, never run");
        }
        if (core.slabPool != null) {
            core.slabPool.close();
        }
        state = CoreState.STOPPED;
    }

    /** The task ring's undelivered-element handler: runs the task at the close, or drops it if never started. */
    void onUndeliveredTask(Runnable task) {
        if (neverStarted) {
            droppedTasks++;
        } else {
            loop.runLeftover(task);
        }
    }
}
