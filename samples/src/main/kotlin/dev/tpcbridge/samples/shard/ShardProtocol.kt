package dev.tpcbridge.samples.shard

import dev.tpcbridge.bridge.Request

/**
 * The wire contract between the front end ([ShardCaller]) and the shards ([KvShard]): how a key is routed and how an
 * operation travels in a [Request] and comes back in its response.
 *
 * ```
 * Request.id      the key (any long)
 * Request.shard   the shard that owns the key: shardOf(key, shards); the shard checks it
 * Request payload 9 bytes, not copied by the bridge (the caller keeps it still until the answer):
 *
 *   0                               8       9
 *   +-------------------------------+-------+
 *   | operand, long, little-endian  |  op   |
 *   +-------------------------------+-------+
 *
 *   op PUT        operand = the new value      answer: the previous value (0 if none)
 *   op GET        operand unused (0)           answer: the value (0 if none)
 *   op INCREMENT  operand = the delta          answer: the value after the increment
 *
 * Response.count  the answer; status OK, or ERROR with one of the codes below
 * ```
 *
 * Threads: stateless; any thread.
 */
object ShardProtocol {
    /** Stores the operand as the key's value. */
    const val PUT: Int = 1

    /** Reads the key's value. */
    const val GET: Int = 2

    /** Adds the operand to the key's value (an absent key counts as 0). */
    const val INCREMENT: Int = 3

    /** The payload length of every request. */
    const val LENGTH: Int = 9

    /** Error code: the key does not belong to the shard that received it. */
    const val MISROUTED: Int = 1

    /** Error code: the op byte is none of [PUT], [GET], [INCREMENT]. */
    const val UNKNOWN_OP: Int = 2

    /** Error code: the payload is not [LENGTH] bytes. */
    const val BAD_LENGTH: Int = 3

    private const val OPERAND_OFFSET = 0
    private const val OP_OFFSET = 8

    /**
     * The shard that owns [key] among [shards] (from 1): murmur3's 64-bit finalizer spreads neighbouring keys over the
     * shards. Each shard's [LongLongMap] hashes keys another way (Fibonacci hashing), so the keys one shard owns do
     * not crowd part of its table.
     */
    @JvmStatic
    fun shardOf(key: Long, shards: Int): Int = ((mix(key) ushr 32) % shards).toInt()

    /** Writes [op] and [operand] into [payload] (at least [LENGTH] bytes). */
    @JvmStatic
    fun encode(payload: ByteArray, op: Int, operand: Long) {
        var v = operand
        for (i in 0 until 8) {
            payload[OPERAND_OFFSET + i] = v.toByte()
            v = v ushr 8
        }
        payload[OP_OFFSET] = op.toByte()
    }

    /** The op of the payload starting at [offset]. */
    @JvmStatic
    fun op(payload: ByteArray, offset: Int): Int = payload[offset + OP_OFFSET].toInt()

    /** The operand of the payload starting at [offset]. */
    @JvmStatic
    fun operand(payload: ByteArray, offset: Int): Long {
        var v = 0L
        for (i in 7 downTo 0) {
            v = (v shl 8) or (payload[offset + OPERAND_OFFSET + i].toLong() and 0xFF)
        }
        return v
    }

    /** murmur3's fmix64: every input bit affects every output bit. */
    internal fun mix(key: Long): Long {
        var h = key
        h = (h xor (h ushr 33)) * -0xae502812aa7333L // 0xff51afd7ed558ccd
        h = (h xor (h ushr 33)) * -0x3b314601e57a13adL // 0xc4ceb9fe1a85ec53
        return h xor (h ushr 33)
    }
}
