package dev.tpcbridge.wake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eventfd counter semantics, coalescing, closing, interrupts and deadlines of {@link WakeSignal}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeSignalTest {

    private static Thread start(Runnable body) {
        Thread t = new Thread(body, "waiter");
        t.start();
        return t;
    }

    @Test
    void signalsAddUpAndTakeReturnsTheCountAndResetsIt() {
        WakeSignal signal = WakeSignal.create();
        assertEquals(0, signal.take());
        signal.signal();
        signal.signal();
        signal.signal(5);
        assertEquals(7, signal.count());
        assertEquals(7, signal.take());
        assertEquals(0, signal.take());
        assertEquals(0, signal.count());
    }

    @Test
    void signalsWithNobodyArmedWakeNobody() {
        WakeSignal signal = WakeSignal.create();
        for (int i = 0; i < 10_000; i++) {
            signal.signal();
        }
        assertEquals(0, signal.wakeups());
        assertEquals(10_000, signal.take());
    }

    @Test
    void anArmedWakerIsWokenOnceByTheFirstOfManySignals() {
        WakeSignal signal = WakeSignal.create();
        Waiting.CountingWaker waker = new Waiting.CountingWaker();
        assertTrue(signal.arm(waker));
        for (int i = 0; i < 100; i++) {
            signal.signal();
        }
        assertEquals(1, waker.calls.get(), "coalesced: one wake for a burst of signals");
        assertEquals(1, signal.wakeups());
        assertFalse(signal.arm(waker), "a signal is pending: do not sleep");
        assertEquals(100, signal.take());
        assertTrue(signal.arm(waker));
        signal.disarm(waker);
        signal.signal();
        assertEquals(1, waker.calls.get(), "disarmed: not woken");
    }

    @Test
    void everyArmedWakerIsWokenAndADisarmLeavesTheOthersArmedAndAsleep() {
        WakeSignal signal = WakeSignal.create();
        Waiting.CountingWaker a = new Waiting.CountingWaker();
        Waiting.CountingWaker b = new Waiting.CountingWaker();
        Waiting.CountingWaker c = new Waiting.CountingWaker();
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
            Waiting.CountingWaker[] wakers = new Waiting.CountingWaker[n];
            for (int i = 0; i < n; i++) {
                wakers[i] = new Waiting.CountingWaker();
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
        CompletableFuture<Long> taken = new CompletableFuture<>();
        Thread waiter = start(() -> {
            try {
                long n = signal.take(1, TimeUnit.MINUTES);
                taken.complete(n == 1 ? (long) data[0] : -n);
            } catch (Throwable t) {
                taken.completeExceptionally(t);
            }
        });
        Waiting.untilParked(waiter);
        data[0] = 99; // plain write, published by the signal's volatile add
        signal.signal();
        assertEquals(99L, taken.get(10, TimeUnit.SECONDS));
        assertEquals(1, signal.wakeups());
    }

    @Test
    void closeWakesEveryWaiterAndTakeThenDrainsTheCountThenReportsClosed() throws Exception {
        WakeSignal signal = WakeSignal.create();
        CompletableFuture<Long> first = new CompletableFuture<>();
        CompletableFuture<Long> second = new CompletableFuture<>();
        Thread a = start(() -> {
            try {
                first.complete(signal.take(1, TimeUnit.MINUTES));
            } catch (Throwable t) {
                first.completeExceptionally(t);
            }
        });
        Thread b = start(() -> {
            try {
                second.complete(signal.take(1, TimeUnit.MINUTES));
            } catch (Throwable t) {
                second.completeExceptionally(t);
            }
        });
        Waiting.untilParked(a);
        Waiting.untilParked(b);
        signal.close();
        assertEquals(WakeSignal.CLOSED, first.get(10, TimeUnit.SECONDS));
        assertEquals(WakeSignal.CLOSED, second.get(10, TimeUnit.SECONDS));
        assertTrue(signal.isClosed());
        signal.signal();
        assertEquals(WakeSignal.CLOSED, signal.take(), "signals after close are ignored");
        signal.close(); // idempotent

        WakeSignal pending = WakeSignal.create();
        pending.signal(3);
        pending.close();
        assertEquals(3, pending.take(), "what was signalled before the close is still taken");
        assertEquals(WakeSignal.CLOSED, pending.take());
        assertFalse(pending.arm(new Waiting.CountingWaker()), "closed: do not sleep");
    }

    @Test
    void anInterruptedTakeThrowsAndTheCountStays() throws Exception {
        WakeSignal signal = WakeSignal.create();
        CompletableFuture<Long> taken = new CompletableFuture<>();
        Thread waiter = start(() -> {
            try {
                taken.complete(signal.take(1, TimeUnit.MINUTES));
            } catch (Throwable t) {
                taken.completeExceptionally(t);
            }
        });
        Waiting.untilParked(waiter);
        waiter.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> taken.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        signal.signal(2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> signal.take(1, TimeUnit.SECONDS));
        assertEquals(2, signal.take(), "an interrupted take took nothing");
    }

    @Test
    void deadlinesReadTheInjectedClock() throws Exception {
        Waiting.SteppingClock clock = new Waiting.SteppingClock(TimeUnit.MINUTES.toNanos(2));
        WakeSignal signal = WakeSignal.create(clock);
        assertEquals(0, signal.take(1, TimeUnit.MINUTES), "the deadline passed on the injected clock, unslept");
        assertEquals(2, clock.reads.get());
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
        e = assertThrows(IllegalArgumentException.class, () -> WakeSignal.create(null));
        assertTrue(e.getMessage().contains("nanoClock=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Waker.of((Thread) null));
        assertTrue(e.getMessage().contains("thread=null"), e.getMessage());
    }

    @Test
    void aThrowingWakerDoesNotLeaveTheOthersAsleep() {
        WakeSignal signal = WakeSignal.create();
        Waiting.CountingWaker good = new Waiting.CountingWaker();
        assertTrue(signal.arm(good));
        assertTrue(signal.arm(() -> {
            throw new IllegalStateException("broken waker");
        }));
        signal.signal(); // the broken waker is logged, not rethrown: the signal itself took effect
        assertEquals(1, good.calls.get());
        assertEquals(1, signal.take());
    }

    @Test
    void theCountSaturatesAndACloseIsTerminal() {
        WakeSignal signal = WakeSignal.create();
        signal.signal(WakeSignal.MAX_COUNT - 1);
        signal.signal(5);
        assertEquals(WakeSignal.MAX_COUNT, signal.count(), "saturated, never wrapped to a negative or zero count");
        assertEquals(WakeSignal.MAX_COUNT, signal.take());
        signal.close();
        signal.signal(Long.MAX_VALUE);
        assertEquals(0, signal.count());
        assertEquals(WakeSignal.CLOSED, signal.take());
        assertEquals(WakeSignal.CLOSED, signal.take());
    }

    @Test
    void withdrawingAWakerThatWasAlreadyWokenWakesNobodyElse() {
        WakeSignal signal = WakeSignal.create();
        Waiting.CountingWaker a = new Waiting.CountingWaker();
        Waiting.CountingWaker b = new Waiting.CountingWaker();
        assertTrue(signal.arm(a));
        signal.signal();
        signal.take();
        assertTrue(signal.arm(b));
        signal.disarm(a); // a was woken and taken off the list already: b must not be disturbed
        assertEquals(0, b.calls.get());
        assertEquals(1, a.calls.get());
        signal.disarm(b);
        assertEquals(0, b.calls.get());
    }
}
