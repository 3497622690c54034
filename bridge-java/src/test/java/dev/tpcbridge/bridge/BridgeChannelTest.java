package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WakeableIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tpcbridge.internal.Threads.await;
import static dev.tpcbridge.internal.Threads.joinOrFail;
import static dev.tpcbridge.internal.Threads.untilParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channel's handles: round trip, flow control both ways, deadlines on an injected clock, failures, confinement,
 * closing from either side (every blocked side is woken), and one test per seed defect of the bridge in SPEC.md.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BridgeChannelTest {
    private static final EnvelopeHandler ECHO = request -> request.response()
        .count(request.id() * 10);

    private static BridgeChannel<Request, Response> channel(int requests, int responses) {
        return BridgeChannel.forEnvelopes().requestCapacity(requests).responseCapacity(responses).build();
    }

    private static Request request(long id) {
        return Request.create().id(id);
    }

    @Test
    void aRequestRoundTripsAndItsAnswerCarriesItsId() {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        Request request = request(7).tenant(3).shard(2).priority(1).traceId(99);
        assertEquals(BridgeStatus.OK, channel.control().trySend(request));
        assertEquals(1, channel.data().drain(ECHO, 16));
        Response response = channel.control().poll();
        assertSame(request.response(), response);
        assertEquals(7, response.id());
        assertEquals(ResponseStatus.OK, response.status());
        assertEquals(70, response.count());
        assertNull(channel.control().poll());
        BridgeMetrics metrics = channel.metrics();
        assertEquals(1, metrics.requestsSent());
        assertEquals(1, metrics.requestsReceived());
        assertEquals(1, metrics.responsesSent());
        assertEquals(1, metrics.responsesReceived());
    }

    @Test
    void seedDefectValueDroppedOnFullPush_aFullRingReturnsFullAndTheRequestStaysWithTheCaller() {
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(4)
            .backpressure(BackpressureConfig.builder().enterThrottle(1.0).exitThrottle(0.99).enterSuspend(1.0)
                .exitSuspend(0.99).build())
            .build();
        List<Request> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Request request = request(i);
            assertEquals(BridgeStatus.OK, channel.control().trySend(request));
            sent.add(request);
        }
        Request refused = request(4);
        BridgeStatus status = channel.control().trySend(refused);
        assertTrue(status == BridgeStatus.FULL || status == BridgeStatus.BACK_PRESSURED, status.toString());
        List<Long> seen = new ArrayList<>();
        channel.data().drain((EnvelopeHandler) request -> {
            seen.add(request.id());
            return request.response();
        }, 16);
        assertEquals(List.of(0L, 1L, 2L, 3L), seen, "the refused request must not overwrite or be dropped");
        assertEquals(BridgeStatus.OK, channel.control().trySend(refused), "the caller still has it and can resend");
    }

    @Test
    void seedDefectMisleadingErrorMapping_closedIsNeverReportedAsBackPressure() {
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(4)
            .backpressure(BackpressureConfig.builder().enterThrottle(0.25).exitThrottle(0.2).enterSuspend(0.5)
                .exitSuspend(0.3).build())
            .build();
        assertEquals(BridgeStatus.OK, channel.control().trySend(request(1)));
        assertEquals(BridgeStatus.OK, channel.control().trySend(request(2)));
        assertEquals(PressureState.SUSPENDED, channel.control().pressure());
        assertEquals(BridgeStatus.BACK_PRESSURED, channel.control().trySend(request(3)));
        assertEquals(1, channel.metrics().requestsBackPressured());
        channel.data().close();
        assertEquals(BridgeStatus.CLOSED, channel.control().trySend(request(3)),
            "a closed channel under pressure must say CLOSED, not BACK_PRESSURED");
    }

    @Test
    void seedDefectWakePerMessage_aBurstToAParkedCoreWakesItOnceNotOncePerMessage() throws Exception {
        BridgeChannel<Request, Response> channel = channel(1024, 1024);
        DataHandle<Request, Response> data = channel.data();
        AtomicInteger handled = new AtomicInteger();
        // The core holds the first request until the whole burst is sent, so that it cannot catch up, park and be
        // woken again mid-burst (a real empty-to-non-empty transition each time, which would make the count depend
        // on scheduling); the seed's wake per message would still show as hundreds of wake-ups.
        java.util.concurrent.CountDownLatch burstSent = new java.util.concurrent.CountDownLatch(1);
        Thread core = new Thread(() -> {
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.PARK, data.requestsReadable());
            while (!data.isClosed()) {
                int n = data.drain((EnvelopeHandler) request -> {
                    if (handled.incrementAndGet() == 1) {
                        try {
                            burstSent.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return request.response();
                }, 1024);
                idle.idle(n);
            }
        }, "core");
        core.start();
        untilParked(core);
        List<Request> burst = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            burst.add(request(i));
        }
        for (Request request : burst) {
            assertEquals(BridgeStatus.OK, channel.control().trySend(request));
        }
        burstSent.countDown();
        channel.control().closeRequests();
        joinOrFail(core);
        assertEquals(500, handled.get());
        long wakeups = channel.metrics().dataWakeups();
        assertTrue(wakeups >= 1 && wakeups <= 3, "500 messages to a parked core woke it " + wakeups
            + " times: the wake must fire on the empty-to-non-empty transition only (plus the close)");
    }

    @Test
    void seedDefectHangOnDisconnect_aControlSideBlockedInReceiveIsWokenByTheDataSidesClose() throws Exception {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        AtomicReference<Object> taken = new AtomicReference<>("not yet");
        Thread control = new Thread(() -> {
            try {
                taken.set(channel.control().receive());
            } catch (InterruptedException e) {
                taken.set(e);
            }
        }, "control");
        control.start();
        untilParked(control);
        channel.data().close();
        joinOrFail(control);
        assertNull(taken.get(), "receive() returns null once the data side closed and nothing is left");
        assertTrue(channel.control().isClosed());
    }

    @Test
    void aControlSideBlockedInSendOnAFullRingIsWokenByTheDataSidesClose() throws Exception {
        BridgeChannel<Request, Response> channel = channel(2, 2);
        channel.control().trySend(request(0));
        channel.control().trySend(request(1));
        AtomicReference<Object> outcome = new AtomicReference<>("not yet");
        Thread control = new Thread(() -> {
            try {
                outcome.set(channel.control().send(request(2)));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        }, "control");
        control.start();
        untilParked(control);
        channel.data().close();
        joinOrFail(control);
        assertEquals(BridgeStatus.CLOSED, outcome.get());
    }

    @Test
    void aParkedCoreIsWokenByTheControlSidesClose() throws Exception {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        DataHandle<Request, Response> data = channel.data();
        Thread core = new Thread(() -> {
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.PARK, data.requestsReadable());
            while (!data.isClosed()) {
                idle.idle(data.drain(ECHO, 16));
            }
            data.close();
        }, "core");
        core.start();
        untilParked(core);
        channel.control().close();
        joinOrFail(core);
        assertTrue(data.isClosed());
    }

    @Test
    void theDataSideTakesARequestOnlyWithResponseCreditSoAFullResponseRingPushesBackInsteadOfDropping() {
        BridgeChannel<Request, Response> channel = channel(16, 2);
        for (int i = 0; i < 5; i++) {
            assertEquals(BridgeStatus.OK, channel.control().trySend(request(i)));
        }
        DataHandle<Request, Response> data = channel.data();
        assertEquals(2, data.drain(ECHO, 16), "two response slots: two requests taken");
        assertEquals(0, data.drain(ECHO, 16), "no credit: nothing taken, nothing answered into a full ring");
        assertEquals(1, channel.metrics().creditStalls());
        assertEquals(3, channel.metrics().requestsSent() - channel.metrics().requestsReceived());
        List<Long> answered = new ArrayList<>();
        for (int round = 0; round < 5 && answered.size() < 5; round++) {
            Response response;
            while ((response = channel.control().poll()) != null) {
                answered.add(response.id());
            }
            data.drain(ECHO, 16);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), answered, "every request answered once, in order");
    }

    @Test
    void anAsynchronousAnswerUsesTheCreditItsRequestReserved() {
        BridgeChannel<Request, Response> channel = channel(8, 1);
        channel.control().trySend(request(1));
        channel.control().trySend(request(2));
        List<Request> held = new ArrayList<>();
        DataHandle<Request, Response> data = channel.data();
        assertEquals(1, data.drain((EnvelopeHandler) request -> {
            held.add(request);
            return null; // answer later
        }, 8));
        assertEquals(1, data.unanswered());
        assertEquals(0, data.drain(ECHO, 8), "the one response slot is reserved for the held request");
        assertEquals(BridgeStatus.OK, data.offer(held.get(0).response()));
        assertEquals(0, data.unanswered());
        assertEquals(1, channel.control().poll().id());
        assertEquals(1, data.drain(ECHO, 8));
        assertEquals(2, channel.control().poll().id());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.offer(held.get(0).response()));
        assertTrue(e.getMessage().contains("no request awaits an answer"), e.getMessage());
    }

    @Test
    void anExpiredRequestIsAnsweredDeadlineExceededWithoutRunning() {
        AtomicLong clock = new AtomicLong(1_000);
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().nanoClock(clock::get).build();
        channel.control().trySend(request(1).deadline(1_000)); // due now: expired
        channel.control().trySend(request(2).deadline(1_001)); // one nanosecond left: runs
        channel.control().trySend(request(3));                 // no deadline: runs
        List<Long> ran = new ArrayList<>();
        channel.data().drain((EnvelopeHandler) request -> {
            ran.add(request.id());
            return request.response();
        }, 8);
        assertEquals(List.of(2L, 3L), ran);
        assertEquals(ResponseStatus.DEADLINE_EXCEEDED, channel.control().poll().status());
        assertEquals(ResponseStatus.OK, channel.control().poll().status());
        assertEquals(1, channel.metrics().requestsExpired());
    }

    @Test
    void noDeadlineNeverExpiresEvenWhenTheClockIsNegative() {
        // System.nanoTime() may be negative; a naive "now - deadline >= 0" overflows for Long.MAX_VALUE
        for (long now : new long[] {Long.MIN_VALUE, -5, 0, Long.MAX_VALUE - 1}) {
            BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().nanoClock(() -> now).build();
            channel.control().trySend(request(1));
            AtomicInteger ran = new AtomicInteger();
            channel.data().drain((EnvelopeHandler) request -> {
                ran.incrementAndGet();
                return request.response();
            }, 8);
            assertEquals(1, ran.get(), "clock at " + now);
        }
        assertFalse(Request.create().isExpired(Long.MIN_VALUE));
    }

    @Test
    void aHandlerThatThrowsIsAnsweredErrorAndCounted() {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        channel.control().trySend(request(1));
        channel.data().drain((EnvelopeHandler) request -> {
            throw new IllegalArgumentException("bad request");
        }, 8);
        Response response = channel.control().poll();
        assertEquals(ResponseStatus.ERROR, response.status());
        assertEquals(EnvelopeHandler.FAILURE_CODE, response.errorCode());
        assertEquals(1, channel.metrics().requestsFailed());
    }

    @Test
    void aRequestWhoseHandlerAndOnFailureBothThrowIsAnsweredByTheFallbackAndCountedOnce() {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        channel.control().trySend(request(1));
        assertEquals(1, channel.data().drain(new EnvelopeHandler() {
            @Override
            public Response onRequest(Request request) {
                throw new IllegalArgumentException("bad request");
            }

            @Override
            public Response onFailure(Request request, RuntimeException failure) {
                throw new IllegalStateException("and a bad failure path");
            }
        }, 8));
        Response response = channel.control().poll();
        assertEquals(ResponseStatus.ERROR, response.status());
        assertEquals(EnvelopeHandler.FAILURE_CODE, response.errorCode());
        assertEquals(1, channel.metrics().requestsFailed(), "one request failed: one failure, as the core counts it");
    }

    @Test
    void aHandlerThatAnswersNullWhereItMustAnswerIsACleanContractViolation() {
        RequestHandler<Request, Response> broken = new RequestHandler<>() {
            @Override
            public Response onRequest(Request request) {
                return request.response();
            }

            @Override
            public Response onExpired(Request request) {
                return null;
            }

            @Override
            public Response onCancelled(Request request) {
                return null;
            }

            @Override
            public Response onFailure(Request request, RuntimeException failure) {
                return null;
            }
        };
        // without a fallback answer: a clean contract violation, and the request's credit comes back
        BridgeChannel<Request, Response> expiring = BridgeChannel.<Request, Response>builder()
            .deadline(Request::deadline).nanoClock(() -> 10).responseCapacity(1).build();
        expiring.control().trySend(request(1).deadline(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> expiring.data().drain(broken, 8));
        assertTrue(e.getMessage().contains("onExpired returned null"), e.getMessage());
        assertEquals(0, expiring.data().unanswered());
        expiring.control().trySend(request(2));
        assertEquals(1, expiring.data().drain(broken, 8), "the one response slot is free again");

        // with the envelopes' fallback: the request is still answered once, ERROR, and counted
        BridgeChannel<Request, Response> answered = BridgeChannel.forEnvelopes().nanoClock(() -> 10).build();
        answered.control().trySend(request(1).deadline(5));
        assertEquals(1, answered.data().drain(broken, 8));
        Response response = answered.control().poll();
        assertEquals(ResponseStatus.ERROR, response.status());
        assertEquals(EnvelopeHandler.FAILURE_CODE, response.errorCode());
        assertEquals(1, answered.metrics().requestsFailed());
    }

    @Test
    void aPinnedDataHandleRejectsOtherThreadsAndCanBeClosedOnceItsThreadIsGone() throws Exception {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        DataHandle<Request, Response> data = channel.data();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread core = new Thread(() -> {
            data.pin();
            data.pin(); // again from the same thread: fine
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "core-7");
        core.start();
        await(data::isPinned, "the core to pin the data handle");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.drain(ECHO, 1));
        assertTrue(e.getMessage().contains("core-7") && e.getMessage().contains(Thread.currentThread().getName()),
            e.getMessage());
        assertThrows(IllegalStateException.class, data::pin);
        assertThrows(IllegalStateException.class, data::unanswered);
        assertThrows(IllegalStateException.class, () -> data.offer(Request.create().response()));
        IllegalStateException close = assertThrows(IllegalStateException.class, data::close);
        assertTrue(close.getMessage().contains("alive"), close.getMessage());
        assertFalse(data.shouldSuspend(), "pressure hints are for any thread");
        release.countDown();
        joinOrFail(core);
        data.close(); // the core is gone: a supervisor may report it lost
        assertTrue(channel.control().isClosed());
    }

    @Test
    void closingTheControlSideLetsTheDataSideDrainWhatWasSentAndDropsLaterAnswers() {
        List<Response> undelivered = new ArrayList<>();
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes()
            .onUndeliveredResponse(undelivered::add).build();
        channel.control().trySend(request(1));
        channel.control().trySend(request(2));
        channel.data().drain(ECHO, 1);        // answers 1, which the control side never takes
        channel.control().close();
        assertEquals(BridgeStatus.CLOSED, channel.control().trySend(request(3)));
        assertEquals(1, undelivered.size(), "the answer not taken goes to the undelivered handler");
        assertEquals(1, undelivered.get(0).id());
        assertFalse(channel.data().isClosed(), "request 2 is still there to drain");
        assertEquals(1, channel.data().drain(ECHO, 8));
        assertTrue(channel.data().isClosed());
        assertEquals(1, channel.metrics().responsesDropped(), "the answer to 2 had nowhere to go: counted");
    }

    @Test
    void closingTheDataSideHandsUntakenRequestsOverAndTheControlSideStillGetsTheAnswersSent() throws Exception {
        List<Long> undelivered = new ArrayList<>();
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes()
            .onUndeliveredRequest(request -> undelivered.add(request.id())).build();
        for (int i = 1; i <= 3; i++) {
            channel.control().trySend(request(i));
        }
        channel.data().drain(ECHO, 1);
        channel.data().close();
        assertEquals(List.of(2L, 3L), undelivered);
        assertEquals(1, channel.control().receive().id());
        assertNull(channel.control().receive());
        assertTrue(channel.control().isClosed());
    }

    @Test
    void seedDefectPublicFieldsBypassingTheWakeLogic_noBridgeTypeHasAPublicOrMutableNonPrivateField() {
        for (Class<?> type : List.of(BridgeChannel.class, ControlHandle.class,
            DataHandle.class, BridgeClient.class, BridgeCall.class, Request.class, Response.class,
            BridgeMetrics.class)) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                assertFalse(Modifier.isPublic(modifiers) && !(Modifier.isStatic(modifiers)
                    && Modifier.isFinal(modifiers)), type.getSimpleName() + "." + field.getName() + " is public");
                assertTrue(Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers),
                    type.getSimpleName() + "." + field.getName() + " must be private");
            }
        }
        assertFalse(dev.tpcbridge.ring.ElementHandler.class.isAssignableFrom(DataHandle.class),
            "the data handle must not expose the drain's per-element step");
    }

    @Test
    void argumentsAreValidatedWithMessagesNamingTheValue() {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        assertThrows(IllegalArgumentException.class, () -> channel.control().trySend(null));
        assertThrows(IllegalArgumentException.class, () -> channel.data().drain(null, 1));
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
            () -> channel.data().drain(ECHO, 0));
        assertTrue(limit.getMessage().contains("limit=0"), limit.getMessage());
        IllegalArgumentException capacity = assertThrows(IllegalArgumentException.class,
            () -> BridgeChannel.forEnvelopes().requestCapacity(0)); // validated at the setter, not at build()
        assertTrue(capacity.getMessage().contains("requestCapacity=0 must be in [1, 1073741824]"),
            capacity.getMessage());
        IllegalArgumentException responses = assertThrows(IllegalArgumentException.class,
            () -> BridgeChannel.forEnvelopes().responseCapacity(0));
        assertTrue(responses.getMessage().contains("responseCapacity=0"), responses.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BridgeChannel.forEnvelopes().waitPolicy(null));
        assertThrows(IllegalArgumentException.class, () -> BridgeChannel.forEnvelopes().nanoClock(null));
        IllegalArgumentException tenant = assertThrows(IllegalArgumentException.class,
            () -> Request.create().tenant(-1));
        assertTrue(tenant.getMessage().contains("tenant=-1"), tenant.getMessage());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Request.create().response().status(ResponseStatus.ERROR));
        assertTrue(error.getMessage().contains("error(code)"), error.getMessage());
        dev.tpcbridge.slab.SlabPool pool = dev.tpcbridge.slab.SlabPool.create(0);
        IllegalArgumentException outcome = assertThrows(IllegalArgumentException.class,
            () -> Request.create().slabPayload(pool, dev.tpcbridge.slab.SlabHandle.EXHAUSTED));
        assertTrue(outcome.getMessage().contains("EXHAUSTED"), outcome.getMessage());
        IllegalArgumentException noPool = assertThrows(IllegalArgumentException.class,
            () -> Request.create().slabPayload(null, pool.alloc(8)));
        assertTrue(noPool.getMessage().contains("pool=null"), noPool.getMessage());
        long released = pool.alloc(8);
        pool.release(released);
        IllegalStateException stale = assertThrows(IllegalStateException.class,
            () -> Request.create().slabPayload(pool, released));
        assertTrue(stale.getMessage().contains("already released"), stale.getMessage());
        IllegalStateException noPage = assertThrows(IllegalStateException.class,
            () -> Request.create().id(4).response().slabPayloadFromRequest());
        assertTrue(noPage.getMessage().contains("carries no slab page"), noPage.getMessage());
    }

    /** A slab payload's length is the page's, as its owner set it, and an echo hands back the same page. */
    @Test
    void aSlabPayloadCarriesThePagesLengthAndAnEchoTheSamePage() {
        dev.tpcbridge.slab.SlabPool pool = dev.tpcbridge.slab.SlabPool.create(0);
        long page = pool.alloc(100);
        pool.resize(page, 42);
        Request request = Request.create().id(1).slabPayload(pool, page);
        assertEquals(42, request.payloadLength());
        assertEquals(page, request.slabHandle());
        assertNull(request.payloadBytes());
        Response echo = request.response().payload(new byte[3], 0, 3).slabPayloadFromRequest();
        assertEquals(page, echo.slabHandle());
        assertEquals(42, echo.payloadLength());
        assertNull(echo.payloadBytes());
        pool.release(page);
    }

    @Test
    void aCoreWhoseCreditIsHeldIsWokenWhenTheControlSideTakesAnAnswer() throws Exception {
        BridgeChannel<Request, Response> channel = channel(16, 4);
        DataHandle<Request, Response> data = channel.data();
        AtomicInteger ran = new AtomicInteger();
        EnvelopeHandler holdTwo = request -> {
            ran.incrementAndGet();
            return request.id() < 2 ? null : request.response(); // 0 and 1 held: answered later, or never
        };
        Thread core = new Thread(() -> {
            data.pin();
            // no timeout
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.PARK, data.requestsReadable());
            while (!data.isClosed()) {
                idle.idle(data.drain(holdTwo, 16));
            }
            data.close();
        }, "core");
        core.start();
        for (int i = 0; i < 6; i++) {
            assertEquals(BridgeStatus.OK, channel.control().trySend(request(i)));
        }
        await(() -> ran.get() == 4, "the core to take 4 (its credit): 2 held, 2 answered");
        untilParked(core); // no credit: 2 promised, 2 answers in the ring; requests 4 and 5 wait
        assertEquals(2, channel.control().poll().id());
        assertEquals(3, channel.control().poll().id()); // frees credit: the core must wake and take 4 and 5
        await(() -> ran.get() == 6, "the core to wake and take the rest (a lost wake-up hangs here)");
        channel.control().close();
        joinOrFail(core);
    }

    @Test
    void offerIsRefusedOnlyForRoomTrySendAlsoYieldsToSuspensionAndSendWaitsForRoomWithoutYielding()
        throws Exception {
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(4)
            .backpressure(BackpressureConfig.builder().enterThrottle(0.25).exitThrottle(0.2).enterSuspend(0.5)
                .exitSuspend(0.3).build())
            .build();
        ControlHandle<Request, Response> control = channel.control();
        assertEquals(BridgeStatus.OK, control.trySend(request(0)));
        assertEquals(BridgeStatus.OK, control.trySend(request(1)));
        assertEquals(PressureState.SUSPENDED, control.pressure());
        assertEquals(BridgeStatus.BACK_PRESSURED, control.trySend(request(2)));
        assertEquals(BridgeStatus.OK, control.offer(request(2)), "offer yields to want of room only");
        assertEquals(BridgeStatus.OK, control.send(request(3)), "send waits for room only: there is some");
        assertEquals(BridgeStatus.FULL, control.offer(request(4)));
        assertEquals(BridgeStatus.FULL, control.send(request(4), 0, TimeUnit.MILLISECONDS), "0: does not wait");
        assertEquals(BridgeStatus.FULL, control.send(request(4), 5, TimeUnit.MILLISECONDS), "the time ran out");
        assertEquals(BridgeStatus.BACK_PRESSURED, control.trySend(request(4)));
        assertEquals(4, channel.metrics().requestsSent());
        assertEquals(3, channel.metrics().requestsRefusedFull());
        assertEquals(2, channel.metrics().requestsBackPressured());
        assertNull(control.receive(1, TimeUnit.MILLISECONDS), "no answer yet: the timed receive gives up");
        assertFalse(control.isClosed());
        channel.data().close();
        for (BridgeStatus status : List.of(control.offer(request(5)), control.trySend(request(5)),
            control.send(request(5)), control.send(request(5), 1, TimeUnit.SECONDS))) {
            assertEquals(BridgeStatus.CLOSED, status);
        }
        assertNull(control.receive(), "closed and drained: receive returns at once");
    }

    @Test
    void isDrainedWantsNothingQueuedNothingUnansweredAndAControlSideThatSendsNoMore() {
        // A control side that does not honour drains: drained once nothing is queued or unanswered.
        BridgeChannel<Request, Response> raw = channel(8, 8);
        DataHandle<Request, Response> data = raw.data();
        assertEquals(BridgeStatus.OK, raw.control().trySend(request(1)));
        data.beginDrain();
        assertFalse(data.isDrained(), "a request is queued");
        List<Request> held = new ArrayList<>();
        assertEquals(1, data.drain((EnvelopeHandler) request -> {
            held.add(request);
            return null;
        }, 8));
        assertEquals(1, data.unanswered());
        assertFalse(data.isDrained(), "a request is unanswered");
        assertEquals(BridgeStatus.OK, data.offer(held.get(0).response()));
        assertTrue(data.isDrained(), "the control side does not honour drains: what it did not send is its own");

        // A control side that honours drains (a client does): drained only once it closed its requests.
        BridgeChannel<Request, Response> honouring = channel(8, 8);
        honouring.control().honourDrainRequests();
        DataHandle<Request, Response> side = honouring.data();
        assertFalse(honouring.control().takeDrainRequest(), "nothing asked yet");
        side.beginDrain();
        side.beginDrain(); // idempotent: one request
        assertTrue(honouring.control().takeDrainRequest());
        assertFalse(honouring.control().takeDrainRequest(), "signalled once");
        assertFalse(side.isDrained(), "empty, but the control side may still send what it accepted");
        assertEquals(BridgeStatus.OK, honouring.control().trySend(request(2)));
        honouring.control().closeRequests();
        assertFalse(side.isDrained(), "a request is still queued");
        assertEquals(1, side.drain(ECHO, 8));
        assertTrue(side.isDrained(), "answered, and the requests are closed");
        assertTrue(side.isClosed());
    }
}
