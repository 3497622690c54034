package dev.tpcbridge.coroutines

import dev.tpcbridge.multicast.MulticastBuffer
import dev.tpcbridge.multicast.Subscriber
import dev.tpcbridge.multicast.PublishStatus
import dev.tpcbridge.ring.ElementHandler
import dev.tpcbridge.wake.Wakeable
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * A subscriber of this [MulticastBuffer] as a cold [Flow]: each collection subscribes when it starts (it sees the
 * elements published from then on, in order), and unsubscribes when it ends, however it ends.
 *
 * ## Suspending and cancellation
 * The collector suspends while nothing is published past it (after spinning the buffer's wait policy's spins), and
 * is resumed by the next publication or a close; it takes up to [batch] elements per wake-up with one sequence
 * update. Cancelling the collection unsubscribes: the subscriber no longer gates a lossless producer. Elements it had
 * taken in its last batch but not yet emitted are dropped with it.
 *
 * ## Closing
 * The flow completes once the producer side is closed and every element published before was emitted.
 *
 * ## Backpressure
 * Lossless: a slow collector holds the producer back ([publish] suspends, `offer` reports `FULL`). Lossy: a slow
 * collector is lapped and skips ahead; `Subscriber.lost()` is not visible through the flow, so collect a
 * `subscribe()`d subscriber yourself where the count matters.
 *
 * ```kotlin
 * val buffer = MulticastBuffer.lossless<String>(1024)
 * launch { buffer.asFlow().collect { println(it) } }
 * buffer.publish("hello")
 * buffer.close()
 * ```
 *
 * A busy-spin buffer (`MulticastBuffer.Builder.busySpin()`) has nothing to wake a suspended collector: collecting
 * it fails with `IllegalStateException` at the first wait.
 *
 * @param batch the most elements taken per wake-up, at least 1
 * @throws IllegalArgumentException if [batch] is less than 1
 */
@ExperimentalBridgeApi
public fun <E : Any> MulticastBuffer<E>.asFlow(batch: Int = 64): Flow<E> {
    require(batch >= 1) { "batch=$batch must be >= 1" }
    val buffer = this
    return flow {
        val subscriber = buffer.subscribe()
        try {
            val port = MulticastPort(buffer, subscriber)
            val taken = ArrayList<E>(batch)
            val handler = ElementHandler<E> { taken.add(it) }
            while (true) {
                try {
                    port.receiveBatch(batch, handler)
                } catch (closed: ClosedReceiveChannelException) {
                    return@flow
                }
                for (i in 0 until taken.size) {
                    emit(taken[i])
                }
                taken.clear()
            }
        } finally {
            subscriber.close()
        }
    }
}

/**
 * Publishes [element] to every subscriber of this lossless buffer, suspending while the slowest subscriber holds the
 * slot it needs: the suspending twin of `send` (a lossy buffer never suspends). The producer side's; one publishing
 * coroutine (or thread) at a time.
 *
 * ## Suspending and cancellation
 * After the buffer's wait policy's spins, it suspends until a subscriber advances, unsubscribes, or the buffer closes.
 * A cancelled publish did not publish: the element stays with the caller. A busy-spin buffer has nothing to wake a
 * suspended publisher: a publish that would suspend on it throws `IllegalStateException` instead.
 *
 * @throws ClosedSendChannelException if the producer side is closed (the element was not published)
 * @throws IllegalStateException if it would suspend on a busy-spin buffer (the element was not published)
 * @throws CancellationException if cancelled while suspended (the element was not published)
 */
@ExperimentalBridgeApi
public suspend fun <E : Any> MulticastBuffer<E>.publish(element: E) {
    if (offer(element) != PublishStatus.OK) { // the fast path allocates nothing
        MulticastPort(this, null).send(element)
    }
}

/** [SuspendingPort] over a multicast buffer's producer side and, when given, one subscriber. */
private class MulticastPort<E : Any>(
    private val buffer: MulticastBuffer<E>,
    private val subscriber: Subscriber<E>?,
) : SuspendingPort<E, E>(buffer.waitPolicy().spins()) {
    override fun offer(element: E): Int = when (buffer.offer(element)) {
        PublishStatus.OK -> SENT
        PublishStatus.FULL -> FULL
        else -> CLOSED
    }

    override fun poll(): E? = subscriber().poll()

    override fun drain(handler: ElementHandler<in E>, limit: Int): Int = subscriber().drain(handler, limit)

    override val isClosedForReceive: Boolean get() = subscriber().isClosedForPoll
    override val readable: Wakeable get() = subscriber().readable()
    override val writable: Wakeable get() = buffer.writable()

    override fun sendFailure(): Throwable = ClosedSendChannelException("the multicast buffer is closed: $buffer")

    override fun closeCause(): Throwable? = null

    override fun receiveFailure(): Throwable =
        ClosedReceiveChannelException("the multicast buffer is closed and drained: $buffer")

    private fun subscriber(): Subscriber<E> =
        subscriber ?: throw IllegalStateException("a publishing port has no subscriber")
}
