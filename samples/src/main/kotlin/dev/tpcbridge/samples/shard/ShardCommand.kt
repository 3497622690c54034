package dev.tpcbridge.samples.shard

import dev.tpcbridge.samples.CommandLines
import picocli.CommandLine.Command
import picocli.CommandLine.Option

/**
 * The shard demo's command line, parsed by picocli: `shard --help` prints this usage. Values stay strings here and
 * are checked by [ShardOptions] ([toOptions]), whose messages name the bad value; numbers may contain `_`.
 *
 * One parse per instance; any thread.
 */
@Command(
    name = "shard",
    sortOptions = false,
    usageHelpWidth = 110,
    description = [
        "A sharded key-value service: a DataPlane whose cores each own one shard, a coroutine front end routing " +
            "each key to its core, and a load generator; prints ops/s and latency percentiles, then checks every key.",
        "Exit code 0: the check passed; 1: it failed; 2: a bad command line.",
    ],
)
class ShardCommand {
    @Option(names = ["-h", "--help"], usageHelp = true, description = ["Print this help and exit."])
    var help = false

    @Option(names = ["--cores"], paramLabel = "N", description = ["Data-plane cores, one shard each. Default: 2."])
    var cores = "2"

    @Option(names = ["--callers"], paramLabel = "N", description = ["Concurrent caller coroutines. Default: 64."])
    var callers = "64"

    @Option(names = ["--ops"], paramLabel = "N",
        description = ["Timed operations in all (not with --duration-ms). Default: 1_000_000."])
    var ops: String? = null

    @Option(names = ["--duration-ms"], paramLabel = "MS", description = ["Run for this long instead of --ops."])
    var durationMillis: String? = null

    @Option(names = ["--keys"], paramLabel = "N", description = ["The key space, all loaded first. Default: 65_536."])
    var keys = "65536"

    @Option(names = ["--reads"], paramLabel = "PERCENT",
        description = ["GETs among the timed operations; the rest are INCREMENTs. Default: 90."])
    var reads = "90"

    @Option(names = ["--seed"], paramLabel = "N", description = ["Seed of keys, operations and values. Default: 42."])
    var seed = "42"

    @Option(names = ["--pin"], description = ["Pin each core to a CPU (with OpenHFT Affinity; logged if it cannot)."])
    var pin = false

    @Option(names = ["--snapshot-every-ms"], paramLabel = "MS",
        description = ["Snapshot each shard this often through an offload pool, and compare p99 without and with."])
    var snapshotEvery: String? = null

    @Option(names = ["--lose-every"], paramLabel = "N", hidden = true,
        description = ["For the tests: each shard loses every n-th increment."])
    var loseEvery = "0"

    /** The parsed options as [ShardOptions]; throws [IllegalArgumentException] naming a bad value. */
    fun toOptions(): ShardOptions {
        require(ops == null || durationMillis == null) { "give --ops or --duration-ms, not both" }
        val duration = durationMillis?.let { long("duration-ms", it) } ?: 0L
        require(durationMillis == null || duration >= 1) { "duration-ms=$durationMillis must be >= 1" }
        val snapshots = snapshotEvery?.let { long("snapshot-every-ms", it) } ?: 0L
        require(snapshotEvery == null || snapshots >= 1) { "snapshot-every-ms=$snapshotEvery must be >= 1" }
        val lose = long("lose-every", loseEvery)
        require(lose >= 0) { "lose-every=$loseEvery must be >= 0" }
        return ShardOptions(int("cores", cores), int("callers", callers), ops?.let { long("ops", it) } ?: 1_000_000L,
            duration, int("keys", keys), int("reads", reads), long("seed", seed), pin, lose, snapshots)
    }

    companion object {
        /**
         * Parses [args] (whose [help] says whether the usage was asked for).
         *
         * @throws IllegalArgumentException for an unknown option or a missing value (picocli's message)
         */
        fun parse(args: Array<String>): ShardCommand = CommandLines.parse(ShardCommand(), args)

        /** The usage text `--help` prints. */
        fun usage(): String = CommandLines.usage(ShardCommand())

        private fun long(name: String, value: String): Long =
            value.replace("_", "").toLongOrNull() ?: throw IllegalArgumentException("$name=$value is not a number")

        private fun int(name: String, value: String): Int {
            val parsed = long(name, value)
            require(parsed in Int.MIN_VALUE..Int.MAX_VALUE) { "$name=$value is out of range" }
            return parsed.toInt()
        }
    }
}
