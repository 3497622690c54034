package dev.tpcbridge.offload;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of the offload pool's queue ({@link MpmcQueue}, capacity 2, so that "full" is reached) against
 * {@link SequentialSpec}, a bounded {@code ArrayDeque}, with Lincheck's model checking and stress strategies: offers,
 * evicting offers and polls from every thread, "full" and "empty" only when true, the oldest evicted exactly once.
 * {@link OffloadLincheckStressTest} runs larger checks under {@code -Pstress}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OffloadLincheckTest {
    static final int CAPACITY = 2;

    /** The queue under test. */
    public static class Queue {
        private final MpmcQueue queue = new MpmcQueue(CAPACITY);

        @Operation
        public boolean offer(int value) {
            return queue.offer(value);
        }

        @Operation
        public Integer poll() {
            return (Integer) queue.poll();
        }

        /**
         * A batch of one, confirmed by a poll when it finds nothing: it may miss an element being published, never take
         * a wrong one. Larger batches are checked by {@code MpmcQueueTest} and jcstress {@code MpmcQueueStress}: a
         * batch stops at the first slot not yet published, so its size is not a function of the completed offers.
         */
        @Operation
        public Integer pollBatchOfOne() {
            final Object[] into = new Object[1];
            return (Integer) (queue.pollBatch(into, 1) == 1 ? into[0] : queue.poll());
        }

        @Operation
        public long offered() {
            return queue.offered();
        }
    }

    /**
     * The queue with evicting offers, which take effect at their claim of the oldest element; {@code offered()} is
     * left out, since it reads one short until the swap has stored the tail (documented on {@link MpmcQueue}).
     */
    public static class EvictingQueue {
        private final MpmcQueue queue = new MpmcQueue(CAPACITY);

        @Operation
        public boolean offer(int value) {
            return queue.offer(value);
        }

        @Operation
        public Integer offerEvictingOldest(int value) {
            return (Integer) queue.offerEvictingOldest(value);
        }

        @Operation
        public Integer poll() {
            return (Integer) queue.poll();
        }

        /**
         * A batch of one, confirmed by a poll when it finds nothing: it may miss an element being published, never take
         * a wrong one. Larger batches are checked by {@code MpmcQueueTest} and jcstress {@code MpmcQueueStress}: a
         * batch stops at the first slot not yet published, so its size is not a function of the completed offers.
         */
        @Operation
        public Integer pollBatchOfOne() {
            final Object[] into = new Object[1];
            return (Integer) (queue.pollBatch(into, 1) == 1 ? into[0] : queue.poll());
        }
    }

    /** The sequential specification: a bounded FIFO. */
    public static class SequentialSpec {
        private final ArrayDeque<Integer> items = new ArrayDeque<>();
        private long offered;

        public SequentialSpec() {
        }

        public boolean offer(int value) {
            if (items.size() == CAPACITY) {
                return false;
            }
            items.addLast(value);
            offered++;
            return true;
        }

        public Integer offerEvictingOldest(int value) {
            final Integer oldest = items.size() == CAPACITY ? items.pollFirst() : null;
            items.addLast(value);
            offered++;
            return oldest;
        }

        public Integer poll() {
            return items.pollFirst();
        }

        public Integer pollBatchOfOne() {
            return items.pollFirst();
        }

        public long offered() {
            return offered;
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(SequentialSpec.class);
    }

    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 8, 300).check(Queue.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 4, 1_000).check(Queue.class);
    }

    @Test
    void evictingModelChecking() {
        sized(new ModelCheckingOptions(), 8, 300).check(EvictingQueue.class);
    }

    @Test
    void evictingStress() {
        sized(new StressOptions(), 4, 1_000).check(EvictingQueue.class);
    }
}
