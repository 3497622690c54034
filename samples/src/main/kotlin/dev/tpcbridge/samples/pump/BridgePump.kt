package dev.tpcbridge.samples.pump

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.coroutines.BridgeEndpoint
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.RingChannel
import dev.tpcbridge.runtime.Core
import dev.tpcbridge.slab.SlabView
import dev.tpcbridge.ring.WakingRing
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
                        val endpoint = BridgeEndpoint(PumpPlane.attach(core, config), config.waitPolicy)
                        endpoints += endpoint
                        if (config.control == PumpControl.PIPELINE) {
                            launch(Dispatchers.Default) { pipeline(core, endpoint) }
                        } else {
                            val free = RingChannel.of(WakingRing.builder<Request>().capacity(config.window)
                                .waitPolicy(config.waitPolicy))
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

    private suspend fun send(core: Core, endpoint: BridgeEndpoint<Request, Response>, free: RingChannel<Request>) {
        val sender = MessageWriter(config, core)
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
        val sender = MessageWriter(config, core)
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
}
