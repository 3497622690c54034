package dev.tpcbridge.coroutines

import dev.tpcbridge.backpressure.PressureState
import dev.tpcbridge.bridge.BridgeCall
import dev.tpcbridge.bridge.BridgeCallException
import dev.tpcbridge.bridge.BridgeClient
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.ResponseDecoder
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resumeWithException
import java.util.concurrent.CompletionException

/**
 * Suspending calls to a data-plane core through a [BridgeClient]: many coroutines may call at once, none blocks a
 * thread, and the answers are completed by the client's completion thread (never on the core) and resume each caller
 * on its own dispatcher.
 *
 * ## Suspending and cancellation
 * [call] suspends while the client's intake is full (woken when room comes, not polling) and until the answer comes.
 * Cancelling the caller (`withTimeout`, a cancelled scope) gives the call up: a call not yet sent is dropped and its
 * slab page released; one already sent is answered `CANCELLED` by the core without running. The call borrows its
 * [Request] until the answer comes back ([Request.isInFlight]): reuse it after [call] returns; after a cancelled call,
 * only once it is no longer in flight (or use a new one). A deadline on the request bounds its wait before running.
 *
 * ## Closing
 * [close] closes the client: pending calls fail with `BridgeClosedException`. When the core stops or fails, calls
 * fail with `BridgeClosedException` or `CoreFailedException`.
 *
 * ## Backpressure
 * [pressure] follows the request ring's backpressure state (conflated: it ends on the current state).
 *
 * ```kotlin
 * val client = CoroutineBridgeClient { requestCapacity(256) }                 // a BridgeClient.Builder's settings
 * plane.core(0).attach(client.client.channel()) { request -> request.response().count(request.id() * 2) }
 * val doubled = withTimeout(1_000) { client.call(Request.create().id(21)) { it.count() } }   // 42
 * ```
 */
@ExperimentalBridgeApi
public fun CoroutineBridgeClient(configure: BridgeClient.Builder.() -> Unit = {}): CoroutineBridgeClient =
    CoroutineBridgeClient(BridgeClient.builder().apply(configure).build())

/**
 * Suspending calls to a data-plane core through [client]; see the factory `CoroutineBridgeClient { ... }` for the
 * common case, and the class comment there.
 */
@ExperimentalBridgeApi
public class CoroutineBridgeClient(
    /** The client underneath (its channel is what a core attaches). */
    public val client: BridgeClient,
) : AutoCloseable {
    private val pressureFlow = PressureFlow(client.channel().backpressure())

    /** The request ring's backpressure state, conflated. */
    public val pressure: StateFlow<PressureState> get() = pressureFlow.state

    /**
     * Calls the core: suspends for intake room, then for the answer, which [decoder] turns into the value on the
     * client's completion thread. [request] is borrowed until the answer comes back ([Request.isInFlight]): reuse it
     * once this returns; after a cancelled call, once it is no longer in flight.
     *
     * A request carrying a slab page: once the client has accepted the call the page is the client's (released if
     * the call is given up before it is sent); if the caller is cancelled while still waiting for intake room, the
     * page is still the caller's. A value decoded just as the caller gave up is dropped: use the overload with
     * `onDiscarded` when the value owns a resource.
     *
     * @throws BridgeCallException if answered with a status other than `OK`/`PARTIAL`
     * @throws dev.tpcbridge.bridge.BridgeClosedException if the client or its core closed first
     * @throws kotlinx.coroutines.CancellationException if cancelled (the call is given up, see the class comment)
     */
    public suspend fun <T> call(request: Request, decoder: ResponseDecoder<T>): T = call(request, null, decoder)

    /**
     * [call], handing a value decoded just as the caller gave up to [onDiscarded] (for a value that owns a slab page
     * or another resource) instead of dropping it.
     */
    public suspend fun <T> call(request: Request, onDiscarded: ((T) -> Unit)?, decoder: ResponseDecoder<T>): T {
        while (true) {
            val call = client.tryCall(request, decoder)
            if (call.isCompletedExceptionally && isRejectedFull(call)) {
                client.intakeWritable().awaitReady() // room, or the close: try again either way
                continue
            }
            return await(call, onDiscarded)
        }
    }

    /**
     * Waits for [call]; cancelling gives the call up. A value decoded in the instant the caller gave up (the answer
     * won the call's claim) is handed to [onDiscarded] instead of being lost: it may own a slab page.
     */
    private suspend fun <T> await(call: BridgeCall<T>, onDiscarded: ((T) -> Unit)?): T =
        suspendCancellableCoroutine { cont ->
            call.whenComplete { value, error ->
                if (error == null) {
                    @Suppress("UNCHECKED_CAST")
                    cont.resume(value as T) { _, discarded, _ -> onDiscarded?.invoke(discarded) }
                } else {
                    cont.resumeWithException(if (error is CompletionException) error.cause ?: error else error)
                }
            }
            cont.invokeOnCancellation { call.cancel(false) } // "I gave up": not sent, or answered CANCELLED
        }

    private fun isRejectedFull(call: java.util.concurrent.CompletableFuture<*>): Boolean {
        val failure = try {
            call.getNow(null)
            null
        } catch (e: CompletionException) {
            e.cause
        } catch (e: java.util.concurrent.CancellationException) {
            null
        }
        return failure is BridgeCallException && failure.isRejected
    }

    /** Closes the client (see [BridgeClient.close]) and stops following its pressure. Idempotent. */
    override fun close() {
        pressureFlow.close()
        client.close()
    }

    override fun toString(): String = "CoroutineBridgeClient[$client]"
}
