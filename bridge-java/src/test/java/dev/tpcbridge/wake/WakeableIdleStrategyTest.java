package dev.tpcbridge.wake;

import dev.tpcbridge.internal.AgronaIdleStrategy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-plane idle strategy: backoff steps, parking on its sources, and Agrona's duty cycle around it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeableIdleStrategyTest {

    @Test
    void spinsThenYieldsThenParksUntilASourceIsReady() throws Exception {
        WakingRing<Integer> ring = WakingRing.spsc(8);
        WakeSignal stop = WakeSignal.create();
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(3, 2, ring.readable(), stop);
        for (int i = 0; i < 5; i++) {
            assertFalse(idle.parksNext());
            idle.idle(0); // three spins, two yields: no park yet
        }
        assertEquals(0, idle.parks());
        assertTrue(idle.parksNext());
        CompletableFuture<Void> parked = new CompletableFuture<>();
        Thread core = new Thread(() -> {
            idle.idle(0);
            parked.complete(null);
        }, "core");
        core.start();
        Waiting.untilParked(core);
        ring.offer(1);
        parked.get(10, TimeUnit.SECONDS);
        assertEquals(1, idle.parks());
        assertEquals(1, ring.consumerWakeups());
        assertEquals(0, stop.wakeups(), "the waker was withdrawn from the other source");
    }

    @Test
    void aSourceReadyWhileArmingMeansNoPark() {
        WakingRing<Integer> ring = WakingRing.spsc(8);
        WakeSignal signal = WakeSignal.create();
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(0, 0, ring.readable(), signal);
        signal.signal();
        idle.idle(0); // would hang the test if it parked
        ring.offer(1);
        signal.take();
        idle.idle();
        assertEquals(0, idle.parks());
        idle.idle(1); // work done: reset
        idle.reset();
    }

    @Test
    void anInterruptedCoreDoesNotParkAndKeepsItsInterruptStatus() {
        WakeSignal signal = WakeSignal.create();
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(0, 0, signal);
        Thread.currentThread().interrupt();
        try {
            idle.idle(0); // would hang the test if it parked (a set interrupt status makes park return, but it
            idle.idle(0); // must not even arm: nothing is left armed on the source)
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(0, idle.parks());
            Waiting.CountingWaker other = new Waiting.CountingWaker();
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> WakeableIdleStrategy.create(-1, 0, s));
        assertTrue(e.getMessage().contains("maxSpins=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(0, 0, 0L, s));
        assertTrue(e.getMessage().contains("maxParkNanos=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(0, 0));
        assertTrue(e.getMessage().contains("sources"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(0, 0, s, null));
        assertTrue(e.getMessage().contains("sources[1]=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakeableIdleStrategy.create(0, 0, s, s));
        assertTrue(e.getMessage().contains("sources[1] repeats sources[0]"), e.getMessage());
    }

    @Test
    void anAgronaAgentRunnerParksInTheLastStepAndIsWokenByEachTransition() throws Exception {
        WakingRing<Long> ring = WakingRing.spsc(64);
        WakeableIdleStrategy idle = WakeableIdleStrategy.create(10, 2, ring.readable());
        AtomicLong sum = new AtomicLong();
        Agent agent = new Agent() {
            @Override
            public int doWork() {
                return ring.drain(sum::addAndGet, 64);
            }

            @Override
            public String roleName() {
                return "test-core";
            }
        };
        AgentRunner runner = new AgentRunner(new AgronaIdleStrategy(idle), Throwable::printStackTrace, null, agent);
        Thread core = AgentRunner.startOnThread(runner);
        long expected = 0;
        for (long i = 1; i <= 20; i++) {
            Waiting.untilParked(core); // the core has gone idle and parked: the next offer must wake it
            ring.offer(i);
            expected += i;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sum.get() != expected) {
                assertTrue(System.nanoTime() < deadline, "the parked core was not woken by offer " + i);
                Thread.yield();
            }
        }
        Waiting.untilParked(core);
        assertTrue(idle.parks() >= 21, "parks=" + idle.parks());
        assertEquals(idle.parks() - 1, ring.consumerWakeups(), "one wake per park (the last is still parked)");
        ring.closeProducer(); // the readable condition holds from now on: the core stops parking
        runner.close();
        assertTrue(!core.isAlive());
    }
}
