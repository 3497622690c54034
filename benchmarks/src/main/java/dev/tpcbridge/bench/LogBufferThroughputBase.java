package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Setup;

/**
 * The write/read group shared by {@link SpscLogBufferThroughputBenchmark} and {@link MpscLogBufferThroughputBenchmark}:
 * one producer thread writing records (claim, copy, commit), one consumer thread reading batches of up to
 * {@value #BATCH}, no backoff. The figure is {@code pollsMade}: records that crossed per µs.
 */
public abstract class LogBufferThroughputBase {
    /** The consumer's batch limit, the same for every implementation. */
    static final int BATCH = 256;

    /** The buffer under test, shared by the group's threads. */
    protected LogBufferUnderTest buffer;

    /** @return the implementation under test, a {@code @Param} of the subclass */
    protected abstract String impl();

    /** @return the payload bytes per record, a {@code @Param} of the subclass */
    protected abstract int recordSize();

    /** Creates the buffer once per fork. */
    @Setup
    public void setUp() {
        buffer = LogBufferUnderTest.create(impl(), recordSize());
    }

    /**
     * The producer.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("writeRead")
    @GroupThreads(1)
    public void write(ThroughputCounters.Offers counters) {
        if (buffer.write()) {
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
    @Group("writeRead")
    @GroupThreads(1)
    public void read(ThroughputCounters.Polls counters) {
        final int n = buffer.read(BATCH);
        if (n == 0) {
            counters.pollsFailed++;
        } else {
            counters.pollsMade += n;
        }
    }
}
