package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.PressureState;
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
        assertEquals(BridgeStatus.OK, channel.control().send(request));
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
            assertEquals(BridgeStatus.OK, channel.control().send(request));
            sent.add(request);
        }
        Request refused = request(4);
        BridgeStatus status = channel.control().send(refused);
        assertTrue(status == BridgeStatus.FULL || status == BridgeStatus.BACK_PRESSURED, status.toString());
        List<Long> seen = new ArrayList<>();
        channel.data().drain((EnvelopeHandler) request -> {
            seen.add(request.id());
            return request.response();
        }, 16);
        assertEquals(List.of(0L, 1L, 2L, 3L), seen, "the refused request must not overwrite or be dropped");
        assertEquals(BridgeStatus.OK, channel.control().send(refused), "the caller still has it and can resend");
    }

    @Test
    void seedDefectMisleadingErrorMapping_closedIsNeverReportedAsBackPressure() {
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(4)
            .backpressure(BackpressureConfig.builder().enterThrottle(0.25).exitThrottle(0.2).enterSuspend(0.5)
                .exitSuspend(0.3).build())
            .build();
        assertEquals(BridgeStatus.OK, channel.control().send(request(1)));
        assertEquals(BridgeStatus.OK, channel.control().send(request(2)));
        assertEquals(PressureState.SUSPENDED, channel.control().pressure());
        assertEquals(BridgeStatus.BACK_PRESSURED, channel.control().send(request(3)));
        assertEquals(1, channel.metrics().requestsBackPressured());
        channel.data().close();
        assertEquals(BridgeStatus.CLOSED, channel.control().send(request(3)),
            "a closed channel under pressure must say CLOSED, not BACK_PRESSURED");
    }

    @Test
    void seedDefectWakePerMessage_aBurstToAParkedCoreWakesItOnceNotOncePerMessage() throws Exception {
        BridgeChannel<Request, Response> channel = channel(1024, 1024);
        BridgeChannel.DataHandle<Request, Response> data = channel.data();
        AtomicInteger handled = new AtomicInteger();
        // The core holds the first request until the whole burst is sent, so that it cannot catch up, park and be
        // woken again mid-burst (a real empty-to-non-empty transition each time, which would make the count depend
        // on scheduling); the seed's wake per message would still show as hundreds of wake-ups.
        java.util.concurrent.CountDownLatch burstSent = new java.util.concurrent.CountDownLatch(1);
        Thread core = new Thread(() -> {
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(0, 0, data.requestsReadable());
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
            assertEquals(BridgeStatus.OK, channel.control().send(request));
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
    void seedDefectHangOnDisconnect_aControlSideBlockedInTakeIsWokenByTheDataSidesClose() throws Exception {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        AtomicReference<Object> taken = new AtomicReference<>("not yet");
        Thread control = new Thread(() -> {
            try {
                taken.set(channel.control().take());
            } catch (InterruptedException e) {
                taken.set(e);
            }
        }, "control");
        control.start();
        untilParked(control);
        channel.data().close();
        joinOrFail(control);
        assertNull(taken.get(), "take() returns null once the data side closed and nothing is left");
        assertTrue(channel.control().isClosed());
    }

    @Test
    void aControlSideBlockedInSendOnAFullRingIsWokenByTheDataSidesClose() throws Exception {
        BridgeChannel<Request, Response> channel = channel(2, 2);
        channel.control().send(request(0));
        channel.control().send(request(1));
        AtomicReference<Object> outcome = new AtomicReference<>("not yet");
        Thread control = new Thread(() -> {
            try {
                outcome.set(channel.control().sendBlocking(request(2)));
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
        BridgeChannel.DataHandle<Request, Response> data = channel.data();
        Thread core = new Thread(() -> {
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(0, 0, data.requestsReadable());
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
            assertEquals(BridgeStatus.OK, channel.control().send(request(i)));
        }
        BridgeChannel.DataHandle<Request, Response> data = channel.data();
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
        channel.control().send(request(1));
        channel.control().send(request(2));
        List<Request> held = new ArrayList<>();
        BridgeChannel.DataHandle<Request, Response> data = channel.data();
        assertEquals(1, data.drain((EnvelopeHandler) request -> {
            held.add(request);
            return null; // answer later
        }, 8));
        assertEquals(1, data.outstanding());
        assertEquals(0, data.drain(ECHO, 8), "the one response slot is reserved for the held request");
        assertEquals(BridgeStatus.OK, data.send(held.get(0).response()));
        assertEquals(0, data.outstanding());
        assertEquals(1, channel.control().poll().id());
        assertEquals(1, data.drain(ECHO, 8));
        assertEquals(2, channel.control().poll().id());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.send(held.get(0).response()));
        assertTrue(e.getMessage().contains("no request awaits an answer"), e.getMessage());
    }

    @Test
    void anExpiredRequestIsAnsweredDeadlineExceededWithoutRunning() {
        AtomicLong clock = new AtomicLong(1_000);
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().nanoClock(clock::get).build();
        channel.control().send(request(1).deadline(1_000)); // due now: expired
        channel.control().send(request(2).deadline(1_001)); // one nanosecond left: runs
        channel.control().send(request(3));                 // no deadline: runs
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
            channel.control().send(request(1));
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
        channel.control().send(request(1));
        channel.data().drain((EnvelopeHandler) request -> {
            throw new IllegalArgumentException("bad request");
        }, 8);
        Response response = channel.control().poll();
        assertEquals(ResponseStatus.ERROR, response.status());
        assertEquals(EnvelopeHandler.FAILURE_CODE, response.errorCode());
        assertEquals(1, channel.metrics().requestsFailed());
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
        expiring.control().send(request(1).deadline(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> expiring.data().drain(broken, 8));
        assertTrue(e.getMessage().contains("onExpired returned null"), e.getMessage());
        assertEquals(0, expiring.data().outstanding());
        expiring.control().send(request(2));
        assertEquals(1, expiring.data().drain(broken, 8), "the one response slot is free again");

        // with the envelopes' fallback: the request is still answered once, ERROR, and counted
        BridgeChannel<Request, Response> answered = BridgeChannel.forEnvelopes().nanoClock(() -> 10).build();
        answered.control().send(request(1).deadline(5));
        assertEquals(1, answered.data().drain(broken, 8));
        Response response = answered.control().poll();
        assertEquals(ResponseStatus.ERROR, response.status());
        assertEquals(EnvelopeHandler.FAILURE_CODE, response.errorCode());
        assertEquals(1, answered.metrics().requestsFailed());
    }

    @Test
    void aPinnedDataHandleRejectsOtherThreadsAndCanBeClosedOnceItsThreadIsGone() throws Exception {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        BridgeChannel.DataHandle<Request, Response> data = channel.data();
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
        assertThrows(IllegalStateException.class, data::outstanding);
        assertThrows(IllegalStateException.class, () -> data.send(Request.create().response()));
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
        channel.control().send(request(1));
        channel.control().send(request(2));
        channel.data().drain(ECHO, 1);        // answers 1, which the control side never takes
        channel.control().close();
        assertEquals(BridgeStatus.CLOSED, channel.control().send(request(3)));
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
            channel.control().send(request(i));
        }
        channel.data().drain(ECHO, 1);
        channel.data().close();
        assertEquals(List.of(2L, 3L), undelivered);
        assertEquals(1, channel.control().take().id());
        assertNull(channel.control().take());
        assertTrue(channel.control().isClosed());
    }

    @Test
    void seedDefectPublicFieldsBypassingTheWakeLogic_noBridgeTypeHasAPublicOrMutableNonPrivateField() {
        for (Class<?> type : List.of(BridgeChannel.class, BridgeChannel.ControlHandle.class,
            BridgeChannel.DataHandle.class, BridgeClient.class, BridgeCall.class, Request.class, Response.class,
            BridgeMetrics.class)) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                assertFalse(Modifier.isPublic(modifiers) && !(Modifier.isStatic(modifiers)
                    && Modifier.isFinal(modifiers)), type.getSimpleName() + "." + field.getName() + " is public");
                assertTrue(Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers),
                    type.getSimpleName() + "." + field.getName() + " must be private");
            }
        }
        assertFalse(dev.tpcbridge.ring.ElementHandler.class.isAssignableFrom(BridgeChannel.DataHandle.class),
            "the data handle must not expose the drain's per-element step");
    }

    @Test
    void argumentsAreValidatedWithMessagesNamingTheValue() {
        BridgeChannel<Request, Response> channel = channel(8, 8);
        assertThrows(IllegalArgumentException.class, () -> channel.control().send(null));
        assertThrows(IllegalArgumentException.class, () -> channel.data().drain(null, 1));
        IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
            () -> channel.data().drain(ECHO, 0));
        assertTrue(limit.getMessage().contains("limit=0"), limit.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BridgeChannel.forEnvelopes().requestCapacity(0).build());
        assertThrows(IllegalArgumentException.class, () -> BridgeChannel.forEnvelopes().nanoClock(null));
        IllegalArgumentException tenant = assertThrows(IllegalArgumentException.class,
            () -> Request.create().tenant(-1));
        assertTrue(tenant.getMessage().contains("tenant=-1"), tenant.getMessage());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Request.create().response().status(ResponseStatus.ERROR));
        assertTrue(error.getMessage().contains("error(code)"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Request.create().slabPayload(-1));
    }

    @Test
    void aCoreWhoseCreditIsHeldIsWokenWhenTheControlSideTakesAnAnswer() throws Exception {
        BridgeChannel<Request, Response> channel = channel(16, 4);
        BridgeChannel.DataHandle<Request, Response> data = channel.data();
        AtomicInteger ran = new AtomicInteger();
        EnvelopeHandler holdTwo = request -> {
            ran.incrementAndGet();
            return request.id() < 2 ? null : request.response(); // 0 and 1 held: answered later, or never
        };
        Thread core = new Thread(() -> {
            data.pin();
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(0, 0, data.requestsReadable()); // no timeout
            while (!data.isClosed()) {
                idle.idle(data.drain(holdTwo, 16));
            }
            data.close();
        }, "core");
        core.start();
        for (int i = 0; i < 6; i++) {
            assertEquals(BridgeStatus.OK, channel.control().send(request(i)));
        }
        await(() -> ran.get() == 4, "the core to take 4 (its credit): 2 held, 2 answered");
        untilParked(core); // no credit: 2 promised, 2 answers in the ring; requests 4 and 5 wait
        assertEquals(2, channel.control().poll().id());
        assertEquals(3, channel.control().poll().id()); // frees credit: the core must wake and take 4 and 5
        await(() -> ran.get() == 6, "the core to wake and take the rest (a lost wake-up hangs here)");
        channel.control().close();
        joinOrFail(core);
    }
}
