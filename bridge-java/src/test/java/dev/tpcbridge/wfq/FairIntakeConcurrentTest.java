package dev.tpcbridge.wfq;

import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.TestCalls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many callers, one poll thread, a small intake: every call offered until taken is polled exactly once, each
 * caller's calls of a tenant in order; afterwards the size, every depth and the active weight are back to 0. With
 * {@code maxIdleTenants(0)} every tenant is reaped as soon as it is idle, so admissions race reaps all along; with
 * shares that bind, admissions race the bands.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairIntakeConcurrentTest {
    private static final int CALLERS = 4;
    private static final int TENANTS = 6;
    private static final int PER_CALLER = 10_000;

    @ParameterizedTest
    @ValueSource(ints = {0, 1024})
    void everyCallOnceInOrderAndTheAccountingReturnsToZero(int maxIdle) throws Exception {
        final FairIntake intake = FairIntake.builder().capacity(32).reserve(2).maxIdleTenants(maxIdle).build();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            final int caller = c;
            final Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < PER_CALLER; i++) {
                        final int tenant = (i * 7 + caller) % TENANTS;
                        final BridgeCall<Void> call = TestCalls.call((long) caller << 32 | i, tenant, tenant % 3,
                            64 + (i % 5) * 1000);
                        Admission admission;
                        while (!(admission = intake.tryOffer(call)).isTaken()) {
                            assertTrue(admission == Admission.SUSPENDED || admission == Admission.FULL, "" + admission);
                            Thread.yield();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "caller-" + c);
            callers.add(thread);
            thread.start();
        }
        final int[][] last = new int[CALLERS][TENANTS];
        for (int[] row : last) {
            java.util.Arrays.fill(row, -1);
        }
        long polled = 0;
        final long total = (long) CALLERS * PER_CALLER;
        while (polled < total && failure.get() == null) {
            final BridgeCall<?> call = intake.poll();
            if (call == null) {
                Thread.onSpinWait();
                continue;
            }
            final int caller = (int) (call.id() >>> 32);
            final int seq = (int) call.id();
            assertTrue(seq > last[caller][call.tenant()], "caller " + caller + " tenant " + call.tenant() + ": " + seq
                + " after " + last[caller][call.tenant()]);
            last[caller][call.tenant()] = seq;
            polled++;
        }
        for (Thread t : callers) {
            t.join(10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(total, polled);
        assertNull(intake.poll());
        assertEquals(0, intake.size());
        assertEquals(0, intake.activeWeight());
        final long[] served = {0};
        intake.forEachTenant((id, depth, s, bytes, throttles, suspends, refused, state) -> {
            assertEquals(0, depth, "tenant " + id);
            served[0] += s;
        });
        if (maxIdle > 0) {
            assertEquals(total, served[0], "nothing reaped: every call counted once");
            for (int t = 0; t < TENANTS; t++) {
                assertEquals(PressureState.NORMAL, intake.tenantState(t));
            }
        } else {
            assertEquals(0, intake.tenantCount(), "every idle tenant reaped");
        }
    }
}
