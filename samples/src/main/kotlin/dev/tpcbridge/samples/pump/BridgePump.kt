package dev.tpcbridge.samples.pump

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.coroutines.BridgeEndpoint
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.RingChannel
import dev.tpcbridge.runtime.Core
import dev.tpcbridge.slab.SlabView
import dev.tpcbridge.wake.WakingRing
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.ClosedReceiveChannelException
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
        PumpPlane.start(config).use { plane ->
            val endpoints = ArrayList<BridgeEndpoint<Request, Response>>()
            try {
                coroutineScope {
                    for (core in plane.cores()) {
                        val endpoint = BridgeEndpoint(PumpPlane.attach(core, config), config.spins)
                        endpoints += endpoint
                        if (config.control == PumpControl.PIPELINE) {
                            launch(Dispatchers.Default) { pipeline(core, endpoint) }
                        } else {
                            val free = RingChannel.of(WakingRing.builder<Request>().capacity(config.window)
                                .spinTries(config.spins))
                            repeat(config.window) { check(free.trySend(Request.create()).isSuccess) }
                            launch(Dispatchers.Default) { send(core, endpoint, free) }  // ends with closeRequests()
                            launch(Dispatchers.Default) { receive(core, endpoint, free) }
                        }
                    }
                }
            } finally {
                // once every sender and receiver is done: a failure cancels the others first (a receiver that
                // closed the endpoint under a running sender would make the sender's error race the real one)
                endpoints.forEach { it.close() }
            }
        }
    }

    /**
     * Writes each message into a fresh page of its core's pool; injects the configured fault into the middle message
     * of core 0. Not a suspend function, like everything called once per message here: a suspend function that is
     * not a tail call allocates its state machine on every call, so the per-message loops below call the endpoint
     * themselves. One sending coroutine at a time.
     */
    private inner class Sender(private val core: Core) {
        private val pool = core.slabPool()
        private val fault = if (core.index() == 0) config.fault else PumpFault.NONE
        private val faultAt = config.messagesPerCore / 2
        private var held: Request? = null

        /** Fills [request] with message [seq]; false if it is held back (the reorder fault): send it after the next. */
        fun write(request: Request, seq: Long): Boolean {
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
                held = request
                return false
            }
            return true
        }

        /** The request held back, once the one after it was sent (or at the end); null if none. */
        fun takeHeld(): Request? = held.also { held = null }
    }

    private suspend fun send(core: Core, endpoint: BridgeEndpoint<Request, Response>, free: RingChannel<Request>) {
        val sender = Sender(core)
        for (seq in 0 until config.messagesPerCore) {
            val request = free.receive()
            if (sender.write(request, seq)) {
                endpoint.send(request)
                sender.takeHeld()?.let { endpoint.send(it) }
            }
        }
        sender.takeHeld()?.let { endpoint.send(it) }
        endpoint.closeRequests()
    }

    private suspend fun receive(core: Core, endpoint: BridgeEndpoint<Request, Response>, free: RingChannel<Request>) {
        val view = SlabView()
        var expected = 0L
        try {
            while (expected < config.messagesPerCore) {
                val request = PumpPlane.checkAnswer(config, core, view, endpoint.receive(), expected)
                done.lazySet(core.index(), (expected + 1) * config.bytesPerMessage) // read by the progress thread
                free.send(request)
                expected++
            }
        } catch (e: ClosedReceiveChannelException) {
            throw closedEarly(core, expected, e)
        }
    }

    /**
     * [PumpControl.PIPELINE]: one coroutine per core keeps the window full: it takes the oldest answer (there already,
     * as a rule, so it seldom suspends), checks it, and sends the next message in its envelope.
     */
    private suspend fun pipeline(core: Core, endpoint: BridgeEndpoint<Request, Response>) {
        val sender = Sender(core)
        val view = SlabView()
        val messages = config.messagesPerCore
        var next = 0L
        var expected = 0L
        try {
            while (next < minOf(config.window.toLong(), messages)) {
                val request = Request.create()
                if (sender.write(request, next++)) {
                    endpoint.send(request)
                    sender.takeHeld()?.let { endpoint.send(it) }
                }
            }
            while (expected < messages) {
                val request = PumpPlane.checkAnswer(config, core, view, endpoint.receive(), expected)
                done.lazySet(core.index(), (expected + 1) * config.bytesPerMessage) // read by the progress thread
                expected++
                if (next < messages && sender.write(request, next++)) {
                    endpoint.send(request)
                    sender.takeHeld()?.let { endpoint.send(it) }
                }
                if (next == messages) {
                    sender.takeHeld()?.let { endpoint.send(it) }
                    endpoint.closeRequests()
                    next++
                }
            }
        } catch (e: ClosedReceiveChannelException) {
            throw closedEarly(core, expected, e)
        }
    }

    private fun closedEarly(core: Core, expected: Long, cause: Throwable) = IllegalStateException(
        "core ${core.index()}: the channel closed after $expected of ${config.messagesPerCore} answers", cause)

    private companion object {
        /** The senders' scratch page for a checksum computed without writing the real page (fault injection only). */
        val SCRATCH: ThreadLocal<java.nio.ByteBuffer> = ThreadLocal.withInitial {
            java.nio.ByteBuffer.allocate(PumpConfig.MAX_PAYLOAD).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        }
    }
}
