package dev.tpcbridge.bench;

import dev.tpcbridge.bench.wfq.Calls;
import dev.tpcbridge.bench.wfq.SeedDrrIntake;
import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wfq.FairIntake;
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
 * The cost of one request through an intake on one thread (ns/op): a poll (dequeue) and the offer (enqueue) of the
 * same call back, with {@code tenants} tenants each holding one call, so every tenant stays active. {@code fair} is
 * {@link FairIntake} (SCFQ, a heap of active tenants, per-tenant admission), {@code fifo} is {@code Intake.fifo} (no
 * fairness: the floor), {@code seedDrr} the reference design's item-count round robin ({@link SeedDrrIntake}). Sizes
 * are mixed 64 B to 64 KiB, priorities mixed, so the fair intake's weights and tags vary.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WfqIntakeCostBenchmark {
    /** The implementation under test. */
    @Param({"fair", "fifo", "seedDrr"})
    public String impl;

    /** Active tenants. */
    @Param({"10", "1000", "10000", "100000"})
    public int tenants;

    private Intake intake;

    /** Makes the intake and fills it with one call per tenant. */
    @Setup
    public void setUp() {
        final int capacity = Math.min(FairIntake.MAX_CAPACITY, Math.max(64, 4 * tenants));
        switch (impl) {
            case "fair":
                intake = FairIntake.builder().capacity(capacity).build();
                break;
            case "fifo":
                intake = Intake.fifo(capacity);
                break;
            case "seedDrr":
                intake = new SeedDrrIntake(capacity);
                break;
            default:
                throw new IllegalArgumentException("impl=" + impl);
        }
        final BridgeCall<?>[] calls = Calls.make(tenants, (i, request) -> request.tenant(i).priority(i % 3)
            .payload(Calls.BYTES, 0, 64 + (int) ((i * 2654435761L) % (64 * 1024 - 64))));
        for (BridgeCall<?> call : calls) {
            if (intake.offer(call) != OfferStatus.OK) {
                throw new IllegalStateException(impl + " refused tenant " + call.tenant() + " of " + tenants);
            }
        }
    }

    /**
     * One dequeue and the enqueue of the same call.
     *
     * @return the enqueue's outcome, so that nothing is optimised away
     */
    @Benchmark
    public OfferStatus pollThenOffer() {
        return intake.offer(intake.poll());
    }
}
