package dev.tpcbridge.runtime;

import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.EnvelopeHandler;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.RequestHandler;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.telemetry.TelemetryBuffer;
import dev.tpcbridge.wake.WakeSignal;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One core of a {@link DataPlane}: a platform thread that owns its state (the channels attached to it, its slab
 * pool, its telemetry buffer) and runs the duty cycle described on {@link DataPlane}.
 *
 * <p><b>Threads.</b> Every method here may be called from any thread, the core's own included:
 * {@link #attach} and {@link #execute} hand work to the core through lock-free queues and wake it;
 * the getters are snapshots. What the core owns is touched only by the core thread: a handler, a task, or code on
 * the core writing its {@link #telemetry()}.
 *
 * <p><b>Visibility.</b> What a thread wrote before {@link #attach} or {@link #execute} is visible to the handler or
 * task when it runs on the core (the queues publish with release/acquire or volatile semantics).
 *
 * <p><b>Faults.</b> A {@code RuntimeException} from a handler is isolated: counted, logged by the channel, answered
 * with the channel's failure answer ({@code ERROR} for envelopes). A {@code RuntimeException} from a task is counted
 * and logged. An {@link Error} from either, or any fault of the loop itself, ends the core: it becomes
 * {@link CoreState#FAILED}, each attached channel's data side fails with the cause
 * ({@code DataHandle.fail}, so a {@code BridgeClient} fails its pending calls with
 * {@code CoreFailedException}), tasks already accepted still run (on the dying core thread, failures logged), its
 * slab pool stops allocating but every page still owned stays readable until released, and the thread's
 * uncaught-exception handler receives the cause.
 */
public final class Core implements Executor {
    private static final ThreadLocal<Core> CURRENT = new ThreadLocal<>();

    final DataPlane plane;
    final int index;
    final CoreCounters counters = new CoreCounters();
    final WakeSignal signal = WakeSignal.create();
    final WakingRing<Runnable> tasks;
    /**
     * Tasks the core gives itself while its ring is full: core thread only. Bounded by the core's own production
     * (it runs them itself, in order, after the ring's), so a core never waits on, or fails, a task of its own.
     */
    final ArrayDeque<Runnable> ownTasks = new ArrayDeque<>();
    final ConcurrentLinkedQueue<Attachment<?, ?>> registrations = new ConcurrentLinkedQueue<>();
    final TelemetryBuffer telemetry;
    final SlabPool slabPool;
    final CoreLoop loop;
    final CoreTelemetry telemetryWriter;
    final CoreRunner runner;

    Core(DataPlane plane, int index, DataPlane.Builder config) {
        this.plane = plane;
        this.index = index;
        this.telemetry = TelemetryBuffer.create(config.telemetryCapacity, config.nanoClock);
        this.slabPool = config.slabConfig == null ? null : SlabPool.create(config.slabConfig.apply(index));
        this.tasks = WakingRing.<Runnable>builder().capacity(config.taskCapacity).multiProducer(true)
            .onUndelivered(this::onUndeliveredTask) // at the core's close: accepted tasks still run
            .build();
        this.loop = new CoreLoop(this, config.drainLimit, config.taskBudget);
        this.telemetryWriter = new CoreTelemetry(this, config.telemetryIntervalNanos, config.nanoClock);
        this.runner = new CoreRunner(this, config);
    }

    private void onUndeliveredTask(Runnable task) {
        runner.onUndeliveredTask(task);
    }

    /**
     * The core whose thread is calling, or {@code null} when the caller is not a core thread. Any thread.
     *
     * @return the calling thread's core, or null
     */
    public static Core current() {
        return CURRENT.get();
    }

    static void setCurrent(Core core) {
        if (core == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(core);
        }
    }

    /**
     * This core's index in its plane, from 0.
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /**
     * The core's thread's name once started, else {@code "core-<index>"}.
     *
     * @return the name
     */
    public String name() {
        final Thread t = runner.thread;
        return t == null ? "core-" + index : t.getName();
    }

    /**
     * Where the core is in its life.
     *
     * @return the state
     */
    public CoreState state() {
        return runner.state;
    }

    /**
     * Why the core failed, or {@code null} if it did not.
     *
     * @return the cause, or null
     */
    public Throwable failure() {
        return runner.failure;
    }

    /**
     * Whether the calling thread is this core's thread.
     *
     * @return {@code true} on the core
     */
    public boolean isCoreThread() {
        return runner.thread == Thread.currentThread();
    }

    /**
     * The CPU the core's thread is pinned to, or -1 when it is not (not asked, not available, no CPU free, or not
     * started yet): {@link #pinning()} says which.
     *
     * @return the CPU, or -1
     */
    public int pinnedCpu() {
        return runner.pinnedCpu();
    }

    /**
     * What pinning did for this core, in words: the CPU, or why the core runs unpinned. The same text was logged when
     * the core started.
     *
     * @return the description
     */
    public String pinning() {
        return runner.pinning();
    }

    /**
     * The core's telemetry buffer: the core writes its own samples into it each telemetry interval, code running on
     * the core may write more (its writer is bound to the core thread), and one exporter drains it.
     *
     * @return the buffer
     */
    public TelemetryBuffer telemetry() {
        return telemetry;
    }

    /**
     * The core's own slab pool (see {@link DataPlane.Builder#slabPools}), or {@code null} when the plane has none.
     * Senders on any thread lease pages from it for requests to this core; the core allocates its answers' pages from
     * it. Stops allocating when the core ends; pages still owned stay readable until released.
     *
     * @return the pool, or null
     */
    public SlabPool slabPool() {
        return slabPool;
    }

    /**
     * A snapshot of the core's counters. Allocates the snapshot.
     *
     * @return the metrics
     */
    public CoreMetrics metrics() {
        final Channels channels = loop.channels();
        return new CoreMetrics(index, runner.state, counters.cycles(), channels.requests(), channels.failures(),
            counters.tasksRun(), counters.taskFailures(), runner.parks(), channels.size(), telemetry.dropped(),
            runner.pinnedCpu());
    }

    /**
     * Attaches a channel: from its next cycle the core pins the channel's data side to its thread and drains its
     * requests through {@code handler}, on the core thread, until the control side closes (then the core closes the
     * data side and lets the channel go) or the core ends (then the data side is closed, or failed with the core's
     * failure). A handler that returns {@code null} answers later through {@code channel.data().offer(...)}, from the
     * core thread.
     *
     * @param channel the channel, whose data side no thread has pinned
     * @param handler its handler, run on the core thread only
     * @param <Req>   the request type
     * @param <Rsp>   the response type
     * @throws IllegalArgumentException if an argument is null, or the channel's data side is already pinned
     * @throws IllegalStateException    if the core has stopped or failed
     */
    public <Req, Rsp> void attach(BridgeChannel<Req, Rsp> channel, RequestHandler<Req, Rsp> handler) {
        Checks.notNull("channel", channel);
        Checks.notNull("handler", handler);
        if (channel.data().isPinned()) {
            throw new IllegalArgumentException("the channel's data side is pinned to a thread already ("
                + channel.data() + "): attach a channel to one core only, once");
        }
        final Attachment<Req, Rsp> attachment = new Attachment<>(channel, handler);
        if (runner.isClosed()) {
            throw new IllegalStateException(refusal("attach a channel"), runner.failure);
        }
        registrations.add(attachment);
        // Volatile read after the add: pairs with the core's write of `closed` before its last poll of registrations
        // (see CoreLoop.finish): either the core sees the add, or this thread sees the close and takes it back.
        if (runner.isClosed() && registrations.remove(attachment)) {
            throw new IllegalStateException(refusal("attach a channel"), runner.failure);
        }
        signal.signal();
    }

    /**
     * {@link #attach(BridgeChannel, RequestHandler)} for the library's envelopes, so that a lambda can be the handler
     * (it is the {@link EnvelopeHandler#onRequest} of an {@link EnvelopeHandler}).
     *
     * @param channel the channel, whose data side no thread has pinned
     * @param handler its handler, run on the core thread only
     * @throws IllegalArgumentException if an argument is null, or the channel's data side is already pinned
     * @throws IllegalStateException    if the core has stopped or failed
     */
    public void attach(BridgeChannel<Request, Response> channel, EnvelopeHandler handler) {
        attach(channel, (RequestHandler<Request, Response>) handler);
    }

    /**
     * Runs {@code task} on the core thread, in a later duty cycle (at most the plane's task budget per cycle, after
     * the requests), so that it may touch core-owned state. Never waits, lock-free, allocates nothing. The intake is
     * bounded: the plane's task capacity ({@code DataPlane.Builder.taskCapacity}) for other threads; when it is full,
     * {@link OfferStatus#FULL} (the task stays with the caller: retry, {@link #sendTask wait}, or offload it). A task
     * the core gives itself is never refused for room: behind a full ring it waits in a core-local queue, in order.
     * Tasks from one thread run in the order given. Any thread, the core included. A {@code RuntimeException} from
     * the task is counted and logged; an {@link Error} ends the core.
     *
     * @param task the task
     * @return {@link OfferStatus#OK}, {@link OfferStatus#FULL} (from another thread only), or
     *         {@link OfferStatus#CLOSED} if the core has stopped or failed (a task accepted before that still runs,
     *         unless the plane was stopped before this core ever started: then the tasks given to it are dropped,
     *         counted in a logged warning)
     * @throws IllegalArgumentException if {@code task} is null
     */
    public OfferStatus offerTask(Runnable task) {
        Checks.notNull("task", task);
        if (runner.isClosed()) {
            return OfferStatus.CLOSED;
        }
        if (runner.thread != Thread.currentThread()) {
            return tasks.offer(task); // wakes the core if it parks on the ring
        }
        if (ownTasks.isEmpty()) { // once the core's own tasks queue locally, later ones follow them there (order)
            final OfferStatus status = tasks.offer(task);
            if (status != OfferStatus.FULL) {
                return status;
            }
        }
        ownTasks.addLast(task); // the core is running: it looks at this queue before it idles
        return OfferStatus.OK;
    }

    /**
     * Runs {@code task} on the core thread as {@link #offerTask} does, waiting for room in the task ring while it is
     * full (woken when the core takes tasks; oldest waiter first). For threads that may block; on the core itself it
     * never waits (see {@link #offerTask}).
     *
     * @param task the task
     * @return {@link OfferStatus#OK}, or {@link OfferStatus#CLOSED} if the core has stopped or failed (the task stays
     *         with the caller)
     * @throws IllegalArgumentException if {@code task} is null
     * @throws InterruptedException     if interrupted while waiting (the task stays with the caller)
     */
    public OfferStatus sendTask(Runnable task) throws InterruptedException {
        final OfferStatus status = offerTask(task);
        return status == OfferStatus.FULL ? tasks.send(task) : status;
    }

    /**
     * {@link #sendTask(Runnable)} waiting at most {@code timeout}.
     *
     * @param task    the task
     * @param timeout the longest wait; 0 or less: no wait
     * @param unit    its unit
     * @return {@link OfferStatus#OK}, {@link OfferStatus#FULL} at the timeout, or {@link OfferStatus#CLOSED} (the
     *         task stays with the caller unless {@code OK})
     * @throws IllegalArgumentException if {@code task} or {@code unit} is null
     * @throws InterruptedException     if interrupted while waiting (the task stays with the caller)
     */
    public OfferStatus sendTask(Runnable task, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        final OfferStatus status = offerTask(task);
        return status == OfferStatus.FULL ? tasks.send(task, timeout, unit) : status;
    }

    /**
     * The {@link Executor} form of {@link #offerTask}: never waits, and refuses what {@code offerTask} refuses, as
     * the {@code Executor} contract says, with an exception.
     *
     * @param task the task
     * @throws IllegalArgumentException   if {@code task} is null
     * @throws RejectedExecutionException if the task ring is full (the message names its capacity) or the core has
     *                                    stopped or failed
     */
    @Override
    public void execute(Runnable task) {
        final OfferStatus status = offerTask(task);
        if (status == OfferStatus.FULL) {
            throw new RejectedExecutionException("cannot run a task: core " + index + " ('" + name()
                + "') has " + tasks.capacity() + " tasks waiting (its task capacity): use sendTask to wait for room,"
                + " offerTask to get the status as a value, or a larger DataPlane.Builder.taskCapacity");
        }
        if (status == OfferStatus.CLOSED) {
            throw refused("run a task");
        }
    }

    private RejectedExecutionException refused(String what) {
        return new RejectedExecutionException(refusal(what), runner.failure);
    }

    private String refusal(String what) {
        final CoreState now = runner.state;
        final Throwable failure = runner.failure;
        return "cannot " + what + ": core " + index + " ('" + name() + "') is "
            + (now.isTerminal() ? now : "closing") + (failure != null ? ", failed with " + failure : "");
    }

    @Override
    public String toString() {
        return "Core[" + index + ", " + name() + ", " + runner.state + ", " + runner.pinning() + "]";
    }
}
