package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.MpscRing
import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.ring.SpscRing
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield

/**
 * The Java rings as Kotlin callers see them: status values, nulls for empty, and a hand-off between two coroutines
 * on different threads (the suspending API of issue "Kotlin coroutines" will replace the yield loops here).
 */
class RingInteropSpec : FunSpec({
    test("offer reports FULL and CLOSED as values and poll returns null when empty") {
        val ring = SpscRing.create<String>(2)
        ring.offer("a") shouldBe OfferStatus.OK
        ring.offer("b") shouldBe OfferStatus.OK
        ring.offer("c") shouldBe OfferStatus.FULL
        ring.poll() shouldBe "a"
        ring.poll() shouldBe "b"
        ring.poll() shouldBe null
        ring.closeProducer()
        ring.offer("d") shouldBe OfferStatus.CLOSED
        ring.isClosedForPoll shouldBe true
    }

    test("a consumer-side close hands buffered elements to a Kotlin lambda") {
        val undelivered = mutableListOf<Int>()
        val ring = MpscRing.create<Int>(4) { undelivered += it }
        ring.offer(1)
        ring.offer(2)
        ring.closeConsumer()
        undelivered shouldContainExactly listOf(1, 2)
    }

    test("two coroutines on different threads pass a sequence through an SpscRing in order") {
        val ring = SpscRing.create<Int>(16)
        val count = 100_000
        withTimeout(30_000) {
            coroutineScope {
                launch(Dispatchers.Default) {
                    var next = 0
                    while (next < count) {
                        if (ring.offer(next) == OfferStatus.OK) next++ else yield()
                    }
                    ring.closeProducer()
                }
                val received = async(Dispatchers.Default) {
                    var expected = 0
                    while (!ring.isClosedForPoll) {
                        val drained = ring.drain({ value ->
                            check(value == expected) { "expected $expected, got $value" }
                            expected++
                        }, 64)
                        if (drained == 0) yield()
                    }
                    expected
                }
                received.await() shouldBe count
            }
        }
    }
})
