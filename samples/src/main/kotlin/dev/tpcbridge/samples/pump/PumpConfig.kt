package dev.tpcbridge.samples.pump

import dev.tpcbridge.wake.WaitPolicy

/** Which way payload bytes travel: control plane to core and back as one page, or a page each way. */
enum class PumpMode { ONE_WAY, BOTH_WAYS }

/**
 * Who drives the control plane: a sender and a receiver coroutine per core ([BridgePump]), one pipelining coroutine
 * per core ([BridgePump] too), or a sender and a receiver thread per core (`ThreadPump`).
 */
enum class PumpControl { COROUTINES, PIPELINE, THREADS }

/** A fault the sender injects into one message, so that a test can show the receiver's check catches it. */
enum class PumpFault { NONE, SKIP_WRITE, STALE_PAGE, REORDER, FLIP_BIT }

/**
 * The pump's options. Sizes accept a plain number or a suffix: `GB` (10^9 bytes, as the targets count them), `MB`,
 * `KB`, `GiB`, `MiB`, `KiB`.
 *
 * Immutable; any thread.
 */
data class PumpConfig(
    /** Payload bytes to move, counted once per message (a page each way in [PumpMode.BOTH_WAYS] counts twice). */
    val totalBytes: Long = 50_000_000_000L,
    /** Bytes per message: a multiple of 8 in [8, 256 KiB]; each message fills one slab page. */
    val payload: Int = 64 * 1024,
    /** Data-plane cores; each gets its own channel, sender, receiver and slab pool. */
    val cores: Int = 1,
    val mode: PumpMode = PumpMode.ONE_WAY,
    val control: PumpControl = PumpControl.COROUTINES,
    /**
     * Messages in flight per core (envelopes and pages per core). 64 (4 MiB of 64 KiB pages): on 2 vCPUs the
     * pipeline then rarely drains while a parked thread waits for a CPU.
     */
    val window: Int = 64,
    /**
     * How many times a waiting sender or receiver polls before it suspends or parks (and a core spins before it
     * parks). 0: at once, since with three threads on two CPUs a spinning waiter takes the CPU another needs.
     */
    val spins: Int = 0,
    /** The seed that, with each message's sequence number, derives its content. */
    val seed: Long = 42L,
    /** Whether to run the JCTools floor after the bridge run. */
    val floor: Boolean = true,
    /** Whether to measure the codec's own speed on one thread ([CodecCeiling], about 1.6 s) before the runs. */
    val ceiling: Boolean = true,
    /** For the tests only: one message of the first core gets this fault. */
    val fault: PumpFault = PumpFault.NONE,
    /** Progress lines this often, in milliseconds (0: none). */
    val progressMillis: Long = 1000,
    /**
     * Where to write a sample every 100 ms (run, seconds, GB checked, GB/s since the last sample, heap used, RSS, GCs
     * since the run's start) as CSV, for `pump-chart`; null: nowhere.
     */
    val samplesCsv: String? = null,
) {
    /** The wait policy every waiting side of the pump uses: [spins] spins, then 8 yields (threads) or a suspension. */
    val waitPolicy: WaitPolicy get() = WaitPolicy.of(spins, 8)

    init {
        require(totalBytes >= payload) { "bytes=$totalBytes must be >= payload=$payload" }
        require(payload in 8..MAX_PAYLOAD && payload % 8 == 0) {
            "payload=$payload must be a multiple of 8 in [8, $MAX_PAYLOAD]"
        }
        require(cores >= 1) { "cores=$cores must be >= 1" }
        require(window in 1..4096) { "window=$window must be in [1, 4096]" }
        require(spins >= 0) { "spins=$spins must be >= 0" }
        require(progressMillis >= 0) { "progress=$progressMillis must be >= 0" }
    }

    /** Messages per core: the total split evenly, rounded up to whole messages. */
    val messagesPerCore: Long
        get() {
            val messages = (totalBytes + bytesPerMessage - 1) / bytesPerMessage
            return (messages + cores - 1) / cores
        }

    /** Payload bytes a message carries: its page, or its page each way in [PumpMode.BOTH_WAYS]. */
    val bytesPerMessage: Long get() = if (mode == PumpMode.BOTH_WAYS) 2L * payload else payload.toLong()

    /** The slab page size that fits [payload]: the next power of two, at least 64. */
    val pageSize: Int get() = Integer.highestOneBit(maxOf(64, payload) - 1) shl 1

    companion object {
        const val MAX_PAYLOAD = 256 * 1024

        /**
         * Parses `--bytes 2GB --payload 64KiB --cores 1 --mode both --control threads --window 64 --spins 0
         * --seed 42 --progress-ms 1000 --samples-csv pump.csv --no-floor --no-ceiling` ([PumpCommand]).
         *
         * @throws IllegalArgumentException naming the bad option or value
         */
        fun parse(args: Array<String>): PumpConfig = PumpCommand.parse(args).toConfig()

        private val UNITS = listOf("GiB" to (1L shl 30), "MiB" to (1L shl 20), "KiB" to (1L shl 10),
            "GB" to 1_000_000_000L, "MB" to 1_000_000L, "KB" to 1_000L, "B" to 1L)

        /** [value] with an optional unit suffix, in bytes; [name] names the option in the message. */
        fun size(name: String, value: String): Long {
            val (suffix, unit) = UNITS.firstOrNull { value.endsWith(it.first) } ?: ("" to 1L)
            val digits = value.removeSuffix(suffix).trim()
            val amount = digits.toDoubleOrNull()
            require(amount != null && amount > 0 && amount * unit < Long.MAX_VALUE) {
                "$name=$value must be a positive size such as 64KiB or 2GB"
            }
            return Math.round(amount * unit)
        }
    }
}
