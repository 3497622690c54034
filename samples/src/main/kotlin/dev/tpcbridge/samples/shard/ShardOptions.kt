package dev.tpcbridge.samples.shard

/**
 * The shard demo's settings, validated when made: every bad value is refused with an [IllegalArgumentException]
 * whose message names it (`cores=0 must be in [1, 1024]`).
 *
 * ```
 * shard [--cores N] [--callers N] [--ops N | --duration-ms N] [--keys N] [--reads PERCENT] [--seed N] [--pin]
 *       [--lose-every N] [--snapshot-every-ms N]
 * ```
 *
 * Threads: immutable; any thread.
 */
class ShardOptions(
    /** Data-plane cores, one shard each: [1, 1024]; default 2. */
    val cores: Int = 2,
    /** Concurrent caller coroutines: [1, 100,000]; default 64. */
    val callers: Int = 64,
    /** Timed operations in all, spread evenly over the callers: >= 1; default 1,000,000 (unused with a duration). */
    val ops: Long = 1_000_000,
    /** If > 0, the callers run for this long instead of a number of operations; default 0. */
    val durationMillis: Long = 0,
    /** The key space, keys 0 until [keys], all loaded before the timed run: [1, 16,777,216]; default 65,536. */
    val keys: Int = 65_536,
    /** The share of GETs among the timed operations, in percent: [0, 100]; the rest are INCREMENTs. Default 90. */
    val readPercent: Int = 90,
    /** The seed of every caller's random keys, operations and deltas, and of the keys' initial values. */
    val seed: Long = 42,
    /** Whether to pin each core to a CPU (when OpenHFT Affinity can; else unpinned, logged). Default false. */
    val pinning: Boolean = false,
    /** A fault for testing the check: if > 0, each shard loses every n-th increment (see [KvShard]). Default 0. */
    val loseEveryIncrement: Long = 0,
    /**
     * If > 0, each shard is also snapshotted to a file every this many milliseconds while it serves, by an offload
     * pool (the core only copies its map and submits; a worker writes), and the load runs three times: a warm-up,
     * then without and with the snapshots, to print the p99 of both; default 0 (no snapshots, one run).
     */
    val snapshotEveryMillis: Long = 0,
) {
    init {
        require(cores in 1..1024) { "cores=$cores must be in [1, 1024]" }
        require(callers in 1..MAX_CALLERS) { "callers=$callers must be in [1, $MAX_CALLERS]" }
        require(ops >= 1) { "ops=$ops must be >= 1" }
        require(durationMillis >= 0) { "durationMillis=$durationMillis must be >= 0" }
        require(keys in 1..MAX_KEYS) { "keys=$keys must be in [1, $MAX_KEYS]" }
        require(readPercent in 0..100) { "reads=$readPercent must be in [0, 100]" }
        require(loseEveryIncrement >= 0) { "loseEveryIncrement=$loseEveryIncrement must be >= 0" }
        require(snapshotEveryMillis >= 0) { "snapshotEveryMillis=$snapshotEveryMillis must be >= 0" }
    }

    override fun toString(): String = "ShardOptions[cores=$cores, callers=$callers, " +
        (if (durationMillis > 0) "durationMillis=$durationMillis" else "ops=$ops") +
        ", keys=$keys, reads=$readPercent%, seed=$seed, pinning=$pinning, loseEveryIncrement=$loseEveryIncrement" +
        ", snapshotEveryMillis=$snapshotEveryMillis]"

    /** Parsing. */
    companion object {
        /** The most callers. */
        const val MAX_CALLERS: Int = 100_000

        /** The largest key space. */
        const val MAX_KEYS: Int = 1 shl 24

        /**
         * Parses command-line arguments ([ShardCommand]); numbers may contain `_` (`1_000_000`).
         *
         * @throws IllegalArgumentException naming the bad argument or value
         */
        @JvmStatic
        fun parse(args: Array<String>): ShardOptions = ShardCommand.parse(args).toOptions()
    }
}
