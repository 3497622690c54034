package dev.tpcbridge.offload;

import dev.tpcbridge.internal.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tpcbridge.internal.Threads.await;
import static dev.tpcbridge.internal.Threads.untilParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OffloadPoolTest {
    /** A dropped task and why. */
    record Drop(String task, DropReason reason) {
    }

    private final ConcurrentLinkedQueue<Drop> drops = new ConcurrentLinkedQueue<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<OffloadPool<?>> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        gate.countDown();
        pools.forEach(OffloadPool::close);
    }

    private final ThreadFactory factory = runnable -> {
        Thread thread = new Thread(runnable, "offload-test-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    };

    /** A pool of one worker whose handler records each task and holds on "hold" tasks until the gate opens. */
    private OffloadPool<String> pool(OffloadPool.Builder<String> builder) {
        OffloadPool<String> pool = builder.onDropped((task, reason) -> drops.add(new Drop(task, reason)))
            .threadFactory(factory).build();
        pools.add(pool);
        return pool;
    }

    private OffloadPool.Builder<String> builder() {
        return OffloadPool.<String>builder(task -> {
            if (task.startsWith("hold")) {
                gate.await();
            }
            if (task.startsWith("fail")) {
                throw new IllegalStateException("simulated by the test: " + task);
            }
            ran.add(task);
        }).workers(1);
    }

    /** Submits a task that holds the one worker, and waits until the worker runs it (the queue is then empty). */
    private void occupyTheWorker(OffloadPool<String> pool) {
        assertEquals(SubmitStatus.QUEUED, pool.submit("hold"));
        await(() -> pool.running() == 1, "the worker to take the holding task");
    }

    private static void assertQuietAccounting(OffloadPool<?> pool) {
        await(() -> pool.running() == 0 && pool.depth() == 0, "the pool to be quiet: " + pool);
        assertEquals(pool.queued(), pool.completed() + pool.failed() + pool.evicted() + pool.abandoned(),
            pool.toString());
        assertEquals(pool.submitted(), pool.queued() + pool.coalesced() + pool.rejected() + pool.refusedClosed());
    }

    @Test
    void aSubmittedTaskRunsOnAWorkerAndIsCounted() {
        OffloadPool<String> pool = pool(builder().capacity(4));
        assertEquals(SubmitStatus.QUEUED, pool.submit("a"));
        assertEquals(SubmitStatus.QUEUED, pool.submit("b"));
        await(() -> pool.completed() == 2, "both tasks to run");
        assertEquals(List.of("a", "b"), ran);
        assertEquals(2, pool.queued());
        assertEquals(2, pool.submitted());
        assertTrue(pool.highWaterMark() >= 1);
        assertTrue(drops.isEmpty());
        assertQuietAccounting(pool);
    }

    @Test
    void rejectNewestRefusesAndReportsTheNewTaskAndKeepsTheQueuedOnes() {
        OffloadPool<String> pool = pool(builder().capacity(2).overflow(OverflowPolicy.REJECT_NEWEST));
        occupyTheWorker(pool);
        assertEquals(SubmitStatus.QUEUED, pool.submit("a"));
        assertEquals(SubmitStatus.QUEUED, pool.submit("b"));
        assertEquals(SubmitStatus.REJECTED_FULL, pool.submit("c"));
        assertEquals(List.of(new Drop("c", DropReason.REJECTED)), List.copyOf(drops));
        assertEquals(2, pool.depth());
        assertEquals(2, pool.highWaterMark());
        gate.countDown();
        await(() -> ran.size() == 3, "the queued tasks to run");
        assertEquals(List.of("hold", "a", "b"), ran);
        assertEquals(1, pool.rejected());
        assertQuietAccounting(pool);
    }

    @Test
    void dropOldestEvictsAndReportsTheOldestAndQueuesTheNewest() {
        OffloadPool<String> pool = pool(builder().capacity(2).overflow(OverflowPolicy.DROP_OLDEST));
        occupyTheWorker(pool);
        assertEquals(SubmitStatus.QUEUED, pool.submit("a"));
        assertEquals(SubmitStatus.QUEUED, pool.submit("b"));
        assertEquals(SubmitStatus.EVICTED_OLDEST, pool.submit("c"));
        assertEquals(SubmitStatus.EVICTED_OLDEST, pool.submit("d"));
        assertEquals(List.of(new Drop("a", DropReason.EVICTED), new Drop("b", DropReason.EVICTED)), List.copyOf(drops));
        gate.countDown();
        await(() -> ran.size() == 3, "the queued tasks to run");
        assertEquals(List.of("hold", "c", "d"), ran);
        assertEquals(2, pool.evicted());
        assertQuietAccounting(pool);
    }

    @Test
    void coalescingReplacesTheQueuedTaskOfTheSameKeyInItsPlace() {
        OffloadPool<String> pool = pool(builder().capacity(2).coalesceBy(task -> task.charAt(0)));
        occupyTheWorker(pool);
        assertEquals(SubmitStatus.QUEUED, pool.submit("a1"));
        assertEquals(SubmitStatus.QUEUED, pool.submit("b1"));
        assertEquals(SubmitStatus.COALESCED, pool.submit("a2")); // replaces a1 in the first place
        assertEquals(SubmitStatus.COALESCED, pool.submit("a3"));
        assertEquals(SubmitStatus.EVICTED_OLDEST, pool.submit("c1")); // a new key, the queue full: a3 goes
        assertEquals(List.of(new Drop("a1", DropReason.REPLACED), new Drop("a2", DropReason.REPLACED),
            new Drop("a3", DropReason.EVICTED)), List.copyOf(drops));
        gate.countDown();
        await(() -> ran.size() == 3, "the queued tasks to run");
        assertEquals(List.of("hold", "b1", "c1"), ran);
        assertEquals(2, pool.coalesced());
        assertEquals(1, pool.evicted());
        assertEquals(SubmitStatus.QUEUED, pool.submit("a4")); // a's key is not queued any more
        await(() -> ran.size() == 4, "a4 to run");
        assertQuietAccounting(pool);
    }

    @Test
    void aSubmitAfterShutdownIsRefusedClosedAsAValueAndReported() throws Exception {
        OffloadPool<String> pool = pool(builder());
        ShutdownReport report = pool.shutdown(1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        assertEquals(new ShutdownReport(true, 0, 0), report);
        assertTrue(pool.isShutdown());
        assertEquals(SubmitStatus.CLOSED, pool.submit("late"));
        assertEquals(SubmitStatus.CLOSED, pool.send("late2"));
        assertEquals(List.of(new Drop("late", DropReason.CLOSED), new Drop("late2", DropReason.CLOSED)),
            List.copyOf(drops));
        assertEquals(2, pool.refusedClosed());
        assertSame(pool.shutdown(1, TimeUnit.SECONDS), pool.shutdown(5, TimeUnit.SECONDS), "idempotent");
        await(() -> pool.workers() == 0, "the worker to stop");
        assertQuietAccounting(pool);
    }

    @Test
    void shutdownRunsWhatIsQueuedThenCompletes() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(8));
        occupyTheWorker(pool);
        for (int i = 0; i < 5; i++) {
            assertEquals(SubmitStatus.QUEUED, pool.submit("t" + i));
        }
        CompletableFuture<ShutdownReport> done = pool.shutdown(30, TimeUnit.SECONDS);
        assertFalse(done.isDone());
        gate.countDown();
        assertEquals(new ShutdownReport(true, 0, 0), done.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("hold", "t0", "t1", "t2", "t3", "t4"), ran);
        assertEquals(0, pool.workers());
        assertQuietAccounting(pool);
    }

    @Test
    void atTheShutdownDeadlineTheQueuedTasksAreAbandonedAndReported() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(8));
        occupyTheWorker(pool);
        pool.submit("x");
        pool.submit("y");
        ShutdownReport report = pool.shutdown(50, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
        assertEquals(new ShutdownReport(false, 2, 1), report); // the holding task still runs
        assertEquals(List.of(new Drop("x", DropReason.ABANDONED), new Drop("y", DropReason.ABANDONED)),
            List.copyOf(drops));
        gate.countDown();
        await(() -> pool.workers() == 0, "the worker to stop after its task");
        assertEquals(List.of("hold"), ran);
        assertQuietAccounting(pool);
    }

    @Test
    void closeAbandonsTheQueueAtOnceAndDoesNotWait() {
        OffloadPool<String> pool = pool(builder().capacity(8));
        occupyTheWorker(pool);
        pool.submit("x");
        pool.close();
        pool.close(); // idempotent
        assertEquals(List.of(new Drop("x", DropReason.ABANDONED)), List.copyOf(drops));
        assertEquals(1, pool.workers(), "the running task goes on");
        gate.countDown();
        await(() -> pool.workers() == 0, "the worker to stop after its task");
        assertEquals(SubmitStatus.CLOSED, pool.submit("late"));
        assertQuietAccounting(pool);
    }

    @Test
    void aHandlersExceptionIsCountedAndReportedAndTheWorkerGoesOn() {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        OffloadPool<String> pool = pool(builder().onFailure((task, e) -> failures.add(e)));
        pool.submit("fail-1");
        pool.submit("ok");
        await(() -> ran.contains("ok"), "the next task to run");
        assertEquals(1, pool.failed());
        assertEquals(1, pool.completed());
        assertInstanceOf(IllegalStateException.class, failures.get(0));
        assertEquals(1, pool.workers());
        assertQuietAccounting(pool);
    }

    @Test
    void anErrorEndsItsWorkerAloneAndIsCounted() {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        ThreadFactory catching = runnable -> {
            Thread thread = factory.newThread(runnable);
            thread.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
            return thread;
        };
        OffloadPool<String> pool = OffloadPool.<String>builder(task -> {
            if (task.equals("error")) {
                throw new AssertionError("simulated by the test");
            }
            ran.add(task);
        }).workers(2).threadFactory(catching).onFailure((task, e) -> { }).build();
        pools.add(pool);
        pool.submit("error");
        await(() -> uncaught.get() != null, "the worker's thread to end with the Error");
        assertEquals(1, pool.failed());
        assertEquals(1, pool.workers());
        pool.submit("ok");
        await(() -> ran.contains("ok"), "the other worker to run the next task");
    }

    /** A pool of one worker whose start waits for {@code start.get().run()} on a thread of the test's. */
    private OffloadPool<String> deferredPool(OffloadPool.Builder<String> builder, AtomicReference<Runnable> start) {
        return pool(builder.executor(start::set));
    }

    private void startWorker(AtomicReference<Runnable> start) {
        factory.newThread(start.get()).start();
    }

    /**
     * A lone worker takes up to 16 published tasks with one CAS of the queue's head. They leave the queue (a full
     * queue evicts the oldest task still queued, not one of them) but count in the depth, and a shutdown's deadline
     * abandons them with the queue, at once, while the worker is still on its task; the report counts them.
     */
    @Test
    void aLoneWorkersBatchCountsInTheDepthAndTheDeadlineAbandonsIt() throws Exception {
        AtomicReference<Runnable> start = new AtomicReference<>();
        OffloadPool<String> pool = deferredPool(builder().capacity(4).overflow(OverflowPolicy.DROP_OLDEST), start);
        for (String task : List.of("hold", "a", "b", "c")) {
            assertEquals(SubmitStatus.QUEUED, pool.submit(task));
        }
        startWorker(start);
        await(() -> pool.running() == 1, "the worker to take its batch and start the holding task");
        assertEquals(3, pool.depth(), "a, b and c, in the worker's hand");
        for (String task : List.of("d", "e", "f", "g")) { // the queue itself is empty: four fit
            assertEquals(SubmitStatus.QUEUED, pool.submit(task));
        }
        assertEquals(SubmitStatus.EVICTED_OLDEST, pool.submit("h"));
        assertEquals(List.of(new Drop("d", DropReason.EVICTED)), List.copyOf(drops));
        assertEquals(7, pool.depth());
        ShutdownReport report = pool.shutdown(0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
        assertEquals(new ShutdownReport(false, 7, 1), report); // the holding task still runs
        List<Drop> abandoned = new ArrayList<>();
        for (String task : List.of("e", "f", "g", "h", "a", "b", "c")) { // the queue, then the worker's hand
            abandoned.add(new Drop(task, DropReason.ABANDONED));
        }
        assertEquals(abandoned, List.copyOf(drops).subList(1, drops.size()));
        assertEquals(0, pool.depth());
        gate.countDown();
        await(() -> pool.workers() == 0, "the worker to stop after its task");
        assertEquals(List.of("hold"), ran);
        assertQuietAccounting(pool);
    }

    /** An Error ends the lone worker; the tasks it had taken and not started are abandoned, not lost. */
    @Test
    void anErrorEndsALoneWorkerAndItsBatchIsAbandoned() {
        AtomicReference<Runnable> start = new AtomicReference<>();
        OffloadPool<String> pool = deferredPool(OffloadPool.<String>builder(task -> {
            if (task.equals("error")) {
                throw new AssertionError("simulated by the test");
            }
            ran.add(task);
        }).workers(1).capacity(8).onFailure((task, e) -> { }), start);
        for (String task : List.of("a", "error", "b", "c")) {
            assertEquals(SubmitStatus.QUEUED, pool.submit(task));
        }
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread worker = factory.newThread(start.get());
        worker.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        worker.start();
        // the thread's uncaught-exception handler runs after the worker has left: wait for both
        await(() -> pool.workers() == 0 && uncaught.get() != null, "the worker to end with the Error");
        assertInstanceOf(AssertionError.class, uncaught.get());
        assertEquals(List.of("a"), ran);
        assertEquals(List.of(new Drop("b", DropReason.ABANDONED), new Drop("c", DropReason.ABANDONED)),
            List.copyOf(drops));
        assertEquals(1, pool.failed());
        assertEquals(2, pool.abandoned());
        assertEquals(0, pool.depth());
        assertEquals(pool.queued(), pool.completed() + pool.failed() + pool.evicted() + pool.abandoned());
    }

    @Test
    void idleWorkersParkAndAreWokenByASubmit() throws Exception {
        OffloadPool<String> pool = pool(builder().workers(3));
        await(() -> threads.size() == 3, "three workers");
        for (Thread worker : threads) {
            untilParked(worker);
            Threads.assertParksInsteadOfSpinning(worker, "an idle worker");
        }
        pool.submit("wake");
        await(() -> ran.contains("wake"), "a parked worker to be woken");
    }

    @Test
    void sendWaitsForRoomAndIsWokenWhenAWorkerFreesASlot() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(1).overflow(OverflowPolicy.REJECT_NEWEST));
        assertEquals(2, pool.capacity(), "at least two slots");
        occupyTheWorker(pool);
        assertEquals(SubmitStatus.QUEUED, pool.submit("a"));
        assertEquals(SubmitStatus.QUEUED, pool.submit("a2"));
        Threads.Running<SubmitStatus> sender = Threads.run("sender", () -> pool.send("b")).untilParked();
        assertFalse(sender.result.isDone());
        gate.countDown();
        assertEquals(SubmitStatus.QUEUED, sender.result.get(10, TimeUnit.SECONDS));
        await(() -> ran.size() == 4, "all four");
        assertEquals(List.of("hold", "a", "a2", "b"), ran);
        assertTrue(drops.isEmpty(), "send never overflows: " + drops);
    }

    @Test
    void aTimedSendGivesUpAtItsDeadlineAndTheTaskStaysWithTheCaller() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(2));
        occupyTheWorker(pool);
        pool.submit("a");
        pool.submit("a2");
        assertEquals(SubmitStatus.REJECTED_FULL, pool.send("b", 0, TimeUnit.SECONDS));
        assertEquals(SubmitStatus.REJECTED_FULL, pool.send("c", 50, TimeUnit.MILLISECONDS));
        assertTrue(drops.isEmpty(), "b and c stay with the caller: " + drops);
        assertEquals(2, pool.rejected());
        assertEquals(2, pool.depth());
    }

    @Test
    void closingWakesABlockedSendWithClosed() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(2));
        occupyTheWorker(pool);
        pool.submit("a");
        pool.submit("a2");
        Threads.Running<SubmitStatus> sender = Threads.run("sender", () -> pool.send("b")).untilParked();
        pool.close();
        assertEquals(SubmitStatus.CLOSED, sender.result.get(10, TimeUnit.SECONDS));
        assertTrue(drops.contains(new Drop("b", DropReason.CLOSED)), drops.toString());
    }

    @Test
    void anInterruptedSendThrowsAndKeepsTheTask() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(2));
        occupyTheWorker(pool);
        pool.submit("a");
        pool.submit("a2");
        Threads.Running<SubmitStatus> sender = Threads.run("sender", () -> pool.send("b")).untilParked();
        sender.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> sender.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(drops.isEmpty(), drops.toString());
        assertEquals(1, pool.rejected());
    }

    @Test
    void workersCanBeTasksOfAGivenExecutor() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            OffloadPool<String> pool = OffloadPool.<String>builder(ran::add).workers(2).executor(executor).build();
            pools.add(pool);
            for (int i = 0; i < 10; i++) {
                pool.submit("e" + i);
            }
            assertEquals(new ShutdownReport(true, 0, 0), pool.shutdown(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS));
            assertEquals(10, ran.size());
        } finally {
            executor.shutdownNow();
        }
        ExecutorService tooSmall = Executors.newSingleThreadExecutor();
        tooSmall.shutdown();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> OffloadPool.<String>builder(ran::add).executor(tooSmall).build());
        assertTrue(refused.getMessage().contains("refused a worker"), refused.getMessage());
    }

    @Test
    void virtualThreadWorkers() throws Exception {
        ThreadFactory virtual = Threads.virtualThreadFactoryOrAbort();
        OffloadPool<String> pool = OffloadPool.<String>builder(ran::add).workers(4).threadFactory(virtual).build();
        pools.add(pool);
        for (int i = 0; i < 100; i++) {
            pool.submit("v" + i);
        }
        assertEquals(new ShutdownReport(true, 0, 0), pool.shutdown(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS));
        assertEquals(100, ran.size());
    }

    @Test
    void aPoolDroppedWithoutShutdownStopsItsWorkers() {
        List<Thread> workers = startAndDropAPool();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (workers.stream().anyMatch(Thread::isAlive)) {
            assertTrue(System.nanoTime() < deadline, "the workers of an unreachable pool still run");
            System.gc();
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private List<Thread> startAndDropAPool() {
        List<Thread> workers = new CopyOnWriteArrayList<>();
        OffloadPool<String> pool = OffloadPool.<String>builder(ran::add).workers(2).threadFactory(runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            workers.add(thread);
            return thread;
        }).build();
        pool.submit("x");
        await(() -> ran.contains("x"), "the task to run");
        return workers;
    }

    @Test
    void aCoreAsksForSlowWorkAndGetsTheAnswerOnItsOwnThread() throws Exception {
        dev.tpcbridge.runtime.DataPlane plane = dev.tpcbridge.runtime.DataPlane.builder().build().start();
        OffloadPool<Runnable> offload = OffloadPool.<Runnable>builder(Runnable::run).capacity(2).workers(1)
            .overflow(OverflowPolicy.REJECT_NEWEST).threadFactory(factory).build();
        pools.add(offload);
        try {
            dev.tpcbridge.runtime.Core core = plane.core(0);
            CompletableFuture<String> answered = new CompletableFuture<>();
            core.execute(() -> OffloadCalls.call(offload, () -> "read on " + Thread.currentThread().getName(), core,
                (value, failure) -> answered.complete(value + ", answered on the core: " + core.isCoreThread())));
            assertEquals("read on offload-test-0, answered on the core: true", answered.get(10, TimeUnit.SECONDS));
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            OffloadCalls.call(offload, () -> {
                throw new java.io.IOException("simulated by the test");
            }, core, (value, failure) -> failed.complete(failure));
            assertInstanceOf(java.io.IOException.class, failed.get(10, TimeUnit.SECONDS));
            // a call that never runs is answered too, with why
            offload.close();
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            assertEquals(SubmitStatus.CLOSED, OffloadCalls.call(offload, () -> "never", core,
                (value, failure) -> refused.complete(failure)));
            OffloadCalls.OffloadDroppedException dropped = assertInstanceOf(
                OffloadCalls.OffloadDroppedException.class, refused.get(10, TimeUnit.SECONDS));
            assertEquals(DropReason.CLOSED, dropped.reason());
        } finally {
            plane.close();
        }
    }

    @Test
    void badInputIsRejectedByName() {
        assertMessage("handler=null", () -> OffloadPool.builder(null));
        OffloadPool.Builder<String> b = OffloadPool.builder(task -> { });
        assertMessage("capacity=0", () -> b.capacity(0));
        assertMessage("capacity=-1", () -> b.capacity(-1));
        assertMessage("workers=0", () -> b.workers(0));
        assertMessage("workers=-3", () -> b.workers(-3));
        assertMessage("policy=null", () -> b.overflow(null));
        assertMessage("coalesceBy", () -> b.overflow(OverflowPolicy.COALESCE_BY_KEY));
        assertMessage("key=null", () -> b.coalesceBy(null));
        assertMessage("onDropped=null", () -> b.onDropped(null));
        assertMessage("threadFactory=null", () -> b.threadFactory(null));
        assertMessage("executor=null", () -> b.executor(null));
        assertMessage("lanes=0", () -> b.lanes(0));
        assertMessage("lanes=3", () -> b.lanes(3));
        assertMessage("lanes=128", () -> b.lanes(128));
        assertMessage("lanes=4 need a capacity of at least 8 (two slots a lane), not capacity=4",
            () -> OffloadPool.builder(task -> { }).capacity(4).lanes(4).build());
        OffloadPool<String> pool = pool(builder());
        assertMessage("task=null", () -> pool.submit(null));
        assertMessage("unit=null", () -> pool.shutdown(1, null));
        OffloadPool<String> coalescing = pool(builder().coalesceBy(task -> task.isEmpty() ? null : task));
        assertMessage("is null", () -> coalescing.submit(""));
        IllegalStateException send = assertThrows(IllegalStateException.class, () -> coalescing.send("a"));
        assertTrue(send.getMessage().contains("use submit"), send.getMessage());
        assertEquals(0, pool.submitted());
    }

    /** Runs {@code call} on a new thread whose id puts it in lane {@code lane} of {@code lanes}; returns its result. */
    private static <R> R onLane(int lane, int lanes, java.util.concurrent.Callable<R> call) throws Exception {
        while (true) {
            CompletableFuture<R> result = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                if ((Thread.currentThread().getId() & (lanes - 1)) != lane) {
                    result.complete(null); // another lane: the caller makes a new thread
                    return;
                }
                try {
                    result.complete(call.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
            thread.start();
            thread.join();
            R value = result.get();
            if (value != null) {
                return value;
            }
        }
    }

    /**
     * With two lanes, each thread's tasks queue in its lane: a flooding thread evicts its own oldest task, never the
     * other lane's; REJECT_NEWEST rejects when the submitter's lane is full; a send takes room in the other lane; the
     * workers take from both lanes, each lane in order.
     */
    @Test
    void lanesKeepEachThreadsTasksInOrderAndOverflowPerLane() throws Exception {
        OffloadPool<String> pool = pool(builder().capacity(4).lanes(2));
        assertEquals(2, pool.lanes());
        occupyTheWorker(pool);
        assertEquals(List.of(SubmitStatus.QUEUED, SubmitStatus.QUEUED, SubmitStatus.EVICTED_OLDEST),
            onLane(0, 2, () -> List.of(pool.submit("a1"), pool.submit("a2"), pool.submit("a3"))));
        assertEquals(List.of(SubmitStatus.QUEUED),
            onLane(1, 2, () -> List.of(pool.submit("b1"))));
        assertEquals(List.of(new Drop("a1", DropReason.EVICTED)), List.copyOf(drops));
        assertEquals(3, pool.depth());
        gate.countDown();
        await(() -> ran.size() == 4, "the queued tasks to run");
        assertEquals(3, pool.highWaterMark()); // 2 + 1: the deepest each lane's takes found it
        assertEquals(List.of("a2", "a3"), ran.stream().filter(task -> task.startsWith("a")).toList());
        assertTrue(ran.contains("b1"), ran.toString());
        assertQuietAccounting(pool);

        OffloadPool<String> rejecting = pool(builder().capacity(4).lanes(2).overflow(OverflowPolicy.REJECT_NEWEST)
            .executor(worker -> { })); // no worker runs: what is queued stays queued
        assertEquals(List.of(SubmitStatus.QUEUED, SubmitStatus.QUEUED, SubmitStatus.REJECTED_FULL,
                SubmitStatus.QUEUED, SubmitStatus.QUEUED, SubmitStatus.REJECTED_FULL),
            onLane(1, 2, () -> List.of(rejecting.submit("c1"), rejecting.submit("c2"), rejecting.submit("c3"),
                rejecting.send("c4", 1, TimeUnit.MILLISECONDS), rejecting.send("c5", 1, TimeUnit.MILLISECONDS),
                rejecting.send("c6", 1, TimeUnit.MILLISECONDS))));
        assertEquals(4, rejecting.depth());
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
