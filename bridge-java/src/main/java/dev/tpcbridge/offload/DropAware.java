package dev.tpcbridge.offload;

/**
 * A task that wants to know when it will not run: an {@link OffloadPool} calls {@link #dropped} on it (before the
 * pool's {@link DroppedTaskHandler}) on the thread that drops it, so that a task carrying a future or a continuation
 * can complete it instead of leaving its caller waiting. Quick and non-blocking, as that handler.
 */
public interface DropAware {
    /**
     * This task will not run.
     *
     * @param reason why
     */
    void dropped(DropReason reason);
}
