package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.ElementHandler
import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.ring.WakingRing
import dev.tpcbridge.wake.Wakeable
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import java.util.concurrent.atomic.AtomicReference

/**
 * Suspending `send`/`receive` over a [WakingRing], in kotlinx's vocabulary: the hand-off between threads and
 * coroutines (a data-plane core publishing into a ring that a coroutine receives from, or the reverse) without a
 * blocked thread and without polling.
 *
 * ## Threads
 * The ring's rules hold: one receiving coroutine (or thread) at a time; one sending one at a time for an SPSC ring,
 * any number for an MPSC ring. The ring's release/acquire ordering carries what a sender wrote to the receiver. Plain
 * threads may use the ring itself on the other side.
 *
 * ## Suspending and cancellation
 * [send] suspends while the ring is full, [receive] while it is empty, after spinning the ring's
 * [WakingRing.waitPolicy] spins; the other side's transition (or a close) resumes them. Cancellation is prompt: a
 * cancelled [receive] took nothing; a cancelled [send] did not send, and its element goes to `onUndeliveredElement`,
 * as in kotlinx `Channel`. Suspended senders are not served first come, first served; each sender's own elements keep
 * their order. Nothing on the fast path allocates or suspends.
 *
 * ## Closing
 * [close] closes the sending side (optionally with a cause): receivers drain, then [receive] throws the cause, or
 * [ClosedReceiveChannelException]; [send] throws [ClosedSendChannelException] (or the cause). [cancel] closes the
 * receiving side: buffered elements go to `onUndeliveredElement`. Both wake every suspended caller.
 *
 * ```kotlin
 * val channel = RingChannel.spsc<String>(1024)
 * launch { for (i in 0 until 3) channel.send("message-$i"); channel.close() }
 * for (message in channel) println(message)
 * ```
 *
 * @param E the element type (no nulls)
 */
@ExperimentalBridgeApi
public class RingChannel<E : Any> private constructor(
    /** The ring underneath, for Java code on the other side and for its metrics. */
    public val ring: WakingRing<E>,
    private val onUndeliveredElement: ((E) -> Unit)?,
) {
    private val closeCause = AtomicReference<Throwable?>(null)
    private val port = Port()

    public companion object {
        /**
         * A channel over a new single-producer, single-consumer ring.
         *
         * @param capacity the ring's capacity (rounded up to a power of two)
         * @param onUndeliveredElement receives an element that was not delivered: a cancelled send's, or one left
         *   buffered when the receiving side was cancelled; it must not throw or suspend
         */
        public fun <E : Any> spsc(capacity: Int, onUndeliveredElement: ((E) -> Unit)? = null): RingChannel<E> =
            of(WakingRing.builder<E>().capacity(capacity), onUndeliveredElement)

        /**
         * A channel over a new multi-producer, single-consumer ring: any number of senders.
         *
         * @param capacity the ring's capacity (rounded up to a power of two)
         * @param onUndeliveredElement as for [spsc]
         */
        public fun <E : Any> mpsc(capacity: Int, onUndeliveredElement: ((E) -> Unit)? = null): RingChannel<E> =
            of(WakingRing.builder<E>().capacity(capacity).multiProducer(true), onUndeliveredElement)

        /**
         * A channel over a ring configured by [builder] (backpressure, wait policy, clock, ...); its
         * undelivered-element handler is set to [onUndeliveredElement].
         */
        public fun <E : Any> of(
            builder: WakingRing.Builder<E>,
            onUndeliveredElement: ((E) -> Unit)? = null,
        ): RingChannel<E> {
            if (onUndeliveredElement != null) {
                builder.onUndelivered { onUndeliveredElement(it) }
            }
            return RingChannel(builder.build(), onUndeliveredElement)
        }
    }

    /** Whether [close] or [cancel] was called: [send] would fail. */
    public val isClosedForSend: Boolean get() = ring.isClosedForOffer

    /** Whether the channel is closed and every element sent before was received. */
    public val isClosedForReceive: Boolean get() = ring.isClosedForPoll

    /**
     * Sends [element], suspending while the ring is full.
     *
     * @throws ClosedSendChannelException if the channel is closed (or its close cause); the element goes to
     *   `onUndeliveredElement`
     * @throws CancellationException if cancelled while suspended; the element goes to `onUndeliveredElement`
     */
    public suspend fun send(element: E): Unit = port.send(element)

    /**
     * Sends [element] if there is room now, without suspending.
     *
     * @return success; a failure when the ring is full (the element stays with the caller); closed when closed
     */
    public fun trySend(element: E): BridgeResult<Unit> = port.trySend(element)

    /**
     * Receives the next element, suspending while the ring is empty.
     *
     * @throws ClosedReceiveChannelException if the channel was closed without a cause and everything was received
     * @throws Throwable the close cause, if closed with one and everything was received
     * @throws CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receive(): E = port.receive()

    /**
     * Receives the next element, or the closed state as a value, suspending while the ring is empty.
     *
     * @throws CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receiveCatching(): BridgeResult<E> = port.receiveCatching()

    /**
     * Receives an element if one is there, without suspending.
     *
     * @return success with the element; a failure when empty; closed when closed and empty
     */
    public fun tryReceive(): BridgeResult<E> = port.tryReceive()

    /**
     * Receives a batch: suspends until at least one element is there, then hands up to [limit] elements to [action],
     * in order, with one ring update for the batch.
     *
     * @return how many elements were handed over, at least 1
     * @throws ClosedReceiveChannelException (or the close cause) if closed and everything was received
     * @throws CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receiveBatch(limit: Int, action: (E) -> Unit): Int =
        port.receiveBatch(limit, ElementHandler { action(it) })

    /**
     * An iterator for `for (element in channel)`: `hasNext` suspends until an element is there (true) or the channel is
     * closed and drained (false, or the close cause thrown). The receiving side's.
     */
    public operator fun iterator(): ChannelIterator<E> = object : ChannelIterator<E> {
        private var next: E? = null

        override suspend fun hasNext(): Boolean {
            if (next != null) {
                return true
            }
            val result = port.receiveCatching()
            if (result.isClosed) {
                result.exceptionOrNull()?.let { throw it }
                return false
            }
            next = result.getOrThrow()
            return true
        }

        override fun next(): E {
            val element = next ?: throw NoSuchElementException("call hasNext() first")
            next = null
            return element
        }
    }

    /**
     * Closes the sending side: receivers get what was sent, then the close. Wakes every suspended caller. Idempotent;
     * the first cause wins. On an SPSC ring the sending side calls it (or anyone once no send is in progress); on an
     * MPSC ring any thread may.
     *
     * @param cause thrown to receivers once they received everything; null for a normal close
     * @return true if this call closed the channel
     */
    public fun close(cause: Throwable? = null): Boolean {
        val first = closeCause.compareAndSet(null, cause ?: NORMAL_CLOSE)
        ring.closeProducer()
        return first
    }

    /**
     * Closes the receiving side: buffered elements go to `onUndeliveredElement`, senders see the channel closed. The
     * receiving coroutine (or thread) calls it. Wakes every suspended caller. Idempotent.
     *
     * @param cause thrown to later senders; null for a plain cancellation
     */
    public fun cancel(cause: CancellationException? = null) {
        closeCause.compareAndSet(null, cause ?: CancellationException("the receiving side was cancelled"))
        ring.closeConsumer()
    }

    /** Hands [element] to `onUndeliveredElement`, if there is one (for the adapters). */
    internal fun undelivered(element: E) {
        onUndeliveredElement?.invoke(element)
    }

    private fun cause(): Throwable? = closeCause.get().takeUnless { it === NORMAL_CLOSE }

    override fun toString(): String = "RingChannel[$ring]"

    private inner class Port : SuspendingPort<E, E>(ring.waitPolicy().spins()) {
        override fun offer(element: E): Int = when (ring.offer(element)) {
            OfferStatus.OK -> SENT
            OfferStatus.FULL -> FULL
            else -> CLOSED
        }

        override fun poll(): E? = ring.poll()

        override fun drain(handler: ElementHandler<in E>, limit: Int): Int = ring.drain(handler, limit)

        override val isClosedForReceive: Boolean get() = ring.isClosedForPoll
        override val readable: Wakeable get() = ring.readable()
        override val writable: Wakeable get() = ring.sendable()

        override fun sendFailure(): Throwable = cause() ?: ClosedSendChannelException("the channel is closed")

        override fun closeCause(): Throwable? = cause()

        override fun receiveFailure(): Throwable = cause() ?: ClosedReceiveChannelException("the channel is closed")

        override fun undelivered(element: E) {
            onUndeliveredElement?.invoke(element)
        }
    }
}

/** A normal close's marker (a close with no cause), so that the first close wins even without a cause. */
private val NORMAL_CLOSE = ClosedSendChannelException("closed normally")
