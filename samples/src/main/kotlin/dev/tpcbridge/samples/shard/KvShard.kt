package dev.tpcbridge.samples.shard

import dev.tpcbridge.bridge.EnvelopeHandler
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response

/**
 * One shard of the key-value store and the handler that serves it: the keys that [ShardProtocol.shardOf] gives to
 * shard [index] of [shards], in a [LongLongMap], answering PUT, GET and INCREMENT requests as [ShardProtocol]
 * describes.
 *
 * Threads: core-owned. [onRequest] runs on the data-plane core the shard's channel is attached to, and [snapshot]
 * must run there too (as a task or on its `CoreDispatcher`): no other thread touches the map or the counters, so
 * there is no lock and no atomic. A request for a key this shard does not own is answered `ERROR(MISROUTED)` and
 * changes nothing; so is a malformed one (`BAD_LENGTH`, `UNKNOWN_OP`).
 *
 * [loseEveryIncrement] is a fault for testing the load generator's check: when positive, every n-th INCREMENT is
 * answered as if applied but not stored (a lost write).
 */
class KvShard(
    /** This shard's number, from 0. */
    val index: Int,
    /** The number of shards the keys are spread over. */
    val shards: Int,
    expectedKeys: Int,
    private val loseEveryIncrement: Long = 0,
) : EnvelopeHandler {
    private val map = LongLongMap(expectedKeys)
    private var served = 0L
    private var increments = 0L

    init {
        require(shards >= 1) { "shards=$shards must be >= 1" }
        require(index in 0 until shards) { "index=$index must be in [0, $shards)" }
        require(loseEveryIncrement >= 0) { "loseEveryIncrement=$loseEveryIncrement must be >= 0" }
    }

    override fun onRequest(request: Request): Response {
        val response = request.response()
        val key = request.id()
        if (request.shard() != index || ShardProtocol.shardOf(key, shards) != index) {
            return response.error(ShardProtocol.MISROUTED)
        }
        if (request.payloadLength() != ShardProtocol.LENGTH || request.payloadBytes() == null) {
            return response.error(ShardProtocol.BAD_LENGTH)
        }
        val bytes = request.payloadBytes()
        val offset = request.payloadOffset()
        val operand = ShardProtocol.operand(bytes, offset)
        val answer = when (ShardProtocol.op(bytes, offset)) {
            ShardProtocol.GET -> map.get(key, 0L)
            ShardProtocol.PUT -> map.put(key, operand, 0L)
            ShardProtocol.INCREMENT -> increment(key, operand)
            else -> return response.error(ShardProtocol.UNKNOWN_OP)
        }
        served++
        return response.count(answer)
    }

    private fun increment(key: Long, delta: Long): Long {
        increments++
        if (loseEveryIncrement > 0 && increments % loseEveryIncrement == 0L) {
            return map.get(key, 0L) + delta // the injected fault: answered, never stored
        }
        return map.addAndGet(key, delta)
    }

    /**
     * Starts a point-in-time copy of the shard into [into], which [continueSnapshot] completes a chunk at a time
     * (copy-on-write in between: [LongLongMap.beginCopy]). On the shard's core only; one copy at a time.
     *
     * @throws IllegalStateException if a copy is in progress
     */
    fun beginSnapshot(into: ShardCopy) {
        require(into.index == index) { "a copy of shard ${into.index} given to shard $index" }
        map.beginCopy(into.table)
    }

    /** Copies the next chunk of the copy in progress; true once it is complete. On the shard's core only. */
    fun continueSnapshot(): Boolean = map.copyChunk()

    /** A compact copy of the shard's contents and counters, made at once. On the shard's core only. */
    fun snapshot(): ShardSnapshot {
        val keys = LongArray(map.size)
        val values = LongArray(map.size)
        map.copyTo(keys, values)
        return ShardSnapshot(index, keys, values, served)
    }

    override fun toString(): String = "KvShard[$index of $shards]"
}

/**
 * What a [KvShard] held at one moment: its keys and their values (same order, no particular order otherwise) and
 * the requests it had served. It keeps the arrays it is given (the caller lets go of them); immutable once made, any
 * thread may read it.
 */
class ShardSnapshot(
    /** The shard's number. */
    val index: Int,
    private val keys: LongArray,
    private val values: LongArray,
    /** The well-formed, well-routed requests the shard had served. */
    val served: Long,
) {
    init {
        require(keys.size == values.size) { "keys.size=${keys.size} must equal values.size=${values.size}" }
    }

    /** The number of keys. */
    val size: Int get() = keys.size

    /** The [i]-th key. */
    fun key(i: Int): Long = keys[i]

    /** The value of the [i]-th key. */
    fun value(i: Int): Long = values[i]

    override fun toString(): String = "ShardSnapshot[shard=$index, keys=$size, served=$served]"
}

/**
 * A reusable point-in-time copy of one [KvShard] for the snapshot files: its table ([TableCopy]). Filled on the
 * shard's core ([KvShard.beginSnapshot]), then read by one thread at a time (the snapshot writer), handed over with a
 * happens-before edge each way.
 */
class ShardCopy(
    /** The shard's number. */
    val index: Int,
    /** The copied table (its storage: a direct buffer by default). */
    val table: TableCopy = TableCopy(),
) {
    override fun toString(): String = "ShardCopy[shard=$index, keys=${table.size}]"
}
