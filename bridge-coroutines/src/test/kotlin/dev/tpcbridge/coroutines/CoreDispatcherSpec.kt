package dev.tpcbridge.coroutines

import dev.tpcbridge.runtime.Core
import dev.tpcbridge.runtime.DataPlane
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield

/**
 * Coroutines on a data-plane core: they run on the core's thread (so core-owned state needs no lock), a suspended
 * one frees the core, many interleave on it without losing an update, and a dispatch after the core stopped cancels
 * the coroutine instead of hanging it.
 */
@OptIn(ExperimentalBridgeApi::class)
class CoreDispatcherSpec : FunSpec({
    test("withContext(core) runs on the core's thread, and 1000 coroutines update core-owned state without a lock") {
        DataPlane.builder().build().start().use { plane ->
            val core = plane.core(0)
            val dispatcher = core.asCoroutineDispatcher()
            var owned = 0L // core-owned: only touched on the core
            withTimeout(30_000) {
                withContext(dispatcher) {
                    Core.current() shouldBe core
                }
                coroutineScope {
                    (0 until 1000).map {
                        async(Dispatchers.Default) {
                            withContext(dispatcher) {
                                yield() // suspends on the core: other coroutines run in between
                                check(core.isCoreThread)
                                owned += 1 // no lock: lost updates would show if this ran off the core
                            }
                        }
                    }.awaitAll()
                }
                withContext(dispatcher) { owned } shouldBe 1000
            }
        }
    }

    test("a coroutine suspended on the core frees it for other work") {
        DataPlane.builder().build().start().use { plane ->
            val dispatcher = plane.core(0).asCoroutineDispatcher()
            withTimeout(10_000) {
                coroutineScope {
                    val gate = CompletableDeferred<Unit>()
                    val sleeper = launch(dispatcher) { gate.await() }
                    withContext(dispatcher) { 42 } shouldBe 42 // ran while the sleeper was suspended
                    sleeper.isActive shouldBe true
                    gate.complete(Unit)
                }
            }
        }
    }

    test("dispatching to a stopped core cancels the coroutine instead of losing it") {
        val plane = DataPlane.builder().build().start()
        val dispatcher = plane.core(0).asCoroutineDispatcher()
        plane.close()
        withTimeout(10_000) {
            var ran = false
            val job = launch(dispatcher) { ran = true }
            job.join()
            job.isCancelled shouldBe true
            ran shouldBe false
        }
    }

    test("dispatching to a saturated core waits for room in its bounded task ring instead of cancelling") {
        val plane = DataPlane.builder().taskCapacity(2).build().start()
        val core = plane.core(0)
        val dispatcher = core.asCoroutineDispatcher()
        val gate = java.util.concurrent.CountDownLatch(1)
        val holding = java.util.concurrent.CountDownLatch(1)
        core.execute { holding.countDown(); gate.await() } // holds the core
        holding.await()
        while (core.offerTask {} == dev.tpcbridge.ring.OfferStatus.OK) {
            // fill the ring (2 slots; the holding task's may not be freed until its batch ends)
        }
        val result = java.util.concurrent.CompletableFuture<Boolean>()
        val caller = Thread {
            result.complete(kotlinx.coroutines.runBlocking { withContext(dispatcher) { core.isCoreThread } })
        }
        caller.start()
        val deadline = System.nanoTime() + 10_000_000_000L
        while (caller.state != Thread.State.WAITING && caller.state != Thread.State.TIMED_WAITING) { // for room
            check(System.nanoTime() < deadline) { "the dispatching thread did not park: ${caller.state}" }
            Thread.yield()
        }
        result.isDone shouldBe false
        gate.countDown()
        result.get(10, java.util.concurrent.TimeUnit.SECONDS) shouldBe true
        plane.close()
    }
})
