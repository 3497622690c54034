package dev.tpcbridge.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.TestCalls;
import dev.tpcbridge.ring.ElementHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state allocates nothing: offer and poll (and drain) of known tenants, 1,000 of them backlogged, measured
 * with {@code ThreadMXBean#getThreadAllocatedBytes} around a loop on this thread after a warm-up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairIntakeAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int TENANTS = 1000;

    private final BridgeCall<?>[] calls = new BridgeCall<?>[4 * TENANTS];
    private final BridgeCall<?>[] drained = new BridgeCall<?>[4];
    private int drainedCount;
    private long sink;
    private final ElementHandler<BridgeCall<?>> handler = call -> drained[drainedCount++] = call;

    @Test
    void offerAndPollAllocateNothing() {
        final FairIntake intake = FairIntake.builder().capacity(16_384).build();
        for (int i = 0; i < calls.length; i++) {
            calls[i] = TestCalls.call(i, i % TENANTS, i % 3, 64 + (i * 37) % 65_000);
        }
        for (int i = 0; i < 2 * TENANTS; i++) {
            assertTrue(intake.tryOffer(calls[i]).isTaken()); // two backlogged per tenant
        }
        for (int i = 0; i < 5; i++) {
            loop(intake, 50_000);
        }
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
            final long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            loop(intake, 50_000);
            final long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before);
        }
        assertEquals(0, least, "bytes allocated by 50 000 rounds of offer, poll, drain");
    }

    private Object kept;

    /** The control: the measurement does see allocation, so the test above can fail. */
    @Test
    void theMeasurementSeesAllocation() {
        final long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1_000; i++) {
            kept = new byte[64 + (i & 7)];
        }
        final long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        assertTrue(after - before >= 64_000, "saw " + (after - before) + " bytes");
    }

    /** Each round: poll one call and offer it again; every 8th, drain 4 and offer those again. */
    private void loop(FairIntake intake, int rounds) {
        for (int i = 0; i < rounds; i++) {
            final BridgeCall<?> call = intake.poll();
            sink += intake.tryOffer(call).ordinal();
            if ((i & 7) == 0) {
                drainedCount = 0;
                final int n = intake.drain(handler, 4);
                for (int k = 0; k < n; k++) {
                    sink += intake.tryOffer(drained[k]).ordinal();
                }
            }
        }
    }
}
