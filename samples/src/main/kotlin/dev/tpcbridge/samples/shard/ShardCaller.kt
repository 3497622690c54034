package dev.tpcbridge.samples.shard

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.ResponseDecoder
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import kotlinx.coroutines.CancellationException

/**
 * The front end's handle for one calling coroutine: [put], [get] and [increment] route the key to the core that
 * owns it and suspend until that core has answered. It reuses one request envelope and one 9-byte operand buffer
 * ([ShardProtocol]) for every call, so a call allocates only what the bridge allocates (its call and future) and
 * the boxed answer.
 *
 * Threads: one coroutine at a time (it may move between threads as it suspends and resumes); make one per
 * concurrent caller with [ShardedStore.caller]. The bridge copies the request's fields but not its payload, which
 * the owning core reads when it runs the call: the buffer stays still because each call suspends until answered.
 * A cancelled call may still be read by its core, so after a cancellation the caller takes a fresh buffer.
 *
 * Failures: a call answered `ERROR` throws `BridgeCallException` (its error code is one of [ShardProtocol]'s);
 * a call after [ShardedStore.close] throws `BridgeClosedException`; cancelling the calling coroutine gives the call
 * up (answered `CANCELLED` and not run, unless the core had already run it).
 */
@OptIn(ExperimentalBridgeApi::class)
class ShardCaller internal constructor(private val store: ShardedStore) {
    private val request = Request.create()
    private var payload = ByteArray(ShardProtocol.LENGTH)

    /** Stores [value] as [key]'s value; returns the previous value (0 if none). */
    suspend fun put(key: Long, value: Long): Long = call(ShardProtocol.PUT, key, value)

    /** The value of [key] (0 if none). */
    suspend fun get(key: Long): Long = call(ShardProtocol.GET, key, 0L)

    /** Adds [delta] to [key]'s value (an absent key counts as 0); returns the new value. */
    suspend fun increment(key: Long, delta: Long): Long = call(ShardProtocol.INCREMENT, key, delta)

    private suspend fun call(op: Int, key: Long, operand: Long): Long {
        val shard = store.shardOf(key)
        val payload = payload
        ShardProtocol.encode(payload, op, operand)
        request.clear().id(key).shard(shard).payload(payload, 0, ShardProtocol.LENGTH)
        try {
            return store.client(shard).call(request, COUNT)
        } catch (e: CancellationException) {
            this.payload = ByteArray(ShardProtocol.LENGTH) // the given-up call may still be read: never rewrite it
            throw e
        }
    }

    private companion object {
        /** Runs on the client's completion thread: the answer is the response's count. */
        val COUNT = ResponseDecoder { response -> response.count() }
    }
}
