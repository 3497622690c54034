package dev.tpcbridge.coroutines

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.runtime.DataPlane
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.launch
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout

/**
 * The module's own result type (kotlinx's ChannelResult factories are internal API), the `for` loop and `consumeEach`
 * over a RingChannel, and the factories for the common cases.
 */
@OptIn(ExperimentalBridgeApi::class)
class BridgeResultSpec : FunSpec({
    test("success, failure and closed carry what they say") {
        val channel = RingChannel.spsc<String>(1)
        channel.trySend("a").isSuccess shouldBe true
        val full = channel.trySend("b")
        full.isFailure shouldBe true
        full.isClosed shouldBe false
        full.getOrNull() shouldBe null
        shouldThrow<IllegalStateException> { full.getOrThrow() }
        val received = channel.tryReceive()
        received.isSuccess shouldBe true
        received.getOrThrow() shouldBe "a"
        var seen: String? = null
        received.onSuccess { seen = it }.onFailure { error("not a failure") }
        seen shouldBe "a"
        channel.tryReceive().isFailure shouldBe true // empty
        val cause = IllegalStateException("boom")
        channel.close(cause)
        val closed = channel.tryReceive()
        closed.isClosed shouldBe true
        closed.isFailure shouldBe true
        closed.exceptionOrNull() shouldBe cause
        shouldThrow<IllegalStateException> { closed.getOrThrow() }.message shouldBe "boom"
        var closedWith: Throwable? = null
        closed.onClosed { closedWith = it }
        closedWith shouldBe cause
        closed.getOrElse { "fallback" } shouldBe "fallback"
        channel.trySend("c").isClosed shouldBe true
    }

    test("a normal close is a closed result without a cause") {
        val channel = RingChannel.spsc<String>(1)
        channel.close()
        val closed = channel.tryReceive()
        closed.isClosed shouldBe true
        closed.exceptionOrNull() shouldBe null
        shouldThrow<IllegalStateException> { closed.getOrThrow() }
    }

    test("for (x in channel) receives everything in order and ends at the close") {
        val channel = RingChannel.spsc<Int>(4)
        withTimeout(10_000) {
            coroutineScope {
                launch(Dispatchers.Default) {
                    for (i in 0 until 100) channel.send(i)
                    channel.close()
                }
                val received = ArrayList<Int>()
                for (value in channel) received += value
                received shouldContainExactly (0 until 100).toList()
            }
        }
    }

    test("a for loop over a channel closed with a cause throws it after the last element") {
        val channel = RingChannel.spsc<Int>(4)
        channel.trySend(1)
        channel.close(ClosedReceiveChannelException("gone"))
        val received = ArrayList<Int>()
        shouldThrow<ClosedReceiveChannelException> {
            for (value in channel) received += value
        }.message shouldBe "gone"
        received shouldContainExactly listOf(1)
    }

    test("consumeEach receives everything, then cancels the receiving side, also when the action throws") {
        val undelivered = ArrayList<Int>()
        val channel = RingChannel.spsc<Int>(8) { undelivered += it }
        for (i in 0 until 5) channel.trySend(i)
        val seen = ArrayList<Int>()
        shouldThrow<IllegalStateException> {
            channel.consumeEach { if (it == 2) error("stop") else seen += it }
        }
        seen shouldContainExactly listOf(0, 1)
        undelivered shouldContainExactly listOf(3, 4) // handed back by the cancel, nothing lost
        channel.isClosedForSend shouldBe true
    }

    test("the factories make a working client and endpoint without touching a Java builder chain") {
        DataPlane.builder().build().start().use { plane ->
            CoroutineBridgeClient { requestCapacity(16).responseCapacity(16) }.use { client ->
                plane.core(0).attach(client.client.channel()) { request -> request.response().count(request.id() * 2) }
                withTimeout(10_000) { client.call(Request.create().id(21), Response::count) } shouldBe 42L
            }
            BridgeEndpoint.forEnvelopes { requestCapacity(8).responseCapacity(8) }.use { endpoint ->
                plane.core(0).attach(endpoint.channel) { request -> request.response().count(request.id() + 1) }
                withTimeout(10_000) {
                    endpoint.send(Request.create().id(41))
                    endpoint.receive().count() shouldBe 42L
                }
            }
        }
    }
})
