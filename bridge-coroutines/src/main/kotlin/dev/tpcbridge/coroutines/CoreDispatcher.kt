package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.runtime.Core
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.cancel
import java.util.concurrent.RejectedExecutionException
import kotlin.coroutines.CoroutineContext

/**
 * A [CoroutineDispatcher] that runs coroutines on a data-plane [Core]'s thread, so that `withContext(dispatcher)`
 * may touch the state that core owns: each dispatch is a core task ([Core.offerTask]), run in the core's duty cycle
 * within its per-cycle task budget, after its requests. A resumption on the core is dispatched too, never run in
 * place.
 *
 * ## Threads
 * Dispatching is lock-free from any thread while the core's task ring has room. The ring is bounded: a dispatch from
 * another thread that finds it full waits for room ([Core.sendTask], not interruptibly, since a dispatched block must
 * never be lost): backpressure from a saturated core onto the threads that feed it. A dispatch from the core itself
 * never waits (the core queues its own tasks locally). A coroutine on this dispatcher must not block the core (no
 * `runBlocking`, no blocking I/O): suspending is fine, since it frees the core until the coroutine is resumed.
 *
 * ## Closing
 * Once the core has stopped or failed, a dispatch cancels the coroutine's job (with the rejection as the cause) and
 * runs the block on [Dispatchers.IO] instead, so that the coroutine sees its cancellation and can clean up, as
 * kotlinx does for a closed executor. Tasks given to a core whose plane is stopped before it ever started are dropped
 * (and logged): dispatch to a core once its plane has started.
 *
 * ```kotlin
 * val core = plane.core(0).asCoroutineDispatcher()
 * val total = withContext(core) { shardState.total }   // on the core's thread
 * ```
 */
@ExperimentalBridgeApi
public class CoreDispatcher(
    /** The core the coroutines run on. */
    public val core: Core,
) : CoroutineDispatcher() {
    /**
     * Always: a coroutine resumed by code on the core (a handler's `offer` waking a receiver) must not run inside
     * that call (a waker must be quick, and the ring being drained must not be re-entered); it runs as the core's
     * next task instead, within the per-cycle budget.
     */
    override fun isDispatchNeeded(context: CoroutineContext): Boolean = true

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        var status = core.offerTask(block)
        if (status == OfferStatus.FULL) {
            status = sendUninterruptibly(block)
        }
        if (status == OfferStatus.CLOSED) {
            val refused = RejectedExecutionException("core ${core.index()} ('${core.name()}') has stopped")
            context.cancel(CancellationException("core ${core.index()} cannot run coroutines any more", refused))
            Dispatchers.IO.dispatch(context, block)
        }
    }

    /** Waits for room; an interrupt is kept for the caller to see, after the block is handed over. */
    private fun sendUninterruptibly(block: Runnable): OfferStatus {
        var interrupted = false
        try {
            while (true) {
                try {
                    return core.sendTask(block)
                } catch (e: InterruptedException) {
                    interrupted = true
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt()
            }
        }
    }

    override fun toString(): String = "CoreDispatcher[${core.name()}]"
}

/** A dispatcher onto this core: see [CoreDispatcher]. */
@ExperimentalBridgeApi
public fun Core.asCoroutineDispatcher(): CoreDispatcher = CoreDispatcher(this)
