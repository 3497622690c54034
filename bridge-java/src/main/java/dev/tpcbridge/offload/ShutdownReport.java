package dev.tpcbridge.offload;

/**
 * How a {@link OffloadPool#shutdown} ended.
 *
 * @param drained   {@code true} if every queued task ran before the deadline
 * @param abandoned tasks still queued at the deadline, handed to the dropped-task handler as
 *                  {@link DropReason#ABANDONED}
 * @param running   tasks still running at the deadline (they finish; their workers then stop)
 */
public record ShutdownReport(boolean drained, long abandoned, int running) {
}
