package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.PressureListener;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WakeSignal;
import dev.tpcbridge.wake.Wakeable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The thread-safe client of one data-plane core: many caller threads (platform or virtual) make calls, each answered
 * through a {@link BridgeCall}, the {@code CompletableFuture} it returns.
 *
 * <pre>{@code
 * BridgeClient client = BridgeClient.builder().build();            // starts its completion thread
 * plane.core(0).attach(client.channel(), handler);                 // or serve client.channel().data() yourself
 * Request request = Request.create().tenant(7).payload(bytes, 0, n);
 * BridgeCall<byte[]> call = client.call(request, Response::payloadBytes);
 * }</pre>
 *
 * <p><b>Threads.</b> {@code call}, {@code tryCall}, {@link #close()} and the queries: any thread. The client owns its
 * channel's control handle (any other thread's use of it throws); the data handle belongs to the data plane.
 *
 * <p><b>How a call travels.</b> The call borrows its {@link Request} (written once by its caller, never copied; see
 * {@link Request#isInFlight()}) and enters the {@link Intake} (a multi-producer ring by default, its order a policy).
 * One completion thread, made by the builder's {@link ThreadFactory}, sends it through the channel's single-producer
 * request ring, takes the answers from the response ring, finds each call through its request (no map, no id
 * lookup), and completes it: with the {@link ResponseDecoder}'s value for {@code OK}/{@code PARTIAL}, with a
 * {@link BridgeCallException} for {@code DEADLINE_EXCEEDED}/{@code ERROR}, cancelled for {@code CANCELLED}. Calls are
 * completed there, never on the data-plane core. An answered call allocates its future and nothing else; the thread
 * waits through {@link dev.tpcbridge.wake.Waiter} on what can unblock it, so an idle client costs no CPU.
 *
 * <p><b>Giving up.</b> {@code cancel}, {@code orTimeout} or any completion by the caller means "I gave up": a call
 * still in the intake is dropped (its slab page released), one already sent is answered {@code CANCELLED} without
 * running. A request's deadline (on the channel's nano clock) bounds its wait before running: it is answered
 * {@code DEADLINE_EXCEEDED}, by the client if it passed before sending, else by the data side. Use {@code orTimeout}
 * to bound the whole trip. A call is looked at when its turn to be sent comes.
 *
 * <p><b>Closing and faults.</b> {@link #close()} refuses new calls, delivers the answers already received, fails every
 * other pending call with {@link BridgeClosedException}, closes the control side, and waits for the completion thread
 * (unless called from it). When the data side closes, the client delivers the answers sent before, fails the rest
 * (with {@link CoreFailedException} and the core's failure as cause, when the core died) and closes itself. When the
 * core stops gracefully ({@link DataHandle#beginDrain()}), the client refuses new calls, sends those it accepted and
 * closes its request side, so they are answered before the core lets the channel go. The completion thread never
 * runs on a pinned core's CPU. Every call is completed exactly once; nothing waits forever on a closed side.
 *
 * <p><b>Slab pages.</b> A request may carry its payload as a slab page if the client was built with the page's
 * {@link Builder#slabPool pool}. The page is the client's once a call takes it (the caller's again if the call is
 * refused at once), the data side's once sent; the client releases it if the call is dropped before sending. An
 * answer's page goes to the decoder; if nobody decodes it (the caller gave up, or the status carries no value), the
 * client releases it.
 */
public final class BridgeClient implements AutoCloseable {
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
    private static final VarHandle STATE;
    static final int OPEN = 0;
    static final int CLOSING = 1;
    static final int TERMINATED = 2;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BridgeClient.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BridgeChannel<Request, Response> channel;
    private final Intake intake;
    private final ClientLoop loop;
    private final Thread completer;
    /** Signalled by close() and by the backpressure leaving SUSPENDED: the completion thread re-checks. */
    private final WakeSignal events = WakeSignal.create();
    private final PressureListener pressureListener;
    private volatile int state;

    private BridgeClient(Builder builder) {
        this.intake = builder.intake != null ? builder.intake
            : new FifoIntake(builder.intakeCapacity, builder.channel.policy, builder.channel.nanoClock);
        this.loop = new ClientLoop(this, builder.slabPool, builder.channel.policy, builder.channel.nanoClock);
        this.channel = builder.channel.copy()
            // Both may run on the data side's thread (a sweep finishes on whichever side sees the close last): they
            // only release pages, from any thread; the calls are failed on the completion thread.
            .onUndeliveredRequest(loop::releasePageOf)
            .onUndeliveredResponse(loop::releasePageOf)
            .onDroppedResponse(loop::releasePageOf)
            .build();
        this.pressureListener = (from, to) -> {
            if (from == PressureState.SUSPENDED) {
                events.signal(); // sends may go on
            }
        };
        final Thread thread = builder.threadFactory.newThread(loop);
        if (thread == null) {
            throw new IllegalStateException("threadFactory returned null");
        }
        this.completer = thread;
    }

    /** Wires the client up and starts its completion thread: after construction, so no half-built client escapes. */
    private BridgeClient start() {
        final ControlHandle<Request, Response> control = channel.control();
        control.confineTo(completer); // from now on only the completion thread may use the control handle
        control.honourDrainRequests(); // a stopping core waits for the calls accepted before its stop
        channel.backpressure().addListener(pressureListener);
        completer.start();
        return this;
    }

    /**
     * A builder with the defaults: 1024 request and 1024 response slots, default backpressure, a FIFO intake of 4096
     * calls, a daemon completion thread named {@code tpcbridge-client-N}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The channel; attach it to a core ({@code Core.attach}) or serve its {@link BridgeChannel#data() data handle};
     * its control handle is the client's.
     *
     * @return the channel
     */
    public BridgeChannel<Request, Response> channel() {
        return channel;
    }

    /**
     * Makes a call, waiting for room in the intake as long as it takes. Any thread; waits only while the intake is
     * full (virtual threads do not pin their carrier). From a stage running on the completion thread it never waits
     * (that thread empties the intake): a full intake rejects the call at once.
     *
     * @param request the request, borrowed until the call is answered (see {@link Request#isInFlight()}); a byte
     *                payload's array is referenced, not copied
     * @param decoder turns an {@code OK}/{@code PARTIAL} answer into the future's value, on the completion thread
     * @param <T>     the value type
     * @return the call, also when refused: then already failed with {@link BridgeClosedException}
     * @throws InterruptedException     if interrupted before or while waiting (nothing was sent)
     * @throws IllegalArgumentException if an argument is null, or the request carries a slab page and the client has
     *                                  no {@link Builder#slabPool pool}
     * @throws IllegalStateException    if the request is still in flight with another call
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
     * @throws IllegalStateException    if the request is still in flight with another call
     */
    public <T> BridgeCall<T> call(Request request, ResponseDecoder<T> decoder, long timeout, TimeUnit unit)
        throws InterruptedException {
        Checks.notNull("unit", unit);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        final BridgeCall<T> call = lend(request, decoder);
        if (state != OPEN) {
            return refused(call, OfferStatus.CLOSED);
        }
        OfferStatus status = OfferStatus.FULL;
        try {
            status = timeout <= 0 || Thread.currentThread() == completer ? intake.offer(call)
                : intake.send(call, timeout, unit);
        } finally {
            if (status != OfferStatus.OK) {
                refused(call, status); // also when interrupted: the request comes back to the caller
            }
        }
        return call;
    }

    /**
     * Makes a call if the intake has room, without waiting. Any thread; lock-free.
     *
     * @param request as for {@link #call(Request, ResponseDecoder)}
     * @param decoder as for {@link #call(Request, ResponseDecoder)}
     * @param <T>     the value type
     * @return the call; if refused already failed, as for {@link #call(Request, ResponseDecoder, long, TimeUnit)}
     * @throws IllegalArgumentException as for {@link #call(Request, ResponseDecoder)}
     * @throws IllegalStateException    if the request is still in flight with another call
     */
    public <T> BridgeCall<T> tryCall(Request request, ResponseDecoder<T> decoder) {
        final BridgeCall<T> call = lend(request, decoder);
        final OfferStatus status = state != OPEN ? OfferStatus.CLOSED : intake.offer(call);
        return status == OfferStatus.OK ? call : refused(call, status);
    }

    /**
     * The condition "{@link #tryCall} may find room in the intake now, or the client is closed", for a caller that
     * must not block a thread (a suspended coroutine). Any thread; a wake is a hint: try again, or, giving up,
     * {@link Wakeable#abandon abandon} the waker (the intake may wake only as many waiters as it has room for).
     *
     * @return the condition
     */
    public Wakeable intakeWritable() {
        return intake.writable();
    }

    private <T> BridgeCall<T> lend(Request request, ResponseDecoder<T> decoder) {
        Checks.notNull("request", request);
        Checks.notNull("decoder", decoder);
        if (request.slabHandle() != 0 && !loop.hasSlabPool()) {
            throw new IllegalArgumentException("request=" + request + " carries a slab page, but the client has no "
                + "pool to release it to if the call is dropped: build it with slabPool(pool)");
        }
        if (request.isInFlight()) {
            throw new IllegalStateException("request=" + request + " is still in flight with another call: wait for "
                + "its answer, or use another Request");
        }
        final BridgeCall<T> call = new BridgeCall<>(request, decoder);
        request.response().clear();
        request.call(call); // published to the completion thread by the intake's hand-over
        return call;
    }

    private <T> BridgeCall<T> refused(BridgeCall<T> call, OfferStatus status) {
        call.returnRequest(); // before the failure: a caller that sees it may reuse the request at once
        final Throwable coreFailure = channel.failure();
        if (status == OfferStatus.FULL) {
            call.fail(new BridgeCallException("request id=" + call.id() + ": rejected, the client's intake is full",
                null, 0, true));
        } else if (coreFailure != null) {
            // a call made after the core failed learns why, as the calls the failure caught in flight do
            call.fail(new CoreFailedException("request id=" + call.id() + ": the core failed", coreFailure));
        } else {
            call.fail(new BridgeClosedException("request id=" + call.id()
                + ": the client is closed (or its core is stopping)"));
        }
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
     * Closes the client (see the class comment) and waits for the completion thread to end, unless called from it.
     * Idempotent; any thread. An interrupt does not cut the wait short: it is kept set for the caller.
     */
    @Override
    public void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            intake.close(); // later calls are refused; wakes the completion thread if it waits for calls
            events.signal(); // and if it waits for anything else
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
        final int now = state;
        return "BridgeClient[state=" + (now == OPEN ? "open" : now == CLOSING ? "closing" : "closed") + ", queued="
            + queued() + ", " + channel + "]";
    }

    // ---------------------------------------------------------------- for the completion thread

    Intake intake() {
        return intake;
    }

    WakeSignal events() {
        return events;
    }

    int state() {
        return state;
    }

    /** The completion thread: the client stops taking calls (no-op after close()). */
    void closing() {
        STATE.setVolatile(this, CLOSING);
        intake.close();
        channel.backpressure().removeListener(pressureListener);
    }

    /** The completion thread, last: every call is completed. */
    void terminated() {
        STATE.setVolatile(this, TERMINATED);
    }

    /**
     * Builds a {@link BridgeClient} and its channel. One thread at a time.
     */
    public static final class Builder {
        /** The channel's settings; the client adds its own handlers to a copy. */
        final BridgeChannel.Builder<Request, Response> channel = BridgeChannel.forEnvelopes();
        private int intakeCapacity = 4096;
        private Intake intake;
        private SlabPool slabPool;
        private ThreadFactory threadFactory = runnable -> {
            final Thread thread = new Thread(runnable, "tpcbridge-client-" + THREAD_NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };

        private Builder() {
        }

        /**
         * The request ring's least number of slots (rounded up to a power of two); default 1024.
         *
         * @param capacity in {@code [1, SpscRing.MAX_CAPACITY]}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder requestCapacity(int capacity) {
            channel.requestCapacity(capacity);
            return this;
        }

        /**
         * The response ring's least number of slots: also the most calls the core holds unanswered; default 1024.
         *
         * @param capacity in {@code [1, SpscRing.MAX_CAPACITY]}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder responseCapacity(int capacity) {
            channel.responseCapacity(capacity);
            return this;
        }

        /**
         * The request ring's backpressure thresholds; default {@link BackpressureConfig#defaults()}.
         *
         * @param config the thresholds, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder backpressure(BackpressureConfig config) {
            channel.backpressure(config);
            return this;
        }

        /**
         * The capacity of the default FIFO intake; default 4096.
         *
         * @param capacity the least number of calls waiting to be sent (rounded up to a power of two)
         * @return this builder
         * @throws IllegalArgumentException if out of the ring's range
         */
        public Builder intakeCapacity(int capacity) {
            Checks.powerOfTwoCapacity("intakeCapacity", capacity, dev.tpcbridge.ring.SpscRing.MAX_CAPACITY);
            this.intakeCapacity = capacity;
            return this;
        }

        /**
         * The intake, for another ordering policy than FIFO.
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
         * The pool of the slab pages requests and answers may carry, to which the client releases the pages of calls
         * it drops and of answers nobody decodes.
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
         * The nano clock of deadlines and timed waits, for the client and its channel (tests inject one).
         *
         * @param nanoClock the clock, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder nanoClock(LongSupplier nanoClock) {
            channel.nanoClock(nanoClock);
            return this;
        }

        /**
         * How the completion thread and the waiting calls back off before they park; default
         * {@link WaitPolicy#DEFAULT}.
         *
         * @param policy the policy, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder waitPolicy(WaitPolicy policy) {
            channel.waitPolicy(policy);
            return this;
        }

        /**
         * The factory of the completion thread (default: a daemon platform thread named {@code tpcbridge-client-N}).
         * Whatever it makes, the thread resets itself to the process's base CPU mask first: it never runs pinned.
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
         * @throws IllegalStateException if the thread factory returns null
         */
        public BridgeClient build() {
            return new BridgeClient(this).start();
        }
    }
}
