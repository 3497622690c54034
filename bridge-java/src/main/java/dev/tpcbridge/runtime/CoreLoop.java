package dev.tpcbridge.runtime;

import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.wake.Wakeable;

/**
 * A core's duty cycle: take the channels given to it, drain each channel's requests through its handler (which sends
 * the answers), run up to the task budget of tasks. A released slab page goes straight back on its pool's free stack
 * from the releasing thread, so pages need no step here. Core thread only, but {@link #channels()}, read by any
 * thread.
 */
final class CoreLoop {
    private static final System.Logger LOGGER = System.getLogger(DataPlane.class.getName());

    private final Core core;
    private final int drainLimit;
    private final int taskBudget;
    private final ElementHandler<Runnable> taskRunner = this::runTask;
    /** Published (volatile) on each attach and detach, so that any thread reads a consistent set. */
    private volatile Channels channels = Channels.NONE;
    /** What ends the core's idle park: its signal, its tasks, each channel's request side. */
    private Wakeable sources;
    /** Whether beginDrain() ran: channels attached later are asked to drain at once. */
    private boolean draining;

    CoreLoop(Core core, int drainLimit, int taskBudget) {
        this.core = core;
        this.drainLimit = drainLimit;
        this.taskBudget = taskBudget;
        this.sources = Wakeable.anyOf(core.signal, core.tasks.readable());
    }

    /** One cycle; returns the work done (0: nothing, idle). */
    int doWork() {
        int work = 0;
        if (!core.registrations.isEmpty()) {
            work += applyRegistrations();
        }
        work += serveChannels();
        work += runTasks();
        if (work == 0) {
            // About to idle: take the signal so that the park can arm on it, then look again at what signals announce
            // (a channel, a stop): one that came before the take is seen here, one after it leaves the signal set and
            // the park returns at once. The core's own queued tasks are its own: nobody signals them.
            core.signal.poll();
            if (!core.registrations.isEmpty() || !core.ownTasks.isEmpty()) {
                work = 1;
            }
        }
        return work;
    }

    Wakeable sources() {
        return sources;
    }

    Channels channels() {
        return channels;
    }

    int channelCount() {
        return channels.size();
    }

    /** Requests taken and not yet answered, over every channel. Core thread. */
    int unanswered() {
        int unanswered = 0;
        for (Attachment<?, ?> a : channels.attached) {
            unanswered += a.data.unanswered();
        }
        return unanswered;
    }

    private int applyRegistrations() {
        int applied = 0;
        Attachment<?, ?> next;
        while ((next = core.registrations.poll()) != null) {
            applied++;
            if (channels.contains(next.channel)) {
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": " + next.channel
                    + " is attached already; the second attach is ignored");
                continue;
            }
            try {
                next.data.pin();
            } catch (IllegalStateException e) {
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + " cannot attach " + next.channel + ": "
                    + e.getMessage());
                continue;
            }
            publish(channels.with(next));
            if (draining) {
                next.data.beginDrain();
            }
        }
        return applied;
    }

    private int serveChannels() {
        int work = 0;
        for (Attachment<?, ?> a : channels.attached) {
            try {
                work += a.serve(drainLimit);
            } catch (RuntimeException e) { // a handler broke its contract (no answer, no fallback): isolated
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": a handler of " + a.channel
                    + " failed without an answer; the request was dropped, the core goes on", e);
                work++;
            }
            if (a.data.isClosed() && a.data.unanswered() == 0) { // nothing more will come, nothing is owed: let go
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
            publish(channels.without(gone));
        }
    }

    private void publish(Channels next) {
        Wakeable[] all = new Wakeable[next.size() + 2];
        all[0] = core.signal;
        all[1] = core.tasks.readable();
        for (int i = 0; i < next.size(); i++) {
            all[i + 2] = next.attached[i].data.requestsReadable();
        }
        sources = Wakeable.anyOf(all);
        channels = next;
    }

    private int runTasks() {
        int ran = core.tasks.drain(taskRunner, taskBudget);
        if (ran < taskBudget && !core.ownTasks.isEmpty()) {
            Runnable task;
            while (ran < taskBudget && (task = core.ownTasks.pollFirst()) != null) {
                ran++;
                runTask(task);
            }
        }
        return ran;
    }

    /** A task of the duty cycle: a RuntimeException is isolated, an Error ends the core. */
    private void runTask(Runnable task) {
        try {
            task.run();
            core.counters.addTaskRun();
        } catch (RuntimeException e) {
            core.counters.addTaskFailure();
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": a task failed; the core goes on", e);
        }
    }

    /** The core is stopping: asks every channel's control side to finish. */
    void beginDrain() {
        draining = true;
        for (Attachment<?, ?> a : channels.attached) {
            a.data.beginDrain();
        }
    }

    /** Nothing waits: no task, no registration, and every channel drained (see {@code DataHandle.isDrained}). */
    boolean isQuiet() {
        for (Attachment<?, ?> a : channels.attached) {
            if (!a.data.isDrained()) {
                return false;
            }
        }
        return core.tasks.isEmpty() && core.ownTasks.isEmpty() && core.registrations.isEmpty();
    }

    /**
     * Closes what the core owns, on the core thread, as it ends: tasks first (one may carry an answer the handler
     * deferred, which the channels must still take), then the channels (failed with {@code cause} when the core
     * failed), then the tasks that raced the close.
     */
    void finish(Throwable cause) {
        runLeftovers();
        core.runner.markClosed(); // volatile write before the last polls below: pairs with attach()/execute()
        for (Attachment<?, ?> a : channels.attached) {
            closeChannel(a, cause);
        }
        Attachment<?, ?> late;
        while ((late = core.registrations.poll()) != null) {
            closeChannel(late, cause);
        }
        channels = channels.withoutAll(); // their counts stay the core's: a stopped core's metrics do not drop
        runLeftovers();
        try {
            core.tasks.closeConsumer(); // hands any task that raced the close to runLeftover, then refuses offers
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": closing the task ring failed", e);
        }
        runLeftovers();
    }

    /** Runs every task accepted so far, ring then the core's own, each failure logged and isolated. */
    private void runLeftovers() {
        Runnable task;
        do {
            while (core.tasks.drain(this::runLeftover, Integer.MAX_VALUE) > 0) {
                // tasks accepted before the close run now, on the core thread
            }
            while ((task = core.ownTasks.pollFirst()) != null) {
                runLeftover(task); // it may give the core another task: the outer loop takes it
            }
        } while (!core.tasks.isEmpty());
    }

    /** A task accepted before the core closed, run while it closes: any failure is logged, the next still runs. */
    void runLeftover(Runnable task) {
        try {
            task.run();
            core.counters.addTaskRun();
        } catch (Throwable e) {
            core.counters.addTaskFailure();
            LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": a task run at the close failed", e);
        }
    }

    static void closeChannel(Attachment<?, ?> a, Throwable cause) {
        try {
            if (cause != null) {
                a.data.fail(cause);
            } else {
                a.data.close();
            }
        } catch (Throwable e) { // an undelivered-element handler failed: the close took effect, the others go on
            LOGGER.log(System.Logger.Level.WARNING, "closing " + a.channel + " failed", e);
        }
    }
}
