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
}
