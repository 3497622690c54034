package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;
import dev.tpcbridge.wake.WakingRing;

import java.util.concurrent.TimeUnit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A request/response channel between the control plane and one data-plane core: a request ring and a response ring
 * (sized apart), each a {@link WakingRing} that wakes its waiting side on transitions only, a
 * {@link BackpressureController} driven by the request ring's utilisation, response-credit flow control, deadline
 * enforcement, and counters without read-modify-write atomics ({@link #metrics()}).
 *
 * <p><b>Threads.</b> The {@link ControlHandle} belongs to the control plane: its sending methods to one thread at a
 * time, its receiving methods to one thread at a time (which may be another thread); {@link BridgeClient} is the
 * thread-safe client for many caller threads that sits in front of it. The {@link DataHandle} belongs to the data
 * plane: one thread at a time, or exactly one thread once {@link DataHandle#pin() pinned}. {@link #metrics()},
 * {@link #backpressure()} and the pressure queries may be called from any thread; each close, and each side's
 * {@code isClosed()}, belongs to its side (see "Closing"). The handles are the only way in: no field is public, so nothing can bypass the waking,
 * the backpressure or the credit (the seed's public ring fields could).
 *
 * <p><b>Visibility.</b> Everything the control side wrote into a request before sending it happens-before the data
 * side's handler runs on it, and everything the data side wrote into a response before sending it happens-before the
 * control side takes it (the rings' release/acquire).
 *
 * <p><b>Progress.</b> Sending, draining and taking without waiting are lock-free and allocate nothing; the blocking
 * calls spin, yield, then park ({@link java.util.concurrent.locks.LockSupport}), honour interrupts and deadlines, and
 * are woken by the other side's transition or by a close. With nobody waiting, a published batch costs one fence and
 * no wake call (the seed wrote an eventfd per message).
 *
 * <p><b>Flow control.</b> Requests: a send is refused with {@link BridgeStatus#BACK_PRESSURED} while the request
 * ring's backpressure is {@code SUSPENDED}, and with {@link BridgeStatus#FULL} when the ring is full; the request
 * stays with the caller either way (the seed dropped it). Responses: the data side takes a request only while it
 * holds response credit, a free response slot reserved for the answer, so a full response ring pushes back on
 * requests instead of dropping a response or deadlocking, and sending an answer never finds the ring full.
 *
 * <p><b>Deadlines and cancellation.</b> With a deadline function (see {@link Builder#deadline}, set by
 * {@link #forEnvelopes()}), {@link DataHandle#drain} answers each request whose deadline has passed on the channel's
 * nano clock through {@link RequestHandler#onExpired} instead of running it; with a cancellation test
 * ({@link Builder#cancelled}, also set by {@code forEnvelopes()}), each request whose caller gave up through
 * {@link RequestHandler#onCancelled}. Either way the request still gets its one answer, so its caller's slot comes
 * back.
 *
 * <p><b>Closing.</b> Each side closes its own ends, from its own thread, because a ring's ends are confined to their
 * threads. {@link ControlHandle#closeRequests()}: no more requests; the data side still drains those already sent,
 * answers them, and then learns it. {@link ControlHandle#close()} also stops taking responses: those not yet taken go
 * to the undelivered-response handler and later answers are dropped (counted). {@link DataHandle#close()} (the core
 * stops, or a supervisor reports it lost once its thread is gone): requests not yet taken go to the undelivered-request
 * handler, and the control side still takes the responses already sent, then learns it ({@link
 * ControlHandle#isClosed()}). Every close wakes every waiter of both rings (the seed's async receive hung forever on
 * disconnect). {@link #close()} closes both sides, once neither is in a call. All closes are idempotent.
 *
 * @param <Req> the request type
 * @param <Rsp> the response type
 */
public final class BridgeChannel<Req, Rsp> implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(BridgeChannel.class.getName());
    private final WakingRing<Req> requests;
    private final WakingRing<Rsp> responses;
    private final LongSupplier nanoClock;
    private final ToLongFunction<? super Req> deadlineOf;
    private final Predicate<? super Req> cancelledOf;
    private final ElementHandler<? super Rsp> onDroppedResponse;
    private final Function<? super Req, ? extends Rsp> fallback;
    private final BridgeCounters counters = new BridgeCounters();
    private final ControlHandle<Req, Rsp> control;
    private final DataHandle<Req, Rsp> data;
    /** Why the data side failed, or null; set once by DataHandle.fail before its close publishes the close. */
    private volatile Throwable failure;
    /** The data side asked the control side to finish (DataHandle.requestDrain); read by the control side. */
    private volatile boolean drainRequested;
    /** The control side closes its request side when asked to drain (ControlHandle.honourDrainRequests). */
    private volatile boolean drainsHonoured;

    private BridgeChannel(Builder<Req, Rsp> builder) {
        final WakingRing.Builder<Req> requestRing = WakingRing.<Req>builder()
            .capacity(builder.requestCapacity)
            .backpressure(builder.backpressure)
            .spinTries(builder.spinTries)
            .yieldTries(builder.yieldTries)
            .nanoClock(builder.nanoClock);
        if (builder.onUndeliveredRequest != null) {
            requestRing.onUndelivered(builder.onUndeliveredRequest);
        }
        final WakingRing.Builder<Rsp> responseRing = WakingRing.<Rsp>builder()
            .capacity(builder.responseCapacity)
            .spinTries(builder.spinTries)
            .yieldTries(builder.yieldTries)
            .nanoClock(builder.nanoClock);
        if (builder.onUndeliveredResponse != null) {
            responseRing.onUndelivered(builder.onUndeliveredResponse);
        }
        this.requests = requestRing.build();
        this.responses = responseRing.build();
        this.nanoClock = builder.nanoClock;
        this.deadlineOf = builder.deadlineOf;
        this.cancelledOf = builder.cancelledOf;
        this.onDroppedResponse = builder.onDroppedResponse;
        this.fallback = builder.fallback;
        this.control = new ControlHandle<>(this);
        this.data = new DataHandle<>(this);
    }

    /**
     * A builder for a channel of any envelope types, with no deadline enforcement until
     * {@link Builder#deadline} sets one.
     *
     * @param <Req> the request type
     * @param <Rsp> the response type
     * @return a new builder with the defaults: 1024 request slots, 1024 response slots, default backpressure
     */
    public static <Req, Rsp> Builder<Req, Rsp> builder() {
        return new Builder<>();
    }

    /**
     * A builder for a channel of the library's reusable {@link Request}/{@link Response} envelopes, whose deadlines
     * ({@link Request#deadline()}) and cancellations ({@link Request#isCancelled()}) are enforced; the channel
     * {@link BridgeClient} needs.
     *
     * @return a new builder
     */
    public static Builder<Request, Response> forEnvelopes() {
        return BridgeChannel.<Request, Response>builder().deadline(Request::deadline).cancelled(Request::isCancelled)
            .fallback(request -> request.response().error(EnvelopeHandler.FAILURE_CODE));
    }

    /**
     * The control side's handle (always the same object).
     *
     * @return the handle
     */
    public ControlHandle<Req, Rsp> control() {
        return control;
    }

    /**
     * The data side's handle (always the same object).
     *
     * @return the handle
     */
    public DataHandle<Req, Rsp> data() {
        return data;
    }

    /**
     * The request ring's backpressure controller, for listeners and counters. Any thread.
     *
     * @return the controller
     */
    public BackpressureController backpressure() {
        return requests.backpressure();
    }

    /**
     * A snapshot of the counters. Any thread; allocates the snapshot.
     *
     * @return the metrics
     */
    public BridgeMetrics metrics() {
        final BackpressureController pressure = requests.backpressure();
        return new BridgeMetrics(counters,
            requests.consumerWakeups() + responses.producerWakeups(),
            requests.producerWakeups() + responses.consumerWakeups(),
            pressure.pressure(), pressure.transitions());
    }

    /**
     * Closes both sides ({@link ControlHandle#close()}, then {@link DataHandle#close()}): for when neither side is in
     * a call any more, such as after both threads stopped, or in tests. Idempotent.
     *
     * @throws IllegalStateException if the data handle is pinned to another thread that is still alive
     */
    @Override
    public void close() {
        try {
            control.close();
        } finally {
            data.close();
        }
    }

    /**
     * Why the data side failed ({@link DataHandle#fail(Throwable)}: its core died), or {@code null} if it did not. Any
     * thread; once {@link ControlHandle#isClosed()} has seen the close, a failure that came with it is visible here.
     *
     * @return the cause, or null
     */
    public Throwable failure() {
        return failure;
    }

    /** The request ring's capacity (after rounding). */
    int requestCapacity() {
        return requests.capacity();
    }

    /** The response ring's capacity (after rounding). */
    int responseCapacity() {
        return responses.capacity();
    }

    @Override
    public String toString() {
        return "BridgeChannel[requests=" + requests + ", responses=" + responses + "]";
    }

    /**
     * The control plane's end of a {@link BridgeChannel}: sends requests, takes responses. Sending methods: one thread
     * at a time; receiving methods (and {@link #isClosed()}): one thread at a time; {@link #pressure()}: any thread;
     * the closes: see each. A {@link BridgeClient} binds the handle to its completion thread: then any other
     * thread's call (but {@code pressure()}) throws {@link IllegalStateException}. Outcomes are {@link BridgeStatus}
     * values, never exceptions.
     *
     * @param <Req> the request type
     * @param <Rsp> the response type
     */
    public static final class ControlHandle<Req, Rsp> {
        private final BridgeChannel<Req, Rsp> channel;
        private final WakingRing<Req> requests;
        private final WakingRing<Rsp> responses;
        private final BridgeCounters counters;
        private final BackpressureController pressure;
        private final CountingHandler<Rsp> counting = new CountingHandler<>();
        /** The only thread allowed once a client bound the handle, or null; set once before that thread starts. */
        private volatile Thread owner;

        private ControlHandle(BridgeChannel<Req, Rsp> channel) {
            this.channel = channel;
            this.requests = channel.requests;
            this.responses = channel.responses;
            this.counters = channel.counters;
            this.pressure = channel.requests.backpressure();
        }

        /** The client: confines the handle to its completion thread, before starting it. */
        void bind(Thread thread) {
            this.owner = thread;
        }

        private void checkOwner() {
            final Thread bound = owner;
            if (bound != null && bound != Thread.currentThread()) {
                throw new IllegalStateException("this control handle belongs to the client's completion thread '"
                    + bound.getName() + "'; called from thread '" + Thread.currentThread().getName()
                    + "' (close the client, not the channel)");
            }
        }

        /**
         * Sends a request without waiting. Lock-free; allocates nothing.
         *
         * @param request the request, not null
         * @return {@code OK}; {@code BACK_PRESSURED} while backpressure is {@code SUSPENDED}; {@code FULL};
         *         {@code CLOSED} (on any but {@code OK} the caller keeps the request)
         * @throws IllegalArgumentException if {@code request} is null
         */
        public BridgeStatus send(Req request) {
            checkOwner();
            Checks.notNull("request", request);
            if (pressure.shouldSuspend()) {
                if (requests.isClosedForOffer()) {
                    return BridgeStatus.CLOSED;
                }
                counters.addBackPressured();
                return BridgeStatus.BACK_PRESSURED;
            }
            return counted(requests.offer(request));
        }

        /**
         * Sends a request without waiting, refused only when the request ring is full or closed: backpressure does not
         * refuse it, as it does not refuse {@link #sendBlocking}. For a sender that waits for room itself on
         * {@link #requestsWritable()} (a suspending coroutine send); one that should yield to backpressure uses
         * {@link #send(Object)}. Lock-free; allocates nothing.
         *
         * @param request the request, not null
         * @return {@code OK}, {@code FULL} or {@code CLOSED} (on any but {@code OK} the caller keeps the request)
         * @throws IllegalArgumentException if {@code request} is null
         */
        public BridgeStatus offer(Req request) {
            checkOwner();
            Checks.notNull("request", request);
            return counted(requests.offer(request));
        }

        /**
         * Sends a request, waiting for room in the request ring (backpressure does not refuse a blocking send; it
         * waits for room like any other). Spins, yields, then parks until the data side frees a slot or a side
         * closes.
         *
         * @param request the request, not null
         * @return {@code OK}, or {@code CLOSED} (the caller keeps the request)
         * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the request)
         * @throws IllegalArgumentException if {@code request} is null
         */
        public BridgeStatus sendBlocking(Req request) throws InterruptedException {
            checkOwner();
            return counted(requests.put(request));
        }

        /**
         * Sends a request, waiting up to {@code timeout} for room.
         *
         * @param request the request, not null
         * @param timeout how long to wait at most
         * @param unit    its unit
         * @return {@code OK}; {@code FULL} if the time ran out; {@code CLOSED} (the caller keeps the request unless
         *         {@code OK})
         * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the request)
         * @throws IllegalArgumentException if {@code request} or {@code unit} is null
         */
        public BridgeStatus send(Req request, long timeout, TimeUnit unit) throws InterruptedException {
            checkOwner();
            return counted(requests.offer(request, timeout, unit));
        }

        private BridgeStatus counted(OfferStatus status) {
            switch (status) {
                case OK:
                    counters.addSent(1);
                    return BridgeStatus.OK;
                case FULL:
                    counters.addRefusedFull();
                    return BridgeStatus.FULL;
                default:
                    return BridgeStatus.CLOSED;
            }
        }

        /**
         * Takes the next response without waiting.
         *
         * @return the response, or {@code null} if none is there (see {@link #isClosed()})
         */
        public Rsp poll() {
            checkOwner();
            return counted(responses.poll());
        }

        /**
         * Takes the next response, waiting for one; woken by the data side's first response or by a close.
         *
         * @return the response, or {@code null} once the channel is closed and every response was taken
         * @throws InterruptedException if interrupted before or while waiting
         */
        public Rsp take() throws InterruptedException {
            checkOwner();
            return counted(responses.take());
        }

        /**
         * Takes the next response, waiting up to {@code timeout}.
         *
         * @param timeout how long to wait at most
         * @param unit    its unit
         * @return the response, or {@code null} if the time ran out or the channel is closed and drained
         * @throws InterruptedException     if interrupted before or while waiting
         * @throws IllegalArgumentException if {@code unit} is null
         */
        public Rsp poll(long timeout, TimeUnit unit) throws InterruptedException {
            checkOwner();
            return counted(responses.poll(timeout, unit));
        }

        /**
         * Hands up to {@code limit} responses to {@code handler}, publishing the freed slots once.
         *
         * @param handler called for each response, on this thread
         * @param limit   the most responses to take, {@code >= 1}
         * @return how many were taken
         * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
         */
        public int drain(ElementHandler<? super Rsp> handler, int limit) {
            checkOwner();
            Checks.notNull("handler", handler);
            final CountingHandler<Rsp> sink = counting;
            sink.target = handler;
            sink.count = 0;
            try {
                return responses.drain(sink, limit);
            } finally {
                sink.target = null;
                counters.addResponsesReceived(sink.count);
            }
        }

        private Rsp counted(Rsp response) {
            if (response != null) {
                counters.addResponsesReceived(1);
            }
            return response;
        }

        /**
         * The request ring's backpressure state. Any thread; one load.
         *
         * @return the state
         */
        public PressureState pressure() {
            return pressure.pressure();
        }

        /**
         * The condition "a response can be taken, or the channel closed", for waiters other than {@link #take()}
         * (a selector, a coroutine); arm it from the receiving thread.
         *
         * @return the condition
         */
        public Wakeable responsesReadable() {
            checkOwner();
            return responses.readable();
        }

        /**
         * The condition "a request slot is free, or the channel closed"; arm it from the sending thread.
         *
         * @return the condition
         */
        public Wakeable requestsWritable() {
            checkOwner();
            return requests.writable();
        }

        /**
         * Whether the channel is closed and every response was taken: nothing more will come. The receiving thread.
         *
         * @return {@code true} once closed and drained
         */
        public boolean isClosed() {
            checkOwner();
            return responses.isClosedForPoll();
        }

        /**
         * Declares that this control side answers a drain request ({@link DataHandle#requestDrain()}) by sending what
         * it has accepted and then {@link #closeRequests() closing its request side}, so that a stopping core waits
         * for that close (up to its deadline) instead of stopping as soon as its rings look empty. A
         * {@link BridgeClient} does this. Any thread; once.
         */
        public void honourDrainRequests() {
            channel.drainsHonoured = true;
        }

        /**
         * Whether the data side asked this side to finish: send what was accepted, then {@link #closeRequests()}. A
         * waiter armed on {@link #responsesReadable()} is woken by the request (re-check this after arming, before
         * sleeping). Any thread.
         *
         * @return {@code true} once asked
         */
        public boolean isDrainRequested() {
            return channel.drainRequested;
        }

        /**
         * Stops sending: later sends return {@code CLOSED}; the data side drains and answers the requests already
         * sent, then learns it. Wakes every waiter of both rings. Idempotent. Call it from the sending thread, or
         * from any thread once no send is in progress (a send racing the close from another thread could publish a
         * request after the data side concluded that none would come).
         */
        public void closeRequests() {
            checkOwner();
            requests.closeProducer();
        }

        /**
         * Closes the control side: {@link #closeRequests()}, and stops taking responses: those not yet taken go to the
         * undelivered-response handler, later answers are dropped by the data side. Wakes every waiter of both
         * rings. Idempotent. Call it from the receiving thread (when one thread both sends and receives, as the
         * client's completion thread does), or from any thread once no send or receive is in progress.
         */
        public void close() {
            checkOwner();
            try {
                requests.closeProducer();
            } finally {
                responses.closeConsumer();
            }
        }

        @Override
        public String toString() {
            return "ControlHandle[" + channel + "]";
        }
    }

    /**
     * The data plane's end of a {@link BridgeChannel}: takes requests (only with response credit), runs them through a
     * {@link RequestHandler}, sends the responses.
     *
     * <p><b>Threads.</b> One thread at a time; exactly one thread after {@link #pin()}, and then any other thread's
     * call throws {@link IllegalStateException}. {@link #close()} comes from the data thread, or from any thread once
     * the data thread is gone. The pressure hints may be called from any thread.
     *
     * <p><b>Credit.</b> The data side holds at most as many unanswered requests as the response ring has slots: a
     * request is taken only with a response slot reserved for its answer, so {@link #send} never finds the ring full,
     * and a control side that stops taking responses stops the data side from taking requests (pushing back on the
     * senders) instead of losing answers or deadlocking.
     *
     * @param <Req> the request type
     * @param <Rsp> the response type
     */
    public static final class DataHandle<Req, Rsp> {
        private static final VarHandle OWNER;
        private static final int EXPIRED = 0;
        private static final int CANCELLED = 1;
        private static final int FAILED = 2;

        static {
            try {
                OWNER = MethodHandles.lookup().findVarHandle(DataHandle.class, "owner", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final BridgeChannel<Req, Rsp> channel;
        private final WakingRing<Req> requests;
        private final WakingRing<Rsp> responses;
        private final BridgeCounters counters;
        private final BackpressureController pressure;
        private final LongSupplier nanoClock;
        private final ToLongFunction<? super Req> deadlineOf;
        private final Predicate<? super Req> cancelledOf;
        private final int responseCapacity;
        private final Drainer drainer = new Drainer();
        /** The pinned thread, or null; set once by pin() with a CAS, read by every call. */
        private volatile Thread owner;
        /** Requests taken and not yet answered; data thread only. */
        private int outstanding;
        /** Response slots known free and not reserved; a lower bound, refreshed from the ring when it runs out. */
        private int credit;
        /** The handler of the drain in progress; data thread only. */
        private RequestHandler<Req, Rsp> handler;
        /** Whether a credit stall was counted and has not ended; data thread only. */
        private boolean stalled;
        private final Wakeable takeable = new Takeable();
        private final ElementHandler<? super Rsp> onDroppedResponse;
        private final Function<? super Req, ? extends Rsp> fallback;

        private DataHandle(BridgeChannel<Req, Rsp> channel) {
            this.channel = channel;
            this.requests = channel.requests;
            this.responses = channel.responses;
            this.counters = channel.counters;
            this.pressure = channel.requests.backpressure();
            this.nanoClock = channel.nanoClock;
            this.deadlineOf = channel.deadlineOf;
            this.cancelledOf = channel.cancelledOf;
            this.onDroppedResponse = channel.onDroppedResponse;
            this.fallback = channel.fallback;
            this.responseCapacity = channel.responses.capacity();
            this.credit = responseCapacity;
        }

        /**
         * Confines this handle to the calling thread (a pinned core): from now on any other thread's call throws
         * {@link IllegalStateException}, but for the pressure hints, {@link #isClosed()}, {@link #isPinned()}, and
         * {@link #close()} once this thread is gone. Calling it again from the same thread does nothing.
         *
         * @return this handle
         * @throws IllegalStateException if already pinned to another thread
         */
        public DataHandle<Req, Rsp> pin() {
            final Thread current = Thread.currentThread();
            // CAS: two threads racing to pin cannot both win; volatile, so every later call's check sees the owner.
            final Thread witness = (Thread) OWNER.compareAndExchange(this, (Thread) null, current);
            if (witness != null && witness != current) {
                throw wrongThread(witness, current);
            }
            return this;
        }

        /**
         * Whether the handle is pinned to a thread. Any thread.
         *
         * @return {@code true} after {@link #pin()}
         */
        public boolean isPinned() {
            return owner != null;
        }

        private void checkThread() {
            final Thread pinned = owner;
            if (pinned != null && pinned != Thread.currentThread()) {
                throw wrongThread(pinned, Thread.currentThread());
            }
        }

        private static IllegalStateException wrongThread(Thread pinned, Thread caller) {
            return new IllegalStateException("the data handle is pinned to thread '" + pinned.getName()
                + "'; called from thread '" + caller.getName() + "'");
        }

        /**
         * Takes up to {@code limit} requests (fewer if response credit is short) and answers each through
         * {@code handler}: an expired one through {@link RequestHandler#onExpired}, a cancelled one through
         * {@link RequestHandler#onCancelled}, the others through {@link RequestHandler#onRequest}, whose non-null
         * answer is sent at once. A {@link RuntimeException} from {@code onRequest} is counted and passed to
         * {@link RequestHandler#onFailure}, whose answer is sent; an {@link Error} propagates (the request that threw
         * keeps its credit until answered with {@link #send}). Frees the request slots with one publication at the
         * end. Allocates nothing.
         *
         * @param handler the handler
         * @param limit   the most requests to take, {@code >= 1}
         * @return how many requests were taken (0 if none was there or no credit was left)
         * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
         * @throws IllegalStateException    if pinned to another thread, or if a handler broke the contract (null
         *                                  from {@code onExpired}, {@code onCancelled} or {@code onFailure})
         */
        public int drain(RequestHandler<Req, Rsp> handler, int limit) {
            checkThread();
            Checks.notNull("handler", handler);
            Checks.positiveLimit(limit);
            int take = Math.min(limit, credit);
            if (take == 0) {
                credit = refreshCredit();
                take = Math.min(limit, credit);
                if (take == 0) {
                    if (!stalled && !requests.isEmpty()) {
                        stalled = true; // counted once per stall, not once per idle spin
                        counters.addCreditStalls();
                    }
                    return 0;
                }
            }
            stalled = false;
            this.handler = handler;
            try {
                return requests.drain(drainer, take);
            } finally {
                this.handler = null;
            }
        }

        private int refreshCredit() {
            if (responses.isClosedForOffer()) {
                return Integer.MAX_VALUE; // answers go nowhere now: nothing to reserve, take and drop them
            }
            // responses.size() may still count a response the control side is taking right now: a lower bound of the
            // free slots, so the reservation is safe.
            return Math.max(0, responseCapacity - responses.size() - outstanding);
        }

        private void onRequest(Req request) {
            credit--;
            outstanding++;
            counters.addRequestsReceived();
            final RequestHandler<Req, Rsp> h = handler;
            final Rsp response;
            if (deadlineOf != null && isExpired(deadlineOf.applyAsLong(request))) {
                counters.addExpired();
                response = required(request, h, EXPIRED, null);
            } else if (cancelledOf != null && cancelledOf.test(request)) {
                counters.addCancelled();
                response = required(request, h, CANCELLED, null);
            } else {
                Rsp answer;
                try {
                    answer = h.onRequest(request);
                } catch (RuntimeException failure) {
                    counters.addFailed();
                    answer = required(request, h, FAILED, failure);
                }
                response = answer;
            }
            if (response != null && offerAnswer(response) == BridgeStatus.CLOSED && onDroppedResponse != null) {
                onDroppedResponse.onElement(response); // nobody else holds it now: its page must not leak
            }
        }

        /** Read per request, and only for one with a deadline: a request that expires during a batch is not run. */
        private boolean isExpired(long deadline) {
            return deadline != Request.NO_DEADLINE && Request.isPast(deadline, nanoClock.getAsLong());
        }

        /**
         * The answer of onExpired, onCancelled or onFailure, which must answer. If one throws or answers null, the
         * request ends unanswered: its credit comes back, so a faulty handler cannot shrink the core's capacity.
         */
        private Rsp required(Req request, RequestHandler<Req, Rsp> h, int kind, RuntimeException failure) {
            Rsp response = null;
            RuntimeException fault = null;
            try {
                response = kind == EXPIRED ? h.onExpired(request)
                    : kind == CANCELLED ? h.onCancelled(request) : h.onFailure(request, failure);
            } catch (RuntimeException e) {
                fault = e;
            }
            if (response != null) {
                return response;
            }
            final String method = kind == EXPIRED ? "onExpired" : kind == CANCELLED ? "onCancelled" : "onFailure";
            if (fallback != null) { // envelopes: answer ERROR, so that the caller learns it and the envelope returns
                counters.addFailed();
                LOGGER.log(System.Logger.Level.ERROR, "RequestHandler." + method + (fault == null ? " returned null"
                    : " threw") + "; answered with the channel's fallback instead", fault);
                return fallback.apply(request);
            }
            outstanding--; // unanswered: its credit comes back, so a faulty handler cannot shrink the core's capacity
            credit++;
            if (fault != null) {
                throw fault;
            }
            throw new IllegalStateException("RequestHandler." + method + " returned null: it must answer");
        }

        /**
         * Sends the answer to a request taken earlier (one whose {@code onRequest} returned {@code null}); uses the
         * credit that request reserved, so it never finds the ring full. Lock-free; allocates nothing.
         *
         * @param response the response, not null
         * @return {@code OK}, or {@code CLOSED} if the control side stopped taking responses (the answer is dropped and
         *         counted; the caller keeps the response)
         * @throws IllegalArgumentException if {@code response} is null
         * @throws IllegalStateException    if no request awaits an answer, or pinned to another thread
         */
        public BridgeStatus send(Rsp response) {
            checkThread();
            Checks.notNull("response", response);
            if (outstanding == 0) {
                throw new IllegalStateException("no request awaits an answer: every response answers one request");
            }
            return offerAnswer(response);
        }

        private BridgeStatus offerAnswer(Rsp response) {
            final OfferStatus status = responses.offer(response);
            outstanding--;
            if (status == OfferStatus.OK) {
                counters.addResponsesSent();
                return BridgeStatus.OK;
            }
            if (status == OfferStatus.FULL) {
                throw new IllegalStateException("response ring full despite the credit reserved: a bug");
            }
            counters.addResponsesDropped();
            return BridgeStatus.CLOSED;
        }

        /**
         * Asks the control side to finish (the core is stopping): it should send what it has accepted, then close its
         * request side, which this side sees as {@link #isClosed()} once every request was taken. Wakes a control
         * side parked on {@link ControlHandle#responsesReadable()}. The data thread; idempotent.
         *
         * @throws IllegalStateException if pinned to another thread
         */
        public void requestDrain() {
            checkThread();
            if (!channel.drainRequested) {
                channel.drainRequested = true; // volatile write, then the ring's fence and read of its waiters
                responses.wakeConsumer();
            }
        }

        /**
         * Whether the control side honours drain requests ({@link ControlHandle#honourDrainRequests()}): then a
         * stopping core waits for it to close its request side. Any thread.
         *
         * @return {@code true} if it does
         */
        public boolean isDrainHonoured() {
            return channel.drainsHonoured;
        }

        /**
         * Requests waiting in the ring to be taken: a snapshot, for a core deciding whether it is idle. Any thread.
         *
         * @return the count
         */
        public int queuedRequests() {
            return requests.size();
        }

        /**
         * Requests taken and not yet answered.
         *
         * @return the count
         * @throws IllegalStateException if pinned to another thread
         */
        public int outstanding() {
            checkThread();
            return outstanding;
        }

        /**
         * Whether the control side should slow down now (backpressure {@code THROTTLED} or worse): a hint for
         * the data side's own scheduling. Any thread; one load.
         *
         * @return the hint
         */
        public boolean shouldThrottle() {
            return pressure.shouldThrottle();
        }

        /**
         * Whether backpressure is {@code SUSPENDED}. Any thread; one load.
         *
         * @return the hint
         */
        public boolean shouldSuspend() {
            return pressure.shouldSuspend();
        }

        /**
         * The condition "a request can be taken now, or the channel closed", on which a data-plane idle strategy parks
         * (see {@link dev.tpcbridge.wake.WakeableIdleStrategy}); arm it from the data thread. It heeds the credit: with
         * none left it waits for the control side to take an answer (the only thing that frees credit), so a
         * credit-stalled core parks instead of spinning, and wakes as soon as it can take a request again.
         *
         * @return the condition (always the same object)
         */
        public Wakeable requestsReadable() {
            return takeable;
        }

        /**
         * Whether the control side closed and every request was taken (or the data side closed): nothing more will
         * come. The data thread.
         *
         * @return {@code true} once closed and drained
         */
        public boolean isClosed() {
            return requests.isClosedForPoll();
        }

        /**
         * Closes the data side (the core stops, or is reported lost): requests not yet taken go to the
         * undelivered-request handler on this thread; answers not yet sent can no longer be sent; the control side
         * still takes the responses already sent, then learns it. Wakes every waiter of both rings. Idempotent. Call
         * it from the data thread, or from any thread once the data thread is gone (stopped or dead).
         *
         * @throws IllegalStateException if pinned to another thread that is still alive
         */
        public void close() {
            final Thread pinned = owner;
            if (pinned != null && pinned != Thread.currentThread() && pinned.isAlive()) {
                throw new IllegalStateException("the data handle is pinned to thread '" + pinned.getName()
                    + "', which is alive: close it there, or once that thread has ended");
            }
            try {
                requests.closeConsumer();
            } finally {
                responses.closeProducer();
            }
        }

        /**
         * Closes the data side because its core failed ({@link #close()}, with the cause recorded first): the control
         * side reads it from {@link BridgeChannel#failure()} once it sees the close, and a {@link BridgeClient} fails
         * its pending calls with {@link CoreFailedException}. The first cause recorded wins. Same threads as
         * {@link #close()}.
         *
         * @param cause why the core failed, not null
         * @throws IllegalArgumentException if {@code cause} is null
         * @throws IllegalStateException    if pinned to another thread that is still alive
         */
        public void fail(Throwable cause) {
            Checks.notNull("cause", cause);
            final Thread pinned = owner;
            if (pinned != null && pinned != Thread.currentThread() && pinned.isAlive()) {
                throw new IllegalStateException("the data handle is pinned to thread '" + pinned.getName()
                    + "', which is alive: fail it there, or once that thread has ended");
            }
            if (channel.failure == null) {
                // Volatile write before the close's publication (the rings' close fences): whoever sees the close
                // sees the cause.
                channel.failure = cause;
            }
            close();
        }

        @Override
        public String toString() {
            return "DataHandle[pinned=" + (owner == null ? "no" : owner.getName()) + ", outstanding~" + outstanding
                + ", " + channel + "]";
        }

        /** {@link #requestsReadable()}: requests readable while credit is held, else a response slot freed. */
        private final class Takeable implements Wakeable {
            @Override
            public boolean arm(Waker waker) {
                checkThread();
                if (credit == 0) {
                    credit = refreshCredit();
                }
                if (credit > 0) {
                    return requests.readable().arm(waker);
                }
                // No credit: a slot beyond those promised to unanswered requests must come free, which only the
                // control side's taking an answer does (this side's answers move credit from outstanding to the
                // ring). Armed on the response ring's producer waiters, re-checked for outstanding + 1 free slots.
                // With every slot promised (outstanding == capacity) no take can help: only this side's own
                // answers can, so the core sleeps until its own source or a close wakes it.
                return responses.armUntilFree(waker, outstanding + 1);
            }

            @Override
            public void disarm(Waker waker) {
                checkThread();
                requests.readable().disarm(waker);
                responses.writable().disarm(waker);
            }
        }

        /** The drain's per-request step, kept off the public type. */
        private final class Drainer implements ElementHandler<Req> {
            @Override
            public void onElement(Req request) {
                onRequest(request);
            }
        }
    }

    /** Counts what a response drain hands on, without a lambda per call. */
    private static final class CountingHandler<E> implements ElementHandler<E> {
        ElementHandler<? super E> target;
        long count;

        @Override
        public void onElement(E element) {
            count++;
            target.onElement(element);
        }
    }

    /**
     * Builds a {@link BridgeChannel}. One thread at a time.
     *
     * @param <Req> the request type
     * @param <Rsp> the response type
     */
    public static final class Builder<Req, Rsp> {
        private int requestCapacity = 1024;
        private int responseCapacity = 1024;
        private BackpressureConfig backpressure = BackpressureConfig.defaults();
        private LongSupplier nanoClock = System::nanoTime;
        private ToLongFunction<? super Req> deadlineOf;
        private Predicate<? super Req> cancelledOf;
        private int spinTries = 128;
        private int yieldTries = 8;
        private ElementHandler<? super Req> onUndeliveredRequest;
        private ElementHandler<? super Rsp> onUndeliveredResponse;
        private ElementHandler<? super Rsp> onDroppedResponse;
        private Function<? super Req, ? extends Rsp> fallback;

        private Builder() {
        }

        /**
         * Sets the request ring's least number of slots (rounded up to a power of two).
         *
         * @param capacity the capacity
         * @return this builder
         * @throws IllegalArgumentException if out of the ring's range (checked by {@link #build()})
         */
        public Builder<Req, Rsp> requestCapacity(int capacity) {
            this.requestCapacity = capacity;
            return this;
        }

        /**
         * Sets the response ring's least number of slots: also the most requests the data side holds unanswered.
         *
         * @param capacity the capacity
         * @return this builder
         */
        public Builder<Req, Rsp> responseCapacity(int capacity) {
            this.responseCapacity = capacity;
            return this;
        }

        /**
         * Sets the request ring's backpressure thresholds.
         *
         * @param config the thresholds, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> backpressure(BackpressureConfig config) {
            this.backpressure = Checks.notNull("config", config);
            return this;
        }

        /**
         * Sets the nano clock deadlines and waits read (tests inject one, so they need no sleeping).
         *
         * @param nanoClock the clock, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * Sets how many times the blocking calls of both rings ({@code sendBlocking}, {@code take}, timed
         * {@code send}/{@code poll}) spin before yielding (default 128); see
         * {@link WakingRing.Builder#spinTries}.
         *
         * @param spinTries 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder<Req, Rsp> spinTries(int spinTries) {
            this.spinTries = nonNegative("spinTries", spinTries);
            return this;
        }

        /**
         * Sets how many times the blocking calls of both rings yield before parking (default 8); see
         * {@link WakingRing.Builder#yieldTries}.
         *
         * @param yieldTries 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder<Req, Rsp> yieldTries(int yieldTries) {
            this.yieldTries = nonNegative("yieldTries", yieldTries);
            return this;
        }

        private static int nonNegative(String name, int value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + "=" + value + " must be >= 0");
            }
            return value;
        }

        /** The clock set so far (the client shares it). */
        LongSupplier nanoClock() {
            return nanoClock;
        }

        /**
         * Enables deadline enforcement: the function gives a request's deadline on the nano clock
         * ({@code Long.MAX_VALUE} for none).
         *
         * @param deadlineOf the deadline of a request, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> deadline(ToLongFunction<? super Req> deadlineOf) {
            this.deadlineOf = Checks.notNull("deadlineOf", deadlineOf);
            return this;
        }

        /**
         * Enables cancellation: a request for which the test is true when the data side takes it is answered through
         * {@link RequestHandler#onCancelled} instead of running. Called on the data thread; must be quick.
         *
         * @param cancelledOf whether a request's caller gave up, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> cancelled(Predicate<? super Req> cancelledOf) {
            this.cancelledOf = Checks.notNull("cancelledOf", cancelledOf);
            return this;
        }

        /**
         * Receives the requests still in the ring when the data side closes (so that their callers can be failed
         * and their slab pages released); called on the closing thread.
         *
         * @param handler the handler, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> onUndeliveredRequest(ElementHandler<? super Req> handler) {
            this.onUndeliveredRequest = Checks.notNull("handler", handler);
            return this;
        }

        /**
         * Receives the responses still in the ring when the control side closes; called on the closing thread.
         *
         * @param handler the handler, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> onUndeliveredResponse(ElementHandler<? super Rsp> handler) {
            this.onUndeliveredResponse = Checks.notNull("handler", handler);
            return this;
        }

        /**
         * Sets the answer the data side sends in place of a handler's {@code onExpired}, {@code onCancelled} or
         * {@code onFailure} that threw or answered null (the fault is logged and counted as a failure), so that such a
         * request is still answered once. Without one, the fault propagates from {@code drain} and the request stays
         * unanswered. {@link BridgeChannel#forEnvelopes()} sets {@code ERROR(}{@link EnvelopeHandler#FAILURE_CODE}
         * {@code )}. Called on the data thread; must not throw.
         *
         * @param fallback the answer to a request, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> fallback(Function<? super Req, ? extends Rsp> fallback) {
            this.fallback = Checks.notNull("fallback", fallback);
            return this;
        }

        /**
         * Receives each answer a drain could not send because the control side had stopped taking responses (so that
         * a slab page it carries can be released); called on the data thread. An answer sent with
         * {@link DataHandle#send} stays with its caller instead.
         *
         * @param handler the handler, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> onDroppedResponse(ElementHandler<? super Rsp> handler) {
            this.onDroppedResponse = Checks.notNull("handler", handler);
            return this;
        }

        /**
         * Builds the channel.
         *
         * @return a new, open channel
         * @throws IllegalArgumentException if a capacity is out of range
         */
        public BridgeChannel<Req, Rsp> build() {
            return new BridgeChannel<>(this);
        }
    }
}
