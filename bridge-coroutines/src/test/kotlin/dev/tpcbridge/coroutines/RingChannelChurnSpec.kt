package dev.tpcbridge.coroutines

import io.kotest.core.annotation.Tags
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.ThreadLocalRandom

/**
 * The long run of [cancellationChurn]: tagged `stress` like the Java stress tests, so it runs in `-Pstress`, not in
 * the default suite (which runs [RingChannelChurnSpec], the same check at CI size).
 */
@Tags("stress")
class RingChannelStressSpec : FunSpec({
    test("given-up sends and receives lose nothing and double nothing, at length") {
        repeat(5) { cancellationChurn(perSender = 50_000L) }
    }
})

/** [cancellationChurn] at CI size, in the default suite. */
class RingChannelChurnSpec : FunSpec({
    test("given-up sends and receives lose nothing and double nothing") {
        cancellationChurn(perSender = 5_000L)
    }
})

/**
 * Cancellation churn with exact accounting: four senders on a small MPSC ring cancel one send in three at once
 * (it either completed or suspended on the full ring and is cancelled there), and the receiver cancels one receive
 * in four the same way. Every value sent is then either received exactly once, in its sender's order, or handed to
 * `onUndeliveredElement` exactly once; none is lost, none is doubled, and a given-up receive took nothing.
 */
@OptIn(ExperimentalBridgeApi::class)
private suspend fun cancellationChurn(perSender: Long) {
    run {
        val undelivered = ConcurrentLinkedQueue<Long>()
        val channel = RingChannel.mpsc<Long>(8) { undelivered += it }
        val senders = 4
        val received = ArrayList<Long>()
        var givenUpReceives = 0
        withTimeout(120_000) {
            coroutineScope {
                val receiver = async(Dispatchers.Default) {
                    while (true) {
                        val random = ThreadLocalRandom.current()
                        if (random.nextInt(4) == 0) { // a receive cancelled at once: it took nothing, or finished
                            // The attempt records what it took itself: a value taken just before the cancel landed
                            // would be dropped by a cancelled await(), and must still be counted.
                            var taken: BridgeResult<Long>? = null
                            val attempt = launch(start = CoroutineStart.UNDISPATCHED) {
                                taken = channel.receiveCatching()
                            }
                            attempt.cancel()
                            attempt.join()
                            val value = taken
                            if (value == null) {
                                givenUpReceives++
                                continue
                            }
                            if (value.isClosed) break
                            received += value.getOrThrow()
                        } else {
                            val value = channel.receiveCatching()
                            if (value.isClosed) break
                            received += value.getOrThrow()
                        }
                    }
                }
                (0 until senders).map { sender ->
                    async(Dispatchers.Default) {
                        var givenUp = 0
                        for (i in 0 until perSender) {
                            val value = sender * 1_000_000_000L + i
                            val random = ThreadLocalRandom.current()
                            if (random.nextInt(3) == 0) { // a send cancelled at once: sent, or handed back
                                val attempt = launch(start = CoroutineStart.UNDISPATCHED) { channel.send(value) }
                                attempt.cancel()
                                attempt.join()
                                if (attempt.isCancelled) givenUp++
                            } else {
                                channel.send(value)
                            }
                        }
                        givenUp
                    }
                }.awaitAll()
                channel.close()
                receiver.await()
            }
        }
        val all = received + undelivered
        all.size shouldBe senders * perSender.toInt()
        all.toSet().size shouldBe all.size // nothing doubled
        all.toSet() shouldBe (0 until senders)
            .flatMap { s -> (0 until perSender).map { s * 1_000_000_000L + it } }.toSet()
        for (sender in 0 until senders) { // each sender's received values in its order
            val mine = received.filter { it / 1_000_000_000L == sender.toLong() }
            mine shouldBe mine.sorted()
        }
        println("churn: received=${received.size} undelivered=${undelivered.size} givenUpReceives=$givenUpReceives")
    }
}
