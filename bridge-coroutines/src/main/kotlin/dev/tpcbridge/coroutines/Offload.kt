package dev.tpcbridge.coroutines

import dev.tpcbridge.offload.DropAware
import dev.tpcbridge.offload.DropReason
import dev.tpcbridge.offload.OffloadCalls
import dev.tpcbridge.offload.OffloadPool
import dev.tpcbridge.offload.SubmitStatus
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.Continuation
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * Queues [task] on this pool, suspending while it is full instead of overflowing: for a coroutine producer that
 * prefers waiting to dropping. Woken by the pool's workers when they take a task (no polling). Returns
 * [SubmitStatus.QUEUED], or [SubmitStatus.CLOSED] once the pool is shut down (the task then went to its dropped-task
 * handler). Cancellation is prompt, and the task stays with the caller (not reported, not counted). Not for a
 * `COALESCE_BY_KEY` pool, which always has room: use `submit`.
 */
@ExperimentalBridgeApi
public suspend fun <T : Any> OffloadPool<T>.sendSuspending(task: T): SubmitStatus {
    while (true) {
        val status = offer(task)
        if (status != SubmitStatus.REJECTED_FULL) {
            return status
        }
        sendable().awaitReady() // room, or the shutdown: try again either way
    }
}

/**
 * Runs [block] on a worker of this pool and returns its value to the calling coroutine, resumed on the caller's own
 * dispatcher: on a data-plane core (a [CoreDispatcher]), the answer comes back as a task on the core's thread, so the
 * core never blocks on the slow work. Never waits for room: a call the pool refuses or drops (evicted, rejected,
 * abandoned, shut down) throws [OffloadCalls.OffloadDroppedException] naming why. Cancelling the caller does not stop
 * a block already running; its value is then dropped.
 */
@ExperimentalBridgeApi
public suspend fun <R> OffloadPool<Runnable>.runOffloaded(block: () -> R): R =
    suspendCancellableCoroutine { continuation ->
        submit(OffloadedBlock(block, continuation)) // a call not queued is dropped, so told so, at once
    }

/** A block that resumes its caller exactly once: with its value, its failure, or why it never ran. */
private class OffloadedBlock<R>(
    private val block: () -> R,
    private val continuation: Continuation<R>,
) : Runnable, DropAware {
    private val answered = AtomicBoolean()

    override fun run() {
        val result = runCatching(block)
        if (answered.compareAndSet(false, true)) {
            result.fold({ continuation.resume(it) }, { continuation.resumeWithException(it) })
        }
    }

    override fun dropped(reason: DropReason) {
        if (answered.compareAndSet(false, true)) {
            continuation.resumeWithException(OffloadCalls.OffloadDroppedException(reason))
        }
    }
}
