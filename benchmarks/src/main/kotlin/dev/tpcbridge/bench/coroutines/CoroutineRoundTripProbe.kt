package dev.tpcbridge.bench.coroutines

import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.coroutines.BridgeEndpoint
import dev.tpcbridge.coroutines.CoroutineBridgeClient
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.RingChannel
import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.runtime.DataPlane
import dev.tpcbridge.wake.WakeableIdleStrategy
import dev.tpcbridge.ring.WakingRing
import dev.tpcbridge.wake.WaitPolicy
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.runBlocking
import java.util.concurrent.Executors
import kotlin.concurrent.thread

/**
 * Coroutine ↔ core round trip: a coroutine sends a request to a data-plane thread and suspends for its answer, one
 * at a time; each trip's latency is recorded, and p50/p99 per trial are compared with the peer's in the same JVM,
 * trial after trial alternating the order:
 *
 * - `RingPair`: two [RingChannel]s (SPSC): the coroutine `send`s and `receive`s; the core thread drains the request
 *   ring and answers into the response ring, idling on a `WakeableIdleStrategy`;
 * - `Endpoint`: a [BridgeEndpoint] `send` then `receive` to a `DataPlane` core: the library's coroutine ↔ core path,
 *   through the bridge channel's rings with no thread between;
 * - `Client`: a [CoroutineBridgeClient] `call` to a `DataPlane` core (through the client's completion thread: one
 *   more hop);
 * - `KotlinxChannel` (the peer): two kotlinx `Channel(1024)`s; the core thread runs a `runBlocking` loop that receives
 *   a request and sends its answer.
 *
 * The same idle policy everywhere (third argument, default 128): every waiter, coroutine or core, polls that many
 * times (`onSpinWait`) before it suspends or parks (0: at once). The coroutine runs on one single-thread dispatcher
 * in every case. Prints p50 and p99 in µs, the process's CPU time
 * per trip (µs) and the ratios to `KotlinxChannel`. Goals: p50 at most 1/3, p99 at most 1/5 of the peer's.
 *
 * Run: `java -cp benchmarks/target/benchmarks.jar dev.tpcbridge.bench.coroutines.CoroutineRoundTripProbe [trials]
 * [tripsPerTrial] [spins]`.
 */
@OptIn(ExperimentalBridgeApi::class)
public object CoroutineRoundTripProbe {
    private val TOKEN: Long = 42L
    /** The idle policy of every waiter on both sides: poll this many times, then suspend or park. */
    private var spins = 128

    @JvmStatic
    public fun main(args: Array<String>) {
        val trials = args.getOrNull(0)?.toInt() ?: 7
        val trips = args.getOrNull(1)?.toInt() ?: 50_000
        spins = args.getOrNull(2)?.toInt() ?: 128
        val executor = Executors.newSingleThreadExecutor { Thread(it, "caller") }
        val dispatcher = executor.asCoroutineDispatcher()
        val impls = listOf("RingPair", "Endpoint", "Client", "KotlinxChannel")
        val p50 = impls.associateWith { mutableListOf<Double>() }
        val p99 = impls.associateWith { mutableListOf<Double>() }
        val cpus = impls.associateWith { mutableListOf<Double>() }
        repeat(trials + 1) { trial ->
            val order = if (trial % 2 == 0) impls else impls.reversed()
            for (impl in order) {
                val latencies = LongArray(trips)
                val cpuBefore = ProbeStats.processCpuNanos()
                runBlocking(dispatcher) { run(impl, latencies) }
                val cpu = ProbeStats.processCpuNanos() - cpuBefore
                latencies.sort()
                if (trial > 0) {
                    p50.getValue(impl) += ProbeStats.percentile(latencies, 0.50) / 1_000.0
                    p99.getValue(impl) += ProbeStats.percentile(latencies, 0.99) / 1_000.0
                    cpus.getValue(impl) += cpu / 1_000.0 / trips
                }
            }
        }
        val peer50 = ProbeStats.median(p50.getValue("KotlinxChannel"))
        val peer99 = ProbeStats.median(p99.getValue("KotlinxChannel"))
        for (impl in impls) {
            val m50 = ProbeStats.median(p50.getValue(impl))
            val m99 = ProbeStats.median(p99.getValue(impl))
            println("RESULT probe=coroutine-roundtrip impl=$impl spins=$spins trials=$trials tripsPerTrial=$trips " +
                "p50Us=%.2f p99Us=%.2f cpuUsPerTrip=%.2f p50Ratio=%.2f p99Ratio=%.2f p50PerTrial=%s".format(m50, m99,
                    ProbeStats.median(cpus.getValue(impl)), m50 / peer50, m99 / peer99,
                    p50.getValue(impl).joinToString(",") { "%.1f".format(it) }))
        }
        executor.shutdown()
    }

    /** The same idle policy as the ring side: poll [spins] times, then suspend. Null once closed. */
    private suspend fun spinThenReceive(channel: Channel<Long>): Long? {
        for (i in 0 until spins) {
            val result = channel.tryReceive()
            if (result.isSuccess) return result.getOrThrow()
            if (result.isClosed) return null
            Thread.onSpinWait()
        }
        return channel.receiveCatching().getOrNull()
    }

    private suspend fun run(impl: String, latencies: LongArray) {
        when (impl) {
            "RingPair" -> {
                val requests =
                    RingChannel.of(WakingRing.builder<Long>().capacity(1024).waitPolicy(WaitPolicy.of(spins, 0)))
                val responses =
                    RingChannel.of(WakingRing.builder<Long>().capacity(1024).waitPolicy(WaitPolicy.of(spins, 0)))
                val core = thread(name = "core") {
                    val idle = WakeableIdleStrategy.create(WaitPolicy.of(spins, 0), requests.ring.readable())
                    while (!requests.isClosedForReceive) {
                        idle.idle(requests.ring.drain({ r ->
                            while (responses.ring.offer(r) != OfferStatus.OK) Thread.onSpinWait()
                        }, 64))
                    }
                }
                for (i in latencies.indices) {
                    val start = System.nanoTime()
                    requests.send(TOKEN)
                    responses.receive()
                    latencies[i] = System.nanoTime() - start
                }
                requests.close()
                core.join()
            }
            "Endpoint" -> {
                DataPlane.builder().idle(WaitPolicy.of(spins, 0)).build().use { plane ->
                    val channel = BridgeChannel.forEnvelopes().waitPolicy(WaitPolicy.of(spins, 0)).build()
                    plane.core(0).attach(channel) { request -> request.response() }
                    plane.start()
                    BridgeEndpoint(channel, WaitPolicy.of(spins, 0)).use { endpoint ->
                        val request = Request.create().id(1)
                        for (i in latencies.indices) {
                            val start = System.nanoTime()
                            endpoint.send(request)
                            endpoint.receive()
                            latencies[i] = System.nanoTime() - start
                        }
                        endpoint.closeRequests()
                    }
                }
            }
            "Client" -> {
                DataPlane.builder().idle(WaitPolicy.of(spins, 0)).build().use { plane ->
                    val client = CoroutineBridgeClient()
                    plane.core(0).attach(client.client.channel()) { request -> request.response() }
                    plane.start()
                    val request = Request.create().id(1)
                    for (i in latencies.indices) {
                        val start = System.nanoTime()
                        client.call(request, Response::id)
                        latencies[i] = System.nanoTime() - start
                    }
                    client.close()
                }
            }
            else -> {
                val requests = Channel<Long>(1024)
                val responses = Channel<Long>(1024)
                val core = thread(name = "core") {
                    runBlocking {
                        while (true) {
                            val r = spinThenReceive(requests) ?: break
                            responses.send(r)
                        }
                    }
                }
                for (i in latencies.indices) {
                    val start = System.nanoTime()
                    requests.send(TOKEN)
                    spinThenReceive(responses)
                    latencies[i] = System.nanoTime() - start
                }
                requests.close()
                core.join()
            }
        }
    }
}
