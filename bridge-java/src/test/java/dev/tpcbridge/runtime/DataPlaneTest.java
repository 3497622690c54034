package dev.tpcbridge.runtime;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeCallException;
import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.BridgeClosedException;
import dev.tpcbridge.bridge.ControlHandle;
import dev.tpcbridge.bridge.CoreFailedException;
import dev.tpcbridge.bridge.EnvelopeHandler;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.RequestHandler;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.slab.SlabView;
import dev.tpcbridge.wake.WaitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.tpcbridge.internal.Threads.await;
import static dev.tpcbridge.internal.Threads.joinOrFail;
import static dev.tpcbridge.internal.Threads.untilParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data plane's lifecycle and faults: traffic on several cores, a graceful stop with requests in flight, a stop
 * whose deadline passes, a core dying mid-traffic (its callers fail with the cause, its slab pages stay readable, the
 * other cores go on), isolated handler and task faults, tasks on the core, closing from a core thread, an idle core
 * parked, and argument checks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataPlaneTest {
    /** Answers with the request's id as the count. */
    static final EnvelopeHandler ID = request -> request.response().count(request.id());

    static BridgeClient clientOn(Core core, EnvelopeHandler handler) {
        BridgeClient client = BridgeClient.builder().build();
        core.attach(client.channel(), handler);
        return client;
    }

    /** A factory of daemon threads whose uncaught-exception handler puts what ended them in {@code uncaught}. */
    private static ThreadFactory keepingUncaught(AtomicReference<Throwable> uncaught) {
        return runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
            return thread;
        };
    }

    /** A one-core factory of a daemon thread named {@code name}, which it also puts in {@code made}. */
    private static ThreadFactory recording(String name, AtomicReference<Thread> made) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            made.set(thread);
            return thread;
        };
    }

    private static Throwable failureOf(BridgeCall<?> call) {
        return assertThrows(CompletionException.class, call::join).getCause();
    }

    /**
     * Whether the data side asked the channel's control side to drain (takes the request): the control side's part of
     * the drain protocol is package-private in the bridge, for its client; a raw channel's is read here by reflection.
     */
    private static boolean drainRequested(BridgeChannel<?, ?> channel) throws ReflectiveOperationException {
        java.lang.reflect.Method take = ControlHandle.class.getDeclaredMethod("takeDrainRequest");
        take.setAccessible(true);
        return (boolean) take.invoke(channel.control());
    }

    @Test
    void everyCoreServesItsOwnChannelsOnItsOwnThreadAndCloseStopsThemAll() throws Exception {
        List<Thread> made = new ArrayList<>();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "test-core-" + made.size());
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        };
        DataPlane plane = DataPlane.builder().cores(2).threadFactory(factory).build();
        assertEquals(CoreState.NEW, plane.core(0).state());
        BridgeClient[] clients = new BridgeClient[2];
        List<AtomicReference<Thread>> ranOn = List.of(new AtomicReference<>(), new AtomicReference<>());
        for (int c = 0; c < 2; c++) {
            final int core = c;
            clients[c] = clientOn(plane.core(c), request -> {
                ranOn.get(core).set(Thread.currentThread());
                assertSame(plane.core(core), Core.current());
                return request.response().count(request.id() * 10 + core);
            });
        }
        plane.start();
        assertThrows(IllegalStateException.class, plane::start);
        Request request = Request.create();
        for (int i = 0; i < 1000; i++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(i * 10L + c, clients[c].call(request.clear().id(i), Response::count).join());
            }
        }
        assertSame(made.get(0), ranOn.get(0).get());
        assertSame(made.get(1), ranOn.get(1).get());
        assertEquals("test-core-1", plane.core(1).name());
        assertEquals(1000, plane.core(0).metrics().requests());
        assertEquals(1, plane.core(0).metrics().channels());
        assertEquals(CoreState.RUNNING, plane.core(1).state());

        plane.close();
        plane.close(); // idempotent
        assertEquals(1000, plane.core(0).metrics().requests(), "a stopped core's count does not drop");
        assertEquals(0, plane.core(0).metrics().channels());
        for (int c = 0; c < 2; c++) {
            assertEquals(CoreState.STOPPED, plane.core(c).state());
            assertFalse(made.get(c).isAlive());
            BridgeClient client = clients[c];
            await(client::isClosed, "the client to learn its core stopped");
            assertInstanceOf(BridgeClosedException.class, failureOf(client.call(request.clear(), Response::count)));
        }
        assertThrows(RejectedExecutionException.class, () -> plane.core(0).execute(() -> { }));
        assertThrows(IllegalStateException.class, () -> plane.core(0).attach(
            BridgeChannel.<Request, Response>forEnvelopes().build(), ID));
    }

    @Test
    void aGracefulStopAnswersTheRequestsInFlightBeforeClosing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        DataPlane plane = DataPlane.builder().build();
        BridgeClient client = clientOn(plane.core(0), request -> {
            if (first.getAndSet(false)) {
                try {
                    release.await(); // holds the core while the other calls queue and the stop is asked
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return request.response().count(request.id());
        });
        plane.start();
        List<BridgeCall<Long>> calls = new ArrayList<>();
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // more than the channel holds: many still wait in the client's intake
            requests.add(Request.create().id(i)); // each call borrows its own request
            calls.add(client.call(requests.get(i), Response::count));
        }
        AtomicBoolean stopped = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
            try {
                stopped.set(plane.stop(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        untilParked(stopper); // stop() waits (joins) only after it asked the core to stop
        release.countDown();
        stopper.join(30_000);
        assertTrue(stopped.get(), "every core ended");
        for (int i = 0; i < 3000; i++) {
            assertEquals(i, calls.get(i).join(), "call " + i + " was answered before the core stopped");
        }
        assertEquals(CoreState.STOPPED, plane.core(0).state());
        for (Request answered : requests) {
            assertFalse(answered.isInFlight(), "answered: its request is back");
        }
        await(client::isClosed, "the client to learn its core stopped");
        Request late = Request.create();
        assertInstanceOf(BridgeClosedException.class, failureOf(client.call(late, Response::count)));
        assertFalse(late.isInFlight(), "refused: its request is back");
    }

    @Test
    void aChannelWhoseControlSideIgnoresDrainsStopsAsSoonAsItsRingsAreEmpty() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        BridgeChannel<Request, Response> raw = BridgeChannel.forEnvelopes().build(); // no client: no drain handling
        plane.core(0).attach(raw, ID);
        plane.start();
        Request request = Request.create().id(3);
        assertEquals(dev.tpcbridge.bridge.BridgeStatus.OK, raw.control().trySend(request));
        assertSame(request.response(), raw.control().receive());
        long start = System.nanoTime();
        assertTrue(plane.stop(30, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10),
            "stopped without waiting for the deadline");
        assertTrue(drainRequested(raw), "the core asked it to drain");
        assertTrue(raw.control().isClosed(), "and then closed the data side");
    }

    @Test
    void aStopWhoseDeadlinePassesFailsTheCallsLeftAndNothingHangs() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        BridgeClient client = clientOn(plane.core(0), request -> null); // never answers: outstanding forever
        plane.start();
        List<BridgeCall<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(client.call(Request.create().id(i), Response::count));
        }
        await(() -> plane.core(0).metrics().requests() == 10, "the core to take every request");
        assertTrue(plane.stop(200, TimeUnit.MILLISECONDS));
        for (BridgeCall<Long> call : calls) {
            assertInstanceOf(BridgeClosedException.class, failureOf(call));
        }
        assertEquals(CoreState.STOPPED, plane.core(0).state());
    }

    @Test
    void aCoreThatDiesMidTrafficFailsItsCallsWithTheCauseKeepsItsPagesReadableAndTheOthersGoOn() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        ThreadFactory factory = keepingUncaught(uncaught);
        Error fatal = new OutOfMemoryError("simulated by the test");
        AtomicInteger served = new AtomicInteger();
        DataPlane plane = DataPlane.builder().cores(2).threadFactory(factory)
            .slabPools(core -> SlabConfig.builder().poolId(core + 1).pageSize(64).pageCount(8).build()).build();
        SlabPool pool = plane.core(0).slabPool();
        long page = pool.alloc(8);
        pool.writable(page).putLong(0, 0x5EED);
        BridgeClient dying = clientOn(plane.core(0), request -> {
            if (served.incrementAndGet() == 50) {
                throw fatal;
            }
            return request.response().count(request.id());
        });
        BridgeClient healthy = clientOn(plane.core(1), ID);
        plane.start();
        List<BridgeCall<Long>> calls = new ArrayList<>();
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            requests.add(Request.create().id(i)); // each call borrows its own request
            calls.add(dying.call(requests.get(i), Response::count));
        }
        int answered = 0;
        for (BridgeCall<Long> call : calls) {
            try {
                call.join();
                answered++;
            } catch (CompletionException e) {
                CoreFailedException failed = assertInstanceOf(CoreFailedException.class, e.getCause());
                assertSame(fatal, failed.getCause());
            }
        }
        assertEquals(49, answered, "the answers sent before the failure were delivered, none after");
        await(() -> plane.core(0).state() == CoreState.FAILED, "core 0 to end FAILED");
        assertSame(fatal, plane.core(0).failure());
        await(() -> uncaught.get() != null, "the thread's uncaught-exception handler to hear of it");
        assertSame(fatal, uncaught.get());
        await(dying::isClosed, "the client of the dead core to close");
        assertThrows(RejectedExecutionException.class, () -> plane.core(0).execute(() -> { }));

        // The dead core's pool allocates no more, but its page is still readable, and releasable.
        assertEquals(SlabHandle.CLOSED, pool.alloc(8));
        assertEquals(0x5EED, new SlabView().wrap(pool, page).getLong(0));
        pool.release(page);

        // The other core never noticed.
        assertEquals(CoreState.RUNNING, plane.core(1).state());
        for (Request sent : requests) {
            assertFalse(sent.isInFlight(), "answered, or its core is gone: the request is back, " + sent);
        }
        assertEquals(7L, healthy.call(Request.create().id(7), Response::count).join());
        plane.close();
        assertEquals(CoreState.FAILED, plane.core(0).state());
        assertEquals(CoreState.STOPPED, plane.core(1).state());
    }

    /** Issue 23: a handler that died with an Error leaked the slab page of the request it held. */
    @Test
    void aHandlerThatDiesWithAnErrorLeaksNoPageOfTheRequestItHeld() throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        ThreadFactory factory = keepingUncaught(uncaught);
        DataPlane plane = DataPlane.builder().threadFactory(factory)
            .slabPools(core -> SlabConfig.builder().poolId(1).pageSize(64).pageCount(8).build()).build();
        SlabPool pool = plane.core(0).slabPool();
        BridgeClient client = BridgeClient.builder().slabPool(pool).build();
        Error fatal = new StackOverflowError("simulated by the test");
        plane.core(0).attach(client.channel(), request -> {
            throw fatal;
        });
        plane.start();
        long page = pool.alloc(8);
        BridgeCall<Long> call = client.call(Request.create().id(1).slabPayload(pool, page), Response::count);
        CompletionException e = assertThrows(CompletionException.class, call::join);
        assertSame(fatal, assertInstanceOf(CoreFailedException.class, e.getCause()).getCause());
        await(() -> pool.owned() == 0, "the page of the request the dead handler held to be released");
        assertFalse(pool.isOwned(page));
        await(() -> uncaught.get() != null, "the core's thread to end with the Error");
        assertSame(fatal, uncaught.get());
        plane.close();
        client.close();
    }

    @Test
    void handlerAndTaskExceptionsAreIsolatedCountedAndAnsweredWithError() throws Exception {
        try (DataPlane plane = DataPlane.builder().build()) {
            BridgeClient client = clientOn(plane.core(0), request -> {
                if (request.id() % 2 == 1) {
                    throw new IllegalArgumentException("odd id " + request.id());
                }
                return request.response().count(request.id());
            });
            plane.start();
            Request request = Request.create();
            for (int i = 0; i < 20; i++) {
                BridgeCall<Long> call = client.call(request.clear().id(i), Response::count);
                if (i % 2 == 0) {
                    assertEquals(i, call.join());
                } else {
                    BridgeCallException e = assertInstanceOf(BridgeCallException.class, failureOf(call));
                    assertEquals(EnvelopeHandler.FAILURE_CODE, e.errorCode());
                }
            }
            CountDownLatch ran = new CountDownLatch(1);
            plane.core(0).execute(() -> {
                throw new IllegalStateException("a failing task");
            });
            plane.core(0).execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the task after the failing one ran");
            CoreMetrics metrics = plane.core(0).metrics();
            assertEquals(10, metrics.handlerFailures());
            assertEquals(20, metrics.requests());
            assertEquals(1, metrics.taskFailures());
            assertEquals(CoreState.RUNNING, metrics.state());
        }
    }

    @Test
    void theCoresRequestAndFailureCountsAreItsChannelsCountedOnceAndADetachNeitherDropsNorDoublesThem()
        throws Exception {
        EnvelopeHandler oddsFail = request -> {
            if (request.id() % 2 == 1) {
                throw new IllegalArgumentException("odd id " + request.id());
            }
            return request.response().count(request.id());
        };
        DataPlane plane = DataPlane.builder().telemetryInterval(1, TimeUnit.MILLISECONDS).build().start();
        Core core = plane.core(0);
        try {
            BridgeClient first = clientOn(core, oddsFail);
            callEvensAnswerOddsFail(first, 10);
            assertEquals(10, core.metrics().requests());
            assertEquals(5, core.metrics().handlerFailures());
            assertEquals(first.channel().metrics().requestsReceived(), core.metrics().requests(),
                "the core's count is its channel's");
            assertEquals(first.channel().metrics().requestsFailed(), core.metrics().handlerFailures());

            first.close(); // the control side closes: the core lets the channel go
            await(() -> core.metrics().channels() == 0, "the core to detach the closed channel");
            assertEquals(10, core.metrics().requests(), "a detached channel's requests still count, once");
            assertEquals(5, core.metrics().handlerFailures(), "and its failures");

            BridgeClient second = clientOn(core, oddsFail);
            callEvensAnswerOddsFail(second, 4);
            assertEquals(1, core.metrics().channels());
            assertEquals(14, core.metrics().requests(), "the retired channel's 10 and the attached one's 4");
            assertEquals(7, core.metrics().handlerFailures());
        } finally {
            plane.close();
        }
        assertEquals(14, core.metrics().requests(), "the core's channels were closed as it stopped: counts kept");
        assertEquals(7, core.metrics().handlerFailures());
        long[] totals = {0, 0};
        core.telemetry().drain((metric, kind, time, value) -> {
            String name = core.telemetry().name(metric);
            if (name.equals("core.requests")) {
                totals[0] += value;
            } else if (name.equals("core.handler_failures")) {
                totals[1] += value;
            }
        }, Integer.MAX_VALUE);
        assertEquals(14, totals[0], "the published increments add up to the requests, each counted once");
        assertEquals(7, totals[1], "the published increments add up to the failures, each counted once");
    }

    /** Calls ids 0 to {@code n - 1}: the even ones must be answered with their id, the odd ones must fail. */
    private static void callEvensAnswerOddsFail(BridgeClient client, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            BridgeCall<Long> call = client.call(Request.create().id(i), Response::count);
            if (i % 2 == 0) {
                assertEquals(i, call.join());
            } else {
                assertInstanceOf(BridgeCallException.class, failureOf(call));
            }
        }
    }

    @Test
    void aRequestWhoseHandlerAndOnFailureBothFailCountsAsOneHandlerFailure() throws Exception {
        RequestHandler<Request, Response> broken = new RequestHandler<>() {
            @Override
            public Response onRequest(Request request) {
                throw new IllegalArgumentException("handler bug");
            }

            @Override
            public Response onExpired(Request request) {
                return request.response();
            }

            @Override
            public Response onCancelled(Request request) {
                return request.response();
            }

            @Override
            public Response onFailure(Request request, RuntimeException failure) {
                throw new IllegalStateException("and its failure path too"); // the channel's fallback answers
            }
        };
        try (DataPlane plane = DataPlane.builder().build().start()) {
            BridgeClient client = BridgeClient.builder().build();
            plane.core(0).attach(client.channel(), broken);
            BridgeCallException e = assertInstanceOf(BridgeCallException.class,
                failureOf(client.call(Request.create().id(1), Response::count)));
            assertEquals(EnvelopeHandler.FAILURE_CODE, e.errorCode(), "answered by the fallback");
            assertEquals(1, plane.core(0).metrics().requests());
            assertEquals(1, plane.core(0).metrics().handlerFailures(), "one request failed: one failure");
            assertEquals(1, client.channel().metrics().requestsFailed(), "one request failed: one failure");
        }
    }

    @Test
    void whileAStopDrainsSlowRequestsAClientWhoseIntakeIsClosedParksInsteadOfSpinning() throws Exception {
        CountDownLatch stopAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        // One request per cycle, so that the core sees the stop between two slow requests and drains the rest.
        DataPlane plane = DataPlane.builder().drainLimit(1).build();
        AtomicReference<Thread> completer = new AtomicReference<>();
        BridgeClient client = BridgeClient.builder().threadFactory(recording("draining-completer", completer))
            .build();
        plane.core(0).attach(client.channel(), request -> {
            entered.incrementAndGet();
            try {
                (request.id() == 0 ? stopAsked : release).await(); // slow requests
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return request.response().count(request.id());
        });
        plane.start();
        List<BridgeCall<Long>> calls = new ArrayList<>();
        AtomicReference<Object> stopped = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                stopped.set(plane.stop(30, TimeUnit.SECONDS));
            } catch (Throwable e) {
                stopped.set(e);
            }
        }, "stopper");
        try {
            for (int i = 0; i < 3; i++) {
                calls.add(client.call(Request.create().id(i), Response::count));
            }
            await(() -> entered.get() == 1 && client.channel().metrics().requestsSent() == 3,
                "the core to hold the first request, the other two sent");
            stopper.start();
            untilParked(stopper); // the stop was asked
            stopAsked.countDown(); // the core ends its cycle, begins the drain, and takes the next slow request
            await(() -> { // the client closes its intake; a probe it accepted before is sent and answered too
                BridgeCall<Long> probe = client.tryCall(Request.create().id(calls.size()), Response::count);
                if (!probe.isDone()) {
                    calls.add(probe);
                    return false;
                }
                assertInstanceOf(BridgeClosedException.class, failureOf(probe));
                return true;
            }, "the client to close its intake");
            await(() -> entered.get() == 2, "the core to take the second slow request");
            await(() -> completer.get().getState() == Thread.State.WAITING,
                "the completer, its intake closed and drained, to park untimed until the answers come");
            dev.tpcbridge.internal.Threads.assertParksInsteadOfSpinning(completer.get(),
                "a client whose intake is closed, while the core drained,");
            assertTrue(stopper.isAlive(), "the drain still waits for the slow requests");
        } finally {
            stopAsked.countDown();
            release.countDown();
        }
        joinOrFail(stopper);
        assertEquals(Boolean.TRUE, stopped.get(), "every core ended");
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i, calls.get(i).join(), "call " + i + " accepted before the drain was answered");
        }
        await(client::isClosed, "the client to learn its core stopped");
    }

    @Test
    void aGracefulStopWaitsForTheDeferredAnswersOfAClientsChannelBeforeLettingItGo() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        List<Request> held = new ArrayList<>(); // core thread only
        BridgeClient client = clientOn(plane.core(0), request -> {
            held.add(request);
            return null; // answered later, through the data handle, by a task on the core
        });
        plane.start();
        List<BridgeCall<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(client.call(Request.create().id(i), Response::count));
        }
        await(() -> plane.core(0).metrics().requests() == 3, "the core to take the requests");
        AtomicReference<Object> stopped = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                stopped.set(plane.stop(30, TimeUnit.SECONDS));
            } catch (Throwable e) {
                stopped.set(e);
            }
        }, "stopper");
        stopper.start();
        stopper.join(300); // the stop is asked: the client closes its requests, all three already taken
        assertTrue(stopper.isAlive(), "three requests are unanswered: the drain is not over (DataHandle.isDrained): "
            + stopped.get() + ", " + calls);
        for (BridgeCall<Long> call : calls) {
            assertFalse(call.isDone(), "a deferred answer is still owed: " + call);
        }
        plane.core(0).execute(() -> {
            for (Request request : held) {
                client.channel().data().offer(request.response().count(request.id()));
            }
        });
        joinOrFail(stopper);
        assertEquals(Boolean.TRUE, stopped.get());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, calls.get(i).join(), "call " + i + " got its deferred answer before the core let go");
        }
    }

    /** Issue 21: the task intake was a ring with an unbounded overflow queue behind it; it is bounded now. */
    @Test
    void theTaskIntakeIsBoundedForOtherThreadsAndASenderWaitsForRoom() throws Exception {
        DataPlane plane = DataPlane.builder().taskCapacity(2).taskBudget(3).build();
        Core core = plane.core(0);
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertEquals(dev.tpcbridge.ring.OfferStatus.OK, core.offerTask(() -> order.add(0)));
        core.execute(() -> order.add(1));
        assertEquals(dev.tpcbridge.ring.OfferStatus.FULL, core.offerTask(() -> order.add(-1)));
        RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
            () -> core.execute(() -> order.add(-1)));
        assertTrue(full.getMessage().contains("2 tasks waiting"), full.getMessage());
        assertEquals(dev.tpcbridge.ring.OfferStatus.FULL, core.sendTask(() -> order.add(-1), 0, TimeUnit.SECONDS));
        dev.tpcbridge.internal.Threads.Running<dev.tpcbridge.ring.OfferStatus> sender =
            dev.tpcbridge.internal.Threads.run("sender", () -> core.sendTask(() -> order.add(2))).untilParked();
        plane.start();
        assertEquals(dev.tpcbridge.ring.OfferStatus.OK, sender.result.get(10, TimeUnit.SECONDS));
        await(() -> order.size() == 3, "the three accepted tasks to run");
        assertEquals(List.of(0, 1, 2), order);
        plane.close();
        assertEquals(dev.tpcbridge.ring.OfferStatus.CLOSED, core.offerTask(() -> { }));
        assertEquals(dev.tpcbridge.ring.OfferStatus.CLOSED, core.sendTask(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> core.execute(() -> { }));
    }

    /**
     * A core closed before it started drops the tasks given to it (no thread exists to run them on): a sender waiting
     * for room wakes to CLOSED, never to an OK for a task about to be dropped (the close used to drain the ring before
     * closing it, which freed the room for the sender's task).
     */
    @Test
    void aClosingCoreWakesATaskSenderWaitingForRoom() throws Exception {
        DataPlane plane = DataPlane.builder().taskCapacity(1).build();
        Core core = plane.core(0);
        core.execute(() -> { });
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        dev.tpcbridge.internal.Threads.Running<dev.tpcbridge.ring.OfferStatus> sender =
            dev.tpcbridge.internal.Threads.run("sender", () -> core.sendTask(() -> ran.set(true))).untilParked();
        plane.close(); // never started: the ring is closed, the sender woken
        assertEquals(dev.tpcbridge.ring.OfferStatus.CLOSED, sender.result.get(10, TimeUnit.SECONDS));
        assertFalse(ran.get());
        assertEquals(dev.tpcbridge.ring.OfferStatus.CLOSED, core.offerTask(() -> { }));
    }

    @Test
    void theCoresOwnTasksAreNeverRefusedAndRunInOrderBehindAFullRing() throws Exception {
        DataPlane plane = DataPlane.builder().taskCapacity(2).taskBudget(3).build();
        Core core = plane.core(0);
        List<Integer> order = new ArrayList<>(); // core thread only
        AtomicBoolean offCore = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        plane.start();
        core.execute(() -> {
            for (int i = 0; i < 1000; i++) { // the ring (2) fills, the rest wait in the core's own queue
                final int n = i;
                assertEquals(dev.tpcbridge.ring.OfferStatus.OK, core.offerTask(() -> {
                    offCore.compareAndSet(false, !core.isCoreThread());
                    order.add(n);
                }));
            }
            core.execute(done::countDown);
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        plane.close();
        assertFalse(offCore.get(), "every task ran on the core thread");
        assertEquals(1000, order.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, order.get(i));
        }
        assertEquals(1002, core.metrics().tasksRun());
    }

    @Test
    void anErrorInATaskEndsTheCoreButTheTasksAcceptedStillRun() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        Core core = plane.core(0);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger after = new AtomicInteger();
        core.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        core.execute(() -> {
            throw new StackOverflowError("simulated");
        });
        core.execute(after::incrementAndGet);
        plane.start();
        gate.countDown();
        await(() -> core.state() == CoreState.FAILED, "the core to fail");
        assertInstanceOf(StackOverflowError.class, core.failure());
        assertEquals(1, after.get(), "the task accepted behind the fatal one still ran");
        plane.close();
    }

    @Test
    void closingFromACoreThreadAsksEveryCoreToStopWithoutWaitingForItself() throws Exception {
        DataPlane plane = DataPlane.builder().cores(2).build().start();
        CountDownLatch asked = new CountDownLatch(1);
        plane.core(0).execute(() -> {
            plane.close(); // would deadlock if it joined its own thread
            asked.countDown();
        });
        assertTrue(asked.await(10, TimeUnit.SECONDS), "close() returned on the core thread");
        await(() -> plane.core(0).state() == CoreState.STOPPED && plane.core(1).state() == CoreState.STOPPED,
            "both cores to stop");
    }

    @Test
    void anIdleCoreParksAndWakesForTheNextRequest() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        try (DataPlane plane = DataPlane.builder().idle(WaitPolicy.of(10, 2))
            .threadFactory(recording("idle-core", thread)).build().start()) {
            BridgeClient client = clientOn(plane.core(0), ID);
            assertEquals(1L, client.call(Request.create().id(1), Response::count).join());
            untilParked(thread.get());
            long parks = plane.core(0).metrics().parks();
            assertTrue(parks > 0, "the idle core parked");
            assertEquals(2L, client.call(Request.create().id(2), Response::count).join());
            untilParked(thread.get());
            assertTrue(plane.core(0).metrics().parks() > parks, "it parked again after waking");
        }
    }

    @Test
    void telemetryCarriesTheCoresOwnSamplesAndWritesFromCodeOnTheCore() throws Exception {
        DataPlane plane = DataPlane.builder().telemetryInterval(1, TimeUnit.MILLISECONDS).build().start();
        try {
            Core core = plane.core(0);
            BridgeClient client = clientOn(core, ID);
            for (int i = 0; i < 300; i++) {
                client.call(Request.create().id(i), Response::count).join();
            }
            int latency = core.telemetry().register("app.latency", dev.tpcbridge.telemetry.MetricKind.HISTOGRAM);
            CountDownLatch written = new CountDownLatch(1);
            core.execute(() -> {
                core.telemetry().histogram(latency, 42);
                written.countDown();
            });
            assertTrue(written.await(10, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> core.telemetry().histogram(latency, 1),
                "only the core writes its telemetry");
            plane.close(); // the core publishes its last samples as it ends
            long[] requests = {0};
            boolean[] sawLatency = {false};
            core.telemetry().drain((metric, kind, time, value) -> {
                String name = core.telemetry().name(metric);
                if (name.equals("core.requests")) {
                    requests[0] += value;
                }
                if (name.equals("app.latency") && value == 42) {
                    sawLatency[0] = true;
                }
            }, Integer.MAX_VALUE);
            assertEquals(300, requests[0], "the counter's increments add up to the requests served");
            assertTrue(sawLatency[0]);
        } finally {
            plane.close();
        }
    }

    @Test
    void stoppingAPlaneThatNeverStartedClosesWhatWasGivenToIt() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().build();
        plane.core(0).attach(channel, ID);
        assertTrue(plane.stop(1, TimeUnit.SECONDS));
        assertTrue(channel.data().isClosed());
        assertEquals(CoreState.STOPPED, plane.core(0).state());
        assertThrows(IllegalStateException.class, plane::start);
    }

    @Test
    void aStrayInterruptIsClearedAndTheCoreGoesOn() throws Exception {
        try (DataPlane plane = DataPlane.builder().build().start()) {
            Core core = plane.core(0);
            BridgeClient client = clientOn(core, request -> {
                Thread.currentThread().interrupt(); // what a handler restoring an interrupt status does
                return request.response().count(request.id());
            });
            for (int i = 0; i < 5; i++) {
                assertEquals(i, client.call(Request.create().id(i), Response::count).join());
            }
            CountDownLatch ran = new CountDownLatch(1);
            core.execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            assertEquals(CoreState.RUNNING, core.state());
        }
    }

    @Test
    void closingFromTheDyingCoresUncaughtHandlerReturnsAtOnce() throws Exception {
        AtomicReference<DataPlane> planeRef = new AtomicReference<>();
        CountDownLatch closeReturned = new CountDownLatch(1);
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> {
                planeRef.get().close(); // would wait for its own thread until the close timeout
                closeReturned.countDown();
            });
            return thread;
        };
        DataPlane plane = DataPlane.builder().cores(2).threadFactory(factory).closeTimeout(60, TimeUnit.SECONDS)
            .build();
        planeRef.set(plane);
        plane.start();
        plane.core(0).execute(() -> {
            throw new AssertionError("fatal, on purpose");
        });
        assertTrue(closeReturned.await(10, TimeUnit.SECONDS), "close() from the uncaught handler returned");
        await(() -> plane.core(0).state() == CoreState.FAILED && plane.core(1).state() == CoreState.STOPPED,
            "the failed core to end FAILED and the other to stop");
    }

    @Test
    void aCoreThatCannotStartFailsItsChannelsInsteadOfLeavingThemOpen() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        plane.core(0).telemetry().bindWriter(); // misuse: the core cannot bind its own telemetry writer now
        BridgeClient client = clientOn(plane.core(0), ID);
        BridgeCall<Long> call = client.call(Request.create().id(1), Response::count);
        plane.start();
        CoreFailedException failed = assertInstanceOf(CoreFailedException.class, failureOf(call));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        await(() -> plane.core(0).state() == CoreState.FAILED, "the core to end FAILED");
        plane.close();
    }

    @Test
    void aFailedStartClosesTheCoresAndDropsTheirTasksLoudly() throws Exception {
        AtomicInteger made = new AtomicInteger();
        DataPlane plane = DataPlane.builder().cores(2).threadFactory(runnable -> {
            if (made.incrementAndGet() == 2) {
                throw new IllegalStateException("no more threads");
            }
            return new Thread(runnable);
        }).build();
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().build();
        plane.core(0).attach(channel, ID);
        AtomicBoolean ran = new AtomicBoolean();
        plane.core(1).execute(() -> ran.set(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, plane::start);
        assertTrue(e.getMessage().contains("no more threads"), e.getMessage());
        assertTrue(plane.stop(1, TimeUnit.SECONDS));
        assertTrue(channel.data().isClosed(), "the channel given to a core that never ran is closed");
        assertFalse(ran.get());
        assertEquals(CoreState.STOPPED, plane.core(0).state());
        assertEquals(CoreState.STOPPED, plane.core(1).state());
        assertThrows(RejectedExecutionException.class, () -> plane.core(1).execute(() -> { }));

        Thread same = new Thread(() -> { });
        DataPlane twice = DataPlane.builder().cores(2).threadFactory(r -> same).build();
        assertTrue(assertThrows(IllegalStateException.class, twice::start).getMessage().contains("again"));
    }

    @Test
    void aStopWithAnEndlessTimeoutWaitsForTheDrainWithoutInterruptingTheCore() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        DataPlane plane = DataPlane.builder().build();
        BridgeClient client = clientOn(plane.core(0), request -> {
            entered.countDown();
            while (!release.get()) { // holds the core until the test lets it go, noting any interrupt
                LockSupport.parkNanos(1_000_000L);
                interrupted.compareAndSet(false, Thread.interrupted());
            }
            return request.response().count(request.id());
        });
        plane.start();
        BridgeCall<Long> call = client.call(Request.create().id(5), Response::count);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        AtomicReference<Object> stopped = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                stopped.set(plane.stop(Long.MAX_VALUE, TimeUnit.DAYS)); // a timeout that overflows in nanoseconds
            } catch (Throwable e) {
                stopped.set(e);
            }
        });
        stopper.start();
        untilParked(stopper); // stop() waits (joins) only after it asked the core to stop
        stopper.join(500); // a deadline wrapped into the past would interrupt the core and return within ~100 ms
        assertTrue(stopper.isAlive(), "stop() waits for the drain: " + stopped.get());
        assertFalse(interrupted.get(), "the core was not interrupted");
        release.set(true);
        stopper.join(30_000);
        assertEquals(Boolean.TRUE, stopped.get(), "every core ended");
        assertEquals(5L, call.join(), "the request in flight was answered");
        assertFalse(interrupted.get(), "the core was not interrupted");
        assertEquals(CoreState.STOPPED, plane.core(0).state());
    }

    @Test
    void aStopWhoseDeadlinePassesFailsTheCallsQueuedInTheRingAndTheIntakeToo() throws Exception {
        DataPlane plane = DataPlane.builder().build();
        BridgeClient client = clientOn(plane.core(0), request -> null); // never answers: its credit runs out
        plane.start();
        List<BridgeCall<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // beyond the core's response credit and the request ring: the rest queue
            calls.add(client.call(Request.create().id(i), Response::count));
        }
        await(() -> plane.core(0).metrics().requests() > 0, "the core to take requests");
        assertTrue(plane.stop(200, TimeUnit.MILLISECONDS));
        for (BridgeCall<Long> call : calls) {
            assertInstanceOf(BridgeClosedException.class, failureOf(call));
        }
        assertTrue(plane.core(0).metrics().requests() < 3000, "some calls never reached the core");
        assertEquals(CoreState.STOPPED, plane.core(0).state());
    }

    @Test
    void closingFromACallbackOnTheClientsCompletionThreadAsksAndReturns() throws Exception {
        DataPlane plane = DataPlane.builder().closeTimeout(60, TimeUnit.SECONDS).build().start();
        BridgeClient client = clientOn(plane.core(0), ID);
        BridgeCall<Long> call = client.call(Request.create().id(8), response -> {
            plane.close(); // a decoder runs on the completion thread, which the drain waits for
            return response.count();
        });
        assertEquals(8L, call.get(30, TimeUnit.SECONDS), "close() returned at once on the completion thread");
        await(() -> plane.core(0).state() == CoreState.STOPPED, "the core to stop");
        await(client::isClosed, "the client to learn its core stopped");
    }

    @Test
    void anInterruptStormNeitherStopsNorStallsTheCore() throws Exception {
        AtomicReference<Thread> coreThread = new AtomicReference<>();
        try (DataPlane plane = DataPlane.builder().idle(WaitPolicy.PARK)
            .threadFactory(recording("interrupted-core", coreThread))
            .build().start()) {
            Core core = plane.core(0);
            BridgeClient client = clientOn(core, ID);
            assertEquals(0L, client.call(Request.create().id(0), Response::count).join());
            AtomicBoolean storming = new AtomicBoolean(true);
            Thread stormer = new Thread(() -> {
                while (storming.get()) {
                    coreThread.get().interrupt(); // lands anywhere: in a handler, an idle step, between the two
                    Thread.yield();
                }
            });
            stormer.start();
            try {
                Request request = Request.create();
                for (int i = 1; i <= 10_000; i++) { // each call finds the core parked or about to park
                    assertEquals(i, client.call(request.clear().id(i), Response::count).join());
                }
            } finally {
                storming.set(false);
                stormer.join();
            }
            assertEquals(CoreState.RUNNING, core.state());
            assertEquals(7L, client.call(Request.create().id(7), Response::count).join());
        }
    }

    @Test
    void anIdleCorePublishesWhatItDidThenParksWithoutATimeout() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        try (DataPlane plane = DataPlane.builder().idle(WaitPolicy.of(10, 2))
            .telemetryInterval(20, TimeUnit.MILLISECONDS)
            .threadFactory(recording("quiet-core", thread)).build().start()) {
            Core core = plane.core(0);
            BridgeClient client = clientOn(core, ID);
            for (int i = 0; i < 3; i++) { // a burst far shorter than 64 cycles, then nothing
                assertEquals(i, client.call(Request.create().id(i), Response::count).join());
            }
            long[] requests = {0};
            await(() -> {
                core.telemetry().drain((metric, kind, time, value) -> {
                    if (core.telemetry().name(metric).equals("core.requests")) {
                        requests[0] += value;
                    }
                }, Integer.MAX_VALUE);
                return requests[0] == 3;
            }, "the idle core to publish its 3 requests on its own");
            await(() -> thread.get().getState() == Thread.State.WAITING,
                "the core to park without a timeout once nothing is left to publish");
            long parks = core.metrics().parks();
            Thread.sleep(200); // a window in which a timed poll would have woken it
            assertEquals(parks, core.metrics().parks(), "an idle core with nothing to publish does not wake");
            assertEquals(Thread.State.WAITING, thread.get().getState());
            assertEquals(4L, client.call(Request.create().id(4), Response::count).join(), "a request wakes it");
        }
    }

    @Test
    void aVirtualThreadIsRefusedAsACore() throws Exception {
        ThreadFactory virtual = dev.tpcbridge.internal.Threads.virtualThreadFactoryOrAbort();
        BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().build();
        DataPlane plane = DataPlane.builder().threadFactory(virtual).build();
        plane.core(0).attach(channel, ID);
        IllegalStateException e = assertThrows(IllegalStateException.class, plane::start);
        assertTrue(e.getMessage().contains("virtual thread"), e.getMessage());
        assertTrue(plane.stop(1, TimeUnit.SECONDS));
        assertTrue(channel.data().isClosed(), "the channel given to the core that never ran is closed");
    }

    @Test
    void argumentsAreCheckedWithMessagesNamingTheBadValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataPlane.builder().cores(0))
            .getMessage().contains("cores=0"));
        assertThrows(IllegalArgumentException.class, () -> DataPlane.builder().idle(WaitPolicy.of(-1, 0)));
        assertThrows(IllegalArgumentException.class, () -> DataPlane.builder().idle(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataPlane.builder().drainLimit(0))
            .getMessage().contains("drainLimit=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataPlane.builder().taskBudget(-2))
            .getMessage().contains("taskBudget=-2"));
        assertThrows(IllegalArgumentException.class, () -> DataPlane.builder().threadFactory(null));
        assertThrows(IllegalArgumentException.class,
            () -> DataPlane.builder().telemetryInterval(10, TimeUnit.MICROSECONDS));
        DataPlane plane = DataPlane.builder().build();
        assertThrows(IllegalArgumentException.class, () -> plane.core(1));
        assertThrows(IllegalArgumentException.class, () -> plane.core(0).execute(null));
        assertThrows(IllegalArgumentException.class, () -> plane.core(0).attach(null, ID));
        BridgeChannel<Request, Response> pinned = BridgeChannel.forEnvelopes().build();
        pinned.data().pin();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plane.core(0).attach(pinned, ID))
            .getMessage().contains("pinned"));
        DataPlane broken = DataPlane.builder().threadFactory(r -> null).build();
        assertThrows(IllegalStateException.class, broken::start);
        assertNull(plane.core(0).failure());
        plane.close();
    }
}
