package dev.tpcbridge.bench.offload

import dev.tpcbridge.bench.OffloadPeer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicLong

/**
 * The kotlinx peer of the offload pool: a `Channel(capacity, BufferOverflow.DROP_OLDEST)` fed by `trySend` from any
 * thread and drained by [workers] coroutines on a dispatcher of as many threads (the pool's workers).
 */
class KotlinDropOldestPool(capacity: Int, workers: Int) : OffloadPeer {
    private val executor = Executors.newFixedThreadPool(workers) { runnable ->
        Thread(runnable, "kotlinx-offload-worker").apply { isDaemon = true }
    }
    private val scope = CoroutineScope(SupervisorJob() + executor.asCoroutineDispatcher())
    private val channel = Channel<Runnable>(capacity, BufferOverflow.DROP_OLDEST)

    /** Tasks run so far. */
    val completed = AtomicLong()

    init {
        repeat(workers) {
            scope.launch {
                for (task in channel) {
                    task.run()
                    completed.incrementAndGet()
                }
            }
        }
    }

    /** Hands [task] over; never waits (the oldest queued task is dropped when full). */
    override fun submit(task: Runnable): Boolean = channel.trySend(task).isSuccess

    @OptIn(ExperimentalCoroutinesApi::class)
    override fun close() {
        channel.close()
        scope.cancel()
        executor.shutdownNow()
    }
}
