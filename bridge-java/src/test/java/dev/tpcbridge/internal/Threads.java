package dev.tpcbridge.internal;

/** Test helpers about threads, shared by the packages' tests. */
public final class Threads {
    private Threads() {
    }

    /**
     * Spins (with yields) until {@code thread} is parked in WAITING or TIMED_WAITING, or fails after 10 s.
     *
     * @param thread the thread expected to park
     */
    public static void untilParked(Thread thread) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            final Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED || System.nanoTime() > deadline) {
                throw new AssertionError("thread " + thread.getName() + " did not park; state=" + state);
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
}
