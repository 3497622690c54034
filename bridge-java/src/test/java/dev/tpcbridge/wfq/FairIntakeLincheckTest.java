package dev.tpcbridge.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.TestCalls;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Linearizability of the fair intake's concurrent part, with Lincheck's model checking and stress strategies: offers
 * from every thread (admission CASes, the tenant table, a tenant's first call under the lock), polls on one thread
 * (the scheduler, the depth's release, reaping), close from any thread. The intake reaps every tenant as soon as it is
 * idle ({@code maxIdleTenants(0)}), so admissions race reaps (the depth's {@code 0 -> DEAD} CAS) in most scenarios.
 * Against the intake itself run sequentially: a lost, duplicated or misordered call, or an offer that joins a reaped
 * record (its call never polled), fails the check.
 *
 * <p>The shares are wide here (capacity 64), so no offer is throttled or refused for its share: the bands read the
 * active weight without a snapshot, and an offer racing a tenant's last poll may see either side of it, which is by
 * design not linearizable ({@code FairIntakeConcurrentTest} checks the accounting under that race). {@code size()} is
 * a hint and left out. {@link FairIntakeLincheckStressTest} runs larger checks under {@code -Pstress}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FairIntakeLincheckTest {
    @Param(name = "tenant", gen = IntGen.class, conf = "0:2")
    @Param(name = "size", gen = IntGen.class, conf = "1:3")
    public static class Model {
        private final FairIntake intake = FairIntake.builder().capacity(64).reserve(1).maxIdleTenants(0).build();

        @Operation
        public Admission offer(@Param(name = "tenant") int tenant, @Param(name = "size") int size) {
            return intake.tryOffer(TestCalls.call(tenant * 10L + size, tenant, FairIntake.BULK, size));
        }

        @Operation(nonParallelGroup = "consumer")
        public long poll() {
            final BridgeCall<?> call = intake.poll();
            return call == null ? -1 : call.id();
        }

        @Operation(nonParallelGroup = "consumer")
        public boolean isClosedForPoll() {
            return intake.isClosedForPoll();
        }

        @Operation
        public void close() {
            intake.close();
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2);
    }

    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 3, 40).check(Model.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 3, 200).check(Model.class);
    }
}
