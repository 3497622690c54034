package dev.tpcbridge.samples.pump

import dev.tpcbridge.slab.SlabView
import java.nio.ByteBuffer

/**
 * The pump's traffic: what a sender writes into a page and how a receiver checks it, every byte a `long` at a time.
 *
 * A message's first long is its sequence number; long `i >= 1` is `base + i * STEP`, where `base` mixes the seed with
 * the sequence number, so two messages never carry the same bytes. The checksum is a position-sensitive 64-bit hash
 * over every long (four independent multiply-xorshift lanes, so that it runs at memory speed): the sender computes it
 * from the values it writes, the receiver from the values it reads, and they must agree. A page the sender did not
 * write, a stale copy of another message, or a message out of order fails the check.
 *
 * Stateless; any thread. Allocates nothing.
 */
object PayloadCodec {
    private const val MIX = -0x61c8864680b583ebL   // 0x9E3779B97F4A7C15, the golden-ratio increment
    private const val STEP = -0x3d4d51c2d82b14b1L  // 0xC2B2AE3D27D4EB4F
    private const val LANE = -0x4b6d499041670d8dL  // 0xB492B66FBE98F273

    /** The seed of the core's answers in [PumpMode.BOTH_WAYS]: another stream than the requests'. */
    fun responseSeed(seed: Long): Long = seed xor 0x5DEECE66DL

    /** The first long-after-the-header of message [seq]: a SplitMix64 finalisation of seed and sequence. */
    fun base(seed: Long, seq: Long): Long {
        var z = seed + (seq + 1) * MIX
        z = (z xor (z ushr 30)) * -0x40a7b892e31b1a47L
        z = (z xor (z ushr 27)) * -0x6b2fb644ecceee15L
        return z xor (z ushr 31)
    }

    /** Writes message [seq] into [page] (little-endian, from index 0) and returns its checksum. */
    fun write(page: ByteBuffer, length: Int, seed: Long, seq: Long): Long {
        page.putLong(0, seq)
        var value = base(seed, seq)
        var h0 = seq * LANE
        var h1 = 0L
        var h2 = 0L
        var h3 = 0L
        var i = 8
        val unrolled = 8 + (length - 8) / 32 * 32
        while (i < unrolled) {
            val v0 = value + STEP
            val v1 = v0 + STEP
            val v2 = v1 + STEP
            val v3 = v2 + STEP
            page.putLong(i, v0)
            page.putLong(i + 8, v1)
            page.putLong(i + 16, v2)
            page.putLong(i + 24, v3)
            h0 = mix(h0 + v0)
            h1 = mix(h1 + v1)
            h2 = mix(h2 + v2)
            h3 = mix(h3 + v3)
            value = v3
            i += 32
        }
        while (i < length) {
            value += STEP
            page.putLong(i, value)
            h0 = mix(h0 + value)
            i += 8
        }
        return finish(h0, h1, h2, h3)
    }

    /** The checksum of the payload [view] holds, read a long at a time. */
    fun checksum(view: SlabView, length: Int): Long = checksumOf(length) { view.getLong(it) }

    /** The same over a plain buffer (the floor's pages). */
    fun checksum(page: ByteBuffer, length: Int): Long = checksumOf(length) { page.getLong(it) }

    /** The checksum over the longs [read] returns by byte index (inlined per reader: each call site monomorphic). */
    private inline fun checksumOf(length: Int, read: (Int) -> Long): Long {
        var h0 = read(0) * LANE
        var h1 = 0L
        var h2 = 0L
        var h3 = 0L
        var i = 8
        val unrolled = 8 + (length - 8) / 32 * 32
        while (i < unrolled) {
            h0 = mix(h0 + read(i))
            h1 = mix(h1 + read(i + 8))
            h2 = mix(h2 + read(i + 16))
            h3 = mix(h3 + read(i + 24))
            i += 32
        }
        while (i < length) {
            h0 = mix(h0 + read(i))
            i += 8
        }
        return finish(h0, h1, h2, h3)
    }

    /** One lane step: a multiply carries low bits up, the xor-shift carries high bits down (not linear mod 2^64). */
    private fun mix(h: Long): Long {
        val m = h * LANE
        return m xor (m ushr 29)
    }

    private fun finish(h0: Long, h1: Long, h2: Long, h3: Long): Long =
        h0 xor java.lang.Long.rotateLeft(h1, 16) xor java.lang.Long.rotateLeft(h2, 32) xor
            java.lang.Long.rotateLeft(h3, 48)
}
