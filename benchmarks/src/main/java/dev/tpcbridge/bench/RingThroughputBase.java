package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Setup;

/**
 * The offer/poll group shared by {@link SpscRingThroughputBenchmark} and {@link MpscRingThroughputBenchmark}: one
 * producer thread offering, one consumer thread polling, no backoff. Subclasses name the implementations.
 */
public abstract class RingThroughputBase {
    /** The element every producer offers. */
    protected static final Object ELEMENT = Integer.valueOf(1);

    /** The queue under test, shared by the group's threads. */
    protected QueueUnderTest queue;

    /** @return the implementation under test, a {@code @Param} of the subclass */
    protected abstract String impl();

    /** @return the number of slots, a {@code @Param} of the subclass */
    protected abstract int capacity();

    /** Creates the queue once per fork. */
    @Setup
    public void setUp() {
        queue = QueueUnderTest.create(impl(), capacity(), () -> ELEMENT, e -> { });
    }
    /**
     * The producer.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public void offer(ThroughputCounters.Offers counters) {
        if (queue.offer(ELEMENT)) {
            counters.offersMade++;
        } else {
            counters.offersFailed++;
        }
    }

    /**
     * The consumer.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public void poll(ThroughputCounters.Polls counters) {
        if (queue.poll() == null) {
            counters.pollsFailed++;
        } else {
            counters.pollsMade++;
        }
    }
}
