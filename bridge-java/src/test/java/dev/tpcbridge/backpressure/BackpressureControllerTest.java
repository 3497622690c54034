package dev.tpcbridge.backpressure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.tpcbridge.backpressure.PressureState.NORMAL;
import static dev.tpcbridge.backpressure.PressureState.SUSPENDED;
import static dev.tpcbridge.backpressure.PressureState.THROTTLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-threaded behaviour of {@link BackpressureController}: every transition edge at its exact threshold, the
 * integer thresholds, validation, counters and listeners, and the three defects of the seed design, each by name.
 * With the defaults and capacity 100 the thresholds are sizes 85 (enter throttle), 75 (exit throttle), 95 (enter
 * suspend) and 85 (exit suspend).
 */
class BackpressureControllerTest {
    private static final BackpressureConfig DEFAULTS = BackpressureConfig.defaults();

    private static BackpressureController controller(int capacity) {
        return BackpressureController.create(DEFAULTS, capacity);
    }

    /** A capacity-100 controller brought to {@code state} by the updates a filling buffer makes. */
    private static BackpressureController controllerIn(PressureState state) {
        BackpressureController c = controller(100);
        if (state == THROTTLED) {
            assertTrue(c.update(90));
        } else if (state == SUSPENDED) {
            assertTrue(c.update(100));
        }
        assertSame(state, c.pressure());
        return c;
    }

    private static void assertStays(BackpressureController c, int size) {
        PressureState before = c.pressure();
        assertFalse(c.update(size), "size=" + size + " must leave " + before + " alone");
        assertSame(before, c.pressure(), "size=" + size);
    }

    private static void assertMoves(BackpressureController c, int size, PressureState to) {
        PressureState before = c.pressure();
        assertTrue(c.update(size), "size=" + size + " must move " + before + " to " + to);
        assertSame(to, c.pressure(), "size=" + size + " from " + before);
    }

    // ---------------------------------------------------------------- every edge at its exact threshold

    @Test
    void startsNormal() {
        BackpressureController c = controller(100);
        assertSame(NORMAL, c.pressure());
        assertFalse(c.shouldThrottle());
        assertFalse(c.shouldSuspend());
        assertEquals(0, c.transitions());
    }

    @Test
    void normalEntersThrottledAtEightyFivePercentNotBelow() {
        BackpressureController c = controller(10_000);
        assertStays(c, 0);
        assertStays(c, 8_499); // 84.99%
        assertMoves(c, 8_500, THROTTLED); // 85%
        assertTrue(c.shouldThrottle());
        assertFalse(c.shouldSuspend());

        BackpressureController hundred = controller(100);
        assertStays(hundred, 84);
        assertMoves(hundred, 85, THROTTLED);
    }

    @Test
    void throttledStaysDownToSeventyFivePercentAndLeavesBelowIt() {
        BackpressureController c = controllerIn(THROTTLED);
        assertStays(c, 94);
        assertStays(c, 85);
        assertStays(c, 80); // inside the hysteresis band: no flapping back to NORMAL
        assertStays(c, 75); // exactly exitThrottle: still throttled
        assertMoves(c, 74, NORMAL); // below it
        assertFalse(c.shouldThrottle());

        BackpressureController fine = BackpressureController.create(DEFAULTS, 10_000);
        assertMoves(fine, 8_500, THROTTLED);
        assertStays(fine, 7_500);
        assertMoves(fine, 7_499, NORMAL); // 74.99%
    }

    @Test
    void throttledEntersSuspendedAtNinetyFivePercent() {
        BackpressureController c = controllerIn(THROTTLED);
        assertStays(c, 94);
        assertMoves(c, 95, SUSPENDED);
        assertTrue(c.shouldSuspend());
        assertTrue(c.shouldThrottle(), "suspended implies throttled");
    }

    @Test
    void normalJumpsStraightToSuspendedAtNinetyFivePercent() {
        BackpressureController c = controller(100);
        assertMoves(c, 95, SUSPENDED);
        assertEquals(1, c.transitions());
        assertEquals(0, c.transitionsTo(THROTTLED), "no stop on the way");

        BackpressureController below = controller(100);
        assertMoves(below, 94, THROTTLED);
    }

    @Test
    void suspendedStaysDownToEightyFivePercentAndBecomesThrottledBelowIt() {
        BackpressureController c = controllerIn(SUSPENDED);
        assertStays(c, 100);
        assertStays(c, 95);
        assertStays(c, 90);
        assertStays(c, 85); // exactly exitSuspend: still suspended
        assertMoves(c, 84, THROTTLED);

        BackpressureController lowest = controllerIn(SUSPENDED);
        assertMoves(lowest, 75, THROTTLED); // the lowest size that is throttled, not normal
    }

    @Test
    void suspendedDropsStraightToNormalBelowSeventyFivePercent() {
        BackpressureController c = controllerIn(SUSPENDED);
        assertMoves(c, 74, NORMAL);
        assertEquals(0, c.transitionsTo(THROTTLED), "no stop on the way");

        BackpressureController empty = controllerIn(SUSPENDED);
        assertMoves(empty, 0, NORMAL);
    }

    @Test
    void everySizeFromEveryStateMatchesAnIndependentModelAndIsAFixedPoint() {
        BackpressureConfig spread = BackpressureConfig.builder()
            .enterThrottle(0.5).exitThrottle(0.3).enterSuspend(0.8).exitSuspend(0.6).build();
        for (BackpressureConfig config : List.of(DEFAULTS, spread)) {
            for (int capacity : new int[] {1, 2, 3, 7, 10, 100}) {
                for (PressureState start : PressureState.values()) {
                    for (int size = 0; size <= capacity; size++) {
                        BackpressureController c = BackpressureController.create(config, capacity);
                        if (!reach(c, start)) {
                            continue; // e.g. THROTTLED has no size at capacity 3 with the defaults
                        }
                        PressureState expected = model(config, start, (double) size / capacity);
                        String where = config + " capacity=" + capacity + " from=" + start + " size=" + size;
                        assertEquals(expected != start, c.update(size), where);
                        assertSame(expected, c.pressure(), where);
                        assertFalse(c.update(size), "a second update with the same size changes nothing: " + where);
                    }
                }
            }
        }
    }

    /** Brings a fresh controller to {@code state}, if some size leads there; false if none does. */
    private static boolean reach(BackpressureController c, PressureState state) {
        int capacity = c.capacity();
        if (state == NORMAL) {
            return true;
        }
        c.update(capacity); // every enterSuspend <= 1: a full buffer is always SUSPENDED
        for (int size = capacity; size >= 0 && c.pressure() != state; size--) {
            c.update(size);
        }
        return c.pressure() == state;
    }

    /** The transition table, written from the specification, on utilisations. */
    static PressureState model(BackpressureConfig k, PressureState from, double u) {
        switch (from) {
            case NORMAL:
                return u >= k.enterSuspend() ? SUSPENDED : u >= k.enterThrottle() ? THROTTLED : NORMAL;
            case THROTTLED:
                if (u >= k.enterSuspend()) {
                    return SUSPENDED;
                }
                return u < k.exitThrottle() ? NORMAL : THROTTLED;
            default:
                if (u < k.exitThrottle()) {
                    return NORMAL;
                }
                return u < k.exitSuspend() ? THROTTLED : SUSPENDED;
        }
    }

    // ---------------------------------------------------------------- update(double)

    @Test
    void updateWithAUtilisationUsesTheSameEdges() {
        BackpressureController c = controller(100);
        assertFalse(c.update(Math.nextDown(0.85)));
        assertFalse(c.update(0.8499));
        assertTrue(c.update(0.85));
        assertSame(THROTTLED, c.pressure());
        assertFalse(c.update(0.75));
        assertTrue(c.update(Math.nextDown(0.75)));
        assertSame(NORMAL, c.pressure());
        assertTrue(c.update(0.95));
        assertSame(SUSPENDED, c.pressure());
        assertFalse(c.update(0.85));
        assertTrue(c.update(0.8499));
        assertSame(THROTTLED, c.pressure());
        assertTrue(c.update(1.0));
        assertTrue(c.update(0.0));
        assertSame(NORMAL, c.pressure());
    }

    @Test
    void updateWithAUtilisationAgreesWithUpdateWithASize() {
        for (int capacity = 1; capacity <= 64; capacity++) {
            for (PressureState start : PressureState.values()) {
                for (int size = 0; size <= capacity; size++) {
                    BackpressureController bySize = controller(capacity);
                    BackpressureController byUtilisation = controller(capacity);
                    if (!reach(bySize, start) || !reach(byUtilisation, start)) {
                        continue;
                    }
                    String where = "capacity=" + capacity + " from=" + start + " size=" + size;
                    assertEquals(bySize.update(size), byUtilisation.update((double) size / capacity), where);
                    assertSame(bySize.pressure(), byUtilisation.pressure(), where);
                }
            }
        }
    }

    @Test
    void updateWithAUtilisationRejectsNaNAndOutOfRangeNamingTheValue() {
        BackpressureController c = controllerIn(THROTTLED);
        assertRejected("utilization=NaN must be in [0, 1]", () -> c.update(Double.NaN));
        assertRejected("utilization=-0.1 must be in [0, 1]", () -> c.update(-0.1));
        assertRejected("utilization=1.1 must be in [0, 1]", () -> c.update(1.1));
        assertRejected("utilization=Infinity must be in [0, 1]", () -> c.update(Double.POSITIVE_INFINITY));
        assertSame(THROTTLED, c.pressure(), "a rejected update changes nothing");
        assertEquals(1, c.transitions());
    }

    @Test
    void updateWithASizeRejectsOutOfRangeNamingTheValue() {
        BackpressureController c = controllerIn(THROTTLED);
        assertRejected("size=-1 must be in [0, capacity=100]", () -> c.update(-1));
        assertRejected("size=101 must be in [0, capacity=100]", () -> c.update(101));
        assertRejected("size=-2147483648 must be in [0, capacity=100]", () -> c.update(Integer.MIN_VALUE));
        assertRejected("size=2147483647 must be in [0, capacity=100]", () -> c.update(Integer.MAX_VALUE));
        assertSame(THROTTLED, c.pressure(), "a rejected update changes nothing");
        assertEquals(1, c.transitions());
    }

    // ---------------------------------------------------------------- integer thresholds

    @Test
    void integerThresholdsAtSmallCapacities() {
        // capacity 1: every watermark above 0 needs the one slot filled.
        assertEquals(1, BackpressureController.threshold(0.85, 1));
        assertEquals(1, BackpressureController.threshold(0.75, 1));
        assertEquals(0, BackpressureController.threshold(0.0, 1));
        assertEquals(1, BackpressureController.threshold(1.0, 1));
        // capacity 3: 2/3 < 0.75, so all four defaults collapse to size 3.
        for (double f : new double[] {0.85, 0.75, 0.95}) {
            assertEquals(3, BackpressureController.threshold(f, 3), "f=" + f);
        }
        assertEquals(2, BackpressureController.threshold(2.0 / 3, 3));
        assertEquals(3, BackpressureController.threshold(Math.nextUp(2.0 / 3), 3));
        // capacity 7: 6/7 = 0.857 >= 0.85 and >= 0.75, 5/7 = 0.714 < 0.75; 7/7 is the first >= 0.95.
        assertEquals(6, BackpressureController.threshold(0.85, 7));
        assertEquals(6, BackpressureController.threshold(0.75, 7));
        assertEquals(7, BackpressureController.threshold(0.95, 7));
        // capacity 100: the percentages themselves.
        assertEquals(85, BackpressureController.threshold(0.85, 100));
        assertEquals(75, BackpressureController.threshold(0.75, 100));
        assertEquals(95, BackpressureController.threshold(0.95, 100));
        // 0.55 * 100 == 55.00000000000001 in doubles: Math.ceil would say 56, but 55 / 100.0 == 0.55.
        assertEquals(55, BackpressureController.threshold(0.55, 100));
    }

    @Test
    void integerThresholdsAtTheExtremes() {
        for (int capacity : new int[] {1, 3, 7, 100, 1 << 30, Integer.MAX_VALUE}) {
            assertEquals(0, BackpressureController.threshold(0.0, capacity), "capacity=" + capacity);
            assertEquals(capacity, BackpressureController.threshold(1.0, capacity), "capacity=" + capacity);
            assertEquals(capacity, BackpressureController.threshold(Math.nextDown(1.0), capacity),
                "1 - 2^-53 needs the buffer full below 2^53 slots: capacity=" + capacity);
            assertEquals(1, BackpressureController.threshold(Double.MIN_VALUE, capacity), "capacity=" + capacity);
        }
    }

    @Test
    void integerThresholdsAtTwoToTheThirtyMatchExactArithmetic() {
        int capacity = 1 << 30; // division by a power of two is exact, so ceil(f * c) in exact decimals is the answer
        for (double f : new double[] {0.85, 0.75, 0.95, 0.5, 0.1, 1.0 / 3, Math.nextUp(0.5), Math.nextDown(0.5)}) {
            int expected = new BigDecimal(f).multiply(BigDecimal.valueOf(capacity))
                .setScale(0, RoundingMode.CEILING).intValueExact();
            assertEquals(expected, BackpressureController.threshold(f, capacity), "f=" + f);
        }
        assertEquals(912_680_551, BackpressureController.threshold(0.85, capacity));
        assertEquals(805_306_368, BackpressureController.threshold(0.75, capacity));

        BackpressureController c = controller(capacity);
        assertStays(c, 912_680_550);
        assertMoves(c, 912_680_551, THROTTLED);
        assertStays(c, 805_306_368);
        assertMoves(c, 805_306_367, NORMAL);
        assertMoves(c, capacity, SUSPENDED);
    }

    @Test
    void integerThresholdIsTheLeastSizeWhoseUtilisationReachesTheWatermark() {
        double[] fractions = {0.0, 0.05, 0.1, 0.25, 1.0 / 3, 0.5, 0.55, 2.0 / 3, 0.75, 0.85, 0.95, 0.999,
            Math.nextDown(0.85), Math.nextUp(0.85), 1.0};
        for (int capacity = 1; capacity <= 300; capacity++) {
            for (double f : fractions) {
                int t = BackpressureController.threshold(f, capacity);
                String where = "f=" + f + " capacity=" + capacity + " threshold=" + t;
                assertTrue(t >= 0 && t <= capacity, where);
                assertTrue((double) t / capacity >= f, where);
                assertTrue(t == 0 || (double) (t - 1) / capacity < f, where);
            }
        }
    }

    @Test
    void capacityOneMovesBetweenNormalAndSuspendedOnly() {
        BackpressureController c = controller(1);
        assertMoves(c, 1, SUSPENDED); // 100% >= 95%: a direct jump
        assertMoves(c, 0, NORMAL); // 0% < 75%: straight down
        assertEquals(0, c.transitionsTo(THROTTLED));
    }

    // ---------------------------------------------------------------- create

    @Test
    void createRejectsBadArgumentsNamingTheValue() {
        assertRejected("capacity=0 must be >= 1", () -> BackpressureController.create(DEFAULTS, 0));
        assertRejected("capacity=-5 must be >= 1", () -> BackpressureController.create(DEFAULTS, -5));
        assertRejected("config=null is not allowed", () -> BackpressureController.create(null, 10));
    }

    @Test
    void createKeepsItsArguments() {
        BackpressureController c = controller(100);
        assertEquals(100, c.capacity());
        assertSame(DEFAULTS, c.config());
        String s = c.toString();
        assertTrue(s.contains("capacity=100") && s.contains("pressure=NORMAL"), s);
        assertTrue(s.contains("enterThrottleSize=85") && s.contains("config=BackpressureConfig{"), s);
    }

    // ---------------------------------------------------------------- the seed's defects, each by name

    /** A buffer of capacity 100 filled one element at a time, then drained, updating as the usage rule says. */
    @Test
    void seedDefect1_stickySuspended_aFilledThenDrainedBufferReturnsToNormal() {
        BackpressureController c = controller(100);
        int[] size = {0};
        IntSupplier sizeOf = () -> size[0];
        List<String> seen = new ArrayList<>();
        c.addListener((from, to) -> seen.add(from + "->" + to + "@" + size[0]));
        while (size[0] < 100) {
            size[0]++; // push
            c.settle(sizeOf);
        }
        assertTrue(c.shouldSuspend());
        while (size[0] > 0) {
            size[0]--; // pop
            c.settle(sizeOf);
        }
        assertSame(NORMAL, c.pressure(), "the seed stayed SUSPENDED here");
        assertEquals(List.of("NORMAL->THROTTLED@85", "THROTTLED->SUSPENDED@95",
            "SUSPENDED->THROTTLED@84", "THROTTLED->NORMAL@74"), seen);
    }

    @Test
    void seedDefect2_pushOnlyUpdates_thePopSideUpdateIsWhatLeavesSuspended() {
        BackpressureController pushOnly = controller(100);
        BackpressureController bothSides = controller(100);
        for (int size = 1; size <= 100; size++) {
            pushOnly.update(size);
            bothSides.update(size);
        }
        for (int size = 99; size >= 0; size--) {
            bothSides.update(size); // pop-side update; pushOnly gets none
        }
        assertSame(SUSPENDED, pushOnly.pressure(), "with push-side updates only, a drained buffer stays suspended");
        assertSame(NORMAL, bothSides.pressure());
        assertTrue(pushOnly.update(0), "one pop-side update releases it");
        assertSame(NORMAL, pushOnly.pressure());
    }

    @Test
    void seedDefect2_aStaleSizeThatWinsTheLastTransitionIsCorrectedBySettle() {
        // A producer read size 100 before the consumer drained the buffer, then the consumer's update ran first.
        BackpressureController bare = controller(100);
        assertFalse(bare.update(0)); // the consumer's update, on the drained buffer
        assertTrue(bare.update(100)); // the producer's, with its stale size: wins
        assertSame(SUSPENDED, bare.pressure(), "a bare update leaves the stale state standing");

        BackpressureController settled = controller(100);
        assertFalse(settled.update(0));
        int[] reads = {100, 0}; // stale, then the fresh size read after the transition
        AtomicInteger round = new AtomicInteger();
        assertEquals(2, settled.settle(() -> reads[Math.min(round.getAndIncrement(), 1)]));
        assertSame(NORMAL, settled.pressure(), "the thread that made the transition re-read the size");
        assertEquals(3, round.get(), "re-read until no transition was due");
    }

    @Test
    void seedDefect3_unvalidatedConfig_aFlappingOrInvertedConfigIsRejected() {
        // The seed accepted exit >= enter (a state left as soon as it is entered: flapping on every update) and
        // throttle watermarks above the suspend ones.
        assertRejectedContains("exitThrottle=0.9 must be < enterThrottle=0.8",
            () -> BackpressureConfig.builder().enterThrottle(0.8).exitThrottle(0.9).exitSuspend(0.9).build());
        assertRejectedContains("exitSuspend=0.95 must be < enterSuspend=0.95",
            () -> BackpressureConfig.builder().exitSuspend(0.95).build());
        assertRejectedContains("enterThrottle=0.99 must be <= enterSuspend=0.95",
            () -> BackpressureConfig.builder().enterThrottle(0.99).build());
        assertRejectedContains("enterSuspend=NaN", () -> BackpressureConfig.builder().enterSuspend(Double.NaN).build());
        assertRejectedContains("config=null", () -> BackpressureController.create(null, 100));
        assertRejectedContains("capacity=0", () -> BackpressureController.create(DEFAULTS, 0));
    }

    // ---------------------------------------------------------------- settle

    @Test
    void settleOnTheFastPathReadsTheSizeOnceAndWritesNothing() {
        BackpressureController c = controller(100);
        AtomicInteger reads = new AtomicInteger();
        assertEquals(0, c.settle(() -> {
            reads.incrementAndGet();
            return 50;
        }));
        assertEquals(1, reads.get());
        assertEquals(0, c.transitions());
        assertEquals(1, c.settle(() -> 90));
        assertSame(THROTTLED, c.pressure());
    }

    @Test
    void settleRejectsANullSupplierAndABadSize() {
        BackpressureController c = controller(100);
        assertRejected("size=null is not allowed", () -> c.settle(null));
        assertRejected("size=101 must be in [0, capacity=100]", () -> c.settle(() -> 101));
    }

    // ---------------------------------------------------------------- counters

    @Test
    void countersCountEachTransitionByTarget() {
        BackpressureController c = controller(100);
        c.update(85); // -> THROTTLED
        c.update(95); // -> SUSPENDED
        c.update(80); // -> THROTTLED
        c.update(10); // -> NORMAL
        c.update(99); // -> SUSPENDED
        c.update(99); // nothing
        c.update(0); // -> NORMAL
        assertEquals(6, c.transitions());
        assertEquals(2, c.transitionsTo(NORMAL));
        assertEquals(2, c.transitionsTo(THROTTLED));
        assertEquals(2, c.transitionsTo(SUSPENDED));
        assertEquals(0, c.listenerFailures());
        assertRejected("state=null is not allowed", () -> c.transitionsTo(null));
    }

    // ---------------------------------------------------------------- listeners

    @Test
    void listenersHearEveryTransitionInOrderOnTheUpdatingThreadAfterTheStateChanged() {
        BackpressureController c = controller(100);
        List<String> seen = new ArrayList<>();
        Thread self = Thread.currentThread();
        c.addListener((from, to) -> {
            assertSame(self, Thread.currentThread());
            assertSame(to, c.pressure(), "the state is already visible to the listener");
            seen.add(from + "->" + to);
        });
        c.update(85);
        c.update(80); // nothing
        c.update(100);
        c.update(0);
        c.update(95);
        assertEquals(
            List.of("NORMAL->THROTTLED", "THROTTLED->SUSPENDED", "SUSPENDED->NORMAL", "NORMAL->SUSPENDED"), seen);
        assertEquals(0, c.listenerFailures(), "the assertions inside the listener all held");
    }

    @Test
    void aThrowingListenerIsCountedLoggedNotPropagatedAndTheOthersStillRun() {
        BackpressureController c = controller(100);
        List<String> seen = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("listener failure on purpose (test)");
        c.addListener((from, to) -> seen.add("first " + to));
        c.addListener((from, to) -> {
            throw failure;
        });
        c.addListener((from, to) -> seen.add("third " + to));
        List<LogRecord> logged = captureLog(() -> {
            assertTrue(c.update(90), "the caller sees its transition, not the listener's exception");
            assertSame(THROTTLED, c.pressure());
            assertEquals(1, c.listenerFailures());
            assertEquals(1, c.transitions());
            assertTrue(c.update(0));
        });
        assertEquals(2, c.listenerFailures());
        assertEquals(List.of("first THROTTLED", "third THROTTLED", "first NORMAL", "third NORMAL"), seen);
        // Logged through System.Logger, whose default back end (with java.logging present) is java.util.logging.
        assertEquals(2, logged.size());
        for (LogRecord r : logged) {
            assertEquals(Level.WARNING, r.getLevel());
            assertSame(failure, r.getThrown());
        }
        assertTrue(logged.get(0).getMessage().contains("from=NORMAL to=THROTTLED"), logged.get(0).getMessage());
        assertTrue(logged.get(1).getMessage().contains("from=THROTTLED to=NORMAL"), logged.get(1).getMessage());
    }

    /** Runs {@code body} with the controller's java.util.logging logger captured (and kept off the console). */
    private static List<LogRecord> captureLog(Runnable body) {
        Logger logger = Logger.getLogger(BackpressureController.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean useParent = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        try {
            body.run();
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(useParent);
        }
        return records;
    }

    @Test
    void aVirtualMachineErrorFromAListenerPropagatesAfterTheTransitionIsCounted() {
        BackpressureController c = controller(100);
        c.addListener((from, to) -> {
            throw new OutOfMemoryError("on purpose (test)");
        });
        assertThrows(OutOfMemoryError.class, () -> c.update(90));
        assertSame(THROTTLED, c.pressure());
        assertEquals(1, c.transitions());
        assertEquals(0, c.listenerFailures());
    }

    @Test
    void removeListenerStopsItsCallsOneRegistrationAtATime() {
        BackpressureController c = controller(100);
        AtomicInteger calls = new AtomicInteger();
        PressureListener counting = (from, to) -> calls.incrementAndGet();
        PressureListener other = (from, to) -> { };
        c.addListener(counting);
        c.addListener(other);
        c.addListener(counting);
        c.update(90);
        assertEquals(2, calls.get(), "added twice, called twice");
        assertTrue(c.removeListener(counting));
        c.update(0);
        assertEquals(3, calls.get(), "one registration left");
        assertTrue(c.removeListener(counting));
        assertFalse(c.removeListener(counting), "none left");
        assertFalse(c.removeListener((from, to) -> { }), "never added");
        c.update(90);
        assertEquals(3, calls.get());
        assertTrue(c.removeListener(other));
        assertRejected("listener=null is not allowed", () -> c.addListener(null));
        assertRejected("listener=null is not allowed", () -> c.removeListener(null));
    }

    // ---------------------------------------------------------------- helpers

    static void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    static void assertRejectedContains(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
