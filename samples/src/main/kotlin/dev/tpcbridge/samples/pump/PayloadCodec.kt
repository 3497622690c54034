package dev.tpcbridge.samples.pump

import dev.tpcbridge.slab.SlabView
import java.nio.ByteBuffer

/**
 * The pump's traffic: what a sender writes into a page, and how a receiver checks every byte of it.
 *
 * A message's first long is its sequence number; the long at byte index `i >= 8` is `base + i * STEP`, where `base`
 * mixes the seed with the sequence number (SplitMix64), so that two messages never carry the same bytes. The receiver
 * checks a page by regeneration: it compares every long it reads with the value the sender must have written there. It
 * is an exact check of every byte (a checksum only makes a wrong page unlikely to pass), and both passes are straight
 * loops with no dependency from one long to the next, so C2 runs them at close to memory speed. A page the sender
 * did not write, a copy of another message, a message out of order and a single flipped bit all fail it.
 *
 * Stateless; any thread. Allocates nothing.
 */
object PayloadCodec {
    private const val MIX = -0x61c8864680b583ebL   // 0x9E3779B97F4A7C15, the golden-ratio increment
    private const val STEP = -0x3d4d51c2d82b14b1L  // 0xC2B2AE3D27D4EB4F: odd, so i * STEP differs for every i
    /** What [mismatch] returns for a page that holds exactly the message. */
    const val MATCH: Int = -1

    /** The seed of the core's answers in [PumpMode.BOTH_WAYS]: another stream than the requests'. */
    fun responseSeed(seed: Long): Long = seed xor 0x5DEECE66DL

    /** The base of message [seq]'s longs: a SplitMix64 finalisation of seed and sequence number. */
    fun base(seed: Long, seq: Long): Long {
        var z = seed + (seq + 1) * MIX
        z = (z xor (z ushr 30)) * -0x40a7b892e31b1a47L
        z = (z xor (z ushr 27)) * -0x6b2fb644ecceee15L
        return z xor (z ushr 31)
    }

    /** The long message [seq] holds at byte index [index]. */
    fun valueAt(seed: Long, seq: Long, index: Int): Long = if (index == 0) seq else base(seed, seq) + index * STEP

    /** Writes message [seq] into [page], [length] bytes (a multiple of 8) from index 0, little-endian. */
    fun write(page: ByteBuffer, length: Int, seed: Long, seq: Long) {
        page.putLong(0, seq)
        val base = base(seed, seq)
        var i = 8
        while (i < length) {
            page.putLong(i, base + i * STEP)
            i += 8
        }
    }

    /**
     * Checks that [view] holds message [seq] of the stream [seed], every one of its [length] bytes.
     *
     * @return [MATCH], or the byte index of the first long that differs
     */
    fun mismatch(view: SlabView, length: Int, seed: Long, seq: Long): Int =
        mismatchOf(length, seed, seq) { view.getLong(it) }

    /** The same over a plain buffer (the floor's pages). */
    fun mismatch(page: ByteBuffer, length: Int, seed: Long, seq: Long): Int =
        mismatchOf(length, seed, seq) { page.getLong(it) }

    /**
     * One pass that ors together the difference of every long with its expected value (no branch in the loop: C2
     * unrolls and vectorises it), then, only for a page that failed, a second pass to say where. Inlined per reader,
     * so that each call site is monomorphic.
     */
    private inline fun mismatchOf(length: Int, seed: Long, seq: Long, read: (Int) -> Long): Int {
        val base = base(seed, seq)
        var diff = read(0) xor seq
        var i = 8
        while (i < length) {
            diff = diff or (read(i) xor (base + i * STEP))
            i += 8
        }
        if (diff == 0L) {
            return MATCH
        }
        i = 0
        while (i < length && read(i) == valueAt(seed, seq, i)) {
            i += 8
        }
        return i
    }
}
