package dev.tpcbridge.offload;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import static dev.tpcbridge.internal.Threads.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many submitters, a handler that throws, sleeps and succeeds at random, every policy, pool sizes 1 to 4, capacities
 * 2 to 64 in 1, 2 or 4 lanes, and a shutdown (graceful with a random deadline, or a close) at a random moment: at the
 * end of every round each task has run exactly once or been reported dropped exactly once (a send that gave up keeps
 * its task: neither), and the pool's counters match what the test counted itself, identity by identity.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OffloadChaosTest {
    private static final int SUBMITTERS = 3;
    private static final int TASKS_PER_SUBMITTER = 1_500;
    private static final int TASKS = SUBMITTERS * TASKS_PER_SUBMITTER;

    @Test
    void everyTaskRunsOnceOrIsReportedOnceAndTheCountersAddUp() throws Exception {
        rounds(24, 0xC0FFEE);
    }

    @Tag("stress")
    @Test
    void manyMoreRounds() throws Exception {
        rounds(600, System.nanoTime());
    }

    private static void rounds(int rounds, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            round(random.split(), "seed " + seed + " round " + round);
        }
    }

    private static void round(SplittableRandom random, String where) throws Exception {
        OverflowPolicy policy = OverflowPolicy.values()[random.nextInt(3)];
        int capacity = new int[] {2, 4, 8, 64}[random.nextInt(4)];
        int workers = 1 + random.nextInt(4);
        int lanes = Math.min(1 << random.nextInt(3), capacity / 2);
        AtomicIntegerArray runs = new AtomicIntegerArray(TASKS);
        AtomicIntegerArray drops = new AtomicIntegerArray(TASKS);
        AtomicLongArray byReason = new AtomicLongArray(DropReason.values().length);
        AtomicIntegerArray gaveUp = new AtomicIntegerArray(TASKS);
        long handlerSeed = random.nextLong();
        OffloadPool.Builder<Integer> builder = OffloadPool.<Integer>builder(task -> {
            runs.incrementAndGet(task);
            int dice = (int) ((task * 0x9E3779B97F4A7C15L + handlerSeed) >>> 58); // 0..63, per task
            if (dice < 12) {
                throw new IllegalStateException("simulated failure of " + task);
            }
            if (dice < 16) {
                LockSupport.parkNanos(20_000L + dice * 5_000L);
            }
        }).workers(workers).capacity(capacity).lanes(lanes).onFailure((task, e) -> { })
            .onDropped((task, reason) -> {
                drops.incrementAndGet(task);
                byReason.incrementAndGet(reason.ordinal());
            });
        if (policy == OverflowPolicy.COALESCE_BY_KEY) {
            builder.coalesceBy(task -> task % 7);
        } else {
            builder.overflow(policy);
        }
        OffloadPool<Integer> pool = builder.build();
        long[] statuses = new long[SubmitStatus.values().length];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        long[][] perSubmitter = new long[SUBMITTERS][SubmitStatus.values().length];
        boolean sends = policy != OverflowPolicy.COALESCE_BY_KEY && random.nextBoolean();
        for (int s = 0; s < SUBMITTERS; s++) {
            int first = s * TASKS_PER_SUBMITTER;
            long[] mine = perSubmitter[s];
            boolean sender = sends && s == 0;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int task = first; task < first + TASKS_PER_SUBMITTER; task++) {
                        SubmitStatus status;
                        if (sender) {
                            status = pool.send(task, 100, TimeUnit.MICROSECONDS);
                            if (status == SubmitStatus.REJECTED_FULL) {
                                gaveUp.incrementAndGet(task);
                            }
                        } else {
                            status = pool.submit(task);
                        }
                        mine[status.ordinal()]++;
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "chaos-submitter-" + s);
            thread.start();
            submitters.add(thread);
        }
        start.countDown();
        LockSupport.parkNanos(random.nextInt(2_000_000));
        boolean graceful = random.nextBoolean();
        java.util.concurrent.CompletableFuture<ShutdownReport> done = null;
        if (graceful) {
            done = pool.shutdown(random.nextInt(3_000), TimeUnit.MICROSECONDS);
        } else {
            pool.close();
        }
        for (Thread thread : submitters) {
            thread.join();
        }
        if (done != null) {
            done.get(30, TimeUnit.SECONDS);
        }
        // no second close: a task that slipped in behind the first must have been dealt with already
        await(() -> pool.workers() == 0 && pool.running() == 0, "the workers to stop: " + pool + " " + where);
        for (long[] mine : perSubmitter) {
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] += mine[i];
            }
        }
        String context = where + " " + policy + " capacity " + capacity + " lanes " + lanes + " workers " + workers
            + " " + pool;
        long ran = 0;
        for (int task = 0; task < TASKS; task++) {
            int outcomes = runs.get(task) + drops.get(task);
            assertEquals(gaveUp.get(task) == 1 ? 0 : 1, outcomes, "task " + task + ": runs " + runs.get(task)
                + ", drops " + drops.get(task) + ", " + context);
            ran += runs.get(task);
        }
        assertEquals(TASKS, pool.submitted(), context);
        assertEquals(ran, pool.completed() + pool.failed(), context);
        assertEquals(pool.queued(), pool.completed() + pool.failed() + pool.evicted() + pool.abandoned(), context);
        assertEquals(byReason.get(DropReason.EVICTED.ordinal()), pool.evicted(), context);
        assertEquals(byReason.get(DropReason.REPLACED.ordinal()), pool.coalesced(), context);
        assertEquals(byReason.get(DropReason.ABANDONED.ordinal()), pool.abandoned(), context);
        assertEquals(byReason.get(DropReason.CLOSED.ordinal()), pool.refusedClosed(), context);
        long gaveUpCount = 0;
        for (int task = 0; task < TASKS; task++) {
            gaveUpCount += gaveUp.get(task);
        }
        assertEquals(byReason.get(DropReason.REJECTED.ordinal()) + gaveUpCount, pool.rejected(), context);
        assertEquals(statuses[SubmitStatus.CLOSED.ordinal()], pool.refusedClosed(), context);
        assertEquals(statuses[SubmitStatus.COALESCED.ordinal()], pool.coalesced(), context);
        assertEquals(statuses[SubmitStatus.REJECTED_FULL.ordinal()], pool.rejected(), context);
        assertEquals(statuses[SubmitStatus.QUEUED.ordinal()] + statuses[SubmitStatus.EVICTED_OLDEST.ordinal()],
            pool.queued(), context);
        assertEquals(0, pool.depth(), context);
    }
}
