package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * SpscRing against JCTools {@code SpscArrayQueue}, Agrona {@code OneToOneConcurrentArrayQueue} and
 * {@code ArrayBlockingQueue}, and the cached-producer-index design SpscRing did not
 * take ({@link CachedIndexSpscRing}): one producer thread offering, one consumer thread polling, no backoff
 * on either side. Read {@code pollsMade} (elements transferred per µs) and compare forks of the same spin
 * round-trip class ({@code -prof dev.tpcbridge.bench.SpinRoundTripProfiler}).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 10, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SpscRingThroughputBenchmark extends RingThroughputBase {
    /** The implementation under test. */
    @Param({"SpscRing", "JCToolsSpscArrayQueue", "AgronaOneToOneConcurrentArrayQueue", "ArrayBlockingQueue",
        "CachedIndexSpscRing"})
    public String impl;

    /** Slots. */
    @Param("4096")
    public int capacity;

    @Override
    protected String impl() {
        return impl;
    }

    @Override
    protected int capacity() {
        return capacity;
    }
}
