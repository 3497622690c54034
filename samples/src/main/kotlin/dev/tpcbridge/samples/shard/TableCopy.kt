package dev.tpcbridge.samples.shard

import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.LongBuffer

/**
 * A point-in-time copy of a [LongLongMap]'s table, filled by [LongLongMap.beginCopy] and [LongLongMap.copyChunk]:
 * its slots as they were (the key 0 marks a free slot), and the key 0's entry beside them. The slots live in one
 * little-endian buffer from [storage] (the keys, then the values, 8 bytes a slot): a direct buffer by default, or a
 * region of a memory-mapped file, so that the copy is the file's content as soon as it is made. Reusable: each copy
 * overwrites the last; the storage is asked again only when the table's slot count changes.
 *
 * Threads: filled by the map's owner (who also calls [storage], at the first copy and after a growth); read by one
 * thread at a time after that, handed over with a happens-before edge (in this sample, an offload pool's submit and
 * its worker).
 *
 * @param storage gives a buffer of exactly the given number of bytes for the slots (its position 0, its limit that)
 */
class TableCopy(private val storage: (slotBytes: Int) -> ByteBuffer = { ByteBuffer.allocateDirect(it) }) {
    private var slots: ByteBuffer? = null

    @PublishedApi
    internal var keys: LongBuffer = EMPTY
        private set

    @PublishedApi
    internal var values: LongBuffer = EMPTY
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
        if (slots == null || this.capacity != capacity) {
            val half = capacity * Long.SIZE_BYTES
            val buffer = storage(half * 2)
            require(buffer.remaining() == half * 2) { "the storage gave ${buffer.remaining()} bytes for ${half * 2}" }
            keys = buffer.slice(buffer.position(), half).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
            values = buffer.slice(buffer.position() + half, half).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
            slots = buffer
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

        private val EMPTY: LongBuffer = LongBuffer.allocate(0)
    }
}
