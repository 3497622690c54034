package dev.tpcbridge.coroutines

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.isActive
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The channel's elements as a hot [Flow] that may be collected again after a collector stopped (each element goes to
 * one collector): the collector receives until the channel is closed, then completes, or throws the close cause.
 * Cancelling a collection leaves the channel open and the element it had not taken in the ring.
 */
@ExperimentalBridgeApi
public fun <E : Any> RingChannel<E>.receiveAsFlow(): Flow<E> = flow { emitAllFrom(this@receiveAsFlow) }

/**
 * The channel's elements as a [Flow] that may be collected once: when the collection ends (the channel closed, the
 * collector failed or was cancelled) the receiving side is cancelled ([RingChannel.cancel]), so buffered elements go
 * to `onUndeliveredElement`. A second collection throws [IllegalStateException].
 */
@ExperimentalBridgeApi
public fun <E : Any> RingChannel<E>.consumeAsFlow(): Flow<E> {
    val consumed = AtomicBoolean()
    return flow {
        check(consumed.compareAndSet(false, true)) { "consumeAsFlow() can be collected only once: $this" }
        try {
            emitAllFrom(this@consumeAsFlow)
        } finally {
            cancel()
        }
    }
}

/**
 * A kotlinx [ReceiveChannel] fed from this ring channel by a coroutine launched in [scope], until this channel is
 * closed (the kotlinx channel is then closed with the same cause) or the kotlinx channel is cancelled or [scope] is
 * (then this channel's receiving side is cancelled too). The kotlinx channel buffers up to [capacity] elements; an
 * element taken from the ring that the kotlinx channel can no longer take goes to this channel's
 * `onUndeliveredElement`, like the elements left in the ring.
 */
@ExperimentalBridgeApi
@OptIn(DelicateCoroutinesApi::class) // CoroutineStart.ATOMIC, so that the cleanup below always runs
public fun <E : Any> RingChannel<E>.produceIn(scope: CoroutineScope, capacity: Int = 0): ReceiveChannel<E> {
    val source = this
    val out = Channel<E>(capacity) { source.undelivered(it) }
    // ATOMIC: the body starts even in a cancelled scope, so its finally always closes both channels.
    val pump = scope.launch(start = CoroutineStart.ATOMIC) {
        var failure: Throwable? = null
        try {
            while (true) {
                val result = source.receiveCatching()
                if (result.isClosed) {
                    failure = result.exceptionOrNull()
                    break
                }
                out.send(result.getOrThrow())
            }
        } catch (e: Throwable) {
            failure = e
            throw e
        } finally {
            source.cancel()
            if (failure is CancellationException) out.cancel(failure) else out.close(failure)
        }
    }
    out.invokeOnClose { pump.cancel() } // a consumer that cancels the kotlinx channel stops the pump at once
    return out
}

/**
 * Sends every element of the kotlinx [ReceiveChannel] into [target], suspending while [target] is full, then closes
 * [target] (with the source's close cause, if any, or the source's cancellation). If this coroutine is cancelled, the
 * element in hand goes to [target]'s `onUndeliveredElement` and [target] is left open.
 */
@ExperimentalBridgeApi
public suspend fun <E : Any> ReceiveChannel<E>.sendTo(target: RingChannel<E>) {
    try {
        for (element in this) {
            target.send(element)
        }
    } catch (e: CancellationException) {
        if (currentCoroutineContext().isActive) { // the source was cancelled, not this coroutine: end the target
            target.close(e)
        }
        throw e
    } catch (e: Throwable) {
        cancel(CancellationException("sendTo failed", e))
        target.close(e)
        throw e
    }
    target.close()
}

/** Emits what [channel] receives until it is closed, then returns, or throws its close cause. */
/**
 * Receives every element into [action], then cancels the channel's receiving side (also when [action] throws or the
 * caller is cancelled), as kotlinx's `consumeEach`.
 */
@ExperimentalBridgeApi
public suspend inline fun <E : Any> RingChannel<E>.consumeEach(action: (E) -> Unit) {
    try {
        for (element in this) {
            action(element)
        }
    } finally {
        cancel()
    }
}

@OptIn(ExperimentalBridgeApi::class)
private suspend fun <E : Any> FlowCollector<E>.emitAllFrom(channel: RingChannel<E>) {
    while (true) {
        val result = channel.receiveCatching()
        if (result.isClosed) {
            result.exceptionOrNull()?.let { throw it }
            return
        }
        emit(result.getOrThrow())
    }
}
