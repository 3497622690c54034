package dev.tpcbridge.coroutines

import dev.tpcbridge.backpressure.PressureState
import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.BridgeStatus
import dev.tpcbridge.bridge.CoreFailedException
import dev.tpcbridge.ring.ElementHandler
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.flow.StateFlow

/**
 * The control end of a [BridgeChannel] as suspending `send`/`receive`: a coroutine streams requests to the core
 * that attached the channel and takes its responses, with no thread in between (a [CoroutineBridgeClient] adds a
 * completion thread and a future per call; this adds nothing per message). For pipelines that keep many requests in
 * flight and recycle their envelopes and pages, such as the pump sample.
 *
 * ## Threads
 * The channel's control-handle rules hold: one sending coroutine at a time, and one receiving coroutine at a time
 * (which may be another one, on another thread). Coroutines may move between threads; the rings' release/acquire
 * ordering carries what the sender wrote into a request to the core, and what the core wrote into a response to the
 * receiver. Do not use the channel's control handle beside the endpoint, and do not give the channel to a
 * [dev.tpcbridge.bridge.BridgeClient] too.
 *
 * ## Suspending and cancellation
 * [send] suspends while the request ring is full and [receive] while no response is there, after polling [spins]
 * times; each is resumed by the other side's transition (the core's first pop from a full ring, its first answer
 * into an empty one, a close) through the rings' transition wakers. Cancellation is prompt and loses nothing: a
 * cancelled [send] did not send (the request, and any page it carries, stays with the caller); a cancelled
 * [receive] took nothing. The fast paths allocate nothing and do not suspend.
 *
 * ## Backpressure
 * [trySend] yields to it: a failed result while the request ring is `SUSPENDED`, as while it is full. [send]
 * waits only for room, as [BridgeChannel.ControlHandle.sendBlocking] does; [pressure] shows the state, for senders
 * that slow down on their own.
 *
 * ## Closing
 * [closeRequests]: no more requests; the core answers those already sent, and [receive] then throws
 * [ClosedReceiveChannelException]. [close] also stops taking responses: those not taken go to the channel's
 * undelivered-response handler. Either wakes every suspended caller. When the core ends first, the calls fail
 * likewise: with [ClosedSendChannelException] and [ClosedReceiveChannelException], or, when it failed,
 * [CoreFailedException] with its cause.
 *
 * @param Req the request type
 * @param Rsp the response type
 */
@ExperimentalBridgeApi
public class BridgeEndpoint<Req : Any, Rsp : Any>(
    /** The channel: attach it to a core ([dev.tpcbridge.runtime.Core.attach]); use its control end only here. */
    public val channel: BridgeChannel<Req, Rsp>,
    /** How many times [send] and [receive] poll before they suspend, at least 0. */
    public val spins: Int = DEFAULT_SPINS,
) : AutoCloseable {
    private val control = channel.control()
    private val pressureFlow = PressureFlow(channel.backpressure())

    init {
        require(spins >= 0) { "spins=$spins must be >= 0" }
    }

    /** The request ring's backpressure state, conflated. */
    public val pressure: StateFlow<PressureState> get() = pressureFlow.state

    /** Whether every response was taken and the channel is closed: [receive] would throw. */
    public val isClosedForReceive: Boolean get() = control.isClosed

    /**
     * Sends [request], suspending while the request ring is full.
     *
     * @throws ClosedSendChannelException if the channel is closed ([CoreFailedException] if its core failed); the
     *   request stays with the caller
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended; the request was not sent
     */
    public suspend fun send(request: Req) {
        if (control.offer(request) != BridgeStatus.OK && !spinOffer(request)) {
            sendSlow(request)
        }
    }

    /**
     * The spin phase: offers up to [spins] more times. Not a suspend function, so that spinning allocates nothing (a
     * suspend function's state machine is allocated per call).
     *
     * @return true if sent; false if still full, or closed (the slow path then reports it)
     */
    private fun spinOffer(request: Req): Boolean {
        for (i in 0 until spins) {
            when (control.offer(request)) {
                BridgeStatus.OK -> return true
                BridgeStatus.CLOSED -> return false
                else -> Thread.onSpinWait()
            }
        }
        return false
    }

    private suspend fun sendSlow(request: Req) {
        while (true) {
            when (control.offer(request)) {
                BridgeStatus.OK -> return
                BridgeStatus.CLOSED -> throw sendException()
                else -> control.requestsWritable().awaitReady()
            }
        }
    }

    /**
     * Sends [request] if the request ring has room and is not back-pressured, without suspending.
     *
     * @return success; a failed result when full or `SUSPENDED` (the request stays with the caller); a closed result
     *   when the channel is closed
     */
    @OptIn(InternalCoroutinesApi::class)
    public fun trySend(request: Req): ChannelResult<Unit> = when (control.send(request)) {
        BridgeStatus.OK -> ChannelResult.success(Unit)
        BridgeStatus.CLOSED -> ChannelResult.closed(sendException())
        else -> ChannelResult.failure()
    }

    /**
     * Receives the next response, suspending while there is none.
     *
     * @throws ClosedReceiveChannelException once the channel is closed and every response was taken
     *   ([CoreFailedException] if its core failed)
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receive(): Rsp = control.poll() ?: spinPoll() ?: receiveSlow()

    /** The spin phase: polls up to [spins] more times; null if nothing came (or closed). Allocates nothing. */
    private fun spinPoll(): Rsp? {
        for (i in 0 until spins) {
            val response = control.poll()
            if (response != null || control.isClosed) {
                return response
            }
            Thread.onSpinWait()
        }
        return null
    }

    private suspend fun receiveSlow(): Rsp {
        while (true) {
            val response = control.poll()
            when {
                response != null -> return response
                control.isClosed -> throw receiveException()
                else -> control.responsesReadable().awaitReady()
            }
        }
    }

    /**
     * Receives a response if one is there, without suspending.
     *
     * @return success with the response; a failed result when none is there; a closed result once closed and drained
     */
    @OptIn(InternalCoroutinesApi::class)
    public fun tryReceive(): ChannelResult<Rsp> {
        val response = control.poll()
        return when {
            response != null -> ChannelResult.success(response)
            control.isClosed -> ChannelResult.closed(receiveException())
            else -> ChannelResult.failure()
        }
    }

    /**
     * Receives a batch: suspends until at least one response is there, then hands up to [limit] responses to
     * [handler], in order, with one ring update for the batch.
     *
     * @return how many responses were handed over, at least 1
     * @throws ClosedReceiveChannelException once the channel is closed and every response was taken
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended (nothing was taken)
     */
    public suspend fun receiveBatch(limit: Int, handler: ElementHandler<in Rsp>): Int {
        require(limit >= 1) { "limit=$limit must be >= 1" }
        while (true) {
            val taken = control.drain(handler, limit)
            when {
                taken > 0 -> return taken
                control.isClosed -> throw receiveException()
                else -> control.responsesReadable().awaitReady()
            }
        }
    }

    /** No more requests: the core answers those already sent, then the receiver sees the close. The sender calls it. */
    public fun closeRequests() {
        control.closeRequests()
    }

    /**
     * Closes the control end: no more requests, and responses not yet taken go to the channel's undelivered-response
     * handler. Wakes every suspended caller. Idempotent; call it once no send or receive is running.
     */
    override fun close() {
        pressureFlow.close()
        control.close()
    }

    private fun sendException(): Throwable =
        channel.failure()?.let { CoreFailedException("the core failed; the request was not sent", it) }
            ?: ClosedSendChannelException("the bridge channel is closed")

    private fun receiveException(): Throwable =
        channel.failure()?.let { CoreFailedException("the core failed", it) }
            ?: ClosedReceiveChannelException("the bridge channel is closed and every response was taken")

    override fun toString(): String = "BridgeEndpoint[$channel]"

    private companion object {
        const val DEFAULT_SPINS = 128
    }
}
