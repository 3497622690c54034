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
 * The MPSC {@code LogBuffer} against Agrona's {@code ManyToOneRingBuffer} (goal: at least 1.0 x), with one producer
 * thread (the 2-vCPU machines cannot run more without measuring the scheduler) and one consumer thread. Read
 * {@code pollsMade} (records per µs).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class MpscLogBufferThroughputBenchmark extends LogBufferThroughputBase {
    /** The implementation under test. */
    @Param({"MpscLogBuffer", "AgronaManyToOneRingBuffer"})
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
