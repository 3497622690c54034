package dev.tpcbridge.samples.shard

/**
 * A `long -> long` hash map without boxing: open addressing with linear probing over two parallel arrays, grown
 * (doubled) when two thirds full; no removal (the store never deletes). The key 0 marks a free slot, so that key's
 * entry is kept beside the arrays.
 *
 * Snapshots without a stall: [beginCopy] starts a point-in-time copy into a [TableCopy], which [copyChunk] then moves
 * along a chunk of slots at a time, between the owner's other work; until it is done, a write to a slot whose chunk is
 * not copied yet copies that chunk first (copy-on-write), and a growth copies everything left first. So the copy holds
 * the map as it was at [beginCopy], however the writes and the chunks interleave.
 *
 * Threads: none of its own, no synchronization. One thread at a time: in this sample, the data-plane core that owns
 * the shard, and nothing else ever touches it (a finished [TableCopy] is handed on with a happens-before edge).
 */
class LongLongMap(expectedSize: Int = 16) {
    private var keys: LongArray
    private var values: LongArray
    private var mask: Int
    private var shift: Int
    private var hasZeroKey = false
    private var zeroValue = 0L

    /** The number of keys. */
    var size: Int = 0
        private set

    /** The copy in progress with chunks left, or null. */
    private var copy: TableCopy? = null

    /** A copy that a growth completed, until [copyChunk] reports it complete. */
    private var completed: TableCopy? = null

    /** Chunks of [copy] copied so far: bit i for chunk i (chunks of [TableCopy.CHUNK] slots). */
    private var copied: LongArray = LongArray(0)

    /** The lowest chunk [copyChunk] has not looked at yet. */
    private var nextChunk = 0

    init {
        require(expectedSize >= 0) { "expectedSize=$expectedSize must be >= 0" }
        val capacity = capacityFor(expectedSize)
        keys = LongArray(capacity)
        values = LongArray(capacity)
        mask = capacity - 1
        shift = 64 - Integer.numberOfTrailingZeros(capacity)
    }

    /** The value of [key], or [absent] if the map has none. */
    fun get(key: Long, absent: Long): Long {
        if (key == 0L) {
            return if (hasZeroKey) zeroValue else absent
        }
        val keys = keys
        var i = slotOf(key)
        while (true) {
            val k = keys[i]
            if (k == key) {
                return values[i]
            }
            if (k == 0L) {
                return absent
            }
            i = (i + 1) and mask
        }
    }

    /** Sets the value of [key]; returns the previous value, or [absent] if there was none. */
    fun put(key: Long, value: Long, absent: Long): Long {
        val i = slotFor(key)
        if (i < 0) {
            return if (hasZeroKey) zeroValue.also { zeroValue = value } else absent.also { addZeroKey(value) }
        }
        beforeWrite(i)
        if (keys[i] == key) {
            return values[i].also { values[i] = value }
        }
        insert(i, key, value)
        return absent
    }

    /** Adds [delta] to the value of [key] (an absent key counts as 0); returns the new value. */
    fun addAndGet(key: Long, delta: Long): Long {
        val i = slotFor(key)
        if (i < 0) {
            return if (hasZeroKey) (zeroValue + delta).also { zeroValue = it } else delta.also { addZeroKey(it) }
        }
        beforeWrite(i)
        if (keys[i] == key) {
            return (values[i] + delta).also { values[i] = it }
        }
        insert(i, key, delta)
        return delta
    }

    /** Copies the keys into [keysOut] and their values into [valuesOut] (each at least [size] long), in one order. */
    fun copyTo(keysOut: LongArray, valuesOut: LongArray) {
        require(keysOut.size >= size && valuesOut.size >= size) {
            "keysOut.size=${keysOut.size}, valuesOut.size=${valuesOut.size} must be >= size=$size"
        }
        var n = 0
        if (hasZeroKey) {
            keysOut[n] = 0L
            valuesOut[n++] = zeroValue
        }
        val keys = keys
        for (i in keys.indices) {
            if (keys[i] != 0L) {
                keysOut[n] = keys[i]
                valuesOut[n++] = values[i]
            }
        }
    }

    /**
     * Starts a point-in-time copy of the map into [into] (sized to this table: [TableCopy.prepare]); the key 0 and
     * the counts are taken now, the slots by [copyChunk] or, for a slot about to be written, at once. At most one copy
     * at a time.
     *
     * @throws IllegalStateException if a copy is already in progress
     */
    fun beginCopy(into: TableCopy) {
        check(copy == null && completed == null) { "a copy is already in progress" }
        into.prepare(keys.size, size, hasZeroKey, zeroValue)
        val chunks = (keys.size + TableCopy.CHUNK - 1) / TableCopy.CHUNK
        if (copied.size * 64 < chunks) {
            copied = LongArray((chunks + 63) / 64)
        } else {
            copied.fill(0L)
        }
        nextChunk = 0
        copy = into
    }

    /**
     * Copies the next chunk of slots not copied yet into the copy in progress.
     *
     * @return true if the copy is now complete (and no longer in progress), false if chunks remain
     * @throws IllegalStateException if no copy is in progress
     */
    fun copyChunk(): Boolean {
        if (completed != null) { // by a growth
            completed = null
            return true
        }
        val into = checkNotNull(copy) { "no copy in progress" }
        val chunks = (into.capacity + TableCopy.CHUNK - 1) / TableCopy.CHUNK
        while (nextChunk < chunks && isCopied(nextChunk)) {
            nextChunk++ // taken already by a write
        }
        if (nextChunk < chunks) {
            copyChunk(into, nextChunk++)
        }
        while (nextChunk < chunks && isCopied(nextChunk)) {
            nextChunk++
        }
        if (nextChunk < chunks) {
            return false
        }
        copy = null
        return true
    }

    /** Whether a copy is in progress: begun, and not reported complete by [copyChunk] yet. */
    val copying: Boolean get() = copy != null || completed != null

    /** Every chunk left, before the table changes shape; [copyChunk] reports the copy complete at its next call. */
    private fun finishCopy() {
        val into = copy ?: return
        while (!copyChunk()) {
            // the next chunk
        }
        completed = into
    }

    /** Copy-on-write: the chunk of [slot] into the copy in progress, if it is not there yet. */
    private fun beforeWrite(slot: Int) {
        val into = copy ?: return
        val chunk = slot / TableCopy.CHUNK
        if (!isCopied(chunk)) {
            copyChunk(into, chunk)
        }
    }

    private fun isCopied(chunk: Int): Boolean = copied[chunk ushr 6] and (1L shl chunk) != 0L

    private fun copyChunk(into: TableCopy, chunk: Int) {
        val from = chunk * TableCopy.CHUNK
        val length = minOf(TableCopy.CHUNK, keys.size - from)
        into.copySlots(keys, values, from, length)
        copied[chunk ushr 6] = copied[chunk ushr 6] or (1L shl chunk)
    }

    /** The slot holding [key], or the free slot where it would go; -1 for the key 0. */
    private fun slotFor(key: Long): Int {
        if (key == 0L) {
            return -1
        }
        val keys = keys
        var i = slotOf(key)
        while (true) {
            val k = keys[i]
            if (k == key || k == 0L) {
                return i
            }
            i = (i + 1) and mask
        }
    }

    /** Fibonacci hashing: the top bits of the key times 2^64 / phi. */
    private fun slotOf(key: Long): Int = ((key * -0x61c8864680b583ebL) ushr shift).toInt() // 0x9e3779b97f4a7c15

    private fun addZeroKey(value: Long) {
        hasZeroKey = true
        zeroValue = value
        size++
    }

    private fun insert(slot: Int, key: Long, value: Long) {
        keys[slot] = key
        values[slot] = value
        size++
        if (size * 3L > keys.size * 2L) {
            grow()
        }
    }

    private fun grow() {
        finishCopy() // the copy is of the table as it was: take the rest of it before the slots move
        val oldKeys = keys
        val oldValues = values
        val capacity = oldKeys.size * 2
        check(capacity > 0) { "the map cannot grow beyond ${oldKeys.size} slots" }
        keys = LongArray(capacity)
        values = LongArray(capacity)
        mask = capacity - 1
        shift = 64 - Integer.numberOfTrailingZeros(capacity)
        for (i in oldKeys.indices) {
            val key = oldKeys[i]
            if (key != 0L) {
                var j = slotOf(key)
                while (keys[j] != 0L) {
                    j = (j + 1) and mask
                }
                keys[j] = key
                values[j] = oldValues[i]
            }
        }
    }

    private companion object {
        const val MAX_CAPACITY = 1 shl 30

        /** The least power of two, at least 16, that holds [expectedSize] keys without growing. */
        fun capacityFor(expectedSize: Int): Int {
            require(expectedSize.toLong() * 3 <= MAX_CAPACITY * 2L) {
                "expectedSize=$expectedSize must be <= ${MAX_CAPACITY / 3 * 2}"
            }
            var capacity = 16
            while (capacity * 2L < expectedSize * 3L) { // insert() grows once size * 3 > capacity * 2
                capacity = capacity shl 1
            }
            return capacity
        }
    }
}
