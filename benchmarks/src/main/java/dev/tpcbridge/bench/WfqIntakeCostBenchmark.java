package dev.tpcbridge.bench;

import dev.tpcbridge.bench.wfq.Calls;
import dev.tpcbridge.bench.wfq.RandomOrderIntake;
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
 * {@link FairIntake} (SCFQ, a radix heap of active tenants, per-tenant admission) in its default, rounded order,
 * {@code fairExact} the same in exact order ({@code FairIntakeBuilder.exactOrder}), {@code fifo} is
 * {@code Intake.fifo} (no fairness: the floor), {@code seedDrr} the reference design's item-count round robin
 * ({@link SeedDrrIntake}), {@code randomOrder} the memory's floor for a per-tenant order ({@link RandomOrderIntake}:
 * each request's call, its tenant's record by id and its slot, taken in random order, with no scheduling work and no
 * atomic instruction); {@code randomOrderAtomic} the same with one atomic add per offer, the least a many-producer
 * intake pays. {@code sizes=mixed}: sizes 64 B to 64 KiB and priorities mixed, so the fair intake's weights and tags
 * vary, and its order over the tenants is as good as random (each request touches a tenant's state that no prefetcher
 * could guess); {@code sizes=equal}: every request 1 KiB at one priority, so fair order is round robin in the order
 * the tenants came (the same work, in an order the caches can follow). The gap between the two is not the memory's
 * alone: the floor peers show a random order costs the fair intake's own work more
 * ({@code benchmarks/results/wfq-2026-12-07/floor}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WfqIntakeCostBenchmark {
    /** The implementation under test. */
    @Param({"fair", "fairExact", "fifo", "seedDrr", "randomOrder", "randomOrderAtomic"})
    public String impl;

    /** Request sizes and priorities: {@code mixed} or {@code equal} (see the class comment). */
    @Param({"mixed", "equal"})
    public String sizes;

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
            case "fairExact":
                intake = FairIntake.builder().capacity(capacity).exactOrder(true).build();
                break;
            case "fifo":
                intake = Intake.fifo(capacity);
                break;
            case "seedDrr":
                intake = new SeedDrrIntake(capacity);
                break;
            case "randomOrder":
                intake = new RandomOrderIntake(capacity, false);
                break;
            case "randomOrderAtomic":
                intake = new RandomOrderIntake(capacity, true);
                break;
            default:
                throw new IllegalArgumentException("impl=" + impl);
        }
        final boolean mixed = switch (sizes) {
            case "mixed" -> true;
            case "equal" -> false;
            default -> throw new IllegalArgumentException("sizes=" + sizes + " must be mixed or equal");
        };
        final BridgeCall<?>[] calls = Calls.make(tenants, (i, request) -> request.tenant(i)
            .priority(mixed ? i % 3 : FairIntake.STANDARD)
            .payload(Calls.BYTES, 0, mixed ? 64 + (int) ((i * 2654435761L) % (64 * 1024 - 64)) : 1024));
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
