package dev.tpcbridge.coroutines

import dev.tpcbridge.offload.DropReason
import dev.tpcbridge.offload.OffloadCalls
import dev.tpcbridge.offload.OffloadPool
import dev.tpcbridge.offload.OverflowPolicy
import dev.tpcbridge.offload.SubmitStatus
import dev.tpcbridge.runtime.DataPlane
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch

/**
 * The offload pool from coroutines: a suspending send that waits for room (woken by the workers, cancelled promptly,
 * woken by a shutdown), and slow work run off a core whose answer comes back on the core's thread.
 */
@OptIn(ExperimentalBridgeApi::class)
class OffloadSpec : FunSpec({
    test("sendSuspending waits for room instead of dropping and is woken when a worker takes a task") {
        val gate = CountDownLatch(1)
        val ran = CopyOnWriteArrayList<String>()
        val pool = OffloadPool.builder<String> { task -> if (task == "hold") gate.await(); ran.add(task) }
            .capacity(2).workers(1).overflow(OverflowPolicy.DROP_OLDEST).build()
        pool.submit("hold")
        while (pool.running() == 0) Thread.yield()
        pool.submit("a")
        pool.submit("b") // full
        withTimeout(10_000) {
            val sent = async { pool.sendSuspending("c") }
            delay(50)
            sent.isCompleted shouldBe false
            gate.countDown()
            sent.await() shouldBe SubmitStatus.QUEUED
        }
        pool.shutdown(10, java.util.concurrent.TimeUnit.SECONDS).get()
        ran shouldBe listOf("hold", "a", "b", "c")
        pool.evicted() shouldBe 0L
    }

    test("a shutdown wakes a suspended sendSuspending with CLOSED, and cancellation leaves the task with the caller") {
        val gate = CountDownLatch(1)
        val pool = OffloadPool.builder<String> { gate.await() }.capacity(2).workers(1).build()
        pool.submit("hold")
        while (pool.running() == 0) Thread.yield()
        pool.submit("a")
        pool.submit("b")
        withTimeout(10_000) {
            val cancelled = async(start = CoroutineStart.UNDISPATCHED) { pool.sendSuspending("x") }
            cancelled.cancel()
            cancelled.join()
            cancelled.isCancelled shouldBe true
            val closed = async { pool.sendSuspending("c") }
            delay(50)
            pool.close()
            closed.await() shouldBe SubmitStatus.CLOSED
        }
        gate.countDown()
        pool.submitted() shouldBe 4L // hold, a, b, and the refused c; the cancelled x stayed with its caller
        pool.refusedClosed() shouldBe 1L
        pool.rejected() shouldBe 0L
    }

    test("runOffloaded runs slow work off the core and resumes the coroutine on the core's thread") {
        val plane = DataPlane.builder().build().start()
        val pool = OffloadPool.builder<Runnable>(Runnable::run).workers(1).build()
        try {
            val core = plane.core(0)
            withTimeout(10_000) {
                withContext(core.asCoroutineDispatcher()) {
                    val where = pool.runOffloaded { core.isCoreThread }
                    where shouldBe false // the block ran on a worker
                    core.isCoreThread shouldBe true // and the coroutine is back on the core
                    shouldThrow<IllegalStateException> { pool.runOffloaded { error("simulated") } }
                }
                pool.close()
                val dropped = shouldThrow<OffloadCalls.OffloadDroppedException> { pool.runOffloaded { 1 } }
                dropped.reason() shouldBe DropReason.CLOSED
            }
        } finally {
            pool.close()
            plane.close()
        }
    }
})
