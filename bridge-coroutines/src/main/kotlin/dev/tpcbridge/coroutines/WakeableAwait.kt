package dev.tpcbridge.coroutines

import dev.tpcbridge.wake.Wakeable
import dev.tpcbridge.wake.Waker
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.resume

/**
 * Suspends until this condition may hold: the coroutine's half of the project's wake protocol ([Wakeable]). It arms a
 * [Waker] that resumes the continuation, and does not suspend at all if [Wakeable.arm] finds the condition already
 * true. No thread blocks and nothing polls: the notifier's transition (a push into an empty ring, a pop from a full
 * one, a close) resumes the coroutine directly, on its dispatcher. A wake is a hint: the caller re-checks.
 *
 * Cancellable and prompt: cancelled while suspended, it withdraws the waker and throws [CancellationException], even
 * if a wake raced the cancellation (then nothing was taken: the caller re-checks nothing).
 */
internal suspend fun Wakeable.awaitReady() {
    suspendCancellableCoroutine { cont ->
        val waker = ContinuationWaker(cont)
        if (!arm(waker)) {
            waker.wake() // ready already: resume without suspending (the waker is not armed)
        } else {
            cont.invokeOnCancellation { disarm(waker) }
        }
    }
}

/**
 * Resumes one suspended coroutine, at most once: a wake from the notifier and the arm's own "ready" path may both
 * reach it (a notifier can take a waker an instant before `arm` withdraws it), and [Waker.wake] must never throw.
 */
private class ContinuationWaker(private val cont: CancellableContinuation<Unit>) : AtomicBoolean(), Waker {
    override fun wake() {
        if (compareAndSet(false, true)) {
            cont.resume(Unit) // ignored by a cancelled continuation; dispatched to the coroutine's dispatcher
        }
    }
}
