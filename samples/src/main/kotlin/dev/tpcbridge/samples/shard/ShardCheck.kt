package dev.tpcbridge.samples.shard

/**
 * The load generator's correctness check: every key the generator wrote is held by the shard that owns it, exactly
 * once, with the value the generator expects (its initial value plus every increment that was answered), and the
 * shards hold no other key.
 *
 * Threads: stateless; any thread. The snapshots are taken on the cores ([ShardedStore.snapshot]) once the callers are
 * done, so nothing changes under the check.
 */
object ShardCheck {
    /**
     * Checks [snapshots] (one per shard, in shard order) against [expected] (the value of each key `0 until
     * expected.size`).
     */
    @JvmStatic
    fun verify(expected: LongArray, snapshots: List<ShardSnapshot>): CheckResult {
        val shards = snapshots.size
        require(shards >= 1) { "snapshots.size=0: one per shard is needed" }
        val seen = BooleanArray(expected.size)
        var mismatches = 0L
        var first: String? = null
        fun mismatch(what: String) {
            if (mismatches++ == 0L) {
                first = what
            }
        }
        for ((position, snapshot) in snapshots.withIndex()) {
            require(snapshot.index == position) { "snapshot of shard ${snapshot.index} at position $position" }
            for (i in 0 until snapshot.size) {
                val key = snapshot.key(i)
                val value = snapshot.value(i)
                val owner = ShardProtocol.shardOf(key, shards)
                when {
                    key < 0 || key >= expected.size -> mismatch("key=$key in shard $position was never written")
                    owner != position -> mismatch("key=$key in shard $position belongs to shard $owner")
                    seen[key.toInt()] -> mismatch("key=$key held twice")
                    value != expected[key.toInt()] ->
                        mismatch("key=$key holds $value in shard $position, expected ${expected[key.toInt()]}")
                }
                if (key >= 0 && key < expected.size) {
                    seen[key.toInt()] = true
                }
            }
        }
        for (key in seen.indices) {
            if (!seen[key]) {
                mismatch("key=$key is missing from shard ${ShardProtocol.shardOf(key.toLong(), shards)}")
            }
        }
        return CheckResult(expected.size, mismatches, first)
    }
}

/**
 * The outcome of [ShardCheck.verify]: how many keys were expected, how many mismatches were found (a wrong value, a
 * key in the wrong shard, held twice, missing or never written), and the first one in words. Immutable; any thread.
 */
class CheckResult(
    /** The number of keys expected. */
    val keys: Int,
    /** The number of mismatches. */
    val mismatches: Long,
    /** The first mismatch in words, or null if none. */
    val firstMismatch: String?,
) {
    /** Whether every key matched. */
    val ok: Boolean get() = mismatches == 0L

    override fun toString(): String =
        if (ok) "CheckResult[ok, keys=$keys]" else "CheckResult[mismatches=$mismatches, first: $firstMismatch]"
}
