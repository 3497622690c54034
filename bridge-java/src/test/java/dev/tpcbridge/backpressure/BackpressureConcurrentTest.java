package dev.tpcbridge.backpressure;

import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.SpscRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static dev.tpcbridge.backpressure.PressureState.NORMAL;
import static dev.tpcbridge.backpressure.PressureState.SUSPENDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller under real concurrency: a producer and a consumer over an {@link SpscRing}, each settling after
 * every push or pop, and several threads moving one shared size at random. Every test has a timeout, and the
 * worker threads are daemons that also stop on the first failure, so a bug fails the test instead of hanging it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BackpressureConcurrentTest {
    private static final long DEADLINE_MILLIS = 45_000;

    @Test
    void producerAndConsumerOverAnSpscRingDeliverEveryElementOnceAndEndNormal() throws Exception {
        final int elements = 200_000;
        SpscRing<Integer> ring = SpscRing.create(64);
        BackpressureController controller =
            BackpressureController.create(BackpressureConfig.defaults(), ring.capacity());
        IntSupplier sizeOf = ring::size;
        TransitionLog log = new TransitionLog();
        controller.addListener(log);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] suspendedWaits = {0};

        Thread producer = worker("producer", failure, () -> {
            int next = 0;
            while (next < elements && failure.get() == null) {
                if (controller.shouldSuspend()) {
                    suspendedWaits[0]++;
                    // Back off, deliberately without a settle of our own (real code settles on each wake-up: see
                    // settle(), "Fresh sizes"): the consumer's pop-side settles alone must release us.
                    Thread.yield();
                    continue;
                }
                if (ring.offer(next) == OfferStatus.OK) {
                    next++;
                    controller.settle(sizeOf);
                } else {
                    Thread.onSpinWait(); // full; cannot happen while SUSPENDED is honoured, but harmless
                }
            }
        });
        int[] received = {0};
        Thread consumer = worker("consumer", failure, () -> {
            int expected = 0;
            while (expected < elements && failure.get() == null) {
                Integer element = ring.poll();
                if (element == null) {
                    Thread.onSpinWait();
                    continue;
                }
                if (element != expected) {
                    throw new AssertionError("expected element " + expected + " got " + element);
                }
                expected++;
                controller.settle(sizeOf);
                if (expected % 10_000 == 0) {
                    LockSupport.parkNanos(200_000); // fall behind now and then, so the ring fills and suspends
                }
            }
            received[0] = expected;
        });
        producer.start();
        consumer.start();
        joinAll(List.of(producer, consumer), failure, () -> controller + ", ring=" + ring);

        assertEquals(elements, received[0], "every element, once, in order");
        assertNull(ring.poll(), "nothing left over");
        assertSame(NORMAL, controller.pressure(), "drained and quiescent: " + controller);
        assertTrue(controller.transitionsTo(SUSPENDED) > 0, "the run did suspend the producer: " + controller);
        assertTrue(suspendedWaits[0] > 0, "the producer did back off");
        assertCountersAgree(controller, log);
    }

    @Test
    void threadsMovingOneSharedSizeEndAtAFixedPointOfTheFinalSize() throws Exception {
        final int capacity = 40;
        final int threads = 4;
        final int stepsPerThread = 200_000;
        BackpressureController controller = BackpressureController.create(BackpressureConfig.defaults(), capacity);
        AtomicInteger size = new AtomicInteger();
        IntSupplier sizeOf = size::get;
        TransitionLog log = new TransitionLog();
        controller.addListener(log);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final SplittableRandom random = new SplittableRandom(t);
            workers.add(worker("mover-" + t, failure, () -> {
                for (int i = 0; i < stepsPerThread && failure.get() == null; i++) {
                    // A random walk with long runs in one direction, so that the size sweeps across the watermarks.
                    final boolean up = ((i >> 8) & 1) == 0 ? random.nextInt(4) != 0 : random.nextInt(4) == 0;
                    size.updateAndGet(s -> up ? Math.min(capacity, s + 1) : Math.max(0, s - 1));
                    controller.settle(sizeOf);
                }
            }));
        }
        workers.forEach(Thread::start);
        joinAll(workers, failure, controller::toString);

        int finalSize = size.get();
        PressureState state = controller.pressure();
        assertSame(state, BackpressureControllerTest.model(controller.config(), state, (double) finalSize / capacity),
            "the state is a fixed point of the final size=" + finalSize + ": " + controller);
        assertFalse(controller.update(finalSize), "no transition is due: " + controller);
        assertTrue(controller.transitions() > 10, "the watermarks were crossed many times: " + controller);
        assertCountersAgree(controller, log);
    }

    /** Counts listener calls by (from, to). */
    static final class TransitionLog implements PressureListener {
        private static final int N = PressureState.values().length;
        final AtomicLongArray calls = new AtomicLongArray(N * N);

        @Override
        public void onTransition(PressureState from, PressureState to) {
            calls.incrementAndGet(from.ordinal() * N + to.ordinal());
        }

        long from(PressureState s) {
            long sum = 0;
            for (int to = 0; to < N; to++) {
                sum += calls.get(s.ordinal() * N + to);
            }
            return sum;
        }

        long to(PressureState s) {
            long sum = 0;
            for (int from = 0; from < N; from++) {
                sum += calls.get(from * N + s.ordinal());
            }
            return sum;
        }

        long selfLoops() {
            long sum = 0;
            for (int s = 0; s < N; s++) {
                sum += calls.get(s * N + s);
            }
            return sum;
        }
    }

    /**
     * The counters add up, the listener heard each transition once, and the transitions form one path from NORMAL
     * to the final state: into minus out of each state is 1 for the final state, -1 for NORMAL, 0 otherwise (0 for
     * all when they are the same).
     */
    static void assertCountersAgree(BackpressureController controller, TransitionLog log) {
        long sum = 0;
        long calls = 0;
        for (PressureState s : PressureState.values()) {
            sum += controller.transitionsTo(s);
            calls += log.to(s);
            assertEquals(controller.transitionsTo(s), log.to(s), "listener calls into " + s);
            long balance = (s == controller.pressure() ? 1 : 0) - (s == NORMAL ? 1 : 0);
            assertEquals(balance, log.to(s) - log.from(s), "transitions into minus out of " + s);
        }
        assertEquals(controller.transitions(), sum, "the per-state counts add up to the total");
        assertEquals(controller.transitions(), calls, "one listener call per transition");
        assertEquals(0, log.selfLoops(), "no transition from a state to itself");
        assertEquals(0, controller.listenerFailures());
    }

    /**
     * Waits for the workers until a shared deadline; a worker still running then is reported stuck (and told to stop
     * through {@code failure}), well before the test's own timeout.
     */
    private static void joinAll(List<Thread> workers, AtomicReference<Throwable> failure, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (w.isAlive()) {
                failure.compareAndSet(null, new AssertionError(w.getName() + " is stuck after " + DEADLINE_MILLIS
                    + " ms: " + state.get()));
            }
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
    }

    private static Thread worker(String name, AtomicReference<Throwable> failure, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "backpressure-" + name);
        t.setDaemon(true);
        return t;
    }
}
