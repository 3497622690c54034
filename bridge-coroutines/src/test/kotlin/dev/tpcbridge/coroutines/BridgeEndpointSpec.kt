package dev.tpcbridge.coroutines

import dev.tpcbridge.backpressure.BackpressureConfig
import dev.tpcbridge.backpressure.PressureState
import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.CoreFailedException
import dev.tpcbridge.bridge.EnvelopeHandler
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.wake.WaitPolicy
import dev.tpcbridge.runtime.DataPlane
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.supervisorScope
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger

/**
 * The coroutine control end of a bridge channel: streaming with recycled envelopes, suspending for room and for
 * answers, cancellation that loses nothing, and closes (either side, or a failed core) that wake a suspended caller.
 */
@OptIn(ExperimentalBridgeApi::class)
class BridgeEndpointSpec : FunSpec({
    fun endpointOn(plane: DataPlane, capacity: Int = 8, spins: Int = 0, handler: EnvelopeHandler):
        BridgeEndpoint<Request, Response> {
        val channel = BridgeChannel.forEnvelopes().requestCapacity(capacity).responseCapacity(capacity).build()
        plane.core(0).attach(channel, handler)
        return BridgeEndpoint(channel, WaitPolicy.of(spins, 0))
    }

    /** Suspends until [predicate] holds, letting other coroutines run. */
    suspend fun until(predicate: () -> Boolean) {
        while (!predicate()) {
            yield()
            Thread.sleep(1)
        }
    }

    test("10,000 requests through 8 recycled envelopes come back in order, each answered once") {
        DataPlane.builder().build().start().use { plane ->
            endpointOn(plane, spins = 64) { request -> request.response().count(request.id() * 2) }.use { endpoint ->
                withTimeout(30_000) {
                    val free = RingChannel.spsc<Request>(8)
                    repeat(8) { free.trySend(Request.create()).isSuccess shouldBe true }
                    coroutineScope {
                        launch(Dispatchers.Default) {
                            for (id in 0L until 10_000L) {
                                endpoint.send(free.receive().clear().id(id))
                            }
                            endpoint.closeRequests()
                        }
                        for (id in 0L until 10_000L) {
                            val response = endpoint.receive()
                            response.id() shouldBe id
                            response.count() shouldBe id * 2
                            free.send(response.request())
                        }
                        shouldThrow<ClosedReceiveChannelException> { endpoint.receive() }
                        endpoint.isClosedForReceive shouldBe true
                    }
                }
            }
        }
    }

    test("trySend yields to backpressure; send waits only for room, suspending while the ring is full") {
        val entered = CountDownLatch(1)
        val hold = CountDownLatch(1)
        DataPlane.builder().build().start().use { plane ->
            val config = BackpressureConfig.builder().enterThrottle(0.25).exitThrottle(0.125).enterSuspend(0.5)
                .exitSuspend(0.25).build()
            val channel = BridgeChannel.forEnvelopes().requestCapacity(8).responseCapacity(16).backpressure(config)
                .build()
            plane.core(0).attach(channel) { request ->
                entered.countDown()
                hold.await()
                request.response().count(request.id())
            }
            BridgeEndpoint(channel, WaitPolicy.PARK).use { endpoint ->
                withTimeout(30_000) {
                    endpoint.send(Request.create().id(0))
                    until { entered.count == 0L } // the core holds request 0: no slot is freed until it returns
                    var sent = 1L
                    while (endpoint.trySend(Request.create().id(sent)).isSuccess) {
                        sent++
                    }
                    endpoint.pressure.value shouldBe PressureState.SUSPENDED // refused for pressure, not room:
                    sent shouldBeLessThan 8L
                    val refusedAt = sent
                    while (true) { // the suspending send goes on while there is room, then suspends
                        val send = async(Dispatchers.Default, CoroutineStart.UNDISPATCHED) {
                            endpoint.send(Request.create().id(sent))
                        }
                        sent++
                        if (send.isActive) {
                            sent shouldBeGreaterThan refusedAt + 1 // at least one went on past the refusal
                            hold.countDown()
                            send.await()
                            break
                        }
                    }
                    for (id in 0L until sent) {
                        endpoint.receive().id() shouldBe id
                    }
                    endpoint.pressure.value shouldBe PressureState.NORMAL
                }
            }
        }
    }

    test("a cancelled receive takes nothing, and a cancelled send did not send") {
        val entered = CountDownLatch(1)
        val hold = CountDownLatch(1)
        val ran = AtomicInteger()
        DataPlane.builder().build().start().use { plane ->
            endpointOn(plane, capacity = 2) { request ->
                entered.countDown()
                hold.await()
                ran.incrementAndGet()
                request.response().count(request.id())
            }.use { endpoint ->
                withTimeout(30_000) {
                    val receiver = async(Dispatchers.Default, CoroutineStart.UNDISPATCHED) { endpoint.receive() }
                    receiver.isActive shouldBe true // suspended: nothing was sent yet
                    receiver.cancel()
                    endpoint.send(Request.create().id(0))
                    until { entered.count == 0L } // the core holds request 0: nothing more leaves the ring
                    var sent = 1L
                    while (true) {
                        val send = async(Dispatchers.Default, CoroutineStart.UNDISPATCHED) {
                            endpoint.send(Request.create().id(sent))
                        }
                        if (send.isActive) { // suspended: the ring is full
                            send.cancel()
                            break
                        }
                        sent++
                    }
                    sent shouldBeGreaterThan 1L // (the 2 slots held at least request 1)
                    hold.countDown()
                    for (id in 0L until sent) {
                        endpoint.receive().id() shouldBe id // the cancelled receiver took none of them
                    }
                    endpoint.closeRequests()
                    shouldThrow<ClosedReceiveChannelException> { endpoint.receive() }
                    ran.get().toLong() shouldBe sent // the cancelled send's request never reached the core
                }
            }
        }
    }

    test("closing the request side wakes a suspended receive once every answer was taken") {
        DataPlane.builder().build().start().use { plane ->
            endpointOn(plane) { request -> request.response().count(request.id()) }.use { endpoint ->
                withTimeout(30_000) { supervisorScope { // the receive below fails on purpose
                    endpoint.send(Request.create().id(1))
                    endpoint.receive().id() shouldBe 1L
                    val waiting = async(Dispatchers.Default, CoroutineStart.UNDISPATCHED) { endpoint.receive() }
                    waiting.isActive shouldBe true
                    endpoint.closeRequests()
                    shouldThrow<ClosedReceiveChannelException> { waiting.await() }
                    shouldThrow<ClosedSendChannelException> { endpoint.send(Request.create()) }
                    endpoint.trySend(Request.create()).isClosed shouldBe true
                    endpoint.tryReceive().isClosed shouldBe true
                } }
            }
        }
    }

    test("a core that fails wakes a suspended receive with CoreFailedException and its cause") {
        DataPlane.builder().build().start().use { plane ->
            endpointOn(plane) { request ->
                if (request.id() == 13L) throw AssertionError("core bug on 13")
                request.response().count(request.id())
            }.use { endpoint ->
                withTimeout(30_000) { supervisorScope { // the receive below fails on purpose
                    val waiting = async(Dispatchers.Default, CoroutineStart.UNDISPATCHED) { endpoint.receive() }
                    waiting.isActive shouldBe true
                    endpoint.send(Request.create().id(13))
                    val failure = shouldThrow<CoreFailedException> { waiting.await() }
                    // (kotlinx may hand over a copy of the exception, with the original as its cause)
                    generateSequence<Throwable>(failure) { it.cause }
                        .any { it.message == "core bug on 13" } shouldBe true
                    until { endpoint.trySend(Request.create()).isClosed }
                    shouldThrow<CoreFailedException> { endpoint.send(Request.create()) }
                } }
            }
        }
    }

    test("arguments are checked, naming the bad value") {
        val channel = BridgeChannel.forEnvelopes().build()
        shouldThrow<IllegalArgumentException> { BridgeEndpoint(channel, WaitPolicy.of(-1, 0)) }.message shouldContain
            "spins=-1"
        BridgeEndpoint(channel).use { endpoint ->
            shouldThrow<IllegalArgumentException> { endpoint.receiveBatch(0) { } }.message shouldContain "limit=0"
        }
    }
})
