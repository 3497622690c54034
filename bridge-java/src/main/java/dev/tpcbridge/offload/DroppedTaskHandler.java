package dev.tpcbridge.offload;

/**
 * Told of every task that will not run, once each, so that nothing vanishes silently. It runs on the thread that
 * dropped the task: a submitter (eviction, replacement, refusal: possibly a data-plane core, so it must be quick and
 * never block), a worker or the thread that closed the pool (abandonment). An exception it throws is logged and
 * swallowed.
 *
 * @param <T> the task type
 */
@FunctionalInterface
public interface DroppedTaskHandler<T> {
    /**
     * A task will not run.
     *
     * @param task   the task
     * @param reason why
     */
    void dropped(T task, DropReason reason);
}
