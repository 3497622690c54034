package dev.tpcbridge.offload;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The offload queue's evicting offer ({@link MpmcQueue#offerEvictingOldest}) against a consumer. This class sits in
 * the queue's package (the queue is package-private; the jcstress jar holds both on one class path).
 */
public final class MpmcQueueStress {
    private MpmcQueueStress() {
    }

    private static int value(Object element) {
        return element == null ? 0 : (Integer) element;
    }

    /**
     * A full queue of two, [1, 2]: an evicting offer of 3 races a consumer's two polls. The oldest goes to exactly
     * one of them, and a poll that reaches the slot the evicting offer is refilling waits for 3 instead of saying
     * "empty" (the offer has claimed the oldest but not yet moved the tail). r1: what the offer evicted (0 none);
     * r2, r3: the consumer's polls (0 empty); r4: what is left, polled after both.
     */
    @JCStressTest
    @Outcome(id = "1, 2, 3, 0", expect = ACCEPTABLE, desc = "the offer evicted 1; the consumer took 2, then 3")
    @Outcome(id = "0, 1, 2, 3", expect = ACCEPTABLE, desc = "the consumer took 1 first; 3 went in without evicting")
    @Outcome(expect = FORBIDDEN, desc = "an element lost, taken twice, or a false empty")
    @State
    public static class EvictVersusPolls {
        final MpmcQueue queue = new MpmcQueue(2);

        public EvictVersusPolls() {
            queue.offer(1);
            queue.offer(2);
        }

        @Actor
        public void evict(IIII_Result r) {
            r.r1 = value(queue.offerEvictingOldest(3));
        }

        @Actor
        public void consume(IIII_Result r) {
            r.r2 = value(queue.poll());
            r.r3 = value(queue.poll());
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = value(queue.poll());
        }
    }

    /**
     * Two evicting offers race on a full queue of two, [1, 2]: each takes out a different element or finds room, and
     * both 3 and 4 end up queued. r1, r2: what each evicted (0 none); r3, r4: the queue's content after both, in
     * order.
     */
    @JCStressTest
    @Outcome(id = "1, 2, 3, 4", expect = ACCEPTABLE, desc = "3 went in first, evicting 1; then 4, evicting 2")
    @Outcome(id = "2, 1, 4, 3", expect = ACCEPTABLE, desc = "4 went in first, evicting 1; then 3, evicting 2")
    @Outcome(expect = FORBIDDEN, desc = "an element lost, evicted twice, or out of order")
    @State
    public static class EvictVersusEvict {
        final MpmcQueue queue = new MpmcQueue(2);

        public EvictVersusEvict() {
            queue.offer(1);
            queue.offer(2);
        }

        @Actor
        public void three(IIII_Result r) {
            r.r1 = value(queue.offerEvictingOldest(3));
        }

        @Actor
        public void four(IIII_Result r) {
            r.r2 = value(queue.offerEvictingOldest(4));
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = value(queue.poll());
            r.r4 = value(queue.poll());
        }
    }

    /**
     * A full queue of two, [1, 2]: a worker's batch of up to two races an evicting offer of 3. Each element goes to
     * exactly one of them, in order; a batch may stop at the slot the offer is refilling (3 is not published yet), and
     * then takes 2 alone. r1, r2: what the batch took, in order (0 none); r3: what the offer evicted (0 none); r4: what
     * is left, polled after both.
     */
    @JCStressTest
    @Outcome(id = "1, 2, 0, 3", expect = ACCEPTABLE, desc = "the batch took both; 3 went in without evicting")
    @Outcome(id = "2, 3, 1, 0", expect = ACCEPTABLE, desc = "the offer evicted 1; the batch took 2 and 3")
    @Outcome(id = "2, 0, 1, 3", expect = ACCEPTABLE, desc = "the offer evicted 1; the batch stopped before 3")
    @Outcome(expect = FORBIDDEN, desc = "an element lost, taken twice, out of order, or a false empty")
    @State
    public static class BatchVersusEvict {
        final MpmcQueue queue = new MpmcQueue(2);

        public BatchVersusEvict() {
            queue.offer(1);
            queue.offer(2);
        }

        @Actor
        public void batch(IIII_Result r) {
            final Object[] into = new Object[2];
            final int n = queue.pollBatch(into, 2);
            r.r1 = n > 0 ? value(into[0]) : 0;
            r.r2 = n > 1 ? value(into[1]) : 0;
        }

        @Actor
        public void evict(IIII_Result r) {
            r.r3 = value(queue.offerEvictingOldest(3));
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = value(queue.poll());
        }
    }

    /**
     * A worker takes a batch from a queue of three, [1, 2, 3], runs its first task and moves the rest into its hand,
     * then takes the hand's first entry (its next turn), while a stopper drains the queue, waits out a fill in
     * progress and takes back what the hand holds (the engine's abandonAll). However they interleave, each task goes
     * to exactly one of them: none is left behind, none taken twice. r1: what the worker took, its digits in order
     * (0 none); r2: how many the stopper got; r3: the sum of what the stopper got; r4: what is left in the hand and
     * the queue, counted after both.
     */
    @JCStressTest
    @Outcome(id = "12, 1, 3, 0", expect = ACCEPTABLE, desc = "the worker's batch came first; it took 2 before the stop")
    @Outcome(id = "1, 2, 5, 0", expect = ACCEPTABLE, desc = "the worker's batch came first; the stopper took 2 back")
    @Outcome(id = "23, 1, 1, 0", expect = ACCEPTABLE, desc = "the stopper polled 1; the worker took 2, then 3")
    @Outcome(id = "2, 2, 4, 0", expect = ACCEPTABLE, desc = "the stopper polled 1; the worker took 2, 3 was taken back")
    @Outcome(id = "3, 2, 3, 0", expect = ACCEPTABLE, desc = "the stopper polled 1 and 2; the worker's batch was 3")
    @Outcome(id = "0, 3, 6, 0", expect = ACCEPTABLE, desc = "the stopper got all three")
    @Outcome(expect = FORBIDDEN, desc = "a task left behind or taken twice")
    @State
    public static class HandFillVersusStop {
        final MpmcQueue queue = new MpmcQueue(4);
        final WorkerHand hand = new WorkerHand();

        public HandFillVersusStop() {
            queue.offer(1);
            queue.offer(2);
            queue.offer(3);
        }

        @Actor
        public void worker(IIII_Result r) {
            final Object[] batch = new Object[WorkerHand.SIZE]; // as OffloadEngine.takeBatch
            final int n = queue.pollBatch(batch, WorkerHand.SIZE, hand);
            if (n > 1) {
                hand.fill(batch, 1, n);
            }
            r.r1 = value(batch[0]); // the first task runs at once; the rest is in the hand
            // hold on to the hand's first entry too, as the worker's next turn would: the stopper may take it back
            final Object second = hand.take();
            if (second != null) {
                r.r1 = r.r1 * 10 + value(second);
            }
        }

        @Actor
        public void stopper(IIII_Result r) {
            int count = 0;
            int sum = 0;
            Object entry;
            while ((entry = queue.poll()) != null) { // as OffloadEngine.abandonAll: the queue, then the hands
                count++;
                sum += value(entry);
            }
            hand.awaitFill();
            for (int i = 0; i < WorkerHand.SIZE; i++) {
                entry = hand.takeBack(i);
                if (entry != null) {
                    count++;
                    sum += value(entry);
                }
            }
            r.r2 = count;
            r.r3 = sum;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = hand.held() + queue.size();
        }
    }
}
