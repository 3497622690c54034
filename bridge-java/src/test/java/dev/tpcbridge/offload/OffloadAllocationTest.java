package dev.tpcbridge.offload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool allocates nothing per task beyond the task: neither a submit (here into a full {@code DROP_OLDEST} queue,
 * so that every submit evicts) nor a worker's turn (taking, running, counting; an idle worker's arm allocates, so a
 * worker must not go idle while tasks are queued). Measured with {@code ThreadMXBean#getThreadAllocatedBytes}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OffloadAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Integer[] TASKS = new Integer[256];
    private static final int SUBMITTERS = 4;

    static {
        for (int i = 0; i < TASKS.length; i++) {
            TASKS[i] = 1_000 + i; // beyond Integer's cache: distinct objects, allocated here and not per submit
        }
    }

    private long sink;

    @Test
    void aSubmitThatEvictsAllocatesNothing() {
        try (OffloadPool<Integer> pool = OffloadPool.<Integer>builder(task -> { }).capacity(64).workers(1)
                .executor(worker -> { }) // the worker never runs: the queue stays full and every submit evicts
                .overflow(OverflowPolicy.DROP_OLDEST).onDropped((task, reason) -> sink += task).build()) {
            for (int i = 0; i < 5; i++) {
                submit(pool, 50_000);
            }
            long least = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
                final long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
                submit(pool, 50_000);
                final long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
                least = Math.min(least, after - before);
            }
            assertEquals(0, least, "bytes allocated by 50 000 submits, each evicting");
            assertEquals(pool.submitted() - 64, pool.evicted());
        }
    }

    @Test
    void aWorkerTurnAllocatesNothingWhileThreadsSubmit() throws Exception {
        final long[] perTask = workerBytesPerTask(task -> { }, 5_000_000);
        assertTrue(perTask[0] < 1, "the worker allocated " + perTask[0] + " bytes a task over " + perTask[1]
            + " tasks");
    }

    /** The control: the same measurement sees a handler that allocates, so the test above can fail. */
    @Test
    void theWorkersMeasurementSeesAllocation() throws Exception {
        final long[] perTask = workerBytesPerTask(task -> kept = new byte[64], 200_000);
        assertTrue(perTask[0] >= 64, "saw " + perTask[0] + " bytes a task over " + perTask[1] + " tasks");
    }

    private volatile Object kept;

    /**
     * Threads submit flat out to a one-worker pool; returns the worker thread's allocated bytes per task it ran after
     * a warm-up, and the number of tasks.
     */
    private long[] workerBytesPerTask(Consumer<Integer> handler, int each) throws Exception {
        final AtomicReference<Thread> worker = new AtomicReference<>();
        try (OffloadPool<Integer> pool = OffloadPool.<Integer>builder(handler::accept).capacity(1024).workers(1)
                .threadFactory(task -> {
                    final Thread thread = new Thread(task, "offload-allocation-worker");
                    worker.set(thread);
                    return thread;
                })
                .overflow(OverflowPolicy.DROP_OLDEST).onDropped((task, reason) -> { }).build()) {
            submitFromThreads(pool, 200_000); // warm-up
            final long id = worker.get().getId();
            final long before = THREADS.getThreadAllocatedBytes(id);
            final long ranBefore = pool.completed();
            submitFromThreads(pool, each);
            final long ran = pool.completed() - ranBefore;
            final long allocated = THREADS.getThreadAllocatedBytes(id) - before;
            assertTrue(ran > 0, "the worker ran nothing");
            return new long[] {allocated / ran, ran};
        }
    }

    /**
     * {@link #SUBMITTERS} threads submit {@code each} tasks into the pool's one lane at once: more threads than this
     * project's 2-core machines have, so that a submitter is now and then preempted between its CAS and its
     * publication, which a worker must wait out without going idle.
     */
    private void submitFromThreads(OffloadPool<Integer> pool, int each) throws InterruptedException {
        final Thread[] others = new Thread[SUBMITTERS - 1];
        for (int i = 0; i < others.length; i++) {
            others[i] = new Thread(() -> submit(pool, each), "offload-allocation-submitter-" + i);
            others[i].start();
        }
        submit(pool, each);
        for (Thread other : others) {
            other.join();
        }
    }

    private void submit(OffloadPool<Integer> pool, int count) {
        long statuses = 0;
        for (int i = 0; i < count; i++) {
            statuses += pool.submit(TASKS[i & (TASKS.length - 1)]).ordinal();
        }
        sink += statuses;
    }
}
