package dev.tpcbridge.samples

import picocli.CommandLine

/**
 * The samples' command lines, parsed by picocli: one way to parse and to print a usage for every demo that has
 * options ([dev.tpcbridge.samples.pump.PumpCommand], [dev.tpcbridge.samples.shard.ShardCommand]).
 *
 * Stateless; any thread.
 */
object CommandLines {
    /**
     * Parses [args] into [command] (a picocli `@Command`) and returns it.
     *
     * @throws IllegalArgumentException for an unknown option or a missing value (picocli's message)
     */
    fun <T : Any> parse(command: T, args: Array<String>): T {
        try {
            CommandLine(command).parseArgs(*args)
        } catch (e: CommandLine.ParameterException) {
            throw IllegalArgumentException(e.message, e)
        }
        return command
    }

    /** The usage text of [command] (a picocli `@Command`), as `--help` prints it. */
    fun usage(command: Any): String = CommandLine(command).usageMessage
}
