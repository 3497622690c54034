package dev.tpcbridge.jcstress;

import dev.tpcbridge.offload.DropReason;
import dev.tpcbridge.offload.OffloadPool;
import dev.tpcbridge.offload.OverflowPolicy;
import dev.tpcbridge.offload.SubmitStatus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The offload pool's races, with workers that never run (an executor that drops them), so that what is queued stays
 * queued until a close abandons it: each task is reported exactly once, and a task never strands in the queue.
 */
public final class OffloadStress {
    private OffloadStress() {
    }

    /** Records, per task 1 to 4, how it was dropped (a bit per reason) and how many reports there were. */
    static final class Reports {
        final AtomicInteger evicted = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger count = new AtomicInteger();

        /** A submit of task 1 racing a close: 1 if reported abandoned, 2 if closed, else 9 or 10 times the count. */
        int closeOutcome() {
            return count.get() != 1 ? count.get() * 10 : abandoned.get() == 1 ? 1 : closed.get() == 1 ? 2 : 9;
        }

        void dropped(int task, DropReason reason) {
            final AtomicInteger mask = reason == DropReason.EVICTED ? evicted
                : reason == DropReason.ABANDONED ? abandoned : closed;
            mask.getAndUpdate(m -> m | 1 << task - 1);
            count.incrementAndGet();
        }
    }

    static OffloadPool<Integer> idlePool(OverflowPolicy policy, int capacity, Reports reports) {
        return idlePool(policy, capacity, 1, reports);
    }

    static OffloadPool<Integer> idlePool(OverflowPolicy policy, int capacity, int lanes, Reports reports) {
        return OffloadPool.<Integer>builder(task -> { }).capacity(capacity).lanes(lanes).overflow(policy).workers(1)
            .executor(worker -> { }) // the worker never runs: queued tasks stay queued
            .onDropped(reports::dropped).build();
    }

    /**
     * Two submitters race to evict from a full {@code DROP_OLDEST} queue holding tasks 1 and 2: each eviction is
     * reported once, the new tasks 3 and 4 are both queued (a close then abandons exactly them), and each submitter
     * that evicted says so. r1, r2: the statuses of 3 and 4 (0 QUEUED, 1 EVICTED_OLDEST); r3: the evicted tasks' bits
     * plus the abandoned ones' bits shifted by 4; r4: the number of reports.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 195, 4", expect = ACCEPTABLE, desc = "each submitter evicted one")
    @Outcome(id = "1, 0, 195, 4", expect = ACCEPTABLE, desc = "3 evicted both; 4 took a slot 3 freed")
    @Outcome(id = "0, 1, 195, 4", expect = ACCEPTABLE, desc = "4 evicted both; 3 took a slot 4 freed")
    @Outcome(expect = FORBIDDEN, desc = "a task lost, reported twice, or a status that misreports an eviction")
    @State
    public static class SubmitVersusEvict {
        final Reports reports = new Reports();
        final OffloadPool<Integer> pool = idlePool(OverflowPolicy.DROP_OLDEST, 2, reports);

        public SubmitVersusEvict() {
            pool.submit(1);
            pool.submit(2);
        }

        @Actor
        public void submitThree(IIII_Result r) {
            r.r1 = pool.submit(3).ordinal();
        }

        @Actor
        public void submitFour(IIII_Result r) {
            r.r2 = pool.submit(4).ordinal();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            pool.close();
            r.r3 = reports.evicted.get() | reports.abandoned.get() << 4;
            r.r4 = reports.count.get();
        }
    }

    /**
     * A submit racing a close: the task is either refused ({@code CLOSED}, reported closed) or queued and then
     * abandoned, by the close's drain or by the submitter itself when it sees the close behind its fence; never
     * queued and left in a queue nobody will look at again. r1: the status (0 QUEUED, 4 CLOSED); r2: 1 if reported
     * abandoned, 2 if reported closed, 0 if not reported.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "queued, then abandoned")
    @Outcome(id = "4, 2", expect = ACCEPTABLE, desc = "refused: the close came first")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "queued and stranded: lost")
    @Outcome(expect = FORBIDDEN, desc = "any other")
    @State
    public static class SubmitVersusClose {
        final Reports reports = new Reports();
        final OffloadPool<Integer> pool = idlePool(OverflowPolicy.REJECT_NEWEST, 4, reports);

        @Actor
        public void submit(II_Result r) {
            r.r1 = pool.submit(1).ordinal();
        }

        @Actor
        public void close() {
            pool.close();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = reports.closeOutcome();
        }
    }

    static {
        if (SubmitStatus.QUEUED.ordinal() != 0 || SubmitStatus.EVICTED_OLDEST.ordinal() != 1
            || SubmitStatus.CLOSED.ordinal() != 4) {
            throw new AssertionError("the outcome ids above assume SubmitStatus's order");
        }
    }

    /**
     * {@link SubmitVersusClose} in a pool of two lanes, whose close must drain both: the submitter's lane is whichever
     * its thread's id picks. Same outcomes.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "queued, then abandoned")
    @Outcome(id = "4, 2", expect = ACCEPTABLE, desc = "refused: the close came first")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "queued and stranded: lost")
    @Outcome(expect = FORBIDDEN, desc = "any other")
    @State
    public static class SubmitVersusCloseInLanes {
        final Reports reports = new Reports();
        final OffloadPool<Integer> pool = idlePool(OverflowPolicy.DROP_OLDEST, 4, 2, reports);

        @Actor
        public void submit(II_Result r) {
            r.r1 = pool.submit(1).ordinal();
        }

        @Actor
        public void close() {
            pool.close();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = reports.closeOutcome();
        }
    }
}
