package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.ring.WakingRing
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asContextElement
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.lang.management.ManagementFactory
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.TimeUnit
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import java.util.concurrent.locks.LockSupport

/**
 * The waits of `send` and `receive` allocate nothing once a coroutine has waited: a receiver (or sender) that suspends
 * on every element, thousands of times, leaves its dispatcher's thread with no allocation per wait. (The allocating
 * path this replaced took 100 to 200 bytes a wait; the bound here is 8.)
 */
@OptIn(ExperimentalBridgeApi::class)
class ReusableWaitSpec : FunSpec({
    val allocation = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean

    /**
     * Runs [body] on a single dispatcher thread; returns the bytes that thread allocated during [measured].
     *
     * The thread is a loop over a [WakingRing] (its blocking receive parks without allocating), not a JDK executor,
     * whose queue node and condition node per task would be counted against the wait. The coroutine is started with
     * the standard library's `startCoroutine`, not kotlinx's builders: with assertions on, kotlinx runs in debug mode
     * and names the thread after the coroutine (a new String) on every dispatch, which is not the wait's cost either.
     */
    fun onOneThread(body: suspend (measured: (Boolean) -> Unit) -> Unit): Long {
        val tasks = WakingRing.builder<Runnable>().capacity(64).multiProducer(true).build()
        val thread = Thread({
            while (true) {
                (tasks.receive() ?: return@Thread).run()
            }
        }, "reusable-wait")
        thread.start()
        var start = 0L
        var bytes = -1L
        val done = CompletableFuture<Unit>()
        try {
            val measured: (Boolean) -> Unit = { begin ->
                @Suppress("DEPRECATION") // Thread.threadId() came in JDK 19; this runs on 17 too
                val now = allocation.getThreadAllocatedBytes(thread.id)
                if (begin) start = now else bytes = now - start
            }
            val dispatcher = Executor { check(tasks.offer(it) == OfferStatus.OK) { "the task ring is full" } }
            suspend { body(measured) }.startCoroutine(Continuation(dispatcher.asCoroutineDispatcher()) { result ->
                result.fold({ done.complete(Unit) }, { done.completeExceptionally(it) })
            })
            done.get(60, TimeUnit.SECONDS)
        } finally {
            tasks.closeProducer()
            thread.join()
        }
        return bytes
    }

    /** Lets a waiter on another thread settle into its suspension before the next hand-off. */
    fun pause() = LockSupport.parkNanos(20_000)

    test("a receive that suspends for every element allocates nothing per wait") {
        val rounds = 20_000
        val channel = RingChannel.spsc<String>(4)
        val element = "x"
        val producer = Thread {
            repeat(2 * rounds) {
                while (!channel.ring.isEmpty) Thread.onSpinWait()
                pause() // the receiver, finding nothing, suspends
                channel.ring.offer(element)
            }
        }
        var wakeupsBefore = 0L
        val bytes = onOneThread { measured ->
            producer.start()
            repeat(rounds) { channel.receive() } // warm-up: the JIT, and the wait's one-time setup
            wakeupsBefore = channel.ring.consumerWakeups()
            measured(true)
            repeat(rounds) { channel.receive() }
            measured(false)
        }
        producer.join()
        val waits = channel.ring.consumerWakeups() - wakeupsBefore
        withClue("the receiver must really have waited") { waits shouldBeGreaterThan rounds / 2L }
        withClue("$bytes bytes over $waits waits") { bytes.toDouble() / waits shouldBeLessThan 8.0 }
    }

    test("a send that suspends for every slot allocates nothing per wait") {
        val rounds = 20_000
        val channel = RingChannel.of(WakingRing.builder<String>().capacity(1))
        val ring = channel.ring
        val consumer = Thread {
            var taken = 0
            while (taken < 2 * rounds + 1) {
                if (ring.poll() != null) {
                    taken++
                    pause() // the sender, finding the ring full again, suspends
                } else {
                    Thread.onSpinWait()
                }
            }
        }
        var wakeupsBefore = 0L
        val bytes = onOneThread { measured ->
            channel.send("first")
            consumer.start()
            repeat(rounds) { channel.send("x") }
            wakeupsBefore = ring.producerWakeups()
            measured(true)
            repeat(rounds) { channel.send("x") }
            measured(false)
        }
        consumer.join()
        val waits = ring.producerWakeups() - wakeupsBefore
        withClue("the sender must really have waited") { waits shouldBeGreaterThan rounds / 2L }
        withClue("$bytes bytes over $waits waits") { bytes.toDouble() / waits shouldBeLessThan 8.0 }
    }

    test("one reused wait serves coroutine after coroutine, each cancelled or resumed in turn") {
        val channel = RingChannel.spsc<Int>(2)
        runBlocking {
            repeat(100) { i ->
                val waiter = launch(Dispatchers.Default) { channel.receive() shouldBe i }
                if (i % 2 == 0) {
                    pause()
                    channel.ring.offer(i) shouldBe OfferStatus.OK
                    waiter.join()
                    waiter.isCancelled shouldBe false
                } else {
                    pause()
                    waiter.cancel()
                    waiter.join()
                    waiter.isCancelled shouldBe true
                    channel.ring.offer(i) shouldBe OfferStatus.OK
                    channel.receive() shouldBe i // the cancelled receive took nothing; this one reuses the wait
                }
            }
        }
    }

    test("a resumed receive runs with its own coroutine's thread-context elements, not an earlier waiter's") {
        val local = ThreadLocal<String?>()
        val channel = RingChannel.spsc<Int>(2)
        runBlocking {
            // the first waiter has no element of its own (a wait set up for it and reused for the next would run the
            // next without its element), then two that each have one
            for (name in listOf(null, "second", "third")) {
                val context = Dispatchers.Default + (name?.let { local.asContextElement(it) } ?: EmptyCoroutineContext)
                val seen = async(context) {
                    channel.receive()
                    local.get()
                }
                pause() // it suspends on the empty ring; the offer's wake resumes it through the reused wait
                channel.ring.offer(1) shouldBe OfferStatus.OK
                seen.await() shouldBe name
            }
        }
    }
})
