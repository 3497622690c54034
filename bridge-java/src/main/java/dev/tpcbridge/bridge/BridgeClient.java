package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.PressureListener;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.CompletionThreads;
import dev.tpcbridge.internal.CpuAffinity;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The thread-safe client of one data-plane core: many caller threads (platform or virtual) make calls, each answered
 * through a {@link BridgeCall}, the {@code CompletableFuture} it returns. A call that is answered allocates that
 * future and nothing else, on any thread (the caller's, the completion thread, the core); a failed call also
 * allocates its exception, and a caller that has to wait for intake room its waiter.
 *
 * <pre>{@code
 * BridgeClient client = BridgeClient.builder(BridgeChannel.forEnvelopes()).build();
 * BridgeChannel.DataHandle<Request, Response> core = client.channel().data();   // for the data-plane thread
 * Request request = Request.create();                      // the caller's, reusable: the call copies it
 * BridgeCall<byte[]> call = client.call(request.tenant(7).payload(bytes, 0, n), Response::payloadBytes);
 * }</pre>
 *
 * <p><b>How it works.</b> A call copies the request's fields into the {@code BridgeCall} and offers it to the
 * {@link Intake} (a multi-producer ring by default; its order is the intake's policy). One completion thread, made
 * by the builder's {@link ThreadFactory}, moves calls from the intake into pooled {@link Request} envelopes and sends
 * them through the channel's single-producer request ring, takes the answers from the response ring, correlates each
 * with its call through the envelope (no map, no id lookup), and completes the call: with {@link ResponseDecoder}'s
 * value for {@code OK}/{@code PARTIAL}, with {@link BridgeCallException} for {@code DEADLINE_EXCEEDED}/{@code ERROR},
 * cancelled for {@code CANCELLED}. Calls are completed on that thread, never on the data-plane core. It waits on the
 * project's wake protocol (the intake's and the channel's conditions), so an idle client costs no CPU.
 *
 * <p><b>Threads.</b> {@code call}, {@code tryCall}, {@link #close()} and the queries: any thread. The client owns the
 * channel's control handle: do not use {@code channel().control()}; the data handle belongs to the data plane.
 *
 * <p><b>Giving up.</b> {@code cancel}, {@code orTimeout} or any completion of a call by its caller means "I gave up":
 * a call still in the intake is dropped (its slab page released), one already sent is answered {@code CANCELLED} by
 * the data side without running, and its envelope comes back with that answer. A request's deadline (on the
 * channel's nano clock) bounds its wait before running: it is answered {@code DEADLINE_EXCEEDED}, not run, by the
 * client if it passed before sending, else by the data side. To bound the whole trip, use {@code orTimeout}. A
 * call is looked at when its turn to be sent comes: while the client waits for room or for an envelope, calls behind
 * in the intake wait too (a cancelled one keeps its slab page until then).
 *
 * <p><b>Closing and faults.</b> {@link #close()} refuses new calls, delivers the answers already received, fails
 * every other pending call with {@link BridgeClosedException}, closes the control side, and returns once the
 * completion thread has ended. When the data side closes (its core stops, or a supervisor reports it lost), the
 * client delivers the answers sent before, then fails every pending call with {@link BridgeClosedException} (its
 * subclass {@link CoreFailedException}, with the core's failure as the cause, when the core died) and closes itself.
 * When the core stops gracefully it first asks for a drain ({@link BridgeChannel.DataHandle#requestDrain()}): the
 * client then refuses new calls with {@link BridgeClosedException}, sends every call it had accepted, and closes its
 * request side, so those calls are answered before the core lets the channel go.
 * The completion thread never runs on a pinned core's CPU, even when the client is built on that core: it resets
 * itself to the process's base CPU mask first. Every call is completed exactly once; nothing waits forever on a closed side.
 *
 * <p><b>Slab pages.</b> A request may carry its payload as a slab page ({@link Request#slabPayload}) if the client was
 * built with the page's {@link Builder#slabPool pool}. The page belongs to the client once a call takes it (to the
 * caller again if the call is refused at once: rejected or closed); to the data side once sent; the client releases
 * it if the call is dropped before sending. An answer's page goes to the decoder; if nobody decodes it (the caller
 * gave up, or the status is not {@code OK}/{@code PARTIAL}) the client releases it.
 */
public final class BridgeClient implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(BridgeClient.class.getName());
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final VarHandle STATE;
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int TERMINATED = 2;
    /** The data side's failure when that is why the client ends, or null; completion thread only. */
    private Throwable coreFailure;
    /** The data side asked for a drain and the intake was closed; completion thread only. */
    private boolean draining;
    /** The request side was closed at the end of a drain; completion thread only. */
    private boolean requestsClosed;
    /** Responses taken per drain; sends are one per envelope. */
    private static final int DRAIN_LIMIT = 256;
    private static final int SPINS = 100;
    private static final int YIELDS = 10;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BridgeClient.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the completion thread waits for when it has nothing to do. */
    private enum Blocked { NOTHING_TO_SEND, NO_ROOM, NO_ENVELOPE, BACK_PRESSURED, CLOSED }

    private final BridgeChannel<Request, Response> channel;
    private final BridgeChannel.ControlHandle<Request, Response> control;
    private final Intake intake;
    private final SlabPool slabPool;
    private final LongSupplier nanoClock;
    private final Thread completer;
    private final Waker waker;
    private final PressureListener pressureListener;
    private final Request[] envelopes;
    private final ElementHandler<Response> answers = this::onAnswer;
    private volatile int state;

    // Completion thread only.
    private final Request[] free;
    private int freeCount;
    private BridgeCall<?> pending;
    private Blocked blocked = Blocked.NOTHING_TO_SEND;

    private BridgeClient(Builder builder) {
        this.slabPool = builder.slabPool;
        if (builder.nanoClock != null) {
            builder.channel.nanoClock(builder.nanoClock);
        }
        this.nanoClock = builder.channel.nanoClock();
        this.intake = builder.intake != null ? builder.intake : new FifoIntake(builder.intakeCapacity, nanoClock);
        this.channel = builder.channel
            .onUndeliveredRequest(this::onUndeliveredRequest)
            // Both may run on the data side's thread (a sweep finishes on whichever side sees the close last): they only
            // release pages, from any thread; the calls are failed by terminate() on the completion thread.
            .onUndeliveredResponse(this::onUnansweredResponse)
            .onDroppedResponse(this::onUnansweredResponse)
            .build();
        this.control = channel.control();
        // At most every request slot plus every response slot (the data side holds no more unanswered requests
        // than the response ring has slots): the envelopes never run out while the channel has room.
        final int count = channel.requestCapacity() + channel.responseCapacity();
        this.envelopes = new Request[count];
        this.free = new Request[count];
        for (int i = 0; i < count; i++) {
            envelopes[i] = Request.create();
            free[i] = envelopes[i];
        }
        this.freeCount = count;
        // A client built on a pinned core must not leave its completion thread on that core's CPU (threads inherit
        // their creator's mask): it goes back to the base mask first.
        final Thread thread = builder.threadFactory.newThread(() -> {
            CpuAffinity.unpinCurrentThread();
            CompletionThreads.markCurrent(); // a DataPlane.stop from a call's callback must not wait for this thread
            runCompleter();
        });
        if (thread == null) {
            throw new IllegalStateException("threadFactory returned null");
        }
        this.completer = thread;
        control.bind(thread); // from now on only the completion thread may use the control handle
        control.honourDrainRequests(); // a stopping core waits for the calls accepted before its stop
        this.waker = Waker.of(thread);
        this.pressureListener = (from, to) -> {
            if (from == PressureState.SUSPENDED) {
                LockSupport.unpark(thread); // sends may go on: see Blocked.BACK_PRESSURED in idle()
            }
        };
        channel.backpressure().addListener(pressureListener);
        thread.start();
    }

    /**
     * A builder for a client of the channel {@code channel} will build (from {@link BridgeChannel#forEnvelopes()}).
     * The client builds the channel itself, so that it can install its undelivered-element handlers and clock.
     *
     * @param channel the channel's builder, configured but not built
     * @return a new builder
     * @throws IllegalArgumentException if {@code channel} is null
     */
    public static Builder builder(BridgeChannel.Builder<Request, Response> channel) {
        return new Builder(Checks.notNull("channel", channel));
    }

    /**
     * The channel; its {@link BridgeChannel#data() data handle} is for the data plane, its control handle is the
     * client's.
     *
     * @return the channel
     */
    public BridgeChannel<Request, Response> channel() {
        return channel;
    }

    /**
     * Makes a call, waiting for room in the intake as long as it takes. Any thread; blocks only while the intake is
     * full (parking: virtual threads do not pin their carrier). From a stage running on the completion thread it
     * never waits (that thread is the one that empties the intake): a full intake rejects the call at once.
     *
     * @param request the request: its fields are copied, so the caller may reuse it at once (a byte payload's array
     *                is referenced, not copied: leave it unchanged until the call completes)
     * @param decoder turns an {@code OK}/{@code PARTIAL} answer into the future's value, on the completion thread
     * @param <T>     the value type
     * @return the call, also when refused: then already failed with {@link BridgeClosedException}
     * @throws InterruptedException     if interrupted before or while waiting (nothing was sent)
     * @throws IllegalArgumentException if an argument is null, or the request carries a slab page and the client has
     *                                  no {@link Builder#slabPool pool}
     */
    public <T> BridgeCall<T> call(Request request, ResponseDecoder<T> decoder) throws InterruptedException {
        return call(request, decoder, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Makes a call, waiting for room in the intake up to {@code timeout}.
     *
     * @param request as for {@link #call(Request, ResponseDecoder)}
     * @param decoder as for {@link #call(Request, ResponseDecoder)}
     * @param timeout the longest wait for room; 0 or less does not wait
     * @param unit    its unit
     * @param <T>     the value type
     * @return the call; if refused already failed: with {@link BridgeCallException} ({@code isRejected()}) when the
     *         intake stayed full, with {@link BridgeClosedException} when closed
     * @throws InterruptedException     if interrupted before or while waiting (nothing was sent)
     * @throws IllegalArgumentException as for {@link #call(Request, ResponseDecoder)}, or if {@code unit} is null
     */
    public <T> BridgeCall<T> call(Request request, ResponseDecoder<T> decoder, long timeout, TimeUnit unit)
        throws InterruptedException {
        Checks.notNull("unit", unit);
        final BridgeCall<T> call = newCall(request, decoder);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (state != OPEN) {
            return refusedClosed(call);
        }
        if (timeout <= 0 || Thread.currentThread() == completer) { // the completer waiting for room would wait forever
            return accepted(call, intake.offer(call));
        }
        return accepted(call, intake.offer(call, timeout, unit));
    }

    /**
     * Makes a call if the intake has room, without waiting. Any thread; lock-free.
     *
     * @param request as for {@link #call(Request, ResponseDecoder)}
     * @param decoder as for {@link #call(Request, ResponseDecoder)}
     * @param <T>     the value type
     * @return the call; if refused already failed, as for {@link #call(Request, ResponseDecoder, long, TimeUnit)}
     * @throws IllegalArgumentException as for {@link #call(Request, ResponseDecoder)}
     */
    public <T> BridgeCall<T> tryCall(Request request, ResponseDecoder<T> decoder) {
        final BridgeCall<T> call = newCall(request, decoder);
        if (state != OPEN) {
            return refusedClosed(call);
        }
        return accepted(call, intake.offer(call));
    }

    /**
     * The condition "{@link #tryCall} may find room in the intake now, or the client is closed": what a caller that
     * must not block a thread (a suspended coroutine) waits on after a call was rejected because the intake was
     * full. Any thread; see {@link Wakeable} for the protocol (a wake is a hint: try again).
     *
     * @return the condition
     */
    public Wakeable intakeWritable() {
        return intake.writable();
    }

    private <T> BridgeCall<T> newCall(Request request, ResponseDecoder<T> decoder) {
        Checks.notNull("request", request);
        Checks.notNull("decoder", decoder);
        if (request.slabHandle() != 0 && slabPool == null) {
            throw new IllegalArgumentException("request=" + request + " carries a slab page, but the client has no "
                + "pool to release it to if the call is dropped: build it with slabPool(pool)");
        }
        return new BridgeCall<>(request, decoder);
    }

    private <T> BridgeCall<T> accepted(BridgeCall<T> call, OfferStatus status) {
        switch (status) {
            case OK:
                return call;
            case FULL:
                call.fail(new BridgeCallException("request id=" + call.id()
                    + ": rejected, the client's intake is full", null, 0, true));
                return call;
            default:
                return refusedClosed(call);
        }
    }

    private static <T> BridgeCall<T> refusedClosed(BridgeCall<T> call) {
        call.fail(new BridgeClosedException("request id=" + call.id()
            + ": the client is closed (or its core is stopping)"));
        return call;
    }

    /**
     * Calls waiting in the intake; a snapshot. Any thread.
     *
     * @return the count
     */
    public int queued() {
        return intake.size();
    }

    /**
     * Whether the client no longer takes calls: it was closed, or the data side closed. Any thread.
     *
     * @return {@code true} once closing or closed
     */
    public boolean isClosed() {
        return state != OPEN;
    }

    /**
     * Closes the client (see the class comment) and waits for the completion thread to end, unless called from it
     * (from a callback). Idempotent; any thread. An interrupt does not cut the wait short: it is kept set for the
     * caller.
     */
    @Override
    public void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            intake.close(); // later calls are refused; wakes the completer if it waits for calls
            LockSupport.unpark(completer); // and if it waits for anything else (it re-reads the state before parking)
        }
        if (Thread.currentThread() == completer) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                completer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "BridgeClient[state=" + (state == OPEN ? "open" : state == CLOSING ? "closing" : "closed")
            + ", queued=" + queued() + ", " + channel + "]";
    }

    // ---------------------------------------------------------------- completion thread

    private void runCompleter() {
        String reason = "the client was closed";
        try {
            reason = serve();
        } catch (Throwable t) {
            reason = "the client's completion thread failed: " + t;
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient completion thread failed; failing every call", t);
            throw t;
        } finally {
            terminate(reason);
        }
    }

    /** Serves until the client closes or the data side does; returns why. */
    private String serve() {
        int idleCycles = 0;
        while (true) {
            int work = control.drain(answers, DRAIN_LIMIT);
            work += dispatch();
            if (state != OPEN) {
                return "the client was closed";
            }
            if (control.isDrainRequested()) {
                drain();
            }
            if (control.isClosed()) {
                coreFailure = channel.failure(); // read after the close was seen: see BridgeChannel.failure()
                return coreFailure != null ? "the data side's core failed before answering: " + coreFailure
                    : "the data side closed (its core stopped or was lost) before answering";
            }
            if (work > 0) {
                idleCycles = 0;
            } else {
                idle(idleCycles++);
            }
        }
    }

    /**
     * The core is stopping: refuse new calls (the intake closes), keep sending the ones accepted, and once the intake
     * is empty close the request side, so that the core answers them all and then ends the channel. Completion thread.
     */
    private void drain() {
        if (!draining) {
            draining = true;
            intake.close(); // new calls fail with BridgeClosedException; those accepted are still sent
        }
        if (!requestsClosed && pending == null && intake.isClosedForPoll()) {
            requestsClosed = true;
            control.closeRequests();
        }
    }

    /** Moves calls from the intake into envelopes and sends them, until one cannot go; returns the calls handled. */
    private int dispatch() {
        int handled = 0;
        while (true) {
            BridgeCall<?> call = pending;
            if (call == null) {
                if (freeCount == 0) {
                    blocked = Blocked.NO_ENVELOPE;
                    return handled;
                }
                call = intake.poll();
                if (call == null) {
                    blocked = Blocked.NOTHING_TO_SEND;
                    return handled;
                }
            }
            if (call.isGivenUp()) { // the caller gave up before it was sent
                pending = null;
                releasePage(call.slabHandle());
                handled++;
                continue;
            }
            if (call.deadline() != Request.NO_DEADLINE && Request.isPast(call.deadline(), nanoClock.getAsLong())) {
                pending = null;
                releasePage(call.slabHandle());
                call.fail(ResponseStatus.DEADLINE_EXCEEDED, 0, "deadline exceeded before it could be sent, not run");
                handled++;
                continue;
            }
            if (freeCount == 0) {
                pending = call;
                blocked = Blocked.NO_ENVELOPE;
                return handled;
            }
            final Request envelope = free[--freeCount];
            free[freeCount] = null;
            call.copyTo(envelope);
            final BridgeStatus status = control.send(envelope);
            if (status == BridgeStatus.OK) {
                pending = null;
                handled++;
                continue;
            }
            envelope.recycle();
            free[freeCount++] = envelope;
            pending = call;
            blocked = status == BridgeStatus.FULL ? Blocked.NO_ROOM
                : status == BridgeStatus.BACK_PRESSURED ? Blocked.BACK_PRESSURED : Blocked.CLOSED;
            return handled;
        }
    }

    /** An answer (or, during our own close, an answer swept from the ring): completes its call, frees its envelope. */
    private void onAnswer(Response response) {
        final Request envelope = response.request();
        final BridgeCall<?> call = envelope.call();
        final long page = response.slabHandle();
        if (call == null) { // answered twice by a handler that broke its contract: the envelope is free already
            releasePage(page);
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient got a second answer for one request; dropped: "
                + response);
            return;
        }
        if (!call.answer(response)) {
            releasePage(page); // nobody decoded it: the caller gave up, or the status carries no value
        }
        envelope.recycle();
        free[freeCount++] = envelope;
    }

    /** Data side's closing thread (maybe the core): a request never taken; its call fails on the completion thread. */
    private void onUndeliveredRequest(Request request) {
        releasePage(request.slabHandle());
    }

    /** Any thread: an answer swept at a close or dropped by a closed ring; its call fails in terminate(). */
    private void onUnansweredResponse(Response response) {
        releasePage(response.slabHandle());
    }

    private void releasePage(long handle) {
        if (handle == 0) {
            return;
        }
        try {
            if (slabPool != null) {
                slabPool.release(handle);
                return;
            }
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient has no slab pool: page " + SlabHandle.toString(handle)
                + " of an undecoded answer is not released (build the client with slabPool(pool))");
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient could not release page " + SlabHandle.toString(handle),
                e);
        }
    }

    /**
     * Nothing was done: spin, then yield, then park on what can unblock the client now. The answers' condition always
     * (an answer frees an envelope, a close ends the wait); the intake's when there is nothing to send; the request
     * ring's room when it was full; the pressure listener's unpark when back-pressured; close() unparks as well.
     */
    private void idle(int idleCycles) {
        if (idleCycles < SPINS) {
            Thread.onSpinWait();
            return;
        }
        if (idleCycles < SPINS + YIELDS) {
            Thread.yield();
            return;
        }
        final Wakeable other;
        switch (blocked) {
            case NOTHING_TO_SEND:
                other = intake.readable();
                break;
            case NO_ROOM:
                other = control.requestsWritable();
                break;
            default:
                other = null;
                break;
        }
        final Wakeable answersReady = control.responsesReadable();
        if (!answersReady.arm(waker)) {
            return;
        }
        try {
            if (other != null && !other.arm(waker)) {
                return;
            }
            try {
                // volatile read after arming: close() writes the state before its unpark, so either we see it here
                // or its unpark's permit makes this park return at once.
                // ... and so is the drain request: requestDrain() writes it, then wakes the response ring's armed
                // readers, where this thread armed above.
                if (state == OPEN && (!control.isDrainRequested() || draining)) {
                    LockSupport.park(this);
                }
            } finally {
                if (other != null) {
                    other.disarm(waker);
                }
            }
        } finally {
            answersReady.disarm(waker);
        }
    }

    /** Fails what is left, closes the control side, refuses new calls. Completion thread, once. */
    private void terminate(String reason) {
        STATE.setVolatile(this, CLOSING); // no-op after close(); after a data-side close, refuses new calls
        intake.close();
        channel.backpressure().removeListener(pressureListener);
        RuntimeException failure = null;
        try {
            while (control.drain(answers, DRAIN_LIMIT) > 0) {
                // answers already received are delivered, not failed
            }
            final BridgeClosedException closed = coreFailure != null ? new CoreFailedException(reason, coreFailure)
                : new BridgeClosedException(reason);
            if (pending != null) {
                releasePage(pending.slabHandle());
                pending.fail(closed);
                pending = null;
            }
            while (!intake.isClosedForPoll()) {
                final BridgeCall<?> call = intake.poll();
                if (call == null) {
                    Thread.onSpinWait(); // a caller's offer that raced the close is still publishing
                    continue;
                }
                releasePage(call.slabHandle());
                call.fail(closed);
            }
            try {
                // answers that raced in since the drain above are swept to onUnansweredResponse (pages released);
                // their calls fail below with the others
                control.close();
            } catch (RuntimeException e) {
                failure = e;
            }
            for (Request envelope : envelopes) {
                final BridgeCall<?> call = envelope.call();
                if (call != null && !call.fail(closed) && !call.isDone()) {
                    call.forceFail(closed); // claimed by an answer that never finished: end it anyway
                }
            }
        } finally {
            STATE.setVolatile(this, TERMINATED);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Builds a {@link BridgeClient}. One thread at a time.
     */
    public static final class Builder {
        private final BridgeChannel.Builder<Request, Response> channel;
        private int intakeCapacity = 4096;
        private Intake intake;
        private SlabPool slabPool;
        private LongSupplier nanoClock;
        private ThreadFactory threadFactory = runnable -> {
            final Thread thread = new Thread(runnable, "tpcbridge-client-" + THREAD_NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };

        private Builder(BridgeChannel.Builder<Request, Response> channel) {
            this.channel = channel;
        }

        /**
         * Sets the capacity of the default FIFO intake.
         *
         * @param capacity the least number of calls waiting to be sent (rounded up to a power of two)
         * @return this builder
         */
        public Builder intakeCapacity(int capacity) {
            this.intakeCapacity = capacity;
            return this;
        }

        /**
         * Sets the intake, for another ordering policy than FIFO.
         *
         * @param intake the intake, not null, used by this client only
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder intake(Intake intake) {
            this.intake = Checks.notNull("intake", intake);
            return this;
        }

        /**
         * Sets the pool of the slab pages requests and answers may carry, to which the client releases the pages
         * of calls it drops and of answers nobody decodes.
         *
         * @param pool the pool, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder slabPool(SlabPool pool) {
            this.slabPool = Checks.notNull("pool", pool);
            return this;
        }

        /**
         * Sets the nano clock of deadlines, for both the client and its channel (tests inject one); by default the
         * channel builder's.
         *
         * @param nanoClock the clock, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * Sets the factory of the completion thread (default: a daemon platform thread named
         * {@code tpcbridge-client-N}, not pinned).
         *
         * @param threadFactory the factory, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Checks.notNull("threadFactory", threadFactory);
            return this;
        }

        /**
         * Builds the channel and the client, and starts the completion thread.
         *
         * @return the client
         * @throws IllegalArgumentException if a capacity is out of range
         * @throws IllegalStateException    if the thread factory returns null
         */
        public BridgeClient build() {
            return new BridgeClient(this);
        }
    }
}
