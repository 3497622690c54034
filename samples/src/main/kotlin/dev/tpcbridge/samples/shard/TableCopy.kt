package dev.tpcbridge.samples.shard

import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.LongBuffer

/**
 * A point-in-time copy of a [LongLongMap]'s table, filled by [LongLongMap.beginCopy] and [LongLongMap.copyChunk]:
 * its slots as they were (the key 0 marks a free slot), and the key 0's entry beside them. The slots live in two
 * direct, little-endian buffers ([keyBytes], [valueBytes]), so that a writer hands them to a file channel as they are,
 * with no pass of its own over them. Reusable: each copy overwrites the last, and the buffers are reallocated only when
 * the table has grown.
 *
 * Threads: filled by the map's owner; read by one thread at a time after that, handed over with a happens-before edge
 * (in this sample, an offload pool's submit and its worker).
 */
class TableCopy {
    private var keyBuffer: ByteBuffer = allocate(0)
    private var valueBuffer: ByteBuffer = allocate(0)

    @PublishedApi
    internal var keys: LongBuffer = keyBuffer.asLongBuffer()
        private set

    @PublishedApi
    internal var values: LongBuffer = valueBuffer.asLongBuffer()
        private set

    /** The number of slots of the table copied. */
    var capacity: Int = 0
        private set

    /** The number of keys the map held, the key 0 included. */
    var size: Int = 0
        private set

    /** Whether the map held the key 0 (kept beside the slots). */
    var hasZeroKey: Boolean = false
        private set

    /** The key 0's value, if [hasZeroKey]. */
    var zeroValue: Long = 0L
        private set

    internal fun prepare(capacity: Int, size: Int, hasZeroKey: Boolean, zeroValue: Long) {
        if (keys.capacity() < capacity) {
            keyBuffer = allocate(capacity)
            valueBuffer = allocate(capacity)
            keys = keyBuffer.asLongBuffer()
            values = valueBuffer.asLongBuffer()
        }
        this.capacity = capacity
        this.size = size
        this.hasZeroKey = hasZeroKey
        this.zeroValue = zeroValue
    }

    /** Copies slots `[from, from + length)` of [keysFrom] and [valuesFrom] into the same slots here. */
    internal fun copySlots(keysFrom: LongArray, valuesFrom: LongArray, from: Int, length: Int) {
        keys.put(from, keysFrom, from, length)
        values.put(from, valuesFrom, from, length)
    }

    /** The copied keys' bytes, [capacity] slots of 8 (a new view each call: position 0, limit at the last slot). */
    fun keyBytes(): ByteBuffer = keyBuffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(capacity * Long.SIZE_BYTES)

    /** The copied values' bytes, slot for slot with [keyBytes]. */
    fun valueBytes(): ByteBuffer =
        valueBuffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).limit(capacity * Long.SIZE_BYTES)

    /** Calls [action] with each key and its value: the key 0 first if the map held it, then slot by slot. */
    inline fun forEach(action: (key: Long, value: Long) -> Unit) {
        if (hasZeroKey) {
            action(0L, zeroValue)
        }
        val keys = keys
        val values = values
        for (i in 0 until capacity) {
            val key = keys.get(i)
            if (key != 0L) {
                action(key, values.get(i))
            }
        }
    }

    companion object {
        /** Slots per chunk: 4,096, two 32 KiB runs, a few microseconds to copy. */
        const val CHUNK: Int = 4096

        private fun allocate(slots: Int): ByteBuffer =
            ByteBuffer.allocateDirect(slots * Long.SIZE_BYTES).order(ByteOrder.LITTLE_ENDIAN)
    }
}
