package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Threads.CountingWaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WaiterQueue} on one thread: arrival order, as many woken as there are free units not promised already, the
 * promise kept until the woken waiter comes back, an abandoned promise passed on, a close that wakes everyone.
 * Concurrency: {@code WakeLincheckTest} ({@code SendableMpsc}) and jcstress {@code WakeStress}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WaiterQueueTest {
    private final AtomicInteger free = new AtomicInteger();
    private final WaiterQueue queue = new WaiterQueue(free::get);

    private List<CountingWaker> armed(int n) {
        final List<CountingWaker> wakers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final CountingWaker waker = new CountingWaker();
            queue.add(waker);
            wakers.add(waker);
        }
        return wakers;
    }

    private static String woken(List<CountingWaker> wakers) {
        final StringBuilder out = new StringBuilder();
        for (CountingWaker waker : wakers) {
            out.append(waker.calls.get());
        }
        return out.toString();
    }

    @Test
    void wakesTheOldestAsManyAsThereAreFreeUnitsNotPromisedAlready() {
        final List<CountingWaker> w = armed(4);
        assertTrue(queue.isArmed());
        queue.wakeIfArmed(); // nothing free
        assertEquals("0000", woken(w));
        free.set(2);
        queue.wakeIfArmed();
        assertEquals("1100", woken(w), "the two oldest");
        queue.wakeIfArmed();
        assertEquals("1100", woken(w), "both units are promised to the two woken, who have not come back");
        assertFalse(queue.remove(w.get(0)), "woken: the wake is its own to use");
        free.set(1); // it took its unit
        queue.wakeIfArmed();
        assertEquals("1100", woken(w), "one unit free, promised to the second woken");
        assertFalse(queue.remove(w.get(1)));
        free.set(1); // the second found its unit taken by a sender that did not wait (it will arm again)
        queue.wakeIfArmed();
        assertEquals("1110", woken(w), "the free unit goes to the next in line");
        assertEquals(3, queue.wakeups());
        assertTrue(queue.remove(w.get(3)), "still armed: withdrawn, not woken");
        assertEquals("1110", woken(w));
    }

    /** The notifier's form for a publication that was a volatile write: the same hand-out, without the fence. */
    @Test
    void afterAVolatileWriteTheNotifierWakesAsWakeIfArmedDoes() {
        final List<CountingWaker> w = armed(3);
        queue.wakeIfArmedAfterVolatileWrite(); // nothing free
        assertEquals("000", woken(w));
        free.set(1);
        queue.wakeIfArmedAfterVolatileWrite();
        assertEquals("100", woken(w), "the oldest, one unit");
        queue.wakeIfArmedAfterVolatileWrite();
        assertEquals("100", woken(w), "the unit is promised to the woken one");
    }

    @Test
    void anAbandonedWakeGoesToTheNextWaiterAndAnAbandonedArmWakesNobody() {
        final List<CountingWaker> w = armed(3);
        free.set(1);
        queue.wakeIfArmed();
        assertEquals("100", woken(w));
        queue.abandon(w.get(2)); // still armed: gives up without taking anything
        assertEquals("100", woken(w));
        queue.abandon(w.get(0)); // woken, gives up: its unit is the next one's
        assertEquals("110", woken(w));
        queue.abandon(w.get(1));
        assertEquals("110", woken(w), "nobody left in line");
        assertFalse(queue.isArmed());
    }

    @Test
    void aCloseWakesEveryoneAndForgetsThePromises() {
        final List<CountingWaker> w = armed(3);
        queue.wakeAllIfArmed();
        assertEquals("111", woken(w));
        assertFalse(queue.isArmed());
        final CountingWaker later = new CountingWaker();
        queue.add(later);
        free.set(1);
        queue.wakeIfArmed();
        assertEquals(1, later.calls.get(), "the close cleared the promises: the free unit is the newcomer's");
    }

    @Test
    void aWakerIsArmedOnceAtATimeAndOneThatThrowsDoesNotStopTheOthers() {
        final CountingWaker waker = new CountingWaker();
        queue.add(waker);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> queue.add(waker));
        assertTrue(e.getMessage().contains("armed here already"), e.getMessage());
        queue.remove(waker);
        queue.add(() -> {
            throw new IllegalStateException("a broken waker, on purpose");
        });
        final CountingWaker behind = new CountingWaker();
        queue.add(behind);
        queue.add(waker); // again, after its removal
        free.set(2);
        queue.wakeIfArmed();
        assertEquals(1, behind.calls.get(), "woken although the one before it threw");
        assertEquals(0, waker.calls.get(), "two units, two woken");
        assertThrows(IllegalArgumentException.class, () -> new WaiterQueue(null));
    }

    @Test
    void aWakerThatArmsAgainFromItsWakeIsServedWithoutDeadlock() {
        free.set(1);
        final CountingWaker second = new CountingWaker();
        final Waker reentrant = new Waker() {
            @Override
            public void wake() {
                queue.remove(this); // comes back at once, as a coroutine resumed on this thread may
                queue.add(second);
            }
        };
        queue.add(reentrant);
        queue.wakeIfArmed();
        assertEquals(0, second.calls.get(), "no notification since: the re-armed waiter's own re-check sees the unit");
        assertTrue(queue.isArmed());
        queue.wakeAllIfArmed();
        assertEquals(1, second.calls.get());
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * A waiter that arms, is woken (or withdraws) and arms again, over and over (an idle worker's life): no allocation
     * once warm. Three wakers, so that the hand-out takes and returns more than one node at a time.
     */
    @Test
    void armingWakingAndWithdrawingAllocateNothingOnceWarm() {
        final CountingWaker[] wakers = {new CountingWaker(), new CountingWaker(), new CountingWaker()};
        for (int i = 0; i < 5; i++) {
            cycles(wakers, 20_000); // warm-up: the JIT, the maps' and the spares' sizes
        }
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
            final long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            cycles(wakers, 20_000);
            final long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before);
        }
        assertEquals(0, least, "bytes allocated by 20 000 rounds of arming, waking and withdrawing");
        assertTrue(wakers[0].calls.get() > 0, "the wakes ran");
    }

    private void cycles(CountingWaker[] wakers, int rounds) {
        for (int i = 0; i < rounds; i++) {
            for (CountingWaker waker : wakers) {
                queue.add(waker);
            }
            free.set(2);
            queue.wakeIfArmed(); // wakes the two oldest
            free.set(0);
            for (CountingWaker waker : wakers) {
                queue.remove(waker); // two come back from their wake, one withdraws
            }
        }
    }
}
