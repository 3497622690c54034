package dev.tpcbridge.coroutines

import dev.tpcbridge.multicast.MulticastBuffer
import dev.tpcbridge.multicast.PublishStatus
import dev.tpcbridge.multicast.SlowSubscriberPolicy
import dev.tpcbridge.wake.WaitPolicy
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.concurrent.thread

/**
 * A multicast subscriber as a cold Flow (subscribes on collect, completes on close, unsubscribes on cancellation) and
 * the suspending publish (suspends while the slowest subscriber holds the slot, resumed by its advance, by an
 * unsubscribe or by a close; cancelled, it did not publish).
 */
@OptIn(ExperimentalBridgeApi::class)
class MulticastFlowsSpec : FunSpec({
    fun lossless(capacity: Int): MulticastBuffer<Int> =
        MulticastBuffer.builder<Int>().capacity(capacity).waitPolicy(WaitPolicy.PARK).build()

    test("two collectors each receive every element a plain thread publishes, in order, then complete on close") {
        val buffer = lossless(16)
        val count = 100_000
        withTimeout(60_000) {
            coroutineScope {
                val collectors = List(2) { async(Dispatchers.Default) { buffer.asFlow(batch = 7).toList() } }
                while (buffer.subscriberCount() < 2) {
                    yield()
                }
                thread(name = "producer") {
                    for (i in 0 until count) {
                        buffer.send(i)
                    }
                    buffer.close()
                }.join()
                for (collector in collectors) {
                    collector.await() shouldContainExactly (0 until count).toList()
                }
            }
        }
        buffer.subscriberCount() shouldBe 0
    }

    test("the flow is cold: a collection subscribes when it starts and sees only what is published after") {
        val buffer = lossless(4)
        buffer.offer(1) shouldBe PublishStatus.OK
        val flow = buffer.asFlow()
        buffer.subscriberCount() shouldBe 0
        withTimeout(10_000) {
            coroutineScope {
                val first = async(Dispatchers.Default) { flow.take(2).toList() }
                while (buffer.subscriberCount() < 1) {
                    yield()
                }
                buffer.offer(2)
                buffer.offer(3)
                first.await() shouldContainExactly listOf(2, 3)
            }
        }
        buffer.subscriberCount() shouldBe 0 // take(2) ended the collection: unsubscribed
    }

    test("cancelling a suspended collection unsubscribes, which releases a gated producer") {
        val buffer = lossless(1)
        withTimeout(10_000) {
            coroutineScope {
                val stuck = launch(Dispatchers.Default) { buffer.asFlow().collect { delay(Long.MAX_VALUE) } }
                while (buffer.subscriberCount() < 1) {
                    yield()
                }
                // the collector takes element 1 and then hangs in its action; the next element fills the one slot
                var published = 0
                while (published < 2) {
                    if (buffer.offer(published + 1) == PublishStatus.OK) published++ else yield()
                }
                delay(20)
                buffer.offer(3) shouldBe PublishStatus.FULL // the hung collector holds slot 0 (element 2)
                stuck.cancelAndJoin()
                buffer.subscriberCount() shouldBe 0
                buffer.offer(3) shouldBe PublishStatus.OK
            }
        }
    }

    test("a busy-spin buffer, with nothing to wake a suspended coroutine, refuses to suspend: it throws, naming why") {
        val buffer = MulticastBuffer.builder<Int>().capacity(1).busySpin().build()
        val subscriber = buffer.subscribe()
        withTimeout(10_000) {
            buffer.publish(1) // room: no suspension
            val publish = shouldThrow<IllegalStateException> { buffer.publish(2) }
            publish.message!!.startsWith("writable() of a busy-spin buffer cannot be armed") shouldBe true
            buffer.published() shouldBe 1 // the refused element stayed with the caller
            subscriber.poll() shouldBe 1
            val collect = shouldThrow<IllegalStateException> { buffer.asFlow().take(1).toList() }
            collect.message!!.startsWith("readable() of a busy-spin buffer cannot be armed") shouldBe true
            buffer.subscriberCount() shouldBe 1 // the failed collection unsubscribed
        }
    }

    test("publish suspends while full and is resumed by the slowest subscriber's advance") {
        val buffer = lossless(1)
        val subscriber = buffer.subscribe()
        withTimeout(10_000) {
            coroutineScope {
                buffer.publish(1)
                val second = async(Dispatchers.Default) { buffer.publish(2) }
                delay(50)
                second.isActive shouldBe true // suspended
                buffer.published() shouldBe 1
                thread { subscriber.poll() shouldBe 1 }.join()
                second.await()
                subscriber.poll() shouldBe 2
            }
        }
    }

    test("a suspended publish is resumed by a close and throws; a cancelled one did not publish") {
        val buffer = lossless(1)
        val subscriber = buffer.subscribe()
        withTimeout(10_000) {
            coroutineScope {
                buffer.publish(1)
                val cancelled = launch(Dispatchers.Default) { buffer.publish(2) }
                delay(50)
                cancelled.cancelAndJoin()
                buffer.published() shouldBe 1
                val closed = async(Dispatchers.Default) { runCatching { buffer.publish(3) } }
                delay(50)
                closed.isActive shouldBe true
                buffer.close()
                closed.await().exceptionOrNull()!!::class shouldBe ClosedSendChannelException::class
                shouldThrow<ClosedSendChannelException> { buffer.publish(4) }
                subscriber.poll() shouldBe 1
                subscriber.isClosedForPoll shouldBe true
            }
        }
    }

    test("a lossy buffer's publish never suspends and its flow skips what a slow collector was lapped past") {
        val buffer = MulticastBuffer.lossy<Int>(2)
        val tookFirst = CompletableDeferred<Unit>()
        val gate = CompletableDeferred<Unit>()
        withTimeout(10_000) {
            coroutineScope {
                val values = async(Dispatchers.Default) {
                    buffer.asFlow(batch = 1).onEach {
                        if (it == 0) {
                            tookFirst.complete(Unit)
                            gate.await() // the collector is slow: the producer laps it meanwhile
                        }
                    }.take(3).toList()
                }
                while (buffer.subscriberCount() < 1) {
                    yield()
                }
                buffer.publish(0)
                tookFirst.await()
                for (i in 1 until 10) {
                    buffer.publish(i) // never suspends, though the collector is 9 behind a capacity of 2
                }
                gate.complete(Unit)
                values.await() shouldContainExactly listOf(0, 8, 9) // resumed at the oldest still available
            }
        }
        buffer.subscriberCount() shouldBe 0
    }

    test("bad batch sizes are rejected by value") {
        shouldThrow<IllegalArgumentException> { lossless(2).asFlow(batch = 0) }.message shouldBe "batch=0 must be >= 1"
        MulticastBuffer.builder<Int>().capacity(2).policy(SlowSubscriberPolicy.LOSSY).build().capacity() shouldBe 2
    }
})
