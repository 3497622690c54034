package dev.tpcbridge.bench.coroutines

import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.RingChannel
import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.wake.WaitPolicy
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.runBlocking
import java.util.concurrent.Executors
import kotlin.concurrent.thread

/**
 * Thread → coroutine hand-off: a plain producer thread hands `Long`s (from a preallocated pool: no allocation per
 * element on either side) to a coroutine that receives them one by one, beside its peer in the same JVM, trial after
 * trial alternating the order:
 *
 * - `RingReceive`: the thread `offer`s into a [RingChannel]'s SPSC ring (capacity 1024), the coroutine calls
 *   `receive()` per element; `RingReceiveBatch`: the same with `receiveBatch(256)`, reported apart;
 * - `KotlinxChannel`: the thread `trySend`s into a kotlinx `Channel(1024)`, the coroutine calls `receive()`.
 *
 * The same on both sides: the coroutine runs on one single-thread dispatcher, the producer spins
 * (`Thread.onSpinWait`) while the channel is full, and the receiver polls `WaitPolicy.DEFAULT.spins()` times (the
 * ring's default spin phase: 128 with 4 or more processors, 16 below) before it suspends while the channel is empty
 * (resumed by the producer: the ring's transition waker, or the kotlinx channel's own resumption). Prints
 * elements/µs, the process's CPU time per element (all threads, µs) and the ratio to `KotlinxChannel`, per trial and
 * as medians. Goal: 10 x.
 *
 * Run: `java -cp benchmarks/target/benchmarks.jar dev.tpcbridge.bench.coroutines.CoroutineHandoffProbe [trials]
 * [elementsPerTrial]`.
 */
@OptIn(ExperimentalBridgeApi::class)
public object CoroutineHandoffProbe {
    private val POOL = Array(1024) { it.toLong() }

    @JvmStatic
    public fun main(args: Array<String>) {
        val trials = args.getOrNull(0)?.toInt() ?: 7
        val elements = args.getOrNull(1)?.toInt() ?: 20_000_000
        val executor = Executors.newSingleThreadExecutor { Thread(it, "receiver") }
        val dispatcher = executor.asCoroutineDispatcher()
        val impls = listOf("RingReceive", "RingReceiveBatch", "KotlinxChannel")
        val rates = impls.associateWith { mutableListOf<Double>() }
        val cpus = impls.associateWith { mutableListOf<Double>() }
        repeat(trials + 1) { trial ->
            val order = if (trial % 2 == 0) impls else impls.reversed()
            for (impl in order) {
                val cpuBefore = ProbeStats.processCpuNanos()
                val start = System.nanoTime()
                val sum = runBlocking(dispatcher) { run(impl, elements) }
                val wall = System.nanoTime() - start
                val cpu = ProbeStats.processCpuNanos() - cpuBefore
                check(sum == expectedSum(elements)) { "$impl lost or reordered elements: sum $sum" }
                if (trial > 0) { // trial 0 warms up
                    rates.getValue(impl) += elements * 1_000.0 / wall
                    cpus.getValue(impl) += cpu / 1_000.0 / elements
                }
            }
        }
        val peer = ProbeStats.median(rates.getValue("KotlinxChannel"))
        for (impl in impls) {
            val rate = ProbeStats.median(rates.getValue(impl))
            println("RESULT probe=coroutine-handoff impl=$impl trials=$trials elementsPerTrial=$elements " +
                "elementsPerUs=%.2f cpuUsPerElement=%.4f ratioToKotlinx=%.2f perTrial=%s".format(rate,
                    ProbeStats.median(cpus.getValue(impl)), rate / peer,
                    rates.getValue(impl).joinToString(",") { "%.1f".format(it) }))
        }
        executor.shutdown()
    }

    /** The receiver's idle policy on the kotlinx side, as on the ring's: poll as many times, then suspend. */
    private suspend fun spinThenReceive(channel: Channel<Long>): Long {
        for (i in 0 until WaitPolicy.DEFAULT.spins()) {
            val result = channel.tryReceive()
            if (result.isSuccess) return result.getOrThrow()
            Thread.onSpinWait()
        }
        return channel.receive()
    }

    private fun expectedSum(elements: Int): Long {
        var sum = 0L
        for (i in 0 until elements) sum += POOL[i and 1023]
        return sum
    }

    private suspend fun run(impl: String, elements: Int): Long = when (impl) {
        "RingReceive", "RingReceiveBatch" -> {
            val channel = RingChannel.spsc<Long>(1024)
            val producer = thread(name = "producer") {
                for (i in 0 until elements) {
                    val value = POOL[i and 1023]
                    while (channel.ring.offer(value) != OfferStatus.OK) Thread.onSpinWait()
                }
            }
            var sum = 0L
            var received = 0
            if (impl == "RingReceive") {
                while (received < elements) {
                    sum += channel.receive()
                    received++
                }
            } else {
                while (received < elements) {
                    received += channel.receiveBatch(256) { sum += it }
                }
            }
            producer.join()
            sum
        }
        else -> {
            val channel = Channel<Long>(1024)
            val producer = thread(name = "producer") {
                for (i in 0 until elements) {
                    val value = POOL[i and 1023]
                    while (!channel.trySend(value).isSuccess) Thread.onSpinWait()
                }
            }
            var sum = 0L
            for (i in 0 until elements) sum += spinThenReceive(channel)
            producer.join()
            sum
        }
    }
}
