package dev.tpcbridge.samples.shard

import dev.tpcbridge.coroutines.CoroutineBridgeClient
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.asCoroutineDispatcher
import dev.tpcbridge.micrometer.TpcBridgeMetrics
import dev.tpcbridge.runtime.DataPlane
import io.micrometer.core.instrument.MeterRegistry
import kotlinx.coroutines.withContext

/**
 * A sharded key-value store: a [DataPlane] of [cores] cores, each owning one [KvShard] and serving it through one
 * bridge channel, and a coroutine front end that routes each key to the core that owns it
 * ([ShardProtocol.shardOf]). Make a [ShardCaller] per calling coroutine ([caller]) to read and write.
 *
 * Threads: [caller], [snapshot] and [close] from any thread or coroutine, any number at once. Each shard's state is
 * touched by its core's thread only: requests reach it through the core's channel, and [snapshot] reads it on the
 * core through the core's `CoreDispatcher`. Calls suspend (never block a thread) for intake room and for their
 * answer; the answers are completed on each core's client completion thread, never on a core.
 *
 * Closing: [close] closes the clients (a call still pending fails with `BridgeClosedException`), then stops the
 * cores; idempotent. Close it once its callers are done.
 *
 * @param cores the number of cores and shards, in [1, 1024]
 * @param pinning whether to pin each core to a CPU (when OpenHFT Affinity can; else the core runs unpinned, logged)
 * @param expectedKeys how many keys the store will hold in all, to size each shard's table
 * @param loseEveryIncrement a fault for tests, see [KvShard]; 0 for none
 */
@OptIn(ExperimentalBridgeApi::class)
class ShardedStore(
    cores: Int,
    pinning: Boolean = false,
    expectedKeys: Int = 0,
    loseEveryIncrement: Long = 0,
) : AutoCloseable {
    private val plane: DataPlane
    private val shards: List<KvShard>
    private val clients: List<CoroutineBridgeClient>

    init {
        require(cores in 1..1024) { "cores=$cores must be in [1, 1024]" }
        require(expectedKeys >= 0) { "expectedKeys=$expectedKeys must be >= 0" }
        plane = DataPlane.builder().cores(cores).pinning(pinning).build().start()
        val shards = ArrayList<KvShard>(cores)
        val clients = ArrayList<CoroutineBridgeClient>(cores)
        try {
            for (core in plane.cores()) {
                val shard = KvShard(core.index(), cores, expectedKeys / cores + 1, loseEveryIncrement)
                val client = CoroutineBridgeClient()
                clients.add(client)
                core.attach(client.client.channel(), shard) // from now on the shard is the core's alone
                shards.add(shard)
            }
        } catch (e: Throwable) {
            clients.forEach { it.close() }
            plane.close()
            throw e
        }
        this.shards = shards
        this.clients = clients
    }

    /**
     * Binds the store's meters to [registry]: each core's and slab pool's (tag `core`), and each shard's channel (tag
     * `channel=shard-N`), through [TpcBridgeMetrics]. Any thread.
     */
    fun bindMetrics(registry: MeterRegistry) {
        val metrics = TpcBridgeMetrics(plane)
        clients.forEachIndexed { i, client -> metrics.channel("shard-$i", client.client.channel()) }
        metrics.bindTo(registry)
    }

    /** The number of shards (one per core). */
    val size: Int get() = shards.size

    /** The shard that owns [key]. */
    fun shardOf(key: Long): Int = ShardProtocol.shardOf(key, shards.size)

    /** A new caller, for one coroutine at a time (see [ShardCaller]). */
    fun caller(): ShardCaller = ShardCaller(this)

    /** The client of shard [shard]'s core. */
    internal fun client(shard: Int): CoroutineBridgeClient = clients[shard]

    /** A copy of shard [shard]'s contents, made on its core (suspends until the core has run it). */
    suspend fun snapshot(shard: Int): ShardSnapshot =
        withContext(plane.core(shard).asCoroutineDispatcher()) { shards[shard].snapshot() }

    /**
     * A [ShardSnapshotter] of shard [shard]: snapshots taken on its core a chunk at a time into [copies] (reused,
     * each of this shard), each complete one handed to [sink] on the core ([sink] must not block it). Any thread.
     */
    fun snapshotter(shard: Int, copies: List<ShardCopy>, sink: (ShardCopy) -> Unit): ShardSnapshotter =
        ShardSnapshotter(plane.core(shard), shards[shard], copies, sink)

    /** Closes the clients, then stops the cores (see the class comment). Idempotent. */
    override fun close() {
        try {
            clients.forEach { it.close() }
        } finally {
            plane.close()
        }
    }

    override fun toString(): String = "ShardedStore[shards=${shards.size}]"
}
