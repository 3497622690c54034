package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.CountingWaker;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.internal.Threads.SteppingClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eventfd counter semantics, coalescing, closing, interrupts and deadlines of {@link WakeSignal}: {@code poll} takes
 * without waiting, {@code take} waits as long as it takes, {@code take(timeout, unit)} until a deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeSignalTest {

    @Test
    void signalsAddUpAndPollReturnsTheCountAndResetsIt() {
        WakeSignal signal = WakeSignal.create();
        assertEquals(0, signal.poll());
        signal.signal();
        signal.signal();
        signal.signal(5);
        assertEquals(7, signal.count());
        assertEquals(7, signal.poll());
        assertEquals(0, signal.poll());
        assertEquals(0, signal.count());
    }

    @Test
    void signalsWithNobodyArmedWakeNobody() {
        WakeSignal signal = WakeSignal.create();
        for (int i = 0; i < 10_000; i++) {
            signal.signal();
        }
        assertEquals(0, signal.wakeups());
        assertEquals(10_000, signal.poll());
    }

    @Test
    void anArmedWakerIsWokenOnceByTheFirstOfManySignals() {
        WakeSignal signal = WakeSignal.create();
        CountingWaker waker = new CountingWaker();
        assertTrue(signal.arm(waker));
        for (int i = 0; i < 100; i++) {
            signal.signal();
        }
        assertEquals(1, waker.calls.get(), "coalesced: one wake for a burst of signals");
        assertEquals(1, signal.wakeups());
        assertFalse(signal.arm(waker), "a signal is pending: do not sleep");
        assertEquals(100, signal.poll());
        assertTrue(signal.arm(waker));
        signal.disarm(waker);
        signal.signal();
        assertEquals(1, waker.calls.get(), "disarmed: not woken");
    }

    @Test
    void everyArmedWakerIsWokenAndADisarmLeavesTheOthersArmedAndAsleep() {
        WakeSignal signal = WakeSignal.create();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        CountingWaker c = new CountingWaker();
        assertTrue(signal.arm(a));
        assertTrue(signal.arm(b));
        assertTrue(signal.arm(c));
        signal.disarm(b); // the middle one: the others stay armed, and are not woken
        assertEquals(0, a.calls.get() + b.calls.get() + c.calls.get());
        assertEquals(0, signal.wakeups());
        signal.signal();
        assertEquals(0, b.calls.get(), "withdrawn: not woken");
        assertEquals(1, a.calls.get());
        assertEquals(1, c.calls.get());
        assertEquals(2, signal.wakeups());
    }

    @Test
    void withdrawalsInAnyOrderLeaveEveryOtherWakerArmedOnce() {
        // Each position: the top (one CAS), the bottom (a copy of all above), the middle; some twice (no-ops).
        int n = 64;
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            WakeSignal signal = WakeSignal.create();
            CountingWaker[] wakers = new CountingWaker[n];
            for (int i = 0; i < n; i++) {
                wakers[i] = new CountingWaker();
                assertTrue(signal.arm(wakers[i]));
            }
            boolean[] withdrawn = new boolean[n];
            for (int k = 0; k < n / 2; k++) {
                int i = random.nextInt(n);
                signal.disarm(wakers[i]);
                withdrawn[i] = true;
            }
            signal.signal();
            for (int i = 0; i < n; i++) {
                assertEquals(withdrawn[i] ? 0 : 1, wakers[i].calls.get(), "round " + round + ", waker " + i);
            }
        }
    }

    @Test
    void aBlockedTakeIsWokenBySignalAndSeesWhatWasWrittenBefore() throws Exception {
        WakeSignal signal = WakeSignal.create();
        int[] data = new int[1];
        Running<Long> taken = Threads.run("waiter", () -> {
            long n = signal.take(1, TimeUnit.MINUTES);
            return n == 1 ? (long) data[0] : -n;
        }).untilParked();
        data[0] = 99; // plain write, published by the signal's volatile add
        signal.signal();
        assertEquals(99L, taken.result.get(10, TimeUnit.SECONDS));
        assertEquals(1, signal.wakeups());
    }

    @Test
    void closeWakesEveryWaiterAndTakeThenDrainsTheCountThenReportsClosed() throws Exception {
        WakeSignal signal = WakeSignal.create();
        Running<Long> first = Threads.run("waiter-a", () -> signal.take(1, TimeUnit.MINUTES)).untilParked();
        Running<Long> second = Threads.run("waiter-b", signal::take).untilParked(); // untimed
        signal.close();
        assertEquals(WakeSignal.CLOSED, first.result.get(10, TimeUnit.SECONDS));
        assertEquals(WakeSignal.CLOSED, second.result.get(10, TimeUnit.SECONDS));
        assertTrue(signal.isClosed());
        signal.signal();
        assertEquals(WakeSignal.CLOSED, signal.poll(), "signals after close are ignored");
        assertEquals(WakeSignal.CLOSED, signal.take(), "closed and empty: the waiting take returns at once");
        signal.close(); // idempotent

        WakeSignal pending = WakeSignal.create();
        pending.signal(3);
        pending.close();
        assertEquals(3, pending.take(), "what was signalled before the close is still taken");
        assertEquals(WakeSignal.CLOSED, pending.poll());
        assertFalse(pending.arm(new CountingWaker()), "closed: do not sleep");
    }

    @Test
    void anInterruptedTakeThrowsAndTheCountStays() throws Exception {
        WakeSignal signal = WakeSignal.create();
        for (boolean timed : new boolean[] {true, false}) {
            Running<Long> taken = Threads.run("waiter",
                () -> timed ? signal.take(1, TimeUnit.MINUTES) : signal.take()).untilParked();
            taken.thread.interrupt();
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> taken.result.get(10, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, e.getCause(), "timed=" + timed);
        }
        signal.signal(2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> signal.take(1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted(), "cleared by the InterruptedException");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, signal::take, "untimed, interrupted before the call");
        assertFalse(Thread.currentThread().isInterrupted(), "cleared by the InterruptedException");
        assertEquals(2, signal.poll(), "an interrupted take took nothing");
    }

    @Test
    void deadlinesReadTheInjectedClock() throws Exception {
        SteppingClock clock = new SteppingClock(TimeUnit.MINUTES.toNanos(2));
        WakeSignal signal = WakeSignal.create(clock, WaitPolicy.DEFAULT);
        assertEquals(0, signal.take(1, TimeUnit.MINUTES), "the deadline passed on the injected clock, unslept");
        assertEquals(2, clock.reads());
        assertEquals(0, signal.take(0, TimeUnit.SECONDS));
        long start = System.nanoTime();
        assertEquals(0, WakeSignal.create().take(20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        WakeSignal signal = WakeSignal.create();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> signal.signal(0));
        assertTrue(e.getMessage().contains("n=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> signal.arm(null));
        assertTrue(e.getMessage().contains("waker=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> signal.take(1, null));
        assertTrue(e.getMessage().contains("unit=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeSignal.create(null, WaitPolicy.DEFAULT));
        assertTrue(e.getMessage().contains("nanoClock=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeSignal.create(System::nanoTime, null));
        assertTrue(e.getMessage().contains("policy=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Waker.of((Thread) null));
        assertTrue(e.getMessage().contains("thread=null"), e.getMessage());
    }

    @Test
    void aThrowingWakerDoesNotLeaveTheOthersAsleep() {
        WakeSignal signal = WakeSignal.create();
        CountingWaker good = new CountingWaker();
        assertTrue(signal.arm(good));
        assertTrue(signal.arm(() -> {
            throw new IllegalStateException("broken waker");
        }));
        signal.signal(); // the broken waker is logged, not rethrown: the signal itself took effect
        assertEquals(1, good.calls.get());
        assertEquals(1, signal.poll());
    }

    @Test
    void theCountSaturatesAndACloseIsTerminal() {
        WakeSignal signal = WakeSignal.create();
        signal.signal(WakeSignal.MAX_COUNT - 1);
        signal.signal(5);
        assertEquals(WakeSignal.MAX_COUNT, signal.count(), "saturated, never wrapped to a negative or zero count");
        assertEquals(WakeSignal.MAX_COUNT, signal.poll());
        signal.close();
        signal.signal(Long.MAX_VALUE);
        assertEquals(0, signal.count());
        assertEquals(WakeSignal.CLOSED, signal.poll());
        assertEquals(WakeSignal.CLOSED, signal.poll());
    }

    @Test
    void withdrawingAWakerThatWasAlreadyWokenWakesNobodyElse() {
        WakeSignal signal = WakeSignal.create();
        CountingWaker a = new CountingWaker();
        CountingWaker b = new CountingWaker();
        assertTrue(signal.arm(a));
        signal.signal();
        signal.poll();
        assertTrue(signal.arm(b));
        signal.disarm(a); // a was woken and taken off the list already: b must not be disturbed
        assertEquals(0, b.calls.get());
        assertEquals(1, a.calls.get());
        signal.disarm(b);
        assertEquals(0, b.calls.get());
    }
}
