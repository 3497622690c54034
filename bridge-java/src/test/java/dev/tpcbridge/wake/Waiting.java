package dev.tpcbridge.wake;

import java.util.concurrent.atomic.AtomicInteger;

/** Test helpers: wait until a thread is parked, count wake calls. */
final class Waiting {
    private Waiting() {
    }

    /** Spins (with yields) until {@code thread} is parked in WAITING or TIMED_WAITING, or fails after 10 s. */
    static void untilParked(Thread thread) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED || System.nanoTime() > deadline) {
                throw new AssertionError("thread " + thread.getName() + " did not park; state=" + state);
            }
            Thread.yield();
        }
    }

    /** A waker that counts its calls. */
    static final class CountingWaker implements Waker {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void wake() {
            calls.incrementAndGet();
        }
    }

    /** A clock that moves {@code step} nanoseconds forward at every read, so that deadlines pass without sleeping. */
    static final class SteppingClock implements java.util.function.LongSupplier {
        private final long step;
        final AtomicInteger reads = new AtomicInteger();
        private long now;

        SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public synchronized long getAsLong() {
            reads.incrementAndGet();
            now += step;
            return now;
        }
    }
}
