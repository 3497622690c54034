package dev.tpcbridge.wfq;

import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.TestCalls;
import dev.tpcbridge.ring.OfferStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fair intake on one thread (and one blocked sender): order, admission, weights, reaping, bad input, close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairIntakeTest {
    private long ids;

    private BridgeCall<Void> call(int tenant, int length) {
        return TestCalls.call(ids++, tenant, FairIntake.BULK, length);
    }

    private BridgeCall<Void> call(int tenant, int priority, int length) {
        return TestCalls.call(ids++, tenant, priority, length);
    }

    @Test
    void servesByFinishTagAndKeepsEachTenantsOrder() {
        final FairIntake intake = FairIntake.builder().capacity(64).build();
        final List<BridgeCall<?>> a = new ArrayList<>();
        final List<BridgeCall<?>> b = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.add(call(1, 1000));
            b.add(call(2, 100));
            assertTrue(intake.tryOffer(a.get(i)).isTaken());
            assertTrue(intake.tryOffer(b.get(i)).isTaken());
        }
        assertEquals(20, intake.size());
        // b's requests cost a tenth: all ten go before a's second
        final List<BridgeCall<?>> order = new ArrayList<>();
        BridgeCall<?> next;
        while ((next = intake.poll()) != null) {
            order.add(next);
        }
        assertEquals(20, order.size());
        assertEquals(0, intake.size());
        assertTrue(order.indexOf(b.get(9)) < order.indexOf(a.get(1)), "order " + order);
        int ia = 0;
        int ib = 0;
        for (BridgeCall<?> c : order) {
            assertSame(c.tenant() == 1 ? a.get(ia++) : b.get(ib++), c);
        }
    }

    @ParameterizedTest(name = "exactOrder={0}")
    @ValueSource(booleans = {true, false})
    void exactOrderServesByTagAndTheDefaultByTagRoundedToAPowerOfTwo(boolean exact) {
        final FairIntake intake = FairIntake.builder().capacity(256).exactOrder(exact).build();
        final SplittableRandom random = new SplittableRandom(9);
        for (int t = 0; t < 100; t++) { // one call a tenant, all from V = 0, weight 1: each tag is its cost << 16
            assertTrue(intake.tryOffer(call(t, 64 + random.nextInt(64 * 1024 - 64))).isTaken());
        }
        long lastKey = 0;
        int outOfExactOrder = 0;
        int lastLength = 0;
        BridgeCall<?> c;
        while ((c = intake.poll()) != null) {
            // rounded: the tag down to the largest power of two not above the increment, which is the tag here
            final long key = exact ? c.payloadLength() : Long.highestOneBit(c.payloadLength());
            assertTrue(key >= lastKey, "call of " + c.payloadLength() + " B served after key " + lastKey);
            lastKey = key;
            outOfExactOrder += c.payloadLength() < lastLength ? 1 : 0;
            lastLength = c.payloadLength();
        }
        if (exact) {
            assertEquals(0, outOfExactOrder);
        } else {
            assertTrue(outOfExactOrder > 0, "the default order was exact: is it rounded?");
        }
    }

    @Test
    void classWeightsSplitTheBytes() {
        final FairIntake intake = FairIntake.builder().capacity(1024).build();
        final int[] priorities = {FairIntake.CRITICAL, FairIntake.STANDARD, FairIntake.BULK};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 100; i++) {
                assertTrue(intake.tryOffer(call(t, priorities[t], 4096)).isTaken());
            }
        }
        final long[] served = new long[3];
        for (int i = 0; i < 70; i++) {
            final BridgeCall<?> c = intake.poll();
            served[c.tenant()] += c.payloadLength();
            assertTrue(intake.tryOffer(call(c.tenant(), priorities[c.tenant()], 4096)).isTaken());
        }
        assertEquals(40 * 4096, served[0], "critical");
        assertEquals(20 * 4096, served[1], "standard");
        assertEquals(10 * 4096, served[2], "bulk");
    }

    @Test
    void weightsChangeAtRunTime() {
        final FairIntake intake = FairIntake.builder().capacity(256).build();
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < 50; i++) {
                intake.tryOffer(call(t, 1000));
            }
        }
        final long[] before = serve(intake, 100, 1000);
        assertEquals(50, before[0]);
        assertEquals(50, before[1]);
        intake.tenantWeight(0, 3);
        assertEquals(3, intake.weightOf(0, FairIntake.BULK));
        for (int i = 0; i < 150; i++) { // replace the queued calls, so every one carries the new weight
            final BridgeCall<?> c = intake.poll();
            intake.tryOffer(call(c.tenant(), 1000));
        }
        final long[] after = serve(intake, 400, 1000);
        assertEquals(300, after[0], 2.0, "weight 3");
        assertEquals(100, after[1], 2.0, "weight 1");
        intake.clearTenantWeight(0);
        assertEquals(1, intake.weightOf(0, FairIntake.BULK));
        intake.classWeight(FairIntake.BULK, 5);
        assertEquals(5, intake.weightOf(0, FairIntake.BULK));
        assertEquals(4, intake.weightOf(9, FairIntake.CRITICAL + 7));
    }

    /** Serves {@code n} calls, re-offering each tenant's call so that all stay backlogged; counts per tenant. */
    private long[] serve(FairIntake intake, int n, int length) {
        final long[] counts = new long[4];
        for (int i = 0; i < n; i++) {
            final BridgeCall<?> c = intake.poll();
            counts[c.tenant()]++;
            assertTrue(intake.tryOffer(call(c.tenant(), c.priority(), length)).isTaken());
        }
        return counts;
    }

    @Test
    void aLoneTenantUsesIdleCapacityButCannotLockALaterOneOut() {
        final FairIntake intake = FairIntake.builder().capacity(100).reserve(10).build();
        int taken = 0;
        Admission last;
        while ((last = intake.tryOffer(call(1, 64))).isTaken()) {
            taken++;
        }
        assertEquals(Admission.SUSPENDED, last);
        // alone, it may hold 95 % of the elastic part (90): well above a fair half, never the reserve
        assertEquals(86, taken); // depth 85 < 85.5, 86 >= 85.5 = 0.95 * 90
        assertEquals(PressureState.SUSPENDED, intake.tenantState(1));
        // a second tenant gets in at once, and its share (half) is admitted as the first drains
        assertEquals(Admission.ACCEPTED, intake.tryOffer(call(2, 64)));
        assertEquals(Admission.SUSPENDED, intake.tryOffer(call(1, 64)), "the first is over its new share");
        int second = 1;
        for (int i = 0; i < 200; i++) {
            final BridgeCall<?> c = intake.poll();
            assertTrue(c != null);
            if (intake.tryOffer(call(2, 64)).isTaken()) {
                second++;
            }
        }
        assertTrue(second >= 40, "the later tenant got only " + second);
    }

    @Test
    void throttleAndSuspendWithHysteresis() {
        final FairIntake intake = FairIntake.builder().capacity(101).reserve(1).build(); // share 100 when alone
        final List<Admission> outcomes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            outcomes.add(intake.tryOffer(call(3, 64)));
        }
        // depth after each: 1..84 accepted, 85..95 throttled (>= 85 %), then the one at 95 suspends it
        assertEquals(Admission.ACCEPTED, outcomes.get(83));
        assertEquals(Admission.THROTTLED, outcomes.get(84));
        assertEquals(Admission.THROTTLED, outcomes.get(94), "taken, and now suspended");
        assertEquals(Admission.SUSPENDED, outcomes.get(95));
        assertEquals(95, intake.size());
        final long[] events = events(intake, 3);
        assertEquals(1, events[0], "throttle events");
        assertEquals(1, events[1], "suspend events");
        assertTrue(events[2] >= 5, "refusals counted");
        // below 95 % but not below 85 %: still suspended
        for (int i = 0; i < 6; i++) {
            intake.poll(); // depth 89
        }
        assertEquals(Admission.SUSPENDED, intake.tryOffer(call(3, 64)));
        for (int i = 0; i < 5; i++) {
            intake.poll(); // depth 84 < 85: suspended exits to throttled
        }
        assertEquals(PressureState.THROTTLED, intake.tenantState(3));
        assertEquals(Admission.THROTTLED, intake.tryOffer(call(3, 64)));
        while (intake.size() > 74) {
            intake.poll(); // 74 < 75: normal
        }
        assertEquals(PressureState.NORMAL, intake.tenantState(3));
        assertEquals(Admission.ACCEPTED, intake.tryOffer(call(3, 64)));
        assertEquals(1, events(intake, 3)[1], "one suspension");
    }

    private static long[] events(FairIntake intake, int tenant) {
        final long[] out = new long[3];
        intake.forEachTenant((id, depth, served, bytes, throttles, suspends, refused, state) -> {
            if (id == tenant) {
                out[0] = throttles;
                out[1] = suspends;
                out[2] = refused;
            }
        });
        return out;
    }

    @Test
    void fullIntakeRefusesAndTheOfferContractMaps() {
        final FairIntake intake = FairIntake.builder().capacity(4).reserve(1).build();
        int ok = 0;
        for (int t = 0; t < 10; t++) {
            final OfferStatus s = intake.offer(call(t, 64));
            if (s == OfferStatus.OK) {
                ok++;
            } else {
                assertEquals(OfferStatus.FULL, s);
            }
        }
        assertEquals(4, ok);
        assertEquals(Admission.FULL, intake.tryOffer(call(99, 64)));
        assertTrue(intake.tenantCount() <= 5, "no record kept for tenants refused FULL: " + intake.tenantCount());
    }

    @Test
    void metricsEnumerateEveryTenant() {
        final FairIntake intake = FairIntake.builder().capacity(64).build();
        for (int t = 0; t < 5; t++) {
            for (int i = 0; i <= t; i++) {
                intake.tryOffer(call(t, 100 * (t + 1)));
            }
        }
        for (int i = 0; i < 5; i++) {
            intake.poll();
        }
        final AtomicLong depth = new AtomicLong();
        final AtomicLong served = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final int n = intake.forEachTenant((id, d, s, b, th, su, re, st) -> {
            depth.addAndGet(d);
            served.addAndGet(s);
            bytes.addAndGet(b);
            assertEquals(b, s * 100L * (id + 1));
        });
        assertEquals(5, n);
        assertEquals(10, depth.get());
        assertEquals(5, served.get());
        assertEquals(intake.size(), depth.get());
    }

    @Test
    void aHundredThousandTenantsComeAndGoAndMemoryReturnsToABound() {
        final FairIntake intake = FairIntake.builder().capacity(1024).maxIdleTenants(64).build();
        int peakTable = 0;
        for (int round = 0; round < 100; round++) {
            for (int t = 0; t < 1000; t++) {
                assertTrue(intake.tryOffer(call(round * 1000 + t, 64)).isTaken());
            }
            peakTable = Math.max(peakTable, intake.tableLength());
            while (intake.poll() != null) {
                // every tenant goes idle; the oldest beyond 64 are reaped
            }
            assertTrue(intake.tenantCount() <= 64, "tenants kept " + intake.tenantCount());
        }
        assertTrue(intake.tableLength() <= 256, "table of " + intake.tableLength() + " slots for <= 64 tenants");
        assertTrue(peakTable >= 2048, "the table grew under load: " + peakTable);
        // a reaped tenant comes back as a new one, and its own weight is remembered
        intake.tenantWeight(5, 7);
        assertTrue(intake.tryOffer(call(5, 64)).isTaken());
        assertEquals(7, intake.weightOf(5, 0));
        assertEquals(5, intake.poll().tenant());
    }

    @Test
    void badInputIsRejectedWithTheValueNamed() {
        final FairIntake intake = FairIntake.builder().capacity(8).build();
        assertMessage("call=null", () -> intake.tryOffer(null));
        assertMessage("weight=0", () -> intake.tenantWeight(1, 0));
        assertMessage("weight=-3", () -> intake.tenantWeight(1, -3));
        assertMessage("weight=65537", () -> intake.tenantWeight(1, 65537));
        assertMessage("weight=0", () -> intake.classWeight(FairIntake.BULK, 0));
        assertMessage("priorityClass=3", () -> intake.classWeight(3, 1));
        assertMessage("tenant=-1", () -> intake.tenantWeight(-1, 1));
        assertMessage("tenant=-2", () -> intake.tenantState(-2));
        assertMessage("handler=null", () -> intake.forEachTenant(null));
        assertMessage("capacity=1", () -> FairIntake.builder().capacity(1));
        assertMessage("capacity=131073", () -> FairIntake.builder().capacity(131073));
        assertMessage("reserve=0", () -> FairIntake.builder().reserve(0));
        assertMessage("reserve=8", () -> FairIntake.builder().capacity(8).reserve(8).build());
        assertMessage("maxIdleTenants=-1", () -> FairIntake.builder().maxIdleTenants(-1));
        assertMessage("cost=null", () -> FairIntake.builder().cost(null));
        assertMessage("weight=0", () -> FairIntake.builder().classWeight(FairIntake.CRITICAL, 0));
        final FairIntake negative = FairIntake.builder().capacity(8).cost(c -> -5).build();
        assertMessage("cost=-5", () -> negative.tryOffer(call(1, 64)));
        final FairIntake zero = FairIntake.builder().capacity(8).cost(c -> 0).build();
        assertMessage("cost=0", () -> zero.offer(call(1, 64)));
        final FairIntake absurd = FairIntake.builder().capacity(8).cost(c -> Long.MAX_VALUE).build();
        assertMessage("cost=" + Long.MAX_VALUE, () -> absurd.tryOffer(call(1, 64)));
        assertEquals(0, negative.size());
        assertEquals(0, absurd.tenantCount());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' names " + expected);
    }

    @Test
    void closeRefusesWakesAndStillDrains() throws Exception {
        final FairIntake intake = FairIntake.builder().capacity(8).reserve(1).build();
        while (intake.tryOffer(call(1, 64)).isTaken()) {
            // suspended at 95 % of 7
        }
        final BridgeCall<Void> blocked = call(1, 64);
        final CompletableFuture<OfferStatus> sent = new CompletableFuture<>();
        final Thread sender = new Thread(() -> {
            try {
                sent.complete(intake.send(blocked, Long.MAX_VALUE, TimeUnit.NANOSECONDS));
            } catch (Throwable t) {
                sent.completeExceptionally(t);
            }
        });
        sender.start();
        while (sender.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // parked on writable()
        }
        assertFalse(sent.isDone());
        intake.close();
        assertEquals(OfferStatus.CLOSED, sent.get(10, TimeUnit.SECONDS));
        assertEquals(Admission.CLOSED, intake.tryOffer(call(2, 64)));
        int drained = 0;
        while (intake.poll() != null) {
            drained++;
        }
        assertEquals(7, drained);
        assertTrue(intake.isClosedForPoll());
        intake.close(); // idempotent
    }

    @Test
    void aBlockedSenderGetsInOnceItsTenantIsServed() throws Exception {
        final FairIntake intake = FairIntake.builder().capacity(8).reserve(1).build();
        while (intake.tryOffer(call(1, 64)).isTaken()) {
            // suspended
        }
        final BridgeCall<Void> blocked = call(1, 64);
        final CompletableFuture<OfferStatus> sent = new CompletableFuture<>();
        final Thread sender = new Thread(() -> {
            try {
                sent.complete(intake.send(blocked, 10, TimeUnit.SECONDS));
            } catch (Throwable t) {
                sent.completeExceptionally(t);
            }
        });
        sender.start();
        while (sender.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < 7; i++) {
            intake.poll();
        }
        assertEquals(OfferStatus.OK, sent.get(10, TimeUnit.SECONDS));
        assertSame(blocked, intake.poll());
    }

    @Test
    void aTimedSendGivesUpOnTheInjectedClockAndKeepsTheCall() throws Exception {
        final long[] now = {0};
        final FairIntake intake = FairIntake.builder().capacity(2).reserve(1).nanoClock(() -> now[0]++).build();
        assertTrue(intake.tryOffer(call(1, 64)).isTaken());
        assertEquals(OfferStatus.FULL, intake.send(call(1, 64), 0, TimeUnit.NANOSECONDS));
        assertEquals(OfferStatus.FULL, intake.send(call(1, 64), 50, TimeUnit.NANOSECONDS));
        assertEquals(1, intake.size());
    }

    @Test
    void readableHoldsWhileCallsAreQueued() {
        final FairIntake intake = FairIntake.builder().capacity(8).build();
        final AtomicLong woken = new AtomicLong();
        final dev.tpcbridge.wake.Waker waker = woken::incrementAndGet;
        assertTrue(intake.readable().arm(waker), "empty: armed");
        intake.tryOffer(call(1, 64));
        assertEquals(1, woken.get(), "the first call wakes the poll thread");
        intake.tryOffer(call(2, 64));
        assertSame(1, intake.poll().tenant());
        assertFalse(intake.readable().arm(waker), "a call is queued: do not sleep");
        intake.poll();
        assertNull(intake.poll());
        assertTrue(intake.readable().arm(waker));
        intake.readable().disarm(waker);
    }
}
