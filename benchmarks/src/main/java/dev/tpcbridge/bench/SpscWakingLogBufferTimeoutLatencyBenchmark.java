package dev.tpcbridge.bench;

import dev.tpcbridge.logbuf.LogBuffer;
import dev.tpcbridge.logbuf.WakingLogBuffer;
import dev.tpcbridge.logbuf.ReadClaim;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.logbuf.ReadStatus;
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
import java.util.concurrent.locks.LockSupport;

/**
 * How late a timed {@code WakingLogBuffer.receive} on an empty channel returns: each operation is one receive with a
 * {@value #TIMEOUT_MICROS} µs timeout, so its time minus {@value #TIMEOUT_MICROS} µs is the overshoot (it can never be
 * less: deadlines are never early). The peer {@code ParkNanos} is a bare {@code LockSupport.parkNanos} of the same
 * timeout, the least any parking wait can overshoot. {@code WakingLogBufferParking} parks at once (no spin, no yield);
 * {@code WakingLogBuffer} uses the default spin, yield, then park. Report p50 and p99 per fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class SpscWakingLogBufferTimeoutLatencyBenchmark {
    static final long TIMEOUT_MICROS = 100;

    /** The wait under test. */
    @Param({"ParkNanos", "WakingLogBufferParking", "WakingLogBuffer"})
    public String impl;

    private WakingLogBuffer channel;
    private final ReadClaim record = new ReadClaim();

    /** Creates the empty channel. */
    @Setup
    public void setUp() {
        switch (impl) {
            case "ParkNanos" -> { } // no channel
            case "WakingLogBufferParking" ->
                channel = LogBuffer.builder().capacity(4096).waitPolicy(WaitPolicy.PARK).buildWaking();
            case "WakingLogBuffer" -> channel = WakingLogBuffer.spsc(4096);
            default -> throw new IllegalArgumentException("impl=" + impl + " is not known");
        }
    }

    /**
     * One timed wait on nothing.
     *
     * @return the outcome, so the JIT cannot drop it
     * @throws InterruptedException never, in practice
     */
    @Benchmark
    public Object timedReceive() throws InterruptedException {
        if (channel == null) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(TIMEOUT_MICROS));
            return ReadStatus.EMPTY;
        }
        return channel.receive(record, TIMEOUT_MICROS, TimeUnit.MICROSECONDS);
    }
}
