package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.wake.WakingRing
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.channels.ChannelResult
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
 * any number for an MPSC ring. Coroutines may move between threads; the ring's release/acquire ordering carries what
 * a sender wrote before [send] to the receiver. Plain threads may use the ring itself on the other side.
 *
 * ## Suspending and cancellation
 * [send] suspends while the ring is full, [receive] while it is empty, after polling for the ring's spin phase
 * ([WakingRing.Builder.spinTries], 128 by default; 0 suspends at once); each is resumed directly by the other side's
 * transition (the first push into an empty ring, the first pop from a full one, a close) through the ring's transition
 * wakers. Both are cancellable with prompt cancellation: a cancelled [receive] took nothing (the element stays in the
 * ring for the next receive); a cancelled [send] did not send, and its element goes to `onUndeliveredElement`, as in
 * kotlinx `Channel`. A receive that returns an element never loses it to a cancellation: the element is taken by the
 * receiving coroutine itself, after it resumed. Nothing on the fast path allocates or suspends.
 *
 * ## Closing
 * [close] closes the sending side (with an optional cause): receivers drain what was sent, then [receive] throws the
 * cause, or [ClosedReceiveChannelException] without one; [send] throws [ClosedSendChannelException] (or the cause).
 * [cancel] closes the receiving side: buffered elements go to `onUndeliveredElement`, and senders see the channel
 * closed. Both wake every suspended caller at once.
 *
 * Suspended senders are not served first come, first served: a freed slot goes to whichever sender offers first
 * (a woken one, or one that never suspended), as with a lock without fairness. Each sender's own elements keep
 * their order.
 *
 * ## Backpressure
 * A ring built with a backpressure configuration keeps it ([WakingRing.backpressure]); [trySend] reports a full ring
 * as a failed result, and [send] waits for room.
 *
 * ```kotlin
 * val channel = RingChannel.spsc<String>(1024)
 * launch { for (i in 0 until 3) channel.send("message-$i"); channel.close() }
 * val received = channel.consumeAsFlow().toList()
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
         * A channel over a ring configured by [builder] (backpressure, spin and yield tries, clock, ...); its
         * undelivered-element handler is set to [onUndeliveredElement].
         */
        public fun <E : Any> of(builder: WakingRing.Builder<E>, onUndeliveredElement: ((E) -> Unit)? = null): RingChannel<E> {
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
    public suspend fun send(element: E) {
        if (ring.offer(element) != OfferStatus.OK && !spinOffer(element)) {
            sendSlow(element)
        }
    }

    /**
     * The ring's spin phase, before suspending: offers up to [WakingRing.spinTries] more times. Not a suspend
     * function, so that spinning allocates nothing (a suspend function's state machine is allocated per call).
     *
     * @return true if sent; false if still full, or closed (the slow path then reports it)
     */
    private fun spinOffer(element: E): Boolean {
        for (i in 0 until ring.spinTries()) {
            when (ring.offer(element)) {
                OfferStatus.OK -> return true
                OfferStatus.CLOSED -> return false
                else -> Thread.onSpinWait()
            }
        }
        return false
    }

    private suspend fun sendSlow(element: E) {
        while (true) {
            when (ring.offer(element)) {
                OfferStatus.OK -> return
                OfferStatus.CLOSED -> {
                    onUndeliveredElement?.invoke(element)
                    throw sendException()
                }
                else -> try {
                    ring.writable().awaitReady()
                } catch (e: CancellationException) {
                    onUndeliveredElement?.invoke(element)
                    throw e
                }
            }
        }
    }

    /**
     * Sends [element] if there is room now, without suspending.
     *
     * @return success; a failed result when the ring is full (the element stays with the caller); a closed result
     *   when the channel is closed
     */
    @OptIn(InternalCoroutinesApi::class)
    public fun trySend(element: E): ChannelResult<Unit> = when (ring.offer(element)) {
        OfferStatus.OK -> ChannelResult.success(Unit)
        OfferStatus.FULL -> ChannelResult.failure()
        else -> ChannelResult.closed(sendException())
    }

    /**
     * Receives the next element, suspending while the ring is empty.
     *
     * @throws ClosedReceiveChannelException if the channel was closed without a cause and everything was received
     * @throws Throwable the close cause, if closed with one and everything was received
     * @throws CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receive(): E = ring.poll() ?: spinPoll() ?: receiveSlow()

    /**
     * The ring's spin phase, before suspending: polls up to [WakingRing.spinTries] more times (an answer due in
     * microseconds is caught here). Not a suspend function, so that spinning allocates nothing.
     *
     * @return the element, or null if none came (or the channel is closed: the slow path then reports it)
     */
    private fun spinPoll(): E? {
        for (i in 0 until ring.spinTries()) {
            val element = ring.poll()
            if (element != null || ring.isClosedForPoll) {
                return element
            }
            Thread.onSpinWait()
        }
        return null
    }

    private suspend fun receiveSlow(): E {
        while (true) {
            val element = ring.poll()
            if (element != null) {
                return element
            }
            if (ring.isClosedForPoll) {
                throw receiveException()
            }
            ring.readable().awaitReady()
        }
    }

    /**
     * Receives the next element, or the channel's closed state as a value, suspending while the ring is empty.
     *
     * @throws CancellationException if cancelled while suspended (nothing was taken)
     */
    @OptIn(InternalCoroutinesApi::class)
    public suspend fun receiveCatching(): ChannelResult<E> {
        while (true) {
            val element = ring.poll()
            if (element != null) {
                return ChannelResult.success(element)
            }
            if (ring.isClosedForPoll) {
                return ChannelResult.closed(cause())
            }
            ring.readable().awaitReady()
        }
    }

    /**
     * Receives an element if one is there, without suspending.
     *
     * @return success with the element; a failed result when empty; a closed result when closed and empty
     */
    @OptIn(InternalCoroutinesApi::class)
    public fun tryReceive(): ChannelResult<E> {
        val element = ring.poll()
        return when {
            element != null -> ChannelResult.success(element)
            ring.isClosedForPoll -> ChannelResult.closed(cause())
            else -> ChannelResult.failure()
        }
    }

    /**
     * Receives a batch: suspends until at least one element is there, then hands up to [limit] elements to
     * [action], in order, with one ring update for the batch.
     *
     * @return how many elements were handed over, at least 1
     * @throws ClosedReceiveChannelException (or the close cause) if closed and everything was received
     * @throws CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receiveBatch(limit: Int, action: (E) -> Unit): Int {
        require(limit >= 1) { "limit=$limit must be >= 1" }
        while (true) {
            val taken = ring.drain({ action(it) }, limit)
            if (taken > 0) {
                return taken
            }
            if (ring.isClosedForPoll) {
                throw receiveException()
            }
            ring.readable().awaitReady()
        }
    }

    /**
     * Closes the sending side: receivers get what was sent, then the close. Wakes every suspended caller.
     * Idempotent; the first cause wins. On an SPSC ring the sending side calls it (or anyone once no send is in
     * progress); on an MPSC ring any thread may.
     *
     * @param cause why, thrown to receivers once they received everything; null for a normal close
     * @return true if this call closed the channel
     */
    public fun close(cause: Throwable? = null): Boolean {
        val first = closeCause.compareAndSet(null, cause ?: NORMAL_CLOSE)
        ring.closeProducer()
        return first
    }

    /**
     * Closes the receiving side: buffered elements go to `onUndeliveredElement`, senders see the channel closed.
     * The receiving coroutine (or thread) calls it. Wakes every suspended caller. Idempotent.
     *
     * @param cause why, thrown to later senders; null for a plain cancellation
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

    private fun sendException(): Throwable = cause() ?: ClosedSendChannelException("the channel is closed")

    private fun receiveException(): Throwable = cause() ?: ClosedReceiveChannelException("the channel is closed")

    override fun toString(): String = "RingChannel[$ring]"
}

/** A normal close's marker (a close with no cause), so that the first close wins even without a cause. */
private val NORMAL_CLOSE = ClosedSendChannelException("closed normally")
