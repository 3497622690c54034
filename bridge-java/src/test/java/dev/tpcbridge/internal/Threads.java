package dev.tpcbridge.internal;

import dev.tpcbridge.wake.Waker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Test helpers about threads, shared by the packages' tests (the one home of each): wait until a thread parks, run a
 * blocking call in a thread, count wake calls, clocks that deadlines read without sleeping.
 */
public final class Threads {
    private Threads() {
    }

    /**
     * Spins (with yields) until {@code thread} is parked in WAITING or TIMED_WAITING, or fails after 10 s.
     *
     * @param thread the thread expected to park
     */
    public static void untilParked(Thread thread) {
        untilParked(thread, null);
    }

    /**
     * {@link #untilParked(Thread)}, naming {@code detail} (read only on failure) in the failure message.
     *
     * @param thread the thread expected to park
     * @param detail what else to report if the thread does not park (its result so far), or null
     */
    public static void untilParked(Thread thread, Object detail) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            final Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED || System.nanoTime() > deadline) {
                throw new AssertionError("thread " + thread.getName() + " did not park; state=" + state
                    + (detail == null ? "" : ", " + detail));
            }
            Thread.yield();
        }
    }

    /**
     * Yields until {@code condition} holds, failing after 10 s (a loop that cannot end hangs a test past its timeout,
     * which does not interrupt a spinning thread).
     *
     * @param condition the condition
     * @param what      what is awaited, for the failure message
     */
    public static void await(java.util.function.BooleanSupplier condition, String what) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting after 10 s for " + what);
            }
            Thread.yield();
        }
    }

    /**
     * Asserts that {@code thread} uses less than 20 ms of CPU over the next 200 ms: a parked thread, not a spinning
     * one. Aborts the test (skipped) where the JVM has no per-thread CPU time.
     *
     * @param thread the thread that should be parked
     * @param what   what the thread is, for the failure message ("an idle completer")
     * @throws InterruptedException if interrupted while sleeping
     */
    public static void assertParksInsteadOfSpinning(Thread thread, String what) throws InterruptedException {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean.isThreadCpuTimeSupported(), "needs thread CPU time");
        long before = bean.getThreadCpuTime(thread.getId());
        Thread.sleep(200);
        long used = bean.getThreadCpuTime(thread.getId()) - before;
        if (used >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20)) {
            throw new AssertionError(what + " used " + used + " ns of CPU in 200 ms: it must park, not spin");
        }
    }

    /**
     * Joins {@code thread} for at most 10 s, failing if it is still alive: a hang becomes a test failure.
     *
     * @param thread the thread
     * @throws InterruptedException if interrupted
     */
    public static void joinOrFail(Thread thread) throws InterruptedException {
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("thread " + thread.getName() + " still runs after 10 s: a hang; state="
                + thread.getState());
        }
    }

    /**
     * A factory of virtual threads (JDK 21+, reached by reflection so that the tests compile for 17), or the test is
     * aborted (reported as skipped) on an older JDK.
     *
     * @return the factory
     * @throws Exception if the reflective calls fail
     */
    public static java.util.concurrent.ThreadFactory virtualThreadFactoryOrAbort() throws Exception {
        final java.lang.reflect.Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            org.junit.jupiter.api.Assumptions.abort("virtual threads need JDK 21+");
            throw new AssertionError("unreachable");
        }
        final Object builder = ofVirtual.invoke(null);
        // Through the public interface Thread.Builder: the builder's own class is internal to java.base.
        return (java.util.concurrent.ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory")
            .invoke(builder);
    }

    // ---------------------------------------------------------------- a blocking call in its own thread

    /**
     * A call that may block and throw.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * Runs the call.
         *
         * @return the result
         * @throws Exception whatever the call throws
         */
        T call() throws Exception;
    }

    /**
     * Starts {@code body} in a new daemon thread named {@code name}; its result (or failure) completes
     * {@link Running#result}.
     *
     * @param name the thread's name
     * @param body the call
     * @param <T>  the result type
     * @return the running call
     */
    public static <T> Running<T> run(String name, Call<T> body) {
        return new Running<>(name, body, null);
    }

    /**
     * {@link #run(String, Call)} in a thread made by {@code factory} (a virtual thread, say).
     *
     * @param factory makes the thread (not started)
     * @param body    the call
     * @param <T>     the result type
     * @return the running call
     */
    public static <T> Running<T> run(java.util.concurrent.ThreadFactory factory, Call<T> body) {
        return new Running<>(null, body, factory);
    }

    /**
     * A thread running a blocking call, with its result.
     *
     * @param <T> the result type
     */
    public static final class Running<T> {
        /** The thread (started). */
        public final Thread thread;
        /** Completed with the call's result, or exceptionally with what it threw. */
        public final CompletableFuture<T> result = new CompletableFuture<>();

        Running(String name, Call<T> body, java.util.concurrent.ThreadFactory factory) {
            final Runnable task = () -> {
                try {
                    result.complete(body.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            };
            if (factory == null) {
                thread = new Thread(task, name);
                thread.setDaemon(true);
            } else {
                thread = factory.newThread(task);
            }
            thread.start();
        }

        /**
         * Waits until the thread is parked ({@link Threads#untilParked(Thread)}), or fails after 10 s naming the
         * result so far.
         *
         * @return this
         */
        public Running<T> untilParked() {
            Threads.untilParked(thread, result);
            return this;
        }
    }

    // ---------------------------------------------------------------- wakers

    /** A waker that counts its calls instead of unparking anybody. */
    public static final class CountingWaker implements Waker {
        /** How many times {@link #wake()} was called. */
        public final AtomicInteger calls = new AtomicInteger();

        @Override
        public void wake() {
            calls.incrementAndGet();
        }

        /**
         * Whether it was called at least once.
         *
         * @return {@code true} once woken
         */
        public boolean woken() {
            return calls.get() > 0;
        }
    }

    // ---------------------------------------------------------------- clocks

    /**
     * A nano clock that moves {@code step} nanoseconds forward at every read (the first read returns {@code step}),
     * so that deadlines pass without sleeping; counts its reads. Thread-safe.
     */
    public static final class SteppingClock implements LongSupplier {
        private final long step;
        private final AtomicLong now = new AtomicLong();
        private final AtomicInteger reads = new AtomicInteger();

        /**
         * A clock at 0 that moves {@code step} ns at every read.
         *
         * @param step nanoseconds per read
         */
        public SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public long getAsLong() {
            reads.incrementAndGet();
            return now.addAndGet(step);
        }

        /**
         * The time of the last read (0 before the first), without reading the clock.
         *
         * @return nanoseconds
         */
        public long now() {
            return now.get();
        }

        /**
         * How many times the clock was read.
         *
         * @return the read count
         */
        public int reads() {
            return reads.get();
        }
    }

    /** A nano clock that moves only when the test says so; starts at 1 000. Thread-safe. */
    public static final class ManualClock implements LongSupplier {
        private final AtomicLong now = new AtomicLong(1_000);

        @Override
        public long getAsLong() {
            return now.get();
        }

        /**
         * Moves the clock forward.
         *
         * @param nanos how far
         */
        public void advance(long nanos) {
            now.addAndGet(nanos);
        }
    }
}
