package dev.tpcbridge.coroutines

import dev.tpcbridge.backpressure.PressureState
import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.BridgeStatus
import dev.tpcbridge.bridge.ControlHandle
import dev.tpcbridge.bridge.CoreFailedException
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.ring.ElementHandler
import dev.tpcbridge.wake.WaitPolicy
import dev.tpcbridge.wake.Wakeable
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.flow.StateFlow

/**
 * The control end of a [BridgeChannel] as suspending `send`/`receive`: a coroutine streams requests to the core that
 * attached the channel and takes its responses, with no thread in between (a [CoroutineBridgeClient] adds a completion
 * thread and a future per call; this adds nothing per message). For pipelines that keep many requests in flight and
 * recycle their envelopes and pages, such as the pump sample.
 *
 * ## Threads
 * The channel's control-handle rules hold: one sending coroutine at a time, and one receiving coroutine at a time
 * (which may be another, on another thread). The rings' release/acquire ordering carries what the sender wrote into a
 * request to the core, and what the core wrote into a response to the receiver. Use the channel's control end only
 * through this endpoint.
 *
 * ## Suspending and cancellation
 * [send] suspends while the request ring is full and [receive] while no response is there, after spinning
 * [waitPolicy]'s spins; the other side's transition (or a close) resumes them. Cancellation is prompt and loses
 * nothing: a cancelled [send] did not send (the request, and any page it carries, stays with the caller); a cancelled
 * [receive] took nothing. The fast paths allocate nothing and do not suspend.
 *
 * ## Backpressure
 * [trySend] yields to it (a failure while the request ring is `SUSPENDED`, as while it is full); [send] waits only for
 * room, as [ControlHandle.send] does; [pressure] shows the state, for senders that slow down on their own.
 *
 * ## Closing
 * [closeRequests]: no more requests; the core answers those already sent, and [receive] then throws
 * [ClosedReceiveChannelException]. [close] also stops taking responses: those not taken go to the channel's
 * undelivered-response handler. When the core ends first, the calls fail with [ClosedSendChannelException] and
 * [ClosedReceiveChannelException], or, when it failed, [CoreFailedException] with its cause.
 *
 * @param Req the request type
 * @param Rsp the response type
 */
@ExperimentalBridgeApi
public class BridgeEndpoint<Req : Any, Rsp : Any>(
    /** The channel: attach it to a core ([dev.tpcbridge.runtime.Core.attach]); use its control end only here. */
    public val channel: BridgeChannel<Req, Rsp>,
    /** How [send] and [receive] back off: they spin its spins, then suspend. */
    public val waitPolicy: WaitPolicy = WaitPolicy.DEFAULT,
) : AutoCloseable {
    private val control = channel.control()
    private val pressureFlow = PressureFlow(channel.backpressure())
    private val port = Port()

    public companion object {
        /**
         * An endpoint over a new channel of the library's envelopes (deadlines and cancellation enforced), configured
         * by [configure]; attach [channel] to a core.
         */
        public fun forEnvelopes(
            waitPolicy: WaitPolicy = WaitPolicy.DEFAULT,
            configure: BridgeChannel.Builder<Request, Response>.() -> Unit = {},
        ): BridgeEndpoint<Request, Response> =
            BridgeEndpoint(BridgeChannel.forEnvelopes().waitPolicy(waitPolicy).apply(configure).build(), waitPolicy)
    }

    /** The request ring's backpressure state, as a [StateFlow] that follows each transition. */
    public val pressure: StateFlow<PressureState> get() = pressureFlow.state

    /** Whether the channel is closed and every response was taken. The receiving coroutine. */
    public val isClosedForReceive: Boolean get() = control.isClosed

    /**
     * Sends [request] to the core, suspending while the request ring is full.
     *
     * @throws ClosedSendChannelException if the channel is closed ([CoreFailedException] if the core failed)
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended: the request was not sent
     */
    public suspend fun send(request: Req): Unit = port.send(request)

    /**
     * Sends [request] if the request ring has room and is not `SUSPENDED`, without suspending.
     *
     * @return success; a failure when full or back-pressured (the request stays with the caller); closed when closed
     */
    public fun trySend(request: Req): BridgeResult<Unit> = when (control.trySend(request)) {
        BridgeStatus.OK -> BridgeResult.success(Unit)
        BridgeStatus.CLOSED -> BridgeResult.closed(port.sendFailure())
        else -> BridgeResult.failure()
    }

    /**
     * Receives the next response, suspending while none is there.
     *
     * @throws ClosedReceiveChannelException once the channel is closed and every response was taken
     *   ([CoreFailedException] if the core failed)
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receive(): Rsp = port.receive()

    /**
     * Receives a response if one is there, without suspending.
     *
     * @return success with the response; a failure when none is there; closed once closed and drained
     */
    public fun tryReceive(): BridgeResult<Rsp> = port.tryReceive()

    /**
     * Receives a batch: suspends until at least one response is there, then hands up to [limit] to [handler], in
     * order, with one ring update for the batch.
     *
     * @return how many responses were handed over, at least 1
     * @throws ClosedReceiveChannelException (or [CoreFailedException]) once closed and drained
     */
    public suspend fun receiveBatch(limit: Int, handler: ElementHandler<in Rsp>): Int =
        port.receiveBatch(limit, handler)

    /** No more requests: the core answers those already sent, then [receive] sees the close. */
    public fun closeRequests() {
        control.closeRequests()
    }

    /** Closes the control end: no more requests, and responses not yet taken go to the undelivered handler. */
    override fun close() {
        pressureFlow.close()
        control.close()
    }

    override fun toString(): String = "BridgeEndpoint[$channel]"

    private inner class Port : SuspendingPort<Req, Rsp>(waitPolicy.spins()) {
        override fun offer(element: Req): Int = when (control.offer(element)) {
            BridgeStatus.OK -> SENT
            BridgeStatus.CLOSED -> CLOSED
            else -> FULL
        }

        override fun poll(): Rsp? = control.poll()

        override fun drain(handler: ElementHandler<in Rsp>, limit: Int): Int = control.drain(handler, limit)

        override val isClosedForReceive: Boolean get() = control.isClosed
        override val readable: Wakeable get() = control.responsesReadable()
        override val writable: Wakeable get() = control.requestsWritable()

        override fun sendFailure(): Throwable =
            channel.failure()?.let { CoreFailedException("the core failed; the request was not sent", it) }
                ?: ClosedSendChannelException("the bridge channel is closed")

        override fun closeCause(): Throwable? = channel.failure()?.let { CoreFailedException("the core failed", it) }

        override fun receiveFailure(): Throwable = closeCause()
            ?: ClosedReceiveChannelException("the bridge channel is closed and every response was taken")
    }
}
