package dev.tpcbridge.logbuf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Test helpers: run a blocking call in a thread, wait until a thread parks, a clock that steps. */
final class Blocking {
    private Blocking() {
    }

    interface Call<T> {
        T call() throws Exception;
    }

    /** A thread running a blocking call, with its result. */
    static final class Running<T> {
        final Thread thread;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Running(String name, Call<T> body) {
            thread = new Thread(() -> {
                try {
                    result.complete(body.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Spins (with yields) until the thread is parked in WAITING or TIMED_WAITING, or fails after 10 s. */
        Running<T> untilParked() {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                Thread.State state = thread.getState();
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                    return this;
                }
                if (state == Thread.State.TERMINATED || System.nanoTime() > deadline) {
                    throw new AssertionError("thread " + thread.getName() + " did not park; state=" + state
                        + ", result=" + result);
                }
                Thread.yield();
            }
        }
    }

    static <T> Running<T> run(String name, Call<T> body) {
        return new Running<>(name, body);
    }

    /** A clock that moves {@code step} ns at every read, so that deadlines pass without sleeping; thread-safe. */
    static final class SteppingClock implements LongSupplier {
        private final long step;
        final AtomicLong now = new AtomicLong();

        SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public long getAsLong() {
            return now.addAndGet(step);
        }
    }

    /** A clock that moves only when the test says so. */
    static final class ManualClock implements LongSupplier {
        final AtomicLong now = new AtomicLong(1_000);

        @Override
        public long getAsLong() {
            return now.get();
        }

        void advance(long nanos) {
            now.addAndGet(nanos);
        }
    }
}
