package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.ManualClock;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.internal.Threads.SteppingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Waiter}, the one blocking wait, and its {@link WaitPolicy}: untimed waits end on a wake, timed ones exactly at
 * their deadline by the injected clock, interrupts, a condition's park limit, and the duty cycle's {@code idle}.
 * Waits that should park run with {@link WaitPolicy#PARK}; {@link Threads#untilParked} makes sure they did before the
 * notifier acts. Deadline checks spin on a stepping clock, so nothing sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaiterTest {
    /** Spins for as long as a test needs: the stepping clock moves only when read, a park would sleep for nothing. */
    private static final WaitPolicy SPIN = WaitPolicy.of(Integer.MAX_VALUE, 0);

    /** A clock that fails the test if it is read: an untimed wait must not read one. */
    private static final LongSupplier NO_CLOCK = () -> {
        throw new AssertionError("an untimed wait read the clock");
    };

    /**
     * The caller's loop, {@code while (attempt fails && waiter.await(condition)) {}}, the attempt being "the
     * condition is set"; returns how many awaits said go on.
     */
    private static int waitFor(TestCondition condition, WaitPolicy policy, LongSupplier clock, long timeoutNanos)
        throws InterruptedException {
        final Waiter waiter = Waiter.start(policy, clock, timeoutNanos);
        int awaits = 0;
        while (!condition.set && waiter.await(condition)) {
            awaits++;
        }
        return awaits;
    }

    // ---------------------------------------------------------------- untimed

    @Test
    void anUntimedWaitParksUntilTheNotifierWakesIt() throws Exception {
        for (WaitPolicy policy : new WaitPolicy[] {WaitPolicy.PARK, WaitPolicy.of(5, 2)}) {
            TestCondition ready = new TestCondition("ready");
            Running<Integer> waiting = Threads.run("waiter",
                () -> waitFor(ready, policy, NO_CLOCK, Waiter.NO_TIMEOUT)).untilParked();
            assertTrue(ready.waiters.isArmed(), "parked with its waker armed");
            ready.set();
            int awaits = waiting.result.get(10, TimeUnit.SECONDS);
            // every spin and yield came before the first arm, then one park per arm (a park may return spuriously)
            assertTrue(ready.arms.get() >= 1, policy + ": parked");
            assertEquals(policy.spins() + policy.yields() + ready.arms.get(), awaits,
                policy + ": the spins, then the yields, then the parks");
            assertEquals(1, ready.waiters.wakeups(), policy + ": woken once");
            assertFalse(ready.waiters.isArmed(), policy + ": the waker was withdrawn");
        }
    }

    @Test
    void anEarlyOrSpuriousWakeOnlyMakesTheWaiterRecheckAndParkAgain() throws Exception {
        TestCondition ready = new TestCondition("ready");
        Running<Integer> waiting = Threads.run("waiter",
            () -> waitFor(ready, WaitPolicy.PARK, NO_CLOCK, Waiter.NO_TIMEOUT)).untilParked();
        ready.wakeWithoutSetting();
        Threads.await(() -> ready.arms.get() >= 2, "the woken waiter to re-check and arm again");
        waiting.untilParked();
        assertFalse(waiting.result.isDone(), "the condition does not hold: the wait goes on");
        ready.set();
        assertEquals(ready.arms.get(), waiting.result.get(10, TimeUnit.SECONDS), "one await per park");
        assertEquals(2, ready.waiters.wakeups(), "the early wake and the real one");
    }

    @Test
    void aConditionThatHoldsAtTheArmMeansNoPark() throws Exception {
        TestCondition ready = new TestCondition("ready");
        ready.set = true; // set without a wake: the arm's re-check must see it
        Waiter waiter = Waiter.start(WaitPolicy.PARK, NO_CLOCK, Waiter.NO_TIMEOUT);
        assertTrue(waiter.await(ready), "would hang the test if it parked");
        assertEquals(1, ready.arms.get());
        assertFalse(ready.waiters.isArmed());
    }

    @Test
    void aThreadReusesItsOwnWaiterAndEachStartResetsTheBackoff() throws Exception {
        TestCondition ready = new TestCondition("ready");
        ready.set = true;
        WaitPolicy oneSpin = WaitPolicy.of(1, 0);
        Waiter first = Waiter.start(oneSpin, NO_CLOCK, Waiter.NO_TIMEOUT);
        assertFalse(first.parksNext());
        assertTrue(first.await(ready)); // a spin: no arm
        assertEquals(0, ready.arms.get());
        assertTrue(first.parksNext());
        assertTrue(first.await(ready)); // the park step: arms, finds it ready, does not park
        assertEquals(1, ready.arms.get());
        Waiter second = Waiter.start(oneSpin, NO_CLOCK, Waiter.NO_TIMEOUT);
        assertSame(first, second, "one waiter per thread, made once");
        assertFalse(second.parksNext(), "start resets the backoff");
        assertTrue(second.await(ready));
        assertEquals(1, ready.arms.get(), "a spin again");
        Running<Waiter> other = Threads.run("other", () -> Waiter.start(oneSpin, NO_CLOCK, Waiter.NO_TIMEOUT));
        assertNotSame(first, other.result.get(10, TimeUnit.SECONDS), "another thread has its own");
    }

    // ---------------------------------------------------------------- deadlines

    /**
     * With an injected clock the check is exact: the wait gives up at the first clock reading at or past its deadline,
     * never before, and not a step later. The deadline's base is the clock read by {@code start}.
     */
    @Test
    void aTimedWaitGivesUpExactlyAtItsDeadlineByTheClock() throws Exception {
        for (long step : new long[] {1, 7, 1_000, 333_333}) {
            SteppingClock clock = new SteppingClock(step);
            TestCondition never = new TestCondition("never");
            long timeout = 1_000_000L;
            int awaits = waitFor(never, SPIN, clock, timeout);
            long deadline = step + timeout; // start's clock read is the first
            long gaveUp = clock.now();
            assertTrue(gaveUp >= deadline, "step=" + step + ": gave up at " + gaveUp + " before " + deadline);
            assertTrue(gaveUp < deadline + step, "step=" + step + ": gave up late at " + gaveUp);
            assertEquals(awaits + 2, clock.reads(), "step=" + step + ": one read by start, one per await");
            assertEquals(0, never.arms.get(), "step=" + step + ": spun throughout, never armed");
        }
    }

    @Test
    void aTimedParkNeverGivesUpBeforeTheDeadlineAndGivesUpAtTheFirstCheckAfterIt() throws Exception {
        ManualClock clock = new ManualClock();
        TestCondition never = new TestCondition("never");
        Running<Integer> waiting = Threads.run("waiter",
            () -> waitFor(never, WaitPolicy.PARK, clock, TimeUnit.HOURS.toNanos(1))).untilParked();
        // A minute before the deadline (by the clock; the park that follows is a real minute, so it stays parked).
        clock.advance(TimeUnit.MINUTES.toNanos(59));
        never.wakeWithoutSetting();
        Threads.await(() -> never.arms.get() >= 2, "the woken waiter to re-check and park again");
        waiting.untilParked();
        assertFalse(waiting.result.isDone(), "not before the deadline");
        clock.advance(TimeUnit.MINUTES.toNanos(1)); // at the deadline: the next check gives up
        never.wakeWithoutSetting();
        int awaits = waiting.result.get(10, TimeUnit.SECONDS);
        assertTrue(awaits >= 2, "awaits=" + awaits);
        assertEquals(awaits, never.arms.get(), "each await that went on parked once; the last gave up unarmed");
        assertFalse(never.waiters.isArmed());
    }

    @Test
    void aTimedParkOnTheRealClockEndsByItselfAtTheDeadline() throws Exception {
        TestCondition never = new TestCondition("never"); // nobody ever wakes it
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            waitFor(never, WaitPolicy.PARK, System::nanoTime, TimeUnit.MILLISECONDS.toNanos(20));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(20), "early: " + elapsed + " ns");
        }
        assertEquals(0, never.waiters.wakeups());
    }

    @Test
    void aTimeoutOfZeroOrLessGivesUpAtTheFirstAwait() throws Exception {
        for (long timeout : new long[] {0, -1, Long.MIN_VALUE}) {
            for (WaitPolicy policy : new WaitPolicy[] {WaitPolicy.PARK, WaitPolicy.DEFAULT}) {
                SteppingClock clock = new SteppingClock(1);
                TestCondition never = new TestCondition("never");
                Waiter waiter = Waiter.start(policy, clock, timeout);
                assertFalse(waiter.await(never), "timeout=" + timeout + ", " + policy);
                assertEquals(0, never.arms.get(), "no spin, no park: nothing armed");
                assertEquals(0, clock.reads(), "no wait, no clock read");
                assertFalse(waiter.await(never), "and at every later await");
            }
        }
    }

    @Test
    void aDeadlinePastLongMaxValueStillWorksByDifference() throws Exception {
        ManualClock clock = new ManualClock();
        clock.advance(Long.MAX_VALUE / 2);
        TestCondition never = new TestCondition("never");
        Waiter waiter = Waiter.start(SPIN, clock, Long.MAX_VALUE - 1); // the sum wraps to a negative deadline
        assertTrue(waiter.await(never), "the deadline is about 292 years away, not in the past");
        clock.advance(Long.MAX_VALUE - 2);
        assertTrue(waiter.await(never), "one nanosecond before it");
        clock.advance(1);
        assertFalse(waiter.await(never), "at it");
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void anInterruptBeforeTheStartThrowsAndClearsTheStatus() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Waiter.start(WaitPolicy.PARK, NO_CLOCK, Waiter.NO_TIMEOUT));
        assertFalse(Thread.currentThread().isInterrupted(), "cleared by the InterruptedException");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Waiter.start(WaitPolicy.DEFAULT, System::nanoTime, 0));
        assertFalse(Thread.currentThread().isInterrupted(), "cleared, timed or not");
    }

    @Test
    void anInterruptDuringTheParkThrowsClearsTheStatusAndWithdrawsTheWaker() throws Exception {
        for (boolean timed : new boolean[] {false, true}) {
            TestCondition never = new TestCondition("never");
            AtomicBoolean interruptedAfter = new AtomicBoolean(true);
            Running<Integer> waiting = Threads.run("waiter", () -> {
                try {
                    return waitFor(never, WaitPolicy.PARK, System::nanoTime,
                        timed ? TimeUnit.MINUTES.toNanos(1) : Waiter.NO_TIMEOUT);
                } catch (InterruptedException e) {
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                    throw e;
                }
            }).untilParked();
            waiting.thread.interrupt();
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> waiting.result.get(10, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, e.getCause(), "timed=" + timed);
            assertFalse(interruptedAfter.get(), "timed=" + timed + ": the status is cleared");
            assertFalse(never.waiters.isArmed(), "timed=" + timed + ": the waker was withdrawn");
        }
    }

    @Test
    void anInterruptIsSeenAfterAYieldAndAfterAParkThatItCutShort() throws Exception {
        TestCondition never = new TestCondition("never");
        Waiter yielding = Waiter.start(WaitPolicy.of(0, 3), NO_CLOCK, Waiter.NO_TIMEOUT);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> yielding.await(never), "after a yield");
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(0, never.arms.get(), "a yield arms nothing");

        Waiter parking = Waiter.start(WaitPolicy.PARK, NO_CLOCK, Waiter.NO_TIMEOUT);
        Thread.currentThread().interrupt(); // a park returns at once: the await must throw, not spin on it
        assertThrows(InterruptedException.class, () -> parking.await(never), "after a park");
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, never.arms.get());
        assertFalse(never.waiters.isArmed(), "the waker was withdrawn");
    }

    // ---------------------------------------------------------------- a condition's park limit

    /** Nobody wakes the waiter: only the condition's park limit makes it re-check the attempt, which then succeeds. */
    @Test
    void aConditionsParkLimitBoundsTheParkSoTheWaiterRechecksWithoutAWake() throws Exception {
        TestCondition silent = new TestCondition("silent");
        silent.parkLimit = TimeUnit.MILLISECONDS.toNanos(1);
        AtomicBoolean done = new AtomicBoolean();
        Running<Integer> waiting = Threads.run("waiter", () -> {
            Waiter waiter = Waiter.start(WaitPolicy.PARK, NO_CLOCK, Waiter.NO_TIMEOUT);
            int awaits = 0;
            while (!done.get() && waiter.await(silent)) {
                awaits++;
            }
            return awaits;
        });
        Threads.await(() -> silent.arms.get() >= 2, "the waiter to re-check after a bounded park");
        done.set(true); // no wake: the waiter finds it at its next bounded re-check
        assertTrue(waiting.result.get(10, TimeUnit.SECONDS) >= 2);
        assertEquals(0, silent.waiters.wakeups(), "nobody woke it");
        assertFalse(silent.waiters.isArmed());
    }

    @Test
    void aTimedParkIsBoundedByTheEarlierOfTheDeadlineAndTheParkLimit() throws Exception {
        TestCondition never = new TestCondition("never");
        never.parkLimit = TimeUnit.HOURS.toNanos(1);
        long start = System.nanoTime();
        assertTrue(waitFor(never, WaitPolicy.PARK, System::nanoTime, TimeUnit.MILLISECONDS.toNanos(20)) >= 1);
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(20), "early: " + elapsed + " ns");
        assertTrue(elapsed < TimeUnit.MINUTES.toNanos(1), "the deadline, not the hour-long limit: " + elapsed + " ns");
    }

    // ---------------------------------------------------------------- idle, for duty cycles

    @Test
    void idleSpinsThenYieldsThenParksAndCountsOnlyTheParks() {
        TestCondition limited = new TestCondition("limited");
        limited.parkLimit = TimeUnit.MICROSECONDS.toNanos(100); // each park ends by itself
        Waiter waiter = Waiter.create(WaitPolicy.of(2, 1));
        for (int i = 0; i < 3; i++) {
            assertFalse(waiter.parksNext());
            waiter.idle(limited, Long.MAX_VALUE);
        }
        assertEquals(0, waiter.parks(), "two spins and a yield");
        assertEquals(0, limited.arms.get());
        assertTrue(waiter.parksNext());
        waiter.idle(limited, Long.MAX_VALUE);
        waiter.idle(limited, TimeUnit.MICROSECONDS.toNanos(50)); // the caller's bound, below the condition's
        assertEquals(2, waiter.parks());
        assertEquals(2, limited.arms.get());
        limited.set = true;
        waiter.idle(limited, Long.MAX_VALUE); // arms, finds it ready: no park, not counted
        assertEquals(2, waiter.parks());
        assertEquals(3, limited.arms.get());
        waiter.reset();
        assertFalse(waiter.parksNext(), "reset: spins again");
        waiter.idle(limited, Long.MAX_VALUE);
        assertEquals(3, limited.arms.get());
        assertEquals(2, waiter.parks());
    }

    @Test
    void anIdleParkIsEndedByTheNotifierAndCountedWhereAnyThreadReadsIt() throws Exception {
        TestCondition ready = new TestCondition("ready");
        Waiter waiter = Waiter.create(WaitPolicy.PARK);
        Running<Void> core = Threads.<Void>run("core", () -> {
            waiter.idle(ready, Long.MAX_VALUE);
            return null;
        }).untilParked();
        ready.set();
        core.result.get(10, TimeUnit.SECONDS);
        assertEquals(1, waiter.parks());
        assertEquals(1, ready.waiters.wakeups());
        // a later thread may take the duty cycle over: the waker follows whoever idles
        ready.set = false;
        Running<Void> next = Threads.<Void>run("core-2", () -> {
            waiter.idle(ready, Long.MAX_VALUE);
            return null;
        }).untilParked();
        ready.set();
        next.result.get(10, TimeUnit.SECONDS);
        assertEquals(2, waiter.parks());
    }

    @Test
    void idleDoesNotParkWhileInterruptedAndLeavesTheStatusSet() {
        TestCondition never = new TestCondition("never");
        Waiter waiter = Waiter.create(WaitPolicy.PARK);
        Thread.currentThread().interrupt();
        try {
            waiter.idle(never, Long.MAX_VALUE); // would hang the test if it parked (and a park would return at once,
            waiter.idle(never, Long.MAX_VALUE); // but it must not even arm: nothing is left armed on the condition)
            assertTrue(Thread.currentThread().isInterrupted(), "left set for the duty cycle to act on");
            assertEquals(0, waiter.parks());
            assertEquals(0, never.arms.get());
        } finally {
            Thread.interrupted();
        }
    }

    // ---------------------------------------------------------------- validation

    @Test
    void waitPolicyRejectsNegativeCountsNamingTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.of(-1, 0));
        assertTrue(e.getMessage().contains("spins=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.of(0, -2));
        assertTrue(e.getMessage().contains("yields=-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.of(-3, -4));
        assertTrue(e.getMessage().contains("spins=-3") && e.getMessage().contains("yields=-4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.of(Integer.MIN_VALUE, 5));
        assertTrue(e.getMessage().contains("spins=" + Integer.MIN_VALUE), e.getMessage());
    }

    @Test
    void waitPolicyConstantsAndValueSemantics() {
        assertEquals(128, WaitPolicy.SPARE_CORES.spins());
        assertEquals(8, WaitPolicy.SPARE_CORES.yields());
        assertEquals(16, WaitPolicy.FEW_CORES.spins());
        assertEquals(0, WaitPolicy.FEW_CORES.yields());
        assertSame(WaitPolicy.FEW_CORES, WaitPolicy.forProcessors(1));
        assertSame(WaitPolicy.FEW_CORES, WaitPolicy.forProcessors(3));
        assertSame(WaitPolicy.SPARE_CORES, WaitPolicy.forProcessors(4));
        assertSame(WaitPolicy.SPARE_CORES, WaitPolicy.forProcessors(64));
        assertSame(WaitPolicy.forProcessors(Runtime.getRuntime().availableProcessors()), WaitPolicy.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.forProcessors(0));
        assertTrue(e.getMessage().contains("processors=0"), e.getMessage());
        assertEquals(0, WaitPolicy.PARK.spins());
        assertEquals(0, WaitPolicy.PARK.yields());
        assertEquals(WaitPolicy.PARK, WaitPolicy.of(0, 0));
        assertEquals(WaitPolicy.SPARE_CORES, WaitPolicy.of(128, 8));
        assertEquals(WaitPolicy.of(3, 4).hashCode(), WaitPolicy.of(3, 4).hashCode());
        assertNotEquals(WaitPolicy.of(3, 4), WaitPolicy.of(4, 3));
        assertTrue(WaitPolicy.of(3, 4).toString().contains("spins=3"), WaitPolicy.of(3, 4).toString());
    }

    @Test
    void waiterRejectsNullArgumentsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Waiter.start(null, System::nanoTime, 1));
        assertTrue(e.getMessage().contains("policy=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Waiter.start(WaitPolicy.PARK, null, 1));
        assertTrue(e.getMessage().contains("clock=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Waiter.create(null));
        assertTrue(e.getMessage().contains("policy=null"), e.getMessage());
    }

    // ---------------------------------------------------------------- over several sources

    @Test
    void aWaitOnAnyOfSeveralSourcesIsWokenByEachAndWithdrawsFromAll() throws Exception {
        for (int wakes = 0; wakes < 2; wakes++) {
            TestCondition a = new TestCondition("a");
            TestCondition b = new TestCondition("b");
            Wakeable any = Wakeable.anyOf(a, b);
            AtomicReference<TestCondition> which = new AtomicReference<>();
            AtomicInteger awaits = new AtomicInteger();
            Running<Void> waiting = Threads.<Void>run("waiter", () -> {
                Waiter waiter = Waiter.start(WaitPolicy.PARK, NO_CLOCK, Waiter.NO_TIMEOUT);
                while (!a.set && !b.set && waiter.await(any)) {
                    awaits.incrementAndGet();
                }
                which.set(a.set ? a : b);
                return null;
            }).untilParked();
            TestCondition notifier = wakes == 0 ? a : b;
            notifier.set();
            waiting.result.get(10, TimeUnit.SECONDS);
            assertSame(notifier, which.get());
            assertFalse(a.waiters.isArmed() || b.waiters.isArmed(), "withdrawn from both sources");
            assertEquals(1, a.waiters.wakeups() + b.waiters.wakeups());
        }
    }
}
