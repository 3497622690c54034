package dev.tpcbridge.offload;

/**
 * Runs one task on a worker thread of an {@link OffloadPool}. Any number of workers call it at once, each with its
 * own task. An exception it throws is isolated: counted as failed, reported to the pool's failure hook, and the worker
 * goes on.
 *
 * @param <T> the task type
 */
@FunctionalInterface
public interface TaskHandler<T> {
    /**
     * Does the work of {@code task}.
     *
     * @param task a task handed to {@link OffloadPool#submit}; never null
     * @throws Exception a failure, counted by {@link OffloadPool#failed()}
     */
    void handle(T task) throws Exception;
}
