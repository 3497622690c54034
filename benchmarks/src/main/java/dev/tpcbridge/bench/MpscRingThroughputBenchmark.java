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
 * MpscRing against JCTools {@code MpscArrayQueue}, Agrona {@code ManyToOneConcurrentArrayQueue} and
 * the Vyukov-style design MpscRing did not take ({@link VyukovMpscRing}), all with one producer: one producer
 * thread offering, one consumer thread polling, no backoff
 * on either side. Read {@code pollsMade} (elements transferred per µs) and compare forks of the same spin
 * round-trip class ({@code -prof dev.tpcbridge.bench.SpinRoundTripProfiler}). Strict polls ({@code MpscRing.poll},
 * JCTools {@code poll}: null means empty, so an empty poll reads the producer index) and relaxed polls
 * ({@code MpscRing.relaxedPoll}, JCTools {@code relaxedPoll}, Agrona {@code poll}: null may mean "the next element
 * is being stored") are compared like with like.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 10, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class MpscRingThroughputBenchmark extends RingThroughputBase {
    /** The implementation under test. */
    @Param({"MpscRing", "JCToolsMpscArrayQueue", "MpscRingRelaxed", "JCToolsMpscArrayQueueRelaxed",
        "AgronaManyToOneConcurrentArrayQueue", "VyukovMpscRing"})
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
