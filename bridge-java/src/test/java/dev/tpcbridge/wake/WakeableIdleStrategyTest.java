package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.CountingWaker;
import dev.tpcbridge.ring.WakingRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-plane idle strategy: backoff steps, parking on its sources, and a duty cycle around it (a plain loop that
 * idles after each cycle by the work it did, as a data-plane core's runner and Agrona's {@code AgentRunner} do).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeableIdleStrategyTest {

    @Test
    void spinsThenYieldsThenParksUntilASourceIsReady() throws Exception {
        WakingRing<Integer> ring = WakingRing.spsc(8);
        WakeSignal stop = WakeSignal.create();
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.of(3, 2), ring.readable(), stop);
        for (int i = 0; i < 5; i++) {
            assertFalse(idle.parksNext());
            idle.idle(0); // three spins, two yields: no park yet
        }
        assertEquals(0, idle.parks());
        assertTrue(idle.parksNext());
        Threads.Running<Void> core = Threads.<Void>run("core", () -> {
            idle.idle(0);
            return null;
        }).untilParked();
        ring.offer(1);
        core.result.get(10, TimeUnit.SECONDS);
        assertEquals(1, idle.parks());
        assertEquals(1, ring.consumerWakeups());
        assertEquals(0, stop.wakeups(), "the waker was withdrawn from the other source");
    }

    @Test
    void aSourceReadyWhileArmingMeansNoPark() {
        WakingRing<Integer> ring = WakingRing.spsc(8);
        WakeSignal signal = WakeSignal.create();
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.PARK, ring.readable(), signal);
        signal.signal();
        idle.idle(0); // would hang the test if it parked
        ring.offer(1);
        signal.poll();
        idle.idle();
        assertEquals(0, idle.parks());
        idle.idle(1); // work done: reset
        idle.reset();
    }

    @Test
    void anInterruptedCoreDoesNotParkAndKeepsItsInterruptStatus() {
        WakeSignal signal = WakeSignal.create();
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.PARK, signal);
        Thread.currentThread().interrupt();
        try {
            idle.idle(0); // would hang the test if it parked (a set interrupt status makes park return, but it
            idle.idle(0); // must not even arm: nothing is left armed on the source)
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(0, idle.parks());
            CountingWaker other = new CountingWaker();
            assertTrue(signal.arm(other));
            signal.disarm(other);
            assertEquals(0, other.calls.get(), "no stale waker of the core was left on the source");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        WakeSignal s = WakeSignal.create();
        // the spin and yield counts are a WaitPolicy now: its factory names the bad count (WaiterTest has the rest)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> WakeableIdleStrategy.create(WaitPolicy.of(-1, 0), s));
        assertTrue(e.getMessage().contains("spins=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(null, s));
        assertTrue(e.getMessage().contains("policy=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(WaitPolicy.PARK, 0L, s));
        assertTrue(e.getMessage().contains("maxParkNanos=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(WaitPolicy.PARK));
        assertTrue(e.getMessage().contains("sources"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> WakeableIdleStrategy.create(WaitPolicy.PARK, s, null));
        assertTrue(e.getMessage().contains("sources[1]=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(WaitPolicy.PARK, s, s));
        assertTrue(e.getMessage().contains("sources[1] repeats sources[0]"), e.getMessage());
    }

    /**
     * A duty cycle (the shape of Agrona's {@code AgentRunner} and of a data-plane core's runner, in a plain loop):
     * each cycle does its work, then idles by the work done; once idle it parks in the last step, and each
     * transition of its source wakes it.
     */
    @Test
    void aDutyCycleParksInTheLastStepAndIsWokenByEachTransition() throws Exception {
        WakingRing<Long> ring = WakingRing.spsc(64);
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.of(10, 2), ring.readable());
        AtomicLong sum = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread core = new Thread(() -> {
            try {
                while (running.get()) {
                    idle.idle(ring.drain(sum::addAndGet, 64));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-core");
        core.setDaemon(true);
        core.start();
        long expected = 0;
        for (long i = 1; i <= 20; i++) {
            Threads.untilParked(core); // the core has gone idle and parked: the next offer must wake it
            ring.offer(i);
            expected += i;
            final long sumNow = expected;
            Threads.await(() -> sum.get() == sumNow, "the parked core to be woken by offer " + i);
        }
        Threads.untilParked(core);
        assertTrue(idle.parks() >= 21, "parks=" + idle.parks());
        assertEquals(idle.parks() - 1, ring.consumerWakeups(), "one wake per park (the last is still parked)");
        running.set(false);
        ring.closeProducer(); // the readable condition holds from now on: the core stops parking, sees the flag
        Threads.joinOrFail(core);
        assertNull(failure.get(), () -> "the loop failed: " + failure.get());
    }
}
