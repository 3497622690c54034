package dev.tpcbridge.bridge;

import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.wake.Wakeable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tpcbridge.internal.Threads.await;
import static dev.tpcbridge.internal.Threads.joinOrFail;
import static dev.tpcbridge.internal.Threads.untilParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client: correlation, completion on the client's thread, each answer status, giving up (cancel, orTimeout,
 * deadlines), slab pages, closing either side with calls pending, and argument checks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BridgeClientTest {
    private static final EnvelopeHandler ECHO = request -> request.payloadBytes() == null ? request.response()
        : request.response().payload(request.payloadBytes(), request.payloadOffset(), request.payloadLength());

    /** A client with no core: 2 request slots, 2 response slots, an intake of 2; its completer thread is kept. */
    private static BridgeClient coreless(AtomicReference<Thread> completer) {
        return BridgeClient.builder().requestCapacity(2).responseCapacity(2)
            .intakeCapacity(2)
            .threadFactory(TestCore.keeping(completer)).build();
    }

    /**
     * Fills a coreless client: two calls in the request ring, a third refused by it (the completer holds it and parks
     * waiting for room, so it takes nothing more from the intake), then the intake until a call is rejected.
     */
    private static BridgeCall<Long> fill(BridgeClient client, Thread completer) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            assertFalse(client.call(Request.create(), Response::count).isDone()); // waits for intake room
        }
        await(() -> { // the third is refused by the ring: FULL, or BACK_PRESSURED as the full ring is SUSPENDED
            BridgeMetrics metrics = client.channel().metrics();
            return metrics.requestsRefusedFull() + metrics.requestsBackPressured() > 0;
        }, "the completer to find the request ring full");
        untilParked(completer);
        BridgeCall<Long> call;
        do {
            call = client.tryCall(Request.create(), Response::count);
        } while (!call.isDone());
        return call;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable failureOf(BridgeCall<?> call) {
        CompletionException e = assertThrows(CompletionException.class, call::join);
        return e.getCause();
    }

    @Test
    void callsAreAnsweredInTheirOwnFutureOnTheClientsThreadNeverOnTheCore() throws Exception {
        try (BridgeClient client = BridgeClient.builder().build();
             TestCore core = new TestCore(client.channel(), ECHO)) {
            List<BridgeCall<String>> calls = new ArrayList<>();
            AtomicReference<Thread> decodedOn = new AtomicReference<>();
            for (int i = 0; i < 100; i++) { // concurrent calls: each borrows its own request
                byte[] payload = bytes("call-" + i);
                calls.add(client.call(Request.create().id(i).payload(payload, 0, payload.length), response -> {
                    decodedOn.set(Thread.currentThread());
                    return new String(response.payloadBytes(), response.payloadOffset(), response.payloadLength(),
                        StandardCharsets.UTF_8) + "@" + response.id();
                }));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("call-" + i + "@" + i, calls.get(i).get(10, TimeUnit.SECONDS));
            }
            assertTrue(decodedOn.get().getName().startsWith("tpcbridge-client-"), decodedOn.get().getName());
            assertNotEquals(core.thread, decodedOn.get());
            assertEquals(100, core.ran.get());
        }
    }

    @Test
    void eachAnswerStatusCompletesTheCallItsOwnWay() throws Exception {
        AtomicLong clock = new AtomicLong();
        EnvelopeHandler byId = request -> {
            switch ((int) request.id()) {
                case 1: return request.response().error(42);
                case 2: return request.response().status(ResponseStatus.CANCELLED);
                case 3: return request.response().status(ResponseStatus.PARTIAL).count(3);
                default: throw new IllegalStateException("handler bug");
            }
        };
        try (BridgeClient client = BridgeClient.builder().nanoClock(clock::get).build();
             TestCore core = new TestCore(client.channel(), byId)) {
            BridgeCall<Long> error = client.call(Request.create().id(1), Response::count);
            BridgeCall<Long> cancelled = client.call(Request.create().id(2), Response::count);
            BridgeCall<Long> partial = client.call(Request.create().id(3), Response::count);
            BridgeCall<Long> failed = client.call(Request.create().id(4), Response::count);
            BridgeCall<Long> decoderThrows = client.call(Request.create().id(3), response -> {
                throw new ArithmeticException("decoder bug");
            });
            BridgeCallException e = assertInstanceOf(BridgeCallException.class, failureOf(error));
            assertEquals(ResponseStatus.ERROR, e.status());
            assertEquals(42, e.errorCode());
            assertFalse(e.isRejected());
            assertThrows(CancellationException.class, cancelled::join);
            assertEquals(3L, partial.join());
            BridgeCallException handlerFailure = assertInstanceOf(BridgeCallException.class, failureOf(failed));
            assertEquals(EnvelopeHandler.FAILURE_CODE, handlerFailure.errorCode());
            assertInstanceOf(ArithmeticException.class, failureOf(decoderThrows));
            assertEquals(5, core.ran.get());
            for (BridgeCall<Long> call : List.of(error, cancelled, partial, failed, decoderThrows)) {
                assertFalse(call.request().isInFlight(), "whatever the answer, its request is back: " + call);
            }
        }
    }

    @Test
    void deadlinesOnTheInjectedClockAreEnforcedWithoutRunningTheRequest() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        try (BridgeClient client = BridgeClient.builder().nanoClock(clock::get).build();
             TestCore core = new TestCore(client.channel(), ECHO)) {
            BridgeCall<Long> late = client.call(Request.create().id(1).deadline(999), Response::count);
            BridgeCall<Long> due = client.call(Request.create().id(2).deadline(1_000), Response::count);
            BridgeCall<Long> inTime = client.call(Request.create().id(3).deadline(5_000), Response::count);
            for (BridgeCall<Long> call : List.of(late, due)) {
                BridgeCallException e = assertInstanceOf(BridgeCallException.class, failureOf(call));
                assertEquals(ResponseStatus.DEADLINE_EXCEEDED, e.status());
            }
            assertEquals(0L, inTime.join());
            assertEquals(1, core.ran.get(), "expired requests are not run");
            for (BridgeCall<Long> call : List.of(late, due, inTime)) {
                assertFalse(call.request().isInFlight(), "an expired request is back too: " + call);
            }
        }
    }

    @Test
    void aCallCancelledBeforeTheCoreTakesItIsNotRunAndItsEnvelopeComesBack() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        EnvelopeHandler gated = request -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return request.response().count(request.id());
        };
        try (BridgeClient client = BridgeClient.builder().requestCapacity(2).responseCapacity(2).intakeCapacity(64)
            .build();
             TestCore core = new TestCore(client.channel(), gated)) {
            BridgeCall<Long> first = client.call(Request.create().id(0), Response::count); // the core blocks in it
            await(() -> core.ran.get() > 0, "the core to take the first request");
            List<BridgeCall<Long>> cancelled = new ArrayList<>();
            for (int i = 1; i <= 20; i++) { // more than the 2 request and 2 response slots: every request comes back
                BridgeCall<Long> call = client.call(Request.create().id(i), Response::count);
                assertTrue(call.cancel(false));
                cancelled.add(call);
            }
            BridgeCall<Long> timedOut = client.call(Request.create().id(100), Response::count);
            timedOut.orTimeout(1, TimeUnit.MILLISECONDS);
            assertInstanceOf(TimeoutException.class, failureOf(timedOut));
            gate.countDown();
            assertEquals(0L, first.join());
            List<BridgeCall<Long>> after = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                after.add(client.call(Request.create().id(200 + i), Response::count));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(200L + i, after.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(11, core.ran.get(), "no cancelled or timed-out request ran");
            cancelled.forEach(call -> assertTrue(call.isCancelled()));
            for (BridgeCall<Long> call : cancelled) { // dropped from the intake, or answered CANCELLED: back either way
                await(() -> !call.request().isInFlight(), "the request of cancelled " + call + " to come back");
            }
            await(() -> !timedOut.request().isInFlight(), "the request of the timed-out call to come back");
        }
    }

    @Test
    void slabPagesOfDroppedCallsAndUndecodedAnswersGoBackToThePool() throws Exception {
        SlabPool pool = SlabPool.create(SlabConfig.builder().poolId(3).pageSize(1024).pageCount(16).build());
        CountDownLatch gate = new CountDownLatch(1);
        EnvelopeHandler pageEcho = request -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long handle = request.slabHandle();
            return handle == 0 ? request.response() : request.response().slabPayloadFromRequest(); // the page goes back
        };
        try (BridgeClient client = BridgeClient.builder().requestCapacity(2).responseCapacity(2).slabPool(pool)
                .build();
             TestCore core = new TestCore(client.channel(), pageEcho)) {
            BridgeCall<Long> blocker = client.call(Request.create().id(0), Response::count);
            await(() -> core.ran.get() > 0, "the core to take the first request");
            for (int i = 1; i <= 8; i++) {
                BridgeCall<Long> call = client.call(Request.create().id(i).slabPayload(pool, pool.alloc(100)),
                    Response::count);
                // dropped from the intake, or answered CANCELLED with the page: either way it returns
                call.cancel(false);
            }
            BridgeCall<Long> decoded = client.call(Request.create().id(9).slabPayload(pool, pool.alloc(100)),
                response -> {
                    pool.release(response.slabHandle()); // the decoder owns the answer's page
                    return response.id();
                });
            gate.countDown();
            assertEquals(0L, blocker.join());
            assertEquals(9L, decoded.join());
            await(() -> pool.available() == 16, "every page back in " + pool);
        }
    }

    @Test
    void aSlabPayloadNeedsAPoolToReturnItTo() {
        try (BridgeClient client = BridgeClient.builder().build()) {
            SlabPool pool = SlabPool.create(0);
            long handle = pool.alloc(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.tryCall(Request.create().slabPayload(pool, handle), Response::count));
            assertTrue(e.getMessage().contains("slabPool(pool)"), e.getMessage());
        }
    }

    @Test
    void closingTheClientFailsEveryPendingCallNamedAndRefusesLaterOnes() throws Exception {
        BridgeClient client = BridgeClient.builder().build(); // no core: nothing answers
        List<BridgeCall<Long>> pending = new ArrayList<>();
        List<AtomicReference<Boolean>> inFlightAtFailure = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // more than the 1024 request slots: some stay in the intake
            BridgeCall<Long> call = client.call(Request.create().id(i), Response::count);
            AtomicReference<Boolean> seen = new AtomicReference<>();
            call.whenComplete((value, failure) -> seen.set(call.request().isInFlight())); // as it fails
            pending.add(call);
            inFlightAtFailure.add(seen);
        }
        client.close();
        client.close(); // idempotent
        long sent = client.channel().metrics().requestsSent();
        assertTrue(sent > 0 && sent < 3000, "some calls were sent, some not: " + client.channel().metrics());
        for (int i = 0; i < pending.size(); i++) {
            BridgeCall<Long> call = pending.get(i);
            assertTrue(call.isDone(), "close() returns once every call is completed");
            BridgeClosedException e = assertInstanceOf(BridgeClosedException.class, failureOf(call));
            assertTrue(e.getMessage().contains("client was closed"), e.getMessage());
            if (i < sent) { // sent in FIFO order, never answered: the live data side may still read them
                assertTrue(call.request().isInFlight(), "a request sent to a live data side stays in flight: " + i);
            } else {
                assertFalse(call.request().isInFlight(), "a request never sent comes back: " + i);
                assertEquals(Boolean.FALSE, inFlightAtFailure.get(i).get(),
                    "a request never sent comes back before its call fails: " + i);
            }
        }
        IllegalStateException stillLent = assertThrows(IllegalStateException.class,
            () -> client.tryCall(pending.get(0).request(), Response::count));
        assertTrue(stillLent.getMessage().contains("still in flight"), stillLent.getMessage());
        Request refused = Request.create().id(1);
        BridgeCall<Long> later = client.tryCall(refused, Response::count);
        assertInstanceOf(BridgeClosedException.class, failureOf(later));
        assertFalse(refused.isInFlight(), "a call refused by a closed client hands its request back");
        assertInstanceOf(BridgeClosedException.class, failureOf(client.call(refused, Response::count)));
        assertFalse(refused.isInFlight());
        assertTrue(client.isClosed());
    }

    @Test
    void losingTheCoreFailsEveryPendingCallAndClosesTheClient() throws Exception {
        try (BridgeClient client = BridgeClient.builder().requestCapacity(8).responseCapacity(8).build()) {
            TestCore core = new TestCore(client.channel(), request -> {
                if (request.id() == 0) {
                    return request.response();
                }
                return null; // held, never answered: the core "dies" with it
            });
            assertEquals(0L, client.call(Request.create().id(0), Response::count).join());
            List<BridgeCall<Long>> pending = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                pending.add(client.call(Request.create().id(i), Response::count));
            }
            await(() -> core.ran.get() == 9, "the core to hold 8 requests (its credit) and answer one");
            core.stop(); // the core ends and closes its side
            for (BridgeCall<Long> call : pending) {
                BridgeClosedException e = assertInstanceOf(BridgeClosedException.class, failureOf(call));
                assertTrue(e.getMessage().contains("data side closed"), e.getMessage());
                // held by the core, left in the ring, or never sent: no data side can read it any more
                assertFalse(call.request().isInFlight(), "the data side closed first: the request is back, " + call);
            }
            await(client::isClosed, "the client to close itself");
            assertInstanceOf(BridgeClosedException.class,
                failureOf(client.tryCall(Request.create().id(99), Response::count)));
        }
    }

    @Test
    void aCallerBlockedOnAFullIntakeIsWokenByCloseAndItsCallFailsClosed() throws Exception {
        AtomicReference<Thread> completer = new AtomicReference<>();
        BridgeClient client = coreless(completer);
        BridgeCall<Long> refused = fill(client, completer.get());
        BridgeCallException rejected = assertInstanceOf(BridgeCallException.class, failureOf(refused));
        assertTrue(rejected.isRejected());
        assertFalse(refused.request().isInFlight(), "a call refused by a full intake hands its request back");
        AtomicReference<BridgeCall<Long>> blocked = new AtomicReference<>();
        Request blockedRequest = Request.create().id(7);
        Thread caller = new Thread(() -> {
            try {
                blocked.set(client.call(blockedRequest, Response::count));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "caller");
        caller.start();
        untilParked(caller);
        client.close();
        joinOrFail(caller);
        assertInstanceOf(BridgeClosedException.class, failureOf(blocked.get()));
        assertFalse(blockedRequest.isInFlight(), "a call refused by the close hands its request back");
    }

    @Test
    void aCallerBlockedOnAFullIntakeHonoursInterruptsAndItsDeadline() throws Exception {
        AtomicReference<Thread> completer = new AtomicReference<>();
        try (BridgeClient client = coreless(completer)) {
            fill(client, completer.get());
            BridgeCall<Long> timed = client.call(Request.create(), Response::count, 1, TimeUnit.MILLISECONDS);
            assertTrue(assertInstanceOf(BridgeCallException.class, failureOf(timed)).isRejected());
            assertFalse(timed.request().isInFlight(), "a call whose wait for room ran out hands its request back");
            AtomicReference<Object> outcome = new AtomicReference<>();
            Request interrupted = Request.create();
            Thread caller = new Thread(() -> {
                try {
                    outcome.set(client.call(interrupted, Response::count));
                } catch (InterruptedException e) {
                    outcome.set(e);
                }
            }, "caller");
            caller.start();
            untilParked(caller);
            caller.interrupt();
            joinOrFail(caller);
            assertInstanceOf(InterruptedException.class, outcome.get());
            assertFalse(interrupted.isInFlight(), "an interrupted call hands its request back");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> client.call(interrupted, Response::count));
            assertFalse(Thread.interrupted());
            assertFalse(interrupted.isInFlight());
        }
    }

    @Test
    void aCallBorrowsItsRequestUntilAnsweredThenItCanBeReusedAtOnceEvenFromTheCallsOwnCallback() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReference<Thread> completer = new AtomicReference<>();
        try (BridgeClient client = BridgeClient.builder().threadFactory(TestCore.keeping(completer)).build();
             TestCore core = new TestCore(client.channel(), request -> {
                 if (request.id() == 1) {
                     try {
                         gate.await(); // holds the first answer until the test has looked at the lent request
                     } catch (InterruptedException e) {
                         Thread.currentThread().interrupt();
                     }
                 }
                 return request.response().count(request.tenant() * 1000L + request.shard());
             })) {
            Request reused = Request.create().id(1);
            assertFalse(reused.isInFlight());
            BridgeCall<Long> a = client.call(reused.tenant(1).shard(2), Response::count);
            assertTrue(reused.isInFlight(), "the call holds its request until it is answered");
            for (org.junit.jupiter.api.function.Executable again : List.<org.junit.jupiter.api.function.Executable>of(
                () -> client.call(reused, Response::count),
                () -> client.call(reused, Response::count, 1, TimeUnit.SECONDS),
                () -> client.tryCall(reused, Response::count))) {
                IllegalStateException e = assertThrows(IllegalStateException.class, again);
                assertTrue(e.getMessage().contains("request=" + reused) && e.getMessage().contains(
                    "is still in flight with another call"), e.getMessage());
            }
            assertTrue(reused.isInFlight(), "a refused second call leaves the request with the first");
            assertEquals(1, a.tenant(), "the call's tenant is its request's");

            // A stage attached before the answer runs on the completion thread as it completes the call: the request
            // is back by then, so the stage may reuse it at once.
            AtomicReference<Thread> stageOn = new AtomicReference<>();
            AtomicReference<Object> fromStage = new AtomicReference<>();
            a.thenRun(() -> {
                stageOn.set(Thread.currentThread());
                try {
                    fromStage.set(client.tryCall(reused.clear().id(2).tenant(3).shard(4), Response::count));
                } catch (RuntimeException e) {
                    fromStage.set(e);
                }
            });
            gate.countDown();
            // not join() first: a thread waiting in join() may run the pending stage itself
            await(() -> fromStage.get() != null, "the stage to run");
            assertSame(completer.get(), stageOn.get(), "the stage ran on the completion thread");
            assertEquals(1002L, a.join());
            @SuppressWarnings("unchecked")
            BridgeCall<Long> b = assertInstanceOf(BridgeCall.class, fromStage.get(), "the reuse was refused");
            assertEquals(3004L, b.get(10, TimeUnit.SECONDS));
            assertFalse(reused.isInFlight(), "answered: the request is back");
            assertEquals(3, b.tenant());

            // and from the caller, at once after join()
            BridgeCall<Long> c = client.call(reused.clear().id(3).tenant(5).shard(6), Response::count);
            assertEquals(5006L, c.join());
            assertFalse(reused.isInFlight());
            assertEquals(3, core.ran.get());
            assertEquals(1, a.tenant(), "a call keeps the tenant it was made with when its request is reused");
            assertEquals(3, b.tenant());
        }
    }

    @Test
    void aGivenUpCallsRequestStaysInFlightUntilItsCancelledAnswerArrives() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (BridgeClient client = BridgeClient.builder().build();
             TestCore core = new TestCore(client.channel(), request -> {
                 if (request.id() == 0) {
                     try {
                         gate.await(); // holds the core: nothing else is answered meanwhile
                     } catch (InterruptedException e) {
                         Thread.currentThread().interrupt();
                     }
                 }
                 return request.response().count(request.id());
             })) {
            BridgeCall<Long> blocker = client.call(Request.create().id(0), Response::count);
            await(() -> core.ran.get() == 1, "the core to take the first request");
            Request cancelledRequest = Request.create().id(1);
            Request timedOutRequest = Request.create().id(2);
            BridgeCall<Long> cancelled = client.call(cancelledRequest, Response::count);
            BridgeCall<Long> timedOut = client.call(timedOutRequest, Response::count);
            await(() -> client.channel().metrics().requestsSent() == 3, "both calls to be sent to the core");
            assertTrue(cancelled.cancel(false));
            timedOut.orTimeout(1, TimeUnit.MILLISECONDS);
            assertThrows(CancellationException.class, cancelled::join);
            assertInstanceOf(TimeoutException.class, failureOf(timedOut));
            assertTrue(cancelledRequest.isInFlight(), "sent, so the core may still read it: lent until its answer");
            assertTrue(timedOutRequest.isInFlight(), "sent, so the core may still read it: lent until its answer");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client.tryCall(cancelledRequest, Response::count));
            assertTrue(e.getMessage().contains("still in flight"), e.getMessage());

            gate.countDown();
            assertEquals(0L, blocker.get(10, TimeUnit.SECONDS));
            await(() -> !cancelledRequest.isInFlight(), "the CANCELLED answer to bring the cancelled request back");
            await(() -> !timedOutRequest.isInFlight(), "the CANCELLED answer to bring the timed-out request back");
            assertEquals(2, client.channel().metrics().requestsCancelled(), "both answered CANCELLED, not run");
            assertEquals(1, core.ran.get());
            assertTrue(cancelled.isCancelled(), "the late answer did not change the outcome");
            assertEquals(1L, client.call(cancelledRequest, Response::count).get(10, TimeUnit.SECONDS),
                "back: reusable at once");
        }
    }

    @Test
    void atCloseRequestsSentToALiveDataSideStayInFlightButComeBackIfTheDataSideClosedFirst() throws Exception {
        EnvelopeHandler hold = request -> null; // taken, never answered
        for (boolean dataSideFirst : new boolean[] {false, true}) {
            BridgeClient client = BridgeClient.builder().build();
            DataHandle<Request, Response> data = client.channel().data();
            List<BridgeCall<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(client.call(Request.create().id(i), Response::count));
            }
            await(() -> client.channel().metrics().requestsSent() == 5, "every call to be sent");
            assertEquals(2, data.drain(hold, 2), "the data side holds two, three wait in the ring");
            if (dataSideFirst) {
                data.close(); // then the client's close at once, before the completion thread may have noticed
            }
            client.close();
            for (BridgeCall<Long> call : calls) {
                assertInstanceOf(BridgeClosedException.class, failureOf(call));
                if (dataSideFirst) {
                    assertFalse(call.request().isInFlight(), "no data side reads it any more: it is back, " + call);
                } else {
                    assertTrue(call.request().isInFlight(), "the live data side may still read it: " + call);
                }
            }
            if (!dataSideFirst) {
                data.close();
            }
        }
    }

    @Test
    void theClientsBuilderHasTheChannelSettingsAndEachBuildMakesItsOwnChannel() throws Exception {
        assertThrows(NoSuchMethodException.class,
            () -> BridgeClient.class.getMethod("builder", BridgeChannel.Builder.class),
            "a client builds its own channel: no builder(channelBuilder)");
        BridgeClient.Builder builder = BridgeClient.builder().requestCapacity(2).responseCapacity(2)
            .intakeCapacity(8);
        try (BridgeClient first = builder.build(); BridgeClient second = builder.build()) {
            assertFalse(first.channel() == second.channel(), "each client has its own channel");
            for (BridgeClient client : List.of(first, second)) {
                List<BridgeCall<Long>> calls = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    calls.add(client.call(Request.create().id(i), Response::count));
                }
                await(() -> { // the builder's 2 request slots, in each client's channel
                    BridgeMetrics m = client.channel().metrics();
                    return m.requestsSent() == 2 && m.requestsRefusedFull() + m.requestsBackPressured() > 0;
                }, "the completer to fill the 2 request slots of " + client);
                DataHandle<Request, Response> data = client.channel().data();
                await(() -> {
                    data.drain((EnvelopeHandler) request -> request.response().count(request.id() + 10), 8);
                    return calls.stream().allMatch(BridgeCall::isDone);
                }, "the calls to be answered through their own client's channel");
                for (int i = 0; i < 3; i++) {
                    assertEquals(i + 10L, calls.get(i).join());
                }
                assertEquals(3, client.channel().metrics().requestsReceived());
            }
        }
    }

    @Test
    void argumentsAreValidated() {
        try (BridgeClient client = BridgeClient.builder().build()) {
            assertThrows(IllegalArgumentException.class, () -> client.tryCall(null, Response::count));
            assertThrows(IllegalArgumentException.class, () -> client.tryCall(Request.create(), null));
            assertThrows(IllegalArgumentException.class,
                () -> client.call(Request.create(), Response::count, 1, null));
        }
        assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().threadFactory(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().requestCapacity(0))
            .getMessage().contains("requestCapacity=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().responseCapacity(0))
            .getMessage().contains("responseCapacity=0"));
        assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().backpressure(null));
        assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().nanoClock(null));
        assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().waitPolicy(null));
        assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().intake(null));
        assertThrows(IllegalArgumentException.class, () -> BridgeClient.builder().slabPool(null));
        assertThrows(IllegalStateException.class,
            () -> BridgeClient.builder().threadFactory(r -> null).build());
        assertThrows(IllegalArgumentException.class,
            () -> BridgeClient.builder().intakeCapacity(0).build());
    }

    @Test
    void theClientsThreadComesFromTheFactory() throws Exception {
        AtomicReference<Thread> made = new AtomicReference<>();
        try (BridgeClient client = BridgeClient.builder().threadFactory(runnable -> {
            Thread thread = new Thread(runnable, "my-completer");
            made.set(thread);
            return thread;
        }).build(); TestCore core = new TestCore(client.channel(), ECHO)) {
            AtomicReference<Thread> decodedOn = new AtomicReference<>();
            client.call(Request.create(), response -> {
                decodedOn.set(Thread.currentThread());
                return null;
            }).join();
            assertSame(made.get(), decodedOn.get());
            assertEquals(1, core.ran.get());
        }
        assertFalse(made.get().isAlive(), "close() waits for the completion thread");
    }

    @Test
    void theClientOwnsTheControlHandleSoNoOtherThreadCanBypassIt() {
        try (BridgeClient client = BridgeClient.builder().build()) {
            ControlHandle<Request, Response> control = client.channel().control();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> control.trySend(Request.create()));
            assertTrue(e.getMessage().contains("this control handle belongs to the client's completion thread '")
                && e.getMessage().contains("called from thread '" + Thread.currentThread().getName() + "'")
                && e.getMessage().contains("close the client"), e.getMessage());
            for (org.junit.jupiter.api.function.Executable bypass : List.<org.junit.jupiter.api.function.Executable>of(
                () -> control.offer(Request.create()), () -> control.send(Request.create()),
                () -> control.send(Request.create(), 1, TimeUnit.MILLISECONDS), control::receive,
                () -> control.receive(1, TimeUnit.MILLISECONDS), () -> control.drain(response -> { }, 1),
                control::requestsWritable, control::responsesReadable, control::isClosed, control::closeRequests)) {
                assertThrows(IllegalStateException.class, bypass);
            }
            assertThrows(IllegalStateException.class, () -> client.channel().control().poll());
            assertThrows(IllegalStateException.class, () -> client.channel().control().close());
            assertThrows(IllegalStateException.class, () -> client.channel().close());
            client.channel().control().pressure(); // any thread
        }
    }

    @Test
    void aBackPressuredClientResumesSendingWhenTheCoreCatchesUp() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        EnvelopeHandler slow = request -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return request.response().count(request.id());
        };
        BridgeClient.Builder builder = BridgeClient.builder().requestCapacity(8).responseCapacity(64)
            .backpressure(dev.tpcbridge.backpressure.BackpressureConfig.builder()
                .enterThrottle(0.25).exitThrottle(0.125).enterSuspend(0.5).exitSuspend(0.25).build());
        try (BridgeClient client = builder.build();
             TestCore core = new TestCore(client.channel(), slow)) {
            List<BridgeCall<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(client.call(Request.create().id(i), Response::count));
            }
            await(() -> client.channel().metrics().requestsBackPressured() > 0, "the client to be back-pressured");
            gate.countDown();
            for (int i = 0; i < 40; i++) {
                assertEquals(i, calls.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(40, core.ran.get());
        }
    }

    @Test
    void aCallMadeFromAStageOnTheCompletionThreadNeverWaitsForIntakeRoom() throws Exception {
        // The intake is full for the stage's call (a wrapper says so: when the call is made, with calls moving in
        // batches, depends on timing), so the client must not wait for room there: that thread is the one that
        // makes room. It must use the intake's non-waiting offer, and the call is rejected at once.
        AtomicReference<Thread> completer = new AtomicReference<>();
        AtomicBoolean fullForTheCompleter = new AtomicBoolean();
        AtomicReference<Thread> waitedOn = new AtomicReference<>();
        Intake fifo = Intake.fifo(16);
        Intake intake = new Intake() {
            @Override public OfferStatus offer(BridgeCall<?> call) {
                return fullForTheCompleter.get() && Thread.currentThread() == completer.get() ? OfferStatus.FULL
                    : fifo.offer(call);
            }

            @Override public OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit)
                throws InterruptedException {
                if (Thread.currentThread() == completer.get()) {
                    waitedOn.compareAndSet(null, Thread.currentThread());
                }
                return fifo.send(call, timeout, unit);
            }

            @Override public BridgeCall<?> poll() {
                return fifo.poll();
            }

            @Override public int drain(ElementHandler<? super BridgeCall<?>> handler, int limit) {
                return fifo.drain(handler, limit);
            }

            @Override public Wakeable readable() {
                return fifo.readable();
            }

            @Override public Wakeable writable() {
                return fifo.writable();
            }

            @Override public void close() {
                fifo.close();
            }

            @Override public boolean isClosedForPoll() {
                return fifo.isClosedForPoll();
            }

            @Override public int size() {
                return fifo.size();
            }
        };
        BridgeClient client = BridgeClient.builder().requestCapacity(2).responseCapacity(2).intake(intake)
            .threadFactory(TestCore.keeping(completer)).build();
        BridgeCall<Long> first = client.call(Request.create().id(1), Response::count);
        CountDownLatch chained = new CountDownLatch(1);
        AtomicReference<BridgeCall<Long>> inner = new AtomicReference<>();
        AtomicReference<Thread> stageThread = new AtomicReference<>();
        first.whenComplete((value, failure) -> {
            stageThread.set(Thread.currentThread());
            try {
                inner.set(client.call(Request.create().id(3), Response::count)); // waiting here would deadlock
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                chained.countDown();
            }
        });
        await(() -> client.channel().metrics().requestsSent() == 1, "the first call to be sent");
        fullForTheCompleter.set(true);
        assertEquals(1, client.channel().data().drain((EnvelopeHandler) Request::response, 1)); // answers `first`
        assertTrue(chained.await(10, TimeUnit.SECONDS), "the completion thread is stuck in its own stage");
        assertSame(completer.get(), stageThread.get());
        assertTrue(inner.get().isDone(), "refused at once, not queued: " + inner.get());
        assertTrue(assertInstanceOf(BridgeCallException.class, failureOf(inner.get())).isRejected());
        assertNull(waitedOn.get(), "the completion thread never waits for intake room");
        client.close();
    }

    @Test
    void completeAsyncGoesThroughTheClaimSoALateAnswerCannotOverwriteIt() {
        BridgeCall<Long> call = new BridgeCall<>(Request.create().id(1), response -> 7L);
        call.completeAsync(() -> 5L, Runnable::run);
        assertEquals(5L, call.join());
        assertTrue(call.isGivenUp(), "the data side must see that nobody waits for it");
        assertFalse(call.answer(Request.create().response()), "the answer lost the claim: its page is released");
        assertEquals(5L, call.join());
    }

    @Test
    void aDecoderThrowingAnErrorFailsItsCallAndTheClientGoesOn() throws Exception {
        try (BridgeClient client = BridgeClient.builder().build();
             TestCore core = new TestCore(client.channel(), request -> request.response().count(request.id()))) {
            BridgeCall<Long> bad = client.call(Request.create().id(1), response -> {
                throw new AssertionError("decoder bug");
            });
            assertInstanceOf(AssertionError.class, failureOf(bad));
            assertEquals(2L, client.call(Request.create().id(2), Response::count).get(10, TimeUnit.SECONDS));
            assertEquals(2, core.ran.get());
        }
    }

    @Test
    void aDrainRequestWakesTheParkedCompleterWhichSendsWhatItAcceptedThenClosesItsRequests() throws Exception {
        AtomicReference<Thread> completer = new AtomicReference<>();
        BridgeClient client = BridgeClient.builder().requestCapacity(2).responseCapacity(2)
            .intakeCapacity(8).threadFactory(TestCore.keeping(completer)).build();
        DataHandle<Request, Response> data = client.channel().data();
        assertFalse(data.isDrained(), "a client honours drains: nothing is queued, yet more may come until it closes"
            + " its requests");
        untilParked(completer.get());
        data.beginDrain(); // the completer parked with nothing to do: only the request's wake can reach it
        await(() -> data.isClosed(), "the client to close its request side");
        assertTrue(data.isDrained(), "nothing queued, nothing unanswered, requests closed");
        Request late = Request.create();
        assertInstanceOf(BridgeClosedException.class, failureOf(client.tryCall(late, Response::count)));
        assertFalse(late.isInFlight(), "a call refused by a draining client hands its request back");

        BridgeClient busy = BridgeClient.builder().requestCapacity(2).responseCapacity(2)
            .intakeCapacity(8).threadFactory(TestCore.keeping(new AtomicReference<>())).build();
        List<BridgeCall<Long>> accepted = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // 2 in the ring, the rest wait in the intake
            accepted.add(busy.call(Request.create().id(i), Response::count));
        }
        DataHandle<Request, Response> busyData = busy.channel().data();
        busyData.beginDrain();
        assertFalse(busyData.isDrained(), "six calls accepted, none answered yet");
        List<Long> served = new ArrayList<>();
        await(() -> {
            busyData.drain((EnvelopeHandler) request -> {
                served.add(request.id());
                return request.response().count(request.id());
            }, 8);
            return busyData.isClosed();
        }, "every accepted call to reach the core, then the request side to close");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), served);
        assertTrue(busyData.isDrained(), "every accepted call answered and the requests closed");
        for (int i = 0; i < 6; i++) {
            assertEquals(i, accepted.get(i).get(10, TimeUnit.SECONDS));
        }
        busyData.close();
        await(busy::isClosed, "the client to close once its core closed");
    }
}
