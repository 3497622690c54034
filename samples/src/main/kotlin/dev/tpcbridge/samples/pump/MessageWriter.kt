package dev.tpcbridge.samples.pump

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.runtime.Core

/**
 * The sender's side of the traffic: writes each message into a fresh page of its core's pool and fills its envelope,
 * injecting the configured fault into the middle message of core 0 (a page not written, a page holding the previous
 * message, a message held back and sent after the next, or one bit flipped). Not a suspend function: a suspend
 * function whose suspending call is not a tail call allocates its state machine on every call, so the per-message
 * loops call the endpoint themselves.
 *
 * One sending thread or coroutine at a time.
 */
class MessageWriter(private val config: PumpConfig, core: Core) {
    private val pool = core.slabPool()
    private val fault = if (core.index() == 0) config.fault else PumpFault.NONE
    private val faultAt = config.messagesPerCore / 2
    private var held: Request? = null

    /** Fills [request] with message [seq]; false if it is held back (the reorder fault): send it after the next. */
    fun write(request: Request, seq: Long): Boolean {
        val handle = pool.alloc(config.payload)
        check(handle > 0) { "the pool ran out: $pool" }
        val page = pool.writable(handle)
        when {
            seq != faultAt || fault == PumpFault.NONE || fault == PumpFault.REORDER ->
                PayloadCodec.write(page, config.payload, config.seed, seq)
            fault == PumpFault.SKIP_WRITE -> {} // the page keeps whatever its previous owner left in it
            fault == PumpFault.STALE_PAGE -> PayloadCodec.write(page, config.payload, config.seed, seq - 1)
            else -> { // FLIP_BIT: one bit, anywhere in the page (the seed picks which)
                PayloadCodec.write(page, config.payload, config.seed, seq)
                val bit = Math.floorMod(PayloadCodec.base(config.seed, -seq), config.payload.toLong() * 8).toInt()
                page.put(bit / 8, (page.get(bit / 8).toInt() xor (1 shl (bit % 8))).toByte())
            }
        }
        request.clear().id(seq).slabPayload(pool, handle)
        if (fault == PumpFault.REORDER && seq == faultAt) {
            held = request
            return false
        }
        return true
    }

    /** The request held back, once the one after it was sent (or at the end); null if none. */
    fun takeHeld(): Request? = held.also { held = null }
}
