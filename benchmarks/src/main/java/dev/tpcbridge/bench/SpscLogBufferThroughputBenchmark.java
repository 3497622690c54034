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
 * The SPSC {@code LogBuffer} (heap and direct) against Agrona's {@code OneToOneRingBuffer} (direct, the peer; goal:
 * at least 1.5 x for 32-byte records) and {@link LapStampedSpscLogBuffer} (the commit marker not taken, to weigh
 * consumer zeroing against lap stamps): one producer thread writing records of {@code recordSize} payload bytes, one
 * consumer thread reading batches. Read {@code pollsMade} (records per µs) and compare forks of the same spin
 * round-trip class ({@code -prof dev.tpcbridge.bench.SpinRoundTripProfiler}). The {@code ...Claim} pair writes
 * through the claim API instead (claim, copy into the claim, commit), ours beside Agrona's.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SpscLogBufferThroughputBenchmark extends LogBufferThroughputBase {
    /** The implementation under test. */
    @Param({"SpscLogBuffer", "SpscLogBufferDirect", "LapStampedSpscLogBuffer", "AgronaOneToOneRingBuffer",
        "SpscLogBufferClaim", "AgronaOneToOneRingBufferClaim"})
    public String impl;

    /** Payload bytes per record. */
    @Param({"32", "1024", "65536"})
    public int recordSize;

    @Override
    protected String impl() {
        return impl;
    }

    @Override
    protected int recordSize() {
        return recordSize;
    }
}
