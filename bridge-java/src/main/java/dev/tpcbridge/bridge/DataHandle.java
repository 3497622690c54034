package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.wake.Wakeable;

import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The data plane's end of a {@link BridgeChannel}: takes requests (only with response credit), runs them through a
 * {@link RequestHandler}, sends the responses.
 *
 * <p><b>Threads.</b> One thread at a time; exactly one after {@link #pin()}, and then any other thread's call throws
 * {@link IllegalStateException}, but for {@link #isPinned()}, the pressure hints (any thread) and {@link #close()}
 * or {@link #fail} once the pinned thread has ended (a supervisor reporting a core lost).
 *
 * <p><b>Answering.</b> Each request taken gets exactly one answer: the handler's, or, for a request whose deadline
 * passed or whose caller gave up, {@code onExpired}'s or {@code onCancelled}'s without running it; for one whose
 * {@code onRequest} threw a {@code RuntimeException}, {@code onFailure}'s. An {@code Error} propagates, after the
 * request its handler held goes to the channel's undelivered-request handler, as the requests left in the ring do
 * when the data side closes (a handler that released the request's page before it failed makes that release find a
 * stale handle; a {@link BridgeClient} logs it). A handler
 * that answers {@code null} from {@code onRequest} answers later with {@link #offer}. The answers of one
 * {@link #drain} are published together when it ends (one publication and one wake-up check for the batch, also when
 * a handler throws). Allocates nothing in steady state.
 *
 * <p><b>Draining.</b> A data plane that stops calls {@link #beginDrain()}: a control side that honours it (a
 * {@link BridgeClient}) sends what it accepted, then closes its requests. {@link #isDrained()} says when nothing more
 * is owed, so the data side can close without stranding a request.
 *
 * @param <Req> the request type
 * @param <Rsp> the response type
 */
public final class DataHandle<Req, Rsp> {
    private static final System.Logger LOGGER = System.getLogger(DataHandle.class.getName());

    private final BridgeChannel<Req, Rsp> channel;
    private final Handshake handshake;
    private final LongSupplier nanoClock;
    private final ToLongFunction<? super Req> deadlineOf;
    private final Predicate<? super Req> cancelledOf;
    private final ElementHandler<? super Rsp> onDroppedResponse;
    /** The request ring's undelivered-element handler: also given a request whose handler died with an Error. */
    private final ElementHandler<? super Req> onUndeliveredRequest;
    private final Function<? super Req, ? extends Rsp> fallback;
    private final WakingRing<Req> requests;
    private final WakingRing<Rsp> responses;
    private final BridgeCounters counters;
    private final BackpressureController pressure;
    private final ResponseCredit credit;
    private final Confinement confinement = new Confinement("the data handle is pinned to", "");
    private final ElementHandler<Req> step = this::answer;
    /** The handler of the drain in progress; data thread only. */
    private RequestHandler<Req, Rsp> handler;
    /** The answers of the drain in progress, published together at its end; data thread only. */
    private Object[] answers = new Object[16];
    private int answered;
    private int published;
    private final java.util.function.Supplier<Rsp> nextAnswer = this::nextAnswer;
    /** Whether beginDrain() ran; data thread only. */
    private boolean draining;

    DataHandle(BridgeChannel<Req, Rsp> channel, BridgeChannel.Builder<Req, Rsp> settings, WakingRing<Req> requests,
               WakingRing<Rsp> responses, BridgeCounters counters, Handshake handshake) {
        this.channel = channel;
        this.handshake = handshake;
        this.nanoClock = settings.nanoClock;
        this.deadlineOf = settings.deadlineOf;
        this.cancelledOf = settings.cancelledOf;
        this.onDroppedResponse = settings.onDroppedResponse;
        this.onUndeliveredRequest = settings.onUndeliveredRequest;
        this.fallback = settings.fallback;
        this.requests = requests;
        this.responses = responses;
        this.counters = counters;
        this.pressure = requests.backpressure();
        this.credit = new ResponseCredit(requests, responses, counters);
    }

    /**
     * Confines this handle to the calling thread (a pinned core). Again from the same thread does nothing.
     *
     * @return this handle
     * @throws IllegalStateException if already pinned to another thread
     */
    public DataHandle<Req, Rsp> pin() {
        confinement.confineTo(Thread.currentThread());
        return this;
    }

    /**
     * Whether the handle is pinned to a thread. Any thread.
     *
     * @return {@code true} after {@link #pin()}
     */
    public boolean isPinned() {
        return confinement.isConfined();
    }

    /**
     * Takes up to {@code limit} requests (fewer if response credit is short) and answers each (see the class
     * comment), freeing the request slots with one publication at the end.
     *
     * @param handler the handler
     * @param limit   the most requests to take, {@code >= 1}
     * @return how many requests were taken (0 if none was there or no credit was left)
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     * @throws IllegalStateException    if pinned to another thread, or a handler broke the contract (no answer from
     *                                  {@code onExpired}, {@code onCancelled} or {@code onFailure}) and the channel
     *                                  has no fallback
     */
    public int drain(RequestHandler<Req, Rsp> handler, int limit) {
        confinement.check();
        Checks.notNull("handler", handler);
        Checks.positiveLimit(limit);
        final int take = credit.available(limit);
        if (take == 0) {
            return 0;
        }
        if (answers.length < take) {
            answers = new Object[take]; // once per larger batch: the drain limit is steady in practice
        }
        this.handler = handler;
        try {
            return requests.drain(step, take);
        } finally {
            this.handler = null;
            publishAnswers();
        }
    }

    /** One request of a drain: triage, answer, send. */
    private void answer(Req request) {
        credit.take();
        counters.addRequestsReceived();
        final RequestHandler<Req, Rsp> h = handler;
        final Rsp response;
        try {
            if (isExpired(request)) {
                counters.addExpired();
                response = required(h, Verdict.EXPIRED, request, null);
            } else if (cancelledOf != null && cancelledOf.test(request)) {
                counters.addCancelled();
                response = required(h, Verdict.CANCELLED, request, null);
            } else {
                response = run(h, request);
            }
        } catch (Error fatal) {
            handOverUnfinished(request, fatal);
            throw fatal;
        }
        if (response != null) {
            answers[answered++] = response; // published with the batch: see publishAnswers()
        }
    }

    /**
     * A handler died with an Error while it held {@code request}: it did not finish with it, so the request goes to
     * the undelivered-request handler like those still in the ring (its page must not leak with the core). A failure
     * of that handler is added to the Error, which goes on.
     */
    private void handOverUnfinished(Req request, Error fatal) {
        if (onUndeliveredRequest == null) {
            return;
        }
        try {
            onUndeliveredRequest.onElement(request);
        } catch (Throwable t) {
            fatal.addSuppressed(t);
        }
    }

    /**
     * Publishes the drain's answers with one fill of the response ring: one release of its index and one fence for
     * the waiting control side, for the whole batch. Every answer has a reserved slot, so only a control side that
     * stopped taking responses refuses some: those are counted as dropped and handed to the dropped-response handler.
     */
    private void publishAnswers() {
        final int n = answered;
        if (n == 0) {
            return;
        }
        int sent = 0;
        try {
            published = 0;
            sent = responses.fill(nextAnswer, n);
        } finally {
            credit.answered(n);
            if (sent > 0) {
                counters.addResponsesSent(sent);
            }
            final boolean closed = sent < n && responses.isClosedForOffer();
            for (int i = sent; i < n; i++) {
                @SuppressWarnings("unchecked") final Rsp dropped = (Rsp) answers[i];
                counters.addResponsesDropped();
                if (closed && onDroppedResponse != null) {
                    onDroppedResponse.onElement(dropped); // nobody else holds it now: its page must not leak
                }
            }
            java.util.Arrays.fill(answers, 0, n, null);
            answered = 0;
            if (sent < n && !closed) {
                throw new IllegalStateException("response ring full despite the credit reserved: a bug");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Rsp nextAnswer() {
        return (Rsp) answers[published++];
    }

    private Rsp run(RequestHandler<Req, Rsp> h, Req request) {
        try {
            return h.onRequest(request);
        } catch (RuntimeException failure) {
            counters.addFailed();
            return required(h, Verdict.FAILED, request, failure);
        }
    }

    /** Read per request: one that expires during a batch is not run. */
    private boolean isExpired(Req request) {
        if (deadlineOf == null) {
            return false;
        }
        final long deadline = deadlineOf.applyAsLong(request);
        return deadline != Request.NO_DEADLINE && Request.isPast(deadline, nanoClock.getAsLong());
    }

    /**
     * The answer the verdict's handler method must give. If it throws or answers null, the channel's fallback answers
     * (logged, counted as a failure); without a fallback the request ends unanswered, its credit comes back (a faulty
     * handler cannot shrink the core's capacity), and the fault propagates.
     */
    private Rsp required(RequestHandler<Req, Rsp> h, Verdict verdict, Req request, RuntimeException failure) {
        Rsp response = null;
        RuntimeException fault = null;
        try {
            response = verdict.answer(h, request, failure);
        } catch (RuntimeException e) {
            fault = e;
        }
        if (response != null) {
            return response;
        }
        if (fallback != null) {
            if (verdict != Verdict.FAILED) { // a failed onRequest was counted already: one failure per request
                counters.addFailed();
            }
            LOGGER.log(System.Logger.Level.ERROR, verdict.method() + (fault == null ? " returned null" : " threw")
                + "; answered with the channel's fallback instead", fault);
            return fallback.apply(request);
        }
        credit.abandoned();
        if (fault != null) {
            throw fault;
        }
        throw new IllegalStateException(verdict.method() + " returned null: it must answer");
    }

    /**
     * Sends the answer to a request taken earlier whose {@code onRequest} returned {@code null}, with the credit that
     * request reserved, so it never finds the ring full. Lock-free; allocates nothing.
     *
     * @param response the response, not null
     * @return {@code OK}, or {@code CLOSED} if the control side stopped taking responses (counted as dropped; the
     *         caller keeps the response)
     * @throws IllegalArgumentException if {@code response} is null
     * @throws IllegalStateException    if no request awaits an answer, or pinned to another thread
     */
    public BridgeStatus offer(Rsp response) {
        confinement.check();
        Checks.notNull("response", response);
        if (credit.unanswered() == 0) {
            throw new IllegalStateException("no request awaits an answer: every response answers one request");
        }
        return send(response);
    }

    private BridgeStatus send(Rsp response) {
        final OfferStatus status = responses.offer(response);
        credit.answered(1);
        if (status == OfferStatus.OK) {
            counters.addResponsesSent(1);
            return BridgeStatus.OK;
        }
        if (status == OfferStatus.FULL) {
            throw new IllegalStateException("response ring full despite the credit reserved: a bug");
        }
        counters.addResponsesDropped();
        return BridgeStatus.CLOSED;
    }

    /**
     * Requests taken and not yet answered (deferred answers included): a gauge for the data thread.
     *
     * @return the count
     * @throws IllegalStateException if pinned to another thread
     */
    public int unanswered() {
        confinement.check();
        return credit.unanswered();
    }

    /**
     * The data plane is stopping: asks the control side to finish. One that honours it (a {@link BridgeClient})
     * refuses new calls, sends those it accepted and closes its requests; this side keeps draining meanwhile.
     * Idempotent; the data thread.
     *
     * @throws IllegalStateException if pinned to another thread
     */
    public void beginDrain() {
        confinement.check();
        if (!draining) {
            draining = true;
            handshake.requestDrain();
        }
    }

    /**
     * Whether this side can close without stranding a request: every request was taken and answered, and the control
     * side will send no more: it closed its requests, or it does not honour drains (then what was not sent by now is
     * its own to fail). The data thread; meaningful after {@link #beginDrain()}.
     *
     * @return {@code true} when nothing is owed
     * @throws IllegalStateException if pinned to another thread
     */
    public boolean isDrained() {
        confinement.check();
        if (credit.unanswered() != 0 || !requests.isEmpty()) {
            return false;
        }
        return !handshake.drainsHonoured() || requests.isClosedForPoll();
    }

    /**
     * Whether the control side should slow down now (backpressure {@code THROTTLED} or worse). Any thread; one load.
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
     * The condition "a request can be taken now, or the channel closed", on which a data-plane idle strategy parks;
     * arm it from the data thread. It heeds the credit: with none left it waits for the control side to take an
     * answer, so a credit-stalled core parks instead of spinning.
     *
     * @return the condition (always the same object)
     */
    public Wakeable requestsReadable() {
        return credit.takeable();
    }

    /**
     * Whether the control side closed and every request was taken (or the data side closed): nothing more will come.
     * The data thread.
     *
     * @return {@code true} once closed and drained
     */
    public boolean isClosed() {
        return requests.isClosedForPoll();
    }

    /**
     * Closes the data side (the core stops, or is reported lost): requests not yet taken go to the undelivered-request
     * handler on this thread; answers not yet sent can no longer be sent; the control side still takes the responses
     * already sent, then learns it. Wakes every waiter of both rings. Idempotent.
     *
     * @throws IllegalStateException if pinned to another thread that is still alive
     */
    public void close() {
        confinement.checkOrEnded("close");
        try {
            requests.closeConsumer();
        } finally {
            responses.closeProducer();
        }
    }

    /**
     * Closes the data side because its core failed: {@link #close()}, with the cause recorded first, so that the
     * control side reads it from {@link BridgeChannel#failure()} once it sees the close (a {@link BridgeClient} fails
     * its pending calls with {@link CoreFailedException}). The first cause recorded wins.
     *
     * @param cause why the core failed, not null
     * @throws IllegalArgumentException if {@code cause} is null
     * @throws IllegalStateException    if pinned to another thread that is still alive
     */
    public void fail(Throwable cause) {
        Checks.notNull("cause", cause);
        confinement.checkOrEnded("fail");
        handshake.fail(cause); // volatile, before the close's publication: whoever sees the close sees the cause
        close();
    }

    @Override
    public String toString() {
        final Thread owner = confinement.owner();
        return "DataHandle[pinned=" + (owner == null ? "no" : owner.getName()) + ", " + channel + "]";
    }
}
