package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.wake.WaitPolicy;

import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A request/response channel between the control plane and one data-plane core: a request ring and a response ring
 * (sized apart), each a {@link WakingRing}, a {@link BackpressureController} driven by the request ring, response
 * credit, deadline and cancellation enforcement, and single-writer counters ({@link #metrics()}). Its two ends are the
 * only way in: {@link #control()} for the control plane, {@link #data()} for the data plane (see the package
 * documentation for the thread model, flow control and closing).
 *
 * <p><b>Threads.</b> {@link #metrics()}, {@link #backpressure()} and {@link #failure()}: any thread. Each handle's
 * methods: see the handle. {@link #close()}: once neither side is in a call.
 *
 * @param <Req> the request type
 * @param <Rsp> the response type
 */
public final class BridgeChannel<Req, Rsp> implements AutoCloseable {
    private final WakingRing<Req> requests;
    private final WakingRing<Rsp> responses;
    private final BridgeCounters counters = new BridgeCounters();
    private final Handshake handshake = new Handshake();
    private final ControlHandle<Req, Rsp> control;
    private final DataHandle<Req, Rsp> data;

    private BridgeChannel(Builder<Req, Rsp> builder) {
        this.requests = BridgeChannel.<Req>ring(builder.requestCapacity, builder, builder.onUndeliveredRequest)
            .backpressure(builder.backpressure).build();
        this.responses = BridgeChannel.<Rsp>ring(builder.responseCapacity, builder, builder.onUndeliveredResponse)
            .build();
        this.control = new ControlHandle<>(this, requests, responses, counters, handshake);
        this.data = new DataHandle<>(this, builder, requests, responses, counters, handshake);
    }

    private static <E> WakingRing.Builder<E> ring(int capacity, Builder<?, ?> settings,
                                                 ElementHandler<? super E> onUndelivered) {
        final WakingRing.Builder<E> ring = WakingRing.<E>builder().capacity(capacity).waitPolicy(settings.policy)
            .nanoClock(settings.nanoClock);
        return onUndelivered == null ? ring : ring.onUndelivered(onUndelivered);
    }

    /**
     * A builder for a channel of any envelope types; deadlines are enforced once {@link Builder#deadline} sets them.
     *
     * @param <Req> the request type
     * @param <Rsp> the response type
     * @return a new builder: 1024 request slots, 1024 response slots, default backpressure
     */
    public static <Req, Rsp> Builder<Req, Rsp> builder() {
        return new Builder<>();
    }

    /**
     * A builder for a channel of the library's {@link Request}/{@link Response} envelopes, whose deadlines and
     * cancellations are enforced and whose faulty handlers are answered {@code ERROR(}{@link
     * EnvelopeHandler#FAILURE_CODE}{@code )}.
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
        return new BridgeMetrics(counters, requests.consumerWakeups() + responses.producerWakeups(),
            requests.producerWakeups() + responses.consumerWakeups(), pressure.pressure(), pressure.transitions());
    }

    /**
     * Why the data side failed ({@link DataHandle#fail}), or {@code null}. Any thread; a failure that came with a
     * close is visible here once the close is seen.
     *
     * @return the cause, or null
     */
    public Throwable failure() {
        return handshake.failure();
    }

    /**
     * Closes both sides ({@link ControlHandle#close()}, then {@link DataHandle#close()}): for when neither side is in
     * a call any more. Idempotent.
     *
     * @throws IllegalStateException if a handle is confined to another thread that is still alive
     */
    @Override
    public void close() {
        try {
            control.close();
        } finally {
            data.close();
        }
    }

    @Override
    public String toString() {
        return "BridgeChannel[requests=" + requests + ", responses=" + responses + "]";
    }

    /**
     * Builds a {@link BridgeChannel}. One thread at a time.
     *
     * @param <Req> the request type
     * @param <Rsp> the response type
     */
    public static final class Builder<Req, Rsp> {
        int requestCapacity = 1024;
        int responseCapacity = 1024;
        BackpressureConfig backpressure = BackpressureConfig.defaults();
        LongSupplier nanoClock = System::nanoTime;
        WaitPolicy policy = WaitPolicy.DEFAULT;
        ToLongFunction<? super Req> deadlineOf;
        Predicate<? super Req> cancelledOf;
        ElementHandler<? super Req> onUndeliveredRequest;
        ElementHandler<? super Rsp> onUndeliveredResponse;
        ElementHandler<? super Rsp> onDroppedResponse;
        Function<? super Req, ? extends Rsp> fallback;

        private Builder() {
        }

        /** A copy, so that a client can add its own handlers without touching its caller's builder. */
        Builder<Req, Rsp> copy() {
            final Builder<Req, Rsp> copy = new Builder<>();
            copy.requestCapacity = requestCapacity;
            copy.responseCapacity = responseCapacity;
            copy.backpressure = backpressure;
            copy.nanoClock = nanoClock;
            copy.policy = policy;
            copy.deadlineOf = deadlineOf;
            copy.cancelledOf = cancelledOf;
            copy.onUndeliveredRequest = onUndeliveredRequest;
            copy.onUndeliveredResponse = onUndeliveredResponse;
            copy.onDroppedResponse = onDroppedResponse;
            copy.fallback = fallback;
            return copy;
        }

        /**
         * The request ring's least number of slots (rounded up to a power of two); default 1024.
         *
         * @param capacity in {@code [1, SpscRing.MAX_CAPACITY]}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<Req, Rsp> requestCapacity(int capacity) {
            Checks.powerOfTwoCapacity("requestCapacity", capacity, dev.tpcbridge.ring.SpscRing.MAX_CAPACITY);
            this.requestCapacity = capacity;
            return this;
        }

        /**
         * The response ring's least number of slots: also the most requests the data side holds unanswered.
         *
         * @param capacity in {@code [1, SpscRing.MAX_CAPACITY]}; default 1024
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<Req, Rsp> responseCapacity(int capacity) {
            Checks.powerOfTwoCapacity("responseCapacity", capacity, dev.tpcbridge.ring.SpscRing.MAX_CAPACITY);
            this.responseCapacity = capacity;
            return this;
        }

        /**
         * The request ring's backpressure thresholds; default {@link BackpressureConfig#defaults()}.
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
         * The nano clock that deadlines and timed waits read (tests inject one, so they need no sleeping).
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
         * How the waiting calls of both handles back off before they park; default {@link WaitPolicy#DEFAULT}.
         *
         * @param policy the policy, not null
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder<Req, Rsp> waitPolicy(WaitPolicy policy) {
            this.policy = Checks.notNull("policy", policy);
            return this;
        }

        /**
         * Enables deadline enforcement: the function gives a request's deadline on the nano clock
         * ({@link Request#NO_DEADLINE} for none). Called on the data thread; must be quick.
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
         * Enables cancellation: a request for which the test holds when the data side takes it is answered through
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
         * Receives the requests still in the ring when the data side closes (so that their callers can be failed and
         * their slab pages released), called on the closing thread; and a request whose handler died with an
         * {@code Error}, called on the data thread before the Error propagates.
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
         * The answer sent in place of an {@code onExpired}, {@code onCancelled} or {@code onFailure} that threw or
         * answered null (logged, counted as a failure), so that every request is answered once. Without one, the
         * fault propagates from {@link DataHandle#drain} and the request stays unanswered. Called on the data thread;
         * must not throw.
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
         * a slab page it carries can be released); called on the data thread. An answer offered with
         * {@link DataHandle#offer} stays with its caller instead.
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
         */
        public BridgeChannel<Req, Rsp> build() {
            return new BridgeChannel<>(this);
        }
    }
}
