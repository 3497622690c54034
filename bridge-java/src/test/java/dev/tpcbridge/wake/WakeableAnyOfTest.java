package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Threads.CountingWaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Wakeable#anyOf}: validation, arming each source in turn (and withdrawing the earlier ones when a later one
 * holds already), disarming all, and the smallest park limit. Single-threaded: the sources are
 * {@link TestCondition}s and the waker counts its calls ({@link WaiterTest} waits on an {@code anyOf} across threads).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeableAnyOfTest {

    @Test
    void badSourcesAreRejectedNamingTheProblem() {
        TestCondition a = new TestCondition("a");
        TestCondition b = new TestCondition("b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Wakeable::anyOf);
        assertTrue(e.getMessage().contains("sources is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Wakeable.anyOf((Wakeable[]) null));
        assertTrue(e.getMessage().contains("sources=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Wakeable.anyOf(a, null));
        assertTrue(e.getMessage().contains("sources[1]=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Wakeable.anyOf((Wakeable) null));
        assertTrue(e.getMessage().contains("sources[0]=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Wakeable.anyOf(a, b, a));
        assertTrue(e.getMessage().contains("sources[2] repeats sources[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Wakeable.anyOf(a, b, b));
        assertTrue(e.getMessage().contains("sources[2] repeats sources[1]"), e.getMessage());
    }

    @Test
    void oneSourceIsThatSourceItself() {
        TestCondition a = new TestCondition("a");
        assertSame(a, Wakeable.anyOf(a));
    }

    @Test
    void theSourcesAreCopiedSoALaterChangeOfTheArrayChangesNothing() {
        TestCondition a = new TestCondition("a");
        TestCondition b = new TestCondition("b");
        TestCondition c = new TestCondition("c");
        Wakeable[] sources = {a, b};
        Wakeable any = Wakeable.anyOf(sources);
        sources[1] = c;
        CountingWaker waker = new CountingWaker();
        assertTrue(any.arm(waker));
        assertTrue(b.waiters.isArmed(), "armed on the sources given, not on the array's later contents");
        assertFalse(c.waiters.isArmed());
        any.disarm(waker);
    }

    @Test
    void armingArmsEverySourceAndAnyOfThemWakesTheWaker() {
        for (int notifier = 0; notifier < 3; notifier++) {
            TestCondition[] sources = {new TestCondition("a"), new TestCondition("b"), new TestCondition("c")};
            Wakeable any = Wakeable.anyOf(sources);
            CountingWaker waker = new CountingWaker();
            assertTrue(any.arm(waker), "none holds: the waiter may sleep");
            for (TestCondition source : sources) {
                assertTrue(source.waiters.isArmed(), source + " armed");
            }
            sources[notifier].set();
            assertEquals(1, waker.calls.get(), "woken by " + sources[notifier]);
            any.disarm(waker);
            for (TestCondition source : sources) {
                assertFalse(source.waiters.isArmed(), source + " withdrawn by the disarm");
                source.set();
            }
            assertEquals(1, waker.calls.get(), "not woken again once disarmed");
        }
    }

    @Test
    void aLaterSourceThatHoldsAlreadyWithdrawsTheEarlierOnesAndTheLaterOnesAreNotArmed() {
        TestCondition a = new TestCondition("a");
        TestCondition b = new TestCondition("b");
        TestCondition c = new TestCondition("c");
        TestCondition d = new TestCondition("d");
        c.set = true; // holds, without a wake
        Wakeable any = Wakeable.anyOf(a, b, c, d);
        CountingWaker waker = new CountingWaker();
        assertFalse(any.arm(waker), "c holds: the waiter must not sleep");
        assertEquals(1, a.arms.get());
        assertEquals(1, b.arms.get());
        assertEquals(1, c.arms.get());
        assertEquals(0, d.arms.get(), "the arm stops at the first source that holds");
        for (TestCondition source : new TestCondition[] {a, b, c, d}) {
            assertFalse(source.waiters.isArmed(), source + " left armed");
        }
        a.set();
        b.set();
        d.set();
        assertEquals(0, waker.calls.get(), "nothing left armed: no stale wake later");
        assertEquals(0, a.waiters.wakeups() + b.waiters.wakeups() + d.waiters.wakeups());

        TestCondition first = new TestCondition("first");
        first.set = true;
        assertFalse(Wakeable.anyOf(first, new TestCondition("second")).arm(waker), "the first holds");
        assertFalse(first.waiters.isArmed());
    }

    @Test
    void theParkLimitIsTheSmallestOfTheSources() {
        TestCondition a = new TestCondition("a");
        TestCondition b = new TestCondition("b");
        TestCondition c = new TestCondition("c");
        assertEquals(Long.MAX_VALUE, Wakeable.anyOf(a, b, c).parkLimitNanos(), "no source limits the park");
        b.parkLimit = 5_000;
        c.parkLimit = 7_000;
        Wakeable any = Wakeable.anyOf(a, b, c);
        assertEquals(5_000, any.parkLimitNanos());
        a.parkLimit = 1;
        assertEquals(1, any.parkLimitNanos(), "asked at each park: a limit that moves is followed");
        WakeSignal signal = WakeSignal.create(); // a library source: no limit of its own
        assertEquals(Long.MAX_VALUE, signal.parkLimitNanos());
        assertEquals(7_000, Wakeable.anyOf(signal, c).parkLimitNanos());
    }
}
