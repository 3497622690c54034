package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.wake.Wakeable;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The control plane's end of a {@link BridgeChannel}: sends requests, takes responses.
 *
 * <p><b>Threads.</b> Sending methods ({@code offer}, {@code trySend}, {@code send}, {@link #requestsWritable()},
 * {@link #closeRequests()}): one thread at a time. Receiving methods ({@code poll}, {@code receive}, {@code drain},
 * {@link #responsesReadable()}, {@link #isClosed()}): one thread at a time, which may be another.
 * {@link #pressure()}: any thread. A {@link BridgeClient} confines the handle to its completion thread: then any
 * other thread's call but {@code pressure()} throws {@link IllegalStateException}.
 *
 * <p><b>Outcomes.</b> {@link BridgeStatus} values and {@code null}, never exceptions; the caller keeps a request that
 * was not sent. {@code offer} is refused only for want of room; {@code trySend} also yields to backpressure
 * ({@code BACK_PRESSURED} while {@code SUSPENDED}); {@code send} waits for room, as long as it takes or up to a
 * timeout, and does not yield to backpressure (a waiting sender is the slowest sender there is).
 *
 * @param <Req> the request type
 * @param <Rsp> the response type
 */
public final class ControlHandle<Req, Rsp> {
    private final BridgeChannel<Req, Rsp> channel;
    private final Handshake handshake;
    private final WakingRing<Req> requests;
    private final WakingRing<Rsp> responses;
    private final BridgeCounters counters;
    private final BackpressureController pressure;
    private final CountingHandler<Rsp> counting = new CountingHandler<>();
    private final Confinement confinement = new Confinement("this control handle belongs to the client's completion",
        " (close the client, not the channel)");

    ControlHandle(BridgeChannel<Req, Rsp> channel, WakingRing<Req> requests, WakingRing<Rsp> responses,
                  BridgeCounters counters, Handshake handshake) {
        this.channel = channel;
        this.requests = requests;
        this.responses = responses;
        this.counters = counters;
        this.handshake = handshake;
        this.pressure = requests.backpressure();
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends a request if the request ring has room, without waiting; backpressure does not refuse it. For a sender
     * that waits for room itself on {@link #requestsWritable()} (a suspending send). Lock-free; allocates nothing.
     *
     * @param request the request, not null
     * @return {@code OK}, {@code FULL} or {@code CLOSED}
     * @throws IllegalArgumentException if {@code request} is null
     */
    public BridgeStatus offer(Req request) {
        confinement.check();
        Checks.notNull("request", request);
        return counted(requests.offer(request));
    }

    /**
     * Sends up to {@code limit} requests taken from {@code supplier} while the request ring has room, without waiting;
     * backpressure does not refuse them (check {@link #pressure()} first to yield to it). The batch form of
     * {@link #offer}: one publication, and one wake-up check, for the whole batch. The supplier is asked only for
     * requests that have a free slot; {@code null} stops the batch early. Lock-free; allocates nothing.
     *
     * @param supplier gives the requests; {@code null} means "no more now"
     * @param limit    the most requests to send, at least 1
     * @return how many were sent: 0 when the ring is full or closed ({@link #isClosed()} does not tell: the data side
     *         may still answer; a later {@code offer} says {@code CLOSED})
     * @throws IllegalArgumentException if {@code supplier} is null or {@code limit < 1}
     */
    public int fill(Supplier<? extends Req> supplier, int limit) {
        confinement.check();
        final int sent = requests.fill(supplier, limit);
        if (sent > 0) {
            counters.addSent(sent);
        }
        return sent;
    }

    /**
     * Sends a request without waiting, unless backpressure is {@code SUSPENDED}. Lock-free; allocates nothing.
     *
     * @param request the request, not null
     * @return {@code OK}; {@code BACK_PRESSURED} while {@code SUSPENDED}; {@code FULL}; {@code CLOSED}
     * @throws IllegalArgumentException if {@code request} is null
     */
    public BridgeStatus trySend(Req request) {
        confinement.check();
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
     * Sends a request, waiting for room as long as it takes; woken by the data side freeing a slot or a close.
     *
     * @param request the request, not null
     * @return {@code OK}, or {@code CLOSED}
     * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the request)
     * @throws IllegalArgumentException if {@code request} is null
     */
    public BridgeStatus send(Req request) throws InterruptedException {
        confinement.check();
        return counted(requests.send(request));
    }

    /**
     * Sends a request, waiting up to {@code timeout} for room.
     *
     * @param request the request, not null
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    its unit
     * @return {@code OK}; {@code FULL} if the time ran out; {@code CLOSED}
     * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the request)
     * @throws IllegalArgumentException if {@code request} or {@code unit} is null
     */
    public BridgeStatus send(Req request, long timeout, TimeUnit unit) throws InterruptedException {
        confinement.check();
        return counted(requests.send(request, timeout, unit));
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
     * The condition "a request slot is free, or the channel closed"; arm it from the sending thread.
     *
     * @return the condition
     */
    public Wakeable requestsWritable() {
        confinement.check();
        return requests.writable();
    }

    /**
     * Stops sending: later sends return {@code CLOSED}; the data side drains and answers the requests already sent,
     * then learns it. Wakes every waiter of both rings. Idempotent. The sending thread, or any thread once no send
     * is in progress.
     */
    public void closeRequests() {
        confinement.check();
        requests.closeProducer();
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Takes the next response without waiting.
     *
     * @return the response, or {@code null} if none is there (see {@link #isClosed()})
     */
    public Rsp poll() {
        confinement.check();
        return counted(responses.poll());
    }

    /**
     * Takes the next response, waiting for one as long as it takes; woken by the data side's answer or a close.
     *
     * @return the response, or {@code null} once the channel is closed and every response was taken
     * @throws InterruptedException if interrupted before or while waiting
     */
    public Rsp receive() throws InterruptedException {
        confinement.check();
        return counted(responses.receive());
    }

    /**
     * Takes the next response, waiting up to {@code timeout}.
     *
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    its unit
     * @return the response, or {@code null} if the time ran out or the channel is closed and drained
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code unit} is null
     */
    public Rsp receive(long timeout, TimeUnit unit) throws InterruptedException {
        confinement.check();
        return counted(responses.receive(timeout, unit));
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
        confinement.check();
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
     * The condition "a response can be taken, or the channel closed"; arm it from the receiving thread.
     *
     * @return the condition
     */
    public Wakeable responsesReadable() {
        confinement.check();
        return responses.readable();
    }

    /**
     * Whether the channel is closed and every response was taken: nothing more will come. The receiving thread.
     *
     * @return {@code true} once closed and drained
     */
    public boolean isClosed() {
        confinement.check();
        return responses.isClosedForPoll();
    }

    /**
     * Closes the control side: {@link #closeRequests()}, and stops taking responses: those not yet taken go to the
     * undelivered-response handler, later answers are dropped (counted). Wakes every waiter of both rings.
     * Idempotent. The receiving thread, or any thread once no send or receive is in progress.
     */
    public void close() {
        confinement.check();
        try {
            requests.closeProducer();
        } finally {
            responses.closeConsumer();
        }
    }

    /**
     * The request ring's backpressure state. Any thread; one load.
     *
     * @return the state
     */
    public PressureState pressure() {
        return pressure.pressure();
    }

    // ---------------------------------------------------------------- the client's side of the drain protocol

    /** The client: confines this handle to its completion thread, before starting it. */
    void confineTo(Thread thread) {
        confinement.confineTo(thread);
    }

    /** The sending thread: how many requests the request ring takes now (a lower bound). */
    int requestRoom() {
        return requests.capacity() - requests.size();
    }

    /** Declares that this side answers a drain request by sending what it accepted, then closing its requests. */
    void honourDrainRequests() {
        handshake.honourDrains();
    }

    /** Signalled once when the data side begins to drain; a waiter includes it in what ends its park. */
    Wakeable drainRequests() {
        return handshake.drainRequests();
    }

    /** Whether the data side asked to drain since the last look (takes the request). */
    boolean takeDrainRequest() {
        return handshake.takeDrainRequest();
    }

    @Override
    public String toString() {
        return "ControlHandle[" + channel + "]";
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
}
