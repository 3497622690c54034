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
 * The cost of one record written through the claim API (claim, copy, commit) and read back (a batch of one), on a
 * single thread (ns/op): the instruction cost of each buffer's claim path, which vCPU placement cannot disturb. Ours
 * beside Agrona's {@code OneToOneRingBuffer} claim API, and the one-call {@code tryWrite} beside Agrona's
 * {@code write}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class LogBufferClaimCostBenchmark {
    /** The implementation under test. */
    @Param({"SpscLogBufferClaim", "AgronaOneToOneRingBufferClaim", "SpscLogBuffer", "AgronaOneToOneRingBuffer"})
    public String impl;

    /** Payload bytes per record. */
    @Param({"32"})
    public int recordSize;

    private LogBufferUnderTest buffer;

    /** Creates the buffer once per fork. */
    @Setup
    public void setUp() {
        buffer = LogBufferUnderTest.create(impl, recordSize);
    }

    /**
     * One record written, then read.
     *
     * @return how many records were read (1), so that nothing is optimised away
     */
    @Benchmark
    public int writeThenRead() {
        buffer.write();
        return buffer.read(1);
    }
}
