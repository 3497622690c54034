package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one offer plus one poll on a single thread (ns/op): the instruction cost of each queue, which vCPU
 * placement cannot disturb. Every ring and its peers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RingOfferPollCostBenchmark {
    private static final Object ELEMENT = Integer.valueOf(1);

    /** The implementation under test. */
    @Param({"SpscRing", "JCToolsSpscArrayQueue", "AgronaOneToOneConcurrentArrayQueue", "ArrayBlockingQueue",
        "MpscRing", "JCToolsMpscArrayQueue", "AgronaManyToOneConcurrentArrayQueue", "VyukovMpscRing",
        "CachedIndexSpscRing"})
    public String impl;

    private QueueUnderTest queue;

    /** Creates the queue once per fork. */
    @Setup
    public void setUp() {
        queue = QueueUnderTest.create(impl, 1024);
    }

    /**
     * One offer and one poll.
     *
     * @return the polled element, so that nothing is optimised away
     */
    @Benchmark
    public Object offerThenPoll() {
        queue.offer(ELEMENT);
        return queue.poll();
    }
}
