package dev.tpcbridge.internal;

/**
 * Marks the threads that complete a {@code BridgeClient}'s calls, so that a data plane's stop called from one (in a
 * call's callback) asks and returns instead of waiting for a drain that only that same thread can carry out.
 *
 * <p><b>Threads.</b> {@link #markCurrent()} on the completion thread itself, once, before it completes anything;
 * {@link #isCurrent()} from any thread, about the calling thread.
 */
public final class CompletionThreads {
    private static final ThreadLocal<Boolean> MARK = new ThreadLocal<>();

    private CompletionThreads() {
    }

    /** Marks the calling thread as a completion thread, for the rest of its life. */
    public static void markCurrent() {
        MARK.set(Boolean.TRUE);
    }

    /**
     * Whether the calling thread is a client's completion thread.
     *
     * @return {@code true} if {@link #markCurrent()} ran on it
     */
    public static boolean isCurrent() {
        return MARK.get() != null;
    }
}
