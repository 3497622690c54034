package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.ElementHandler
import dev.tpcbridge.wake.Wakeable
import dev.tpcbridge.wake.Waker
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlin.coroutines.resume

/**
 * The one suspending wait of this module, the coroutine twin of `dev.tpcbridge.wake.Waiter`: every suspending send and
 * receive ([RingChannel], [BridgeEndpoint]) tries, spins [spins] times (outside any suspend function, so spinning
 * allocates nothing), then suspends on the other side's [Wakeable] until its transition (or a close) resumes it. No
 * thread blocks and nothing polls. [send] and [receive] suspend on a [ReusableWait] of their side, so that once a
 * coroutine has waited here, its later waits allocate nothing; a second sender that finds the send side's in use, and
 * the other receiving calls, suspend through [awaitReady] (a new continuation each time). Cancellation is prompt: a
 * cancelled wait withdraws its waker; a cancelled send hands its element to [undelivered]; a cancelled receive took
 * nothing.
 *
 * @param S what is sent
 * @param R what is received
 */
internal abstract class SuspendingPort<S : Any, R : Any>(private val spins: Int) {
    /** Sends without waiting: [SENT], [FULL] or [CLOSED]. */
    abstract fun offer(element: S): Int

    /** Receives without waiting, or null. */
    abstract fun poll(): R?

    /** Hands up to [limit] elements to [handler], without waiting. */
    abstract fun drain(handler: ElementHandler<in R>, limit: Int): Int

    /** Whether the receiving side has seen everything it ever will. */
    abstract val isClosedForReceive: Boolean

    /** The receiver's condition: something to receive, or closed. */
    abstract val readable: Wakeable

    /** The sender's condition: room, or closed. */
    abstract val writable: Wakeable

    /** What a send finds closed throws. */
    abstract fun sendFailure(): Throwable

    /** What a receive finds closed and drained throws, or null for a normal close (receiveCatching's value). */
    abstract fun closeCause(): Throwable?

    /** What a receive finds closed and drained throws. */
    abstract fun receiveFailure(): Throwable

    /** An element that was not sent: a cancelled send's, or one refused as closed. */
    open fun undelivered(element: S) {}

    /** The receiving coroutine's wait: reused by every receive, so a receive that suspends allocates nothing. */
    private val receiveWait = object : ReusableWait<R>() {
        override fun attempt(): Any? = poll() ?: if (isClosedForReceive) throw receiveFailure() else NOT_READY
        override fun condition(): Wakeable = readable
    }

    /** The sending coroutine's wait (one sender at a time uses it; concurrent senders take [sendSlow]). */
    private val sendWait = object : ReusableWait<Unit>() {
        /** The element of the send that holds the claim; the claimer's. */
        var pending: S? = null

        override fun attempt(): Any? {
            val element = pending!!
            return when (offer(element)) {
                SENT -> {
                    pending = null
                    Unit
                }
                CLOSED -> {
                    pending = null
                    undelivered(element)
                    throw sendFailure()
                }
                else -> NOT_READY
            }
        }

        override fun condition(): Wakeable = writable

        override fun cancelled() {
            pending?.let { undelivered(it) }
            pending = null
        }
    }

    suspend fun send(element: S) {
        if (offer(element) != SENT && !spinOffer(element)) {
            if (sendWait.tryClaim()) sendReusing(element) else sendSlow(element)
        }
    }

    /** Waits on [sendWait], claimed by this caller: allocates nothing. */
    private suspend fun sendReusing(element: S): Unit = suspendCoroutineUninterceptedOrReturn { ucont ->
        sendWait.pending = element
        sendWait.await(ucont)
    }

    /** The spin phase: not a suspend function, so spinning allocates nothing. False if still full, or closed. */
    private fun spinOffer(element: S): Boolean {
        for (i in 0 until spins) {
            when (offer(element)) {
                SENT -> return true
                CLOSED -> return false
                else -> Thread.onSpinWait()
            }
        }
        return false
    }

    private suspend fun sendSlow(element: S) {
        while (true) {
            when (offer(element)) {
                SENT -> return
                CLOSED -> {
                    undelivered(element)
                    throw sendFailure()
                }
                else -> try {
                    writable.awaitReady()
                } catch (e: CancellationException) {
                    undelivered(element)
                    throw e
                }
            }
        }
    }

    fun trySend(element: S): BridgeResult<Unit> = when (offer(element)) {
        SENT -> BridgeResult.success(Unit)
        CLOSED -> BridgeResult.closed(sendFailure())
        else -> BridgeResult.failure()
    }

    suspend fun receive(): R =
        poll() ?: spinPoll() ?: if (receiveWait.tryClaim()) receiveReusing() else receiveSlow()

    /** Waits on [receiveWait], claimed by this caller: allocates nothing. */
    private suspend fun receiveReusing(): R =
        suspendCoroutineUninterceptedOrReturn { ucont -> receiveWait.await(ucont) }

    /** The spin phase: an answer due in microseconds is caught here, allocating nothing. Null if none (or closed). */
    private fun spinPoll(): R? {
        for (i in 0 until spins) {
            val element = poll()
            if (element != null || isClosedForReceive) {
                return element
            }
            Thread.onSpinWait()
        }
        return null
    }

    private suspend fun receiveSlow(): R {
        while (true) {
            val element = poll()
            when {
                element != null -> return element
                isClosedForReceive -> throw receiveFailure()
                else -> readable.awaitReady()
            }
        }
    }

    suspend fun receiveCatching(): BridgeResult<R> {
        while (true) {
            val element = poll()
            when {
                element != null -> return BridgeResult.success(element)
                isClosedForReceive -> return BridgeResult.closed(closeCause())
                else -> readable.awaitReady()
            }
        }
    }

    fun tryReceive(): BridgeResult<R> {
        val element = poll()
        return when {
            element != null -> BridgeResult.success(element)
            isClosedForReceive -> BridgeResult.closed(closeCause())
            else -> BridgeResult.failure()
        }
    }

    suspend fun receiveBatch(limit: Int, handler: ElementHandler<in R>): Int {
        require(limit >= 1) { "limit=$limit must be >= 1" }
        while (true) {
            val taken = drain(handler, limit)
            when {
                taken > 0 -> return taken
                isClosedForReceive -> throw receiveFailure()
                else -> readable.awaitReady()
            }
        }
    }

    companion object {
        const val SENT: Int = 0
        const val FULL: Int = 1
        const val CLOSED: Int = 2
    }
}

/**
 * Suspends until this condition may hold: the coroutine's half of the wake protocol. It arms a [Waker] that resumes
 * the continuation, and does not suspend if [Wakeable.arm] finds the condition true already. The notifier's transition
 * resumes the coroutine directly, on its dispatcher; woken, it disarms, as the protocol says, and the caller re-checks
 * (a wake is a hint). Cancelled while suspended, it abandons the waker ([Wakeable.abandon]: a wake that raced the
 * cancellation goes to the next waiter of a condition that wakes only as many as can make progress) and throws
 * [CancellationException].
 *
 * A condition with a park limit ([Wakeable.parkLimitNanos]) is not bounded here: this module waits only on rings and
 * bridge channels, whose conditions always wake.
 */
internal suspend fun Wakeable.awaitReady() {
    var armed: Waker? = null
    suspendCancellableCoroutine { cont ->
        val waker = ContinuationWaker(cont)
        if (!arm(waker)) {
            waker.wake() // ready already: resume without suspending (the waker is not armed)
        } else {
            armed = waker
            cont.invokeOnCancellation { abandon(waker) } // a wake it was given goes to the next waiter
        }
    }
    armed?.let { disarm(it) } // woken: back to try (a condition that wakes one waiter per unit counts on it)
}

/** Resumes one suspended coroutine, at most once: the notifier and the arm's "ready" path may both reach it. */
private class ContinuationWaker(private val cont: CancellableContinuation<Unit>) : AtomicBoolean(), Waker {
    override fun wake() {
        if (compareAndSet(false, true)) {
            cont.resume(Unit) // ignored by a cancelled continuation; dispatched to the coroutine's dispatcher
        }
    }
}
