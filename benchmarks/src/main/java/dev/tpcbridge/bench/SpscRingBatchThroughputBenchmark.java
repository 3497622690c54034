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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Batch transfer: one producer thread calling {@code fill(supplier, batch)}, one consumer thread calling
 * {@code drain(handler, batch)}: SpscRing against JCTools {@code SpscArrayQueue} (the peer that has both) and the
 * cached-producer-index design SpscRing did not take ({@link CachedIndexSpscRing}). Compare
 * {@code pollsMade} with {@link SpscRingThroughputBenchmark}'s single-element figure in the same placement class.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 10, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpscRingBatchThroughputBenchmark {
    private static final Object ELEMENT = Integer.valueOf(1);
    private static final Supplier<Object> SUPPLIER = () -> ELEMENT;
    private static final Consumer<Object> HANDLER = e -> { };

    /** The implementation under test. */
    @Param({"SpscRing", "JCToolsSpscArrayQueue", "CachedIndexSpscRing"})
    public String impl;

    /** Slots. */
    @Param("4096")
    public int capacity;

    /** The most elements per fill or drain call. */
    @Param("64")
    public int batch;

    private QueueUnderTest queue;

    /** Creates the queue once per fork. */
    @Setup
    public void setUp() {
        queue = QueueUnderTest.create(impl, capacity, SUPPLIER, HANDLER);
    }

    /**
     * The producer.
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
     * The consumer.
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
