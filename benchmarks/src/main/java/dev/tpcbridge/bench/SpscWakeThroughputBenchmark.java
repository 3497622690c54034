package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What waking on transitions costs when nobody waits: the waking ring ({@code WakingSpscRing}: one full fence and one
 * read of the other side's waiter list per published batch) against the bare {@code SpscRing} it wraps and JCTools
 * {@code SpscArrayQueue}, one producer thread and one consumer thread, no backoff. Three shapes: {@code offerPoll}
 * (a batch of one: a fence per element on each side), {@code offerDrain} (single offers into a consumer that drains
 * batches, as a data-plane core does: a fence per element on the producer side, per batch on the consumer side) and
 * {@code fillDrain} (batches of {@code batch} on both sides: a fence per batch). {@code FencedSpscRing} is the bare
 * ring plus the protocol's floor and nothing else (a full fence and one read of a padded waiter word per published
 * batch): the waking ring against it shows its own overhead, the fenced ring against the bare one the floor's cost.
 * The goal: the waking ring at least 0.8 of the bare ring in the same run, or at the floor. Read {@code pollsMade}.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 6, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpscWakeThroughputBenchmark extends RingThroughputBase {
    /** The implementation under test. */
    @Param({"SpscRing", "WakingSpscRing", "FencedSpscRing", "JCToolsSpscArrayQueue"})
    public String impl;

    /** Slots. */
    @Param("4096")
    public int capacity;

    /** The most elements per fill or drain call. */
    @Param("64")
    public int batch;

    @Override
    protected String impl() {
        return impl;
    }

    @Override
    protected int capacity() {
        return capacity;
    }

    /**
     * The single-element producer of the offer/drain shape.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("offerDrain")
    @GroupThreads(1)
    public void offerOne(ThroughputCounters.Offers counters) {
        if (queue.offer(ELEMENT)) {
            counters.offersMade++;
        } else {
            counters.offersFailed++;
        }
    }

    /**
     * The batch consumer of the offer/drain shape.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("offerDrain")
    @GroupThreads(1)
    public void drainBatch(ThroughputCounters.Polls counters) {
        int drained = queue.drain(batch);
        if (drained == 0) {
            counters.pollsFailed++;
        } else {
            counters.pollsMade += drained;
        }
    }

    /**
     * The batch producer.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("fillDrain")
    @GroupThreads(1)
    public void fill(ThroughputCounters.Offers counters) {
        int filled = queue.fill(batch);
        if (filled == 0) {
            counters.offersFailed++;
        } else {
            counters.offersMade += filled;
        }
    }

    /**
     * The batch consumer.
     *
     * @param counters its counts
     */
    @Benchmark
    @Group("fillDrain")
    @GroupThreads(1)
    public void drain(ThroughputCounters.Polls counters) {
        int drained = queue.drain(batch);
        if (drained == 0) {
            counters.pollsFailed++;
        } else {
            counters.pollsMade += drained;
        }
    }
}
