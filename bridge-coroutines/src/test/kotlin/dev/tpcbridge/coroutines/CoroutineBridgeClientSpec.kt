package dev.tpcbridge.coroutines

import dev.tpcbridge.backpressure.BackpressureConfig
import dev.tpcbridge.backpressure.PressureState
import dev.tpcbridge.bridge.BridgeClient
import dev.tpcbridge.bridge.BridgeClosedException
import dev.tpcbridge.bridge.EnvelopeHandler
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.runtime.DataPlane
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.supervisorScope
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger

/**
 * The coroutine client: many concurrent callers per core, withTimeout giving calls up (answered CANCELLED by the core
 * without running), waiting for intake room by suspending, backpressure as a StateFlow, and closing.
 */
@OptIn(ExperimentalBridgeApi::class)
class CoroutineBridgeClientSpec : FunSpec({
    fun clientOn(plane: DataPlane, intake: Int = 4096, handler: EnvelopeHandler): CoroutineBridgeClient {
        val client = BridgeClient.builder().intakeCapacity(intake).build()
        plane.core(0).attach(client.channel(), handler)
        return CoroutineBridgeClient(client)
    }

    test("10,000 concurrent callers are each answered with their own value") {
        DataPlane.builder().build().start().use { plane ->
            clientOn(plane) { request -> request.response().count(request.id() * 2) }.use { client ->
                withTimeout(30_000) {
                    val answers = coroutineScope {
                        (0L until 10_000L).map { id ->
                            async(Dispatchers.Default) { client.call(Request.create().id(id), Response::count) }
                        }.awaitAll()
                    }
                    answers shouldContainExactly (0L until 10_000L).map { it * 2 }
                }
            }
        }
    }

    test("withTimeout gives a call up: the core answers it CANCELLED without running it") {
        val hold = CountDownLatch(1)
        val ran = AtomicInteger()
        DataPlane.builder().build().start().use { plane ->
            clientOn(plane) { request ->
                if (request.id() == 0L) hold.await() // holds the core while the others time out
                ran.incrementAndGet()
                request.response().count(request.id())
            }.use { client ->
                withTimeout(30_000) {
                    coroutineScope {
                        val first = async(Dispatchers.Default) { client.call(Request.create().id(0), Response::count) }
                        delay(50)
                        val given = (1L..20L).map { id ->
                            async(Dispatchers.Default) {
                                withTimeout(100) { client.call(Request.create().id(id), Response::count) }
                            }
                        }
                        for (call in given) {
                            shouldThrow<TimeoutCancellationException> { call.await() }
                        }
                        hold.countDown()
                        first.await() shouldBe 0L
                        client.call(Request.create().id(99), Response::count) shouldBe 99L
                        ran.get() shouldBe 2 // the given-up calls never ran
                    }
                }
            }
        }
    }

    test("a full intake suspends the caller until there is room, never rejecting it") {
        val hold = CountDownLatch(1)
        DataPlane.builder().build().start().use { plane ->
            clientOn(plane, intake = 2) { request ->
                hold.await()
                request.response().count(request.id())
            }.use { client ->
                withTimeout(30_000) {
                    coroutineScope {
                        val calls = (0L until 3000L).map { id ->
                            async(Dispatchers.Default) { client.call(Request.create().id(id), Response::count) }
                        }
                        delay(100)
                        hold.countDown()
                        calls.awaitAll() shouldContainExactly (0L until 3000L).toList()
                    }
                }
            }
        }
    }

    test("pressure follows the request ring's backpressure as a StateFlow") {
        val hold = CountDownLatch(1)
        DataPlane.builder().build().start().use { plane ->
            val client = BridgeClient.builder().requestCapacity(16).backpressure(BackpressureConfig.defaults()).build()
            plane.core(0).attach(client.channel()) { request ->
                hold.await()
                request.response()
            }
            CoroutineBridgeClient(client).use { coroutineClient ->
                coroutineClient.pressure.value shouldBe PressureState.NORMAL
                withTimeout(30_000) {
                    coroutineScope {
                        val calls = (0L until 64L).map { id ->
                            async(Dispatchers.Default) {
                                coroutineClient.call(Request.create().id(id), Response::count)
                            }
                        }
                        coroutineClient.pressure.first { it != PressureState.NORMAL }
                        hold.countDown()
                        calls.awaitAll()
                        coroutineClient.pressure.first { it == PressureState.NORMAL }
                    }
                }
            }
        }
    }

    test("closing the client fails the calls waiting, and later calls") {
        val hold = CountDownLatch(1)
        DataPlane.builder().build().start().use { plane ->
            val client = clientOn(plane) { request ->
                hold.await()
                request.response()
            }
            withTimeout(30_000) {
                supervisorScope { // the waiting call fails: that must not cancel the test's scope
                    val waiting = async(Dispatchers.Default) { client.call(Request.create().id(1), Response::count) }
                    delay(50)
                    client.close()
                    hold.countDown()
                    shouldThrow<BridgeClosedException> { waiting.await() }
                    shouldThrow<BridgeClosedException> { client.call(Request.create().id(2), Response::count) }
                }
            }
        }
    }
})
