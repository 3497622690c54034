package dev.tpcbridge.samples.pump

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.runtime.Core
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * The sender's side of the traffic: writes each message into a fresh page of its core's pool and fills its envelope,
 * injecting the configured fault into the middle message of core 0 (a page not written, a page holding the previous
 * message, or a message held back and sent after the next). Not a suspend function: a suspend function whose
 * suspending call is not a tail call allocates its state machine on every call, so the per-message loops call the
 * endpoint themselves.
 *
 * One sending thread or coroutine at a time.
 */
class MessageWriter(private val config: PumpConfig, core: Core) {
    private val pool = core.slabPool()
    private val fault = if (core.index() == 0) config.fault else PumpFault.NONE
    private val faultAt = config.messagesPerCore / 2
    /** For a checksum computed without writing the real page (the faults only). */
    private val scratch: ByteBuffer? =
        if (fault == PumpFault.NONE) null else ByteBuffer.allocate(config.payload).order(ByteOrder.LITTLE_ENDIAN)
    private var held: Request? = null

    /** Fills [request] with message [seq]; false if it is held back (the reorder fault): send it after the next. */
    fun write(request: Request, seq: Long): Boolean {
        val handle = pool.alloc(config.payload)
        check(handle > 0) { "the pool ran out: $pool" }
        val sum = when {
            seq != faultAt || fault == PumpFault.NONE || fault == PumpFault.REORDER ->
                PayloadCodec.write(pool.writable(handle), config.payload, config.seed, seq)
            fault == PumpFault.SKIP_WRITE ->
                PayloadCodec.write(scratch!!.clear(), config.payload, config.seed, seq) // computed, not written
            else -> { // STALE_PAGE: the page holds the previous message's bytes
                PayloadCodec.write(pool.writable(handle), config.payload, config.seed, seq - 1)
                PayloadCodec.write(scratch!!.clear(), config.payload, config.seed, seq)
            }
        }
        request.clear().id(seq).traceId(sum).slabPayload(pool, handle)
        if (fault == PumpFault.REORDER && seq == faultAt) {
            held = request
            return false
        }
        return true
    }

    /** The request held back, once the one after it was sent (or at the end); null if none. */
    fun takeHeld(): Request? = held.also { held = null }
}
