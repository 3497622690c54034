package dev.tpcbridge.runtime;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.CpuAffinity;

import java.util.concurrent.ThreadFactory;

/**
 * Control-plane threads that never run pinned: a thread inherits the CPU mask of the thread that starts it, so a
 * thread started from a pinned core (an executor's worker created lazily by a task that ran on the core, say) would
 * otherwise share that core's CPU. Any thread.
 */
public final class ControlThreads {
    private ControlThreads() {
    }

    /**
     * Wraps {@code delegate} so that each thread it makes first resets itself to the process's base CPU mask (as seen
     * before any core pinned), then runs its task. Does nothing more when no thread was ever pinned (OpenHFT Affinity
     * is then not even loaded) or pinning is not available.
     *
     * @param delegate the factory that names and configures the threads
     * @return the wrapping factory
     * @throws IllegalArgumentException if {@code delegate} is null
     */
    public static ThreadFactory unpinned(ThreadFactory delegate) {
        Checks.notNull("delegate", delegate);
        // Affinity is not loaded here: a thread can inherit a pinned mask only after a core pinned, and a plane that
        // pins reads the base mask when it is built, on the control plane, before any of its cores starts.
        return runnable -> delegate.newThread(() -> {
            CpuAffinity.unpinCurrentThread();
            runnable.run();
        });
    }
}
