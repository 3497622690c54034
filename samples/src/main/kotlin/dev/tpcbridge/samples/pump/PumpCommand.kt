package dev.tpcbridge.samples.pump

import dev.tpcbridge.samples.CommandLines
import picocli.CommandLine.Command
import picocli.CommandLine.Option

/**
 * The pump's command line, parsed by picocli: `pump --help` prints this usage. The values stay strings here and are
 * checked by [PumpConfig] ([toConfig]), whose messages name the bad value.
 *
 * One parse per instance; any thread.
 */
@Command(
    name = "pump",
    sortOptions = false,
    usageHelpWidth = 110,
    description = [
        "Moves payload control plane -> data-plane core(s) -> control plane through the bridge, every byte " +
            "written by its sender and checked by its receiver; then the same traffic through a JCTools floor in " +
            "the same JVM. Prints the codec's own speed (the ceiling), progress, the figures, a verdict against the " +
            "targets (> 5 GB/s, flat memory, <= 1 B allocated per message) and a RESULT line.",
        "Exit code 0: every message passed its check; 1: a message failed it; 2: a bad command line or a failed " +
            "run. Sizes take a suffix: GB, MB, KB (powers of 10), GiB, MiB, KiB.",
    ],
)
class PumpCommand {
    @Option(names = ["-h", "--help"], usageHelp = true, description = ["Print this help and exit."])
    var help = false

    @Option(names = ["--bytes"], paramLabel = "SIZE",
        description = ["Payload bytes to move, counted once per message (twice in --mode both). Default: 50GB."])
    var bytes = "50GB"

    @Option(names = ["--payload"], paramLabel = "SIZE",
        description = ["Bytes per message, a multiple of 8 up to 256KiB; each fills one slab page. Default: 64KiB."])
    var payload = "64KiB"

    @Option(names = ["--cores"], paramLabel = "N", description = ["Data-plane cores. Default: 1."])
    var cores = "1"

    @Option(names = ["--mode"], paramLabel = "one-way|both",
        description = ["one-way: the core answers with the request's page; both: a page each way. Default: one-way."])
    var mode = "one-way"

    @Option(names = ["--control"], paramLabel = "coroutines|pipeline|threads",
        description = ["The control plane: a sender and a receiver coroutine per core, one pipelining coroutine per " +
            "core, or a sender and a receiver thread per core. Default: coroutines."])
    var control = "coroutines"

    @Option(names = ["--window"], paramLabel = "N", description = ["Messages in flight per core. Default: 64."])
    var window = "64"

    @Option(names = ["--spins"], paramLabel = "N",
        description = ["Polls before a waiting side suspends or parks. Default: 0."])
    var spins = "0"

    @Option(names = ["--seed"], paramLabel = "N", description = ["Seed of the payload bytes. Default: 42."])
    var seed = "42"

    @Option(names = ["--progress-ms"], paramLabel = "MS",
        description = ["A progress line this often; 0: none. Default: 1000."])
    var progressMillis = "1000"

    @Option(names = ["--samples-csv"], paramLabel = "FILE",
        description = ["Write a sample every 100 ms (GB/s, heap, RSS, GCs) as CSV; draw it with pump-chart."])
    var samplesCsv: String? = null

    @Option(names = ["--no-floor"], description = ["Skip the JCTools floor run."])
    var noFloor = false

    @Option(names = ["--no-ceiling"], description = ["Skip measuring the codec's own speed first."])
    var noCeiling = false

    @Option(names = ["--fault"], hidden = true, description = ["For the tests: one message of core 0 gets this fault."])
    var fault = "none"

    /** The parsed options as a [PumpConfig]; throws [IllegalArgumentException] naming a bad value. */
    fun toConfig(): PumpConfig = PumpConfig(
        totalBytes = PumpConfig.size("--bytes", bytes),
        payload = Math.toIntExact(PumpConfig.size("--payload", payload)),
        cores = number("--cores", cores).toInt(),
        mode = when (mode) {
            "one-way" -> PumpMode.ONE_WAY
            "both" -> PumpMode.BOTH_WAYS
            else -> throw IllegalArgumentException("--mode=$mode must be one-way or both")
        },
        control = when (control) {
            "coroutines" -> PumpControl.COROUTINES
            "pipeline" -> PumpControl.PIPELINE
            "threads" -> PumpControl.THREADS
            else -> throw IllegalArgumentException("--control=$control must be coroutines, pipeline or threads")
        },
        window = number("--window", window).toInt(),
        spins = number("--spins", spins).toInt(),
        seed = number("--seed", seed),
        floor = !noFloor,
        ceiling = !noCeiling,
        fault = PumpFault.entries.firstOrNull { it.name.equals(fault.replace('-', '_'), true) }
            ?: throw IllegalArgumentException("--fault=$fault must be one of ${PumpFault.entries}"),
        progressMillis = number("--progress-ms", progressMillis),
        samplesCsv = samplesCsv,
    )

    companion object {
        /**
         * Parses [args]: the options as a [PumpCommand] (whose [help] says whether the usage was asked for).
         *
         * @throws IllegalArgumentException for an unknown option or a missing value (picocli's message)
         */
        fun parse(args: Array<String>): PumpCommand = CommandLines.parse(PumpCommand(), args)

        /** The usage text `--help` prints. */
        fun usage(): String = CommandLines.usage(PumpCommand())

        private fun number(name: String, value: String): Long =
            value.toLongOrNull() ?: throw IllegalArgumentException("$name=$value is not a whole number")
    }
}
