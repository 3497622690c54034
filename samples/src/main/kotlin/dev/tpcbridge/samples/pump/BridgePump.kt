package dev.tpcbridge.samples.pump

import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.bridge.ResponseStatus
import dev.tpcbridge.coroutines.BridgeEndpoint
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.RingChannel
import dev.tpcbridge.runtime.Core
import dev.tpcbridge.runtime.DataPlane
import dev.tpcbridge.slab.SlabConfig
import dev.tpcbridge.slab.SlabPool
import dev.tpcbridge.slab.SlabView
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.util.concurrent.atomic.AtomicLongArray

/** The receiver found a message it did not expect: the run fails. */
class PumpCheckFailed(message: String) : RuntimeException(message)

/**
 * The pump through the library's public API: per data-plane core, a sender coroutine takes a free envelope and a
 * page from the core's slab pool, writes the message into the page (zero-copy: the page itself travels), and sends
 * it through a [BridgeEndpoint]; the core answers with the page ([PumpMode.ONE_WAY]), or checks it, gives it back
 * and answers with a page of its own ([PumpMode.BOTH_WAYS]); a receiver coroutine checks every byte of the answer,
 * releases the page and hands the envelope back to the sender through a [RingChannel]. Nothing is allocated per
 * message: envelopes and pages circulate, and the suspending calls take their fast paths while data flows.
 *
 * Threads: the senders and receivers run on [Dispatchers.Default]; each core runs its handler on its own thread.
 * [done] is written by the receivers (one slot each) and read by the thread that reports progress.
 */
@OptIn(ExperimentalBridgeApi::class)
class BridgePump(private val config: PumpConfig) {
    /** Payload bytes checked so far, per core. */
    val done = AtomicLongArray(config.cores)

    /** Runs the pump to the end; throws [PumpCheckFailed] if a message fails its check. */
    suspend fun run() {
        val pagesPerCore = if (config.mode == PumpMode.BOTH_WAYS) 2 * config.window + 2 else config.window + 1
        DataPlane.builder()
            .cores(config.cores)
            .slabPools { core -> SlabConfig.builder().poolId(core + 1).pageSize(config.pageSize).pageCount(pagesPerCore).build() }
            .build().start().use { plane ->
                coroutineScope {
                    for (core in plane.cores()) {
                        val endpoint = BridgeEndpoint(channelFor(core))
                        val free = RingChannel.spsc<Request>(config.window)
                        repeat(config.window) { check(free.trySend(Request.create()).isSuccess) }
                        launch(Dispatchers.Default) { send(core, endpoint, free) }      // ends with closeRequests()
                        launch(Dispatchers.Default) { endpoint.use { receive(core, it, free) } } // closes once done
                    }
                }
            }
    }

    private fun channelFor(core: Core): BridgeChannel<Request, Response> {
        val capacity = Integer.highestOneBit(config.window) shl 1 // holds the whole window: a send never waits
        val channel = BridgeChannel.forEnvelopes().requestCapacity(capacity).responseCapacity(capacity).build()
        if (config.mode == PumpMode.ONE_WAY) {
            core.attach(channel) { request -> request.response().slabPayload(request.slabHandle()) }
        } else {
            val pool = core.slabPool()
            val view = SlabView()                              // the core's own: only its thread touches it
            val responseSeed = PayloadCodec.responseSeed(config.seed)
            core.attach(channel) { request ->
                val handle = request.slabHandle()
                val sum = PayloadCodec.checksum(view.wrap(pool, handle), config.payload)
                pool.release(handle)
                if (sum != request.traceId() || view.getLong(0) != request.id()) {
                    request.response().error(CHECK_FAILED)
                } else {
                    val answer = pool.alloc(config.payload)
                    check(answer > 0) { "the core's pool ran out: $pool" }
                    val answerSum = PayloadCodec.write(pool.writable(answer), config.payload, responseSeed, request.id())
                    request.response().slabPayload(answer).count(answerSum)
                }
            }
        }
        return channel
    }

    private suspend fun send(core: Core, endpoint: BridgeEndpoint<Request, Response>, free: RingChannel<Request>) {
        val pool = core.slabPool()
        val messages = config.messagesPerCore
        val fault = if (core.index() == 0) config.fault else PumpFault.NONE
        val faultAt = messages / 2
        var held: Request? = null
        var seq = 0L
        while (seq < messages) {
            val request = free.receive()
            val handle = pool.alloc(config.payload)
            check(handle > 0) { "the pool ran out: $pool" }
            val sum = when {
                seq != faultAt || fault == PumpFault.NONE || fault == PumpFault.REORDER ->
                    PayloadCodec.write(pool.writable(handle), config.payload, config.seed, seq)
                fault == PumpFault.SKIP_WRITE ->
                    PayloadCodec.write(SCRATCH.get().clear(), config.payload, config.seed, seq) // computed, not written
                else -> { // STALE_PAGE: the page holds the previous message's bytes
                    PayloadCodec.write(pool.writable(handle), config.payload, config.seed, seq - 1)
                    PayloadCodec.write(SCRATCH.get().clear(), config.payload, config.seed, seq)
                }
            }
            request.clear().id(seq).traceId(sum).slabPayload(handle)
            if (fault == PumpFault.REORDER && seq == faultAt) {
                held = request                                 // sent after the next one
            } else {
                endpoint.send(request)
                held?.let { endpoint.send(it) }
                held = null
            }
            seq++
        }
        held?.let { endpoint.send(it) }
        endpoint.closeRequests()
    }

    private suspend fun receive(core: Core, endpoint: BridgeEndpoint<Request, Response>, free: RingChannel<Request>) {
        val pool = core.slabPool()
        val view = SlabView()
        val messages = config.messagesPerCore
        val bytesPerMessage = if (config.mode == PumpMode.BOTH_WAYS) 2L * config.payload else config.payload.toLong()
        var expected = 0L
        while (expected < messages) {
            val response = endpoint.receive()
            val request = response.request()
            if (response.status() != ResponseStatus.OK) {
                throw PumpCheckFailed("core ${core.index()}: message ${response.id()} answered ${response.status()}" +
                    if (response.errorCode() == CHECK_FAILED) " (the core's check of the request failed)" else "")
            }
            val handle = response.slabHandle()
            val sum = PayloadCodec.checksum(view.wrap(pool, handle), config.payload)
            val first = view.getLong(0)
            pool.release(handle)
            val sent = if (config.mode == PumpMode.BOTH_WAYS) response.count() else request.traceId()
            if (response.id() != expected || first != expected || sum != sent) {
                throw PumpCheckFailed("core ${core.index()}: expected message $expected, got id ${response.id()} " +
                    "holding message $first, checksum ${java.lang.Long.toHexString(sum)} where the sender wrote " +
                    java.lang.Long.toHexString(sent))
            }
            done.lazySet(core.index(), (expected + 1) * bytesPerMessage) // read by the progress thread
            free.send(request)
            expected++
        }
    }

    private companion object {
        const val CHECK_FAILED = 17
        /** The senders' scratch page for a checksum computed without writing the real page (fault injection only). */
        val SCRATCH: ThreadLocal<java.nio.ByteBuffer> = ThreadLocal.withInitial {
            java.nio.ByteBuffer.allocate(PumpConfig.MAX_PAYLOAD).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        }
    }
}
