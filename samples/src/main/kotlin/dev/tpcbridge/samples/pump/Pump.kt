package dev.tpcbridge.samples.pump

import kotlinx.coroutines.runBlocking
import java.io.PrintStream
import java.util.Locale
import java.util.concurrent.atomic.AtomicLongArray
import java.util.concurrent.atomic.AtomicReference

/** What one run measured, from the end of its warm-up (the first 10 % of its bytes) to its end. */
class RunFigures(
    val name: String,
    val failure: Throwable?,
    val gbps: Double,
    val wholeRunGbps: Double,
    val messagesPerSecond: Double,
    val gcCount: Long,
    val gcMillis: Long,
    val allocPerMessage: Double,
    val heapAfterGc: Range,
    val rss: Range,
    val rssTrend: Long,
) {
    val ok: Boolean get() = failure == null

    /** A message failed its check (as opposed to the run failing for another reason, or passing). */
    val checkFailed: Boolean get() = failure is PumpCheckFailed
}

/**
 * The 50 GB pump: payload from the control plane (Kotlin coroutines) to data-plane cores and back through the
 * library's public API ([BridgePump]), every byte written by its sender and checked by its receiver, then the same
 * traffic through the JCTools floor ([FloorPump]) in the same process; prints progress, the figures, a verdict
 * against the targets and one machine-readable `RESULT` line last.
 *
 * `java -jar samples/target/tpcbridge-samples.jar pump [--bytes 50GB] [--payload 64KiB] [--cores 1]
 * [--mode one-way|both] [--control coroutines|pipeline|threads] [--window 64] [--spins 0] [--seed 42]
 * [--progress-ms 1000] [--samples-csv FILE] [--no-floor] [--no-ceiling]`
 *
 * Runs on the calling thread, which only samples: the pump's own threads are started and joined here.
 */
object Pump {
    private const val MIB = 1024.0 * 1024.0
    private const val TARGET_GBPS = 5.0
    private const val TARGET_HEAP_RANGE = 1L shl 20
    private const val TARGET_RSS_RANGE = 16L shl 20
    private const val TARGET_RSS_TREND = 2L shl 20
    private const val TARGET_ALLOC = 1.0
    private const val SAMPLE_NANOS = 100_000_000L
    /** No checked byte for this long: the run is stuck (a lost wake-up, a dead thread); it is reported, not waited. */
    private const val STALL_NANOS = 60_000_000_000L

    /**
     * Runs the pump; returns the exit code: 0 if every message passed its check (whether or not the targets were
     * met: the verdict line says), 1 if a message failed it, 2 if a run failed for another reason.
     */
    @JvmStatic
    fun run(args: Array<String>, out: PrintStream): Int {
        val command = PumpCommand.parse(args)
        if (command.help) {
            out.print(PumpCommand.usage())
            return 0
        }
        val config = command.toConfig()
        out.println(String.format(Locale.ROOT,
            "pump: %.2f GB %s, %d core(s), control plane on %s, payload %d B, window %d, spins %d, seed %d",
            config.totalBytes / 1e9, if (config.mode == PumpMode.ONE_WAY) "one-way" else "both ways (a page each way)",
            config.cores, config.control.name.lowercase(Locale.ROOT), config.payload,
            config.window, config.spins, config.seed))
        val ceiling = if (config.ceiling) CodecCeiling.measure(config) else null
        ceiling?.let {
            out.println(String.format(Locale.ROOT,
                "ceiling: the codec alone on one thread writes %.2f GB/s and checks %.2f GB/s (both on one CPU: " +
                    "%.2f GB/s)", it.writeGbps, it.checkGbps, it.serial))
        }
        val meter = Meter()
        val csv = config.samplesCsv?.let { PrintStream(java.io.FileOutputStream(it), false, "UTF-8") }
        csv?.println("run,seconds,gb,gbps,heap_mib,rss_mib,gc_count")
        try {
            val bridgeFigures = if (config.control != PumpControl.THREADS) {
                val bridge = BridgePump(config)
                measure("bridge", config, bridge.done, meter, out, csv) { runBlocking { bridge.run() } }
            } else {
                val bridge = ThreadPump(config)
                measure("bridge", config, bridge.done, meter, out, csv) { bridge.run() }
            }
            report(bridgeFigures, out)
            val floorFigures = if (config.floor) {
                val floor = FloorPump(config)
                measure("floor", config, floor.done, meter, out, csv) { floor.run() }.also { report(it, out) }
            } else {
                null
            }
            csv?.let {
                out.println("samples: ${config.samplesCsv} (to draw them: pump-chart ${config.samplesCsv} pump.png)")
            }
            return verdict(config, bridgeFigures, floorFigures, ceiling, out)
        } finally {
            csv?.close()
        }
    }

    private fun measure(name: String, config: PumpConfig, done: AtomicLongArray, meter: Meter, out: PrintStream,
                        csv: PrintStream?, body: () -> Unit): RunFigures {
        val total = config.messagesPerCore * config.cores * config.bytesPerMessage
        val failure = AtomicReference<Throwable?>(null)
        val worker = Thread({
            try {
                body()
            } catch (t: Throwable) {
                failure.compareAndSet(null, t)
            }
        }, "pump-$name")
        @Suppress("DEPRECATION") // Thread.threadId() came in JDK 19; the samples run on 17 too
        val self = Thread.currentThread().id
        var warm = false
        var warmNanos = 0L
        var warmBytes = 0L
        var warmAlloc = emptyMap<Long, Long>()
        val lastAlloc = HashMap<Long, Long>() // the latest count of every thread seen: one that ends keeps its last
        var lastAllocBytes = 0L
        var warmGcCount = meter.gcCount()
        var warmGcMillis = meter.gcMillis()
        val heapAfterGc = Range()
        val rss = Range()
        val rssSamples = ArrayList<Long>()
        val start = System.nanoTime()
        worker.start()
        var nextProgress = start + config.progressMillis * 1_000_000
        var nextSample = 0L
        var nextCsv = start
        var csvBytes = 0L
        var csvNanos = start
        val gcAtStart = meter.gcCount()
        var bytes = 0L
        var lastProgress = start // when the last checked byte was seen: the run's end (not the teardown after it)
        while (worker.isAlive) {
            worker.join(10)
            val now = System.nanoTime()
            val seen = sum(done)
            if (seen > bytes) {
                bytes = seen
                lastProgress = now
            } else if (now - lastProgress > STALL_NANOS) {
                failure.compareAndSet(null, IllegalStateException(
                    "$name: no progress for ${STALL_NANOS / 1_000_000_000} s at $bytes of $total bytes; gave up"))
                worker.interrupt()
                break
            }
            if (!warm && bytes >= total / 10) {
                warm = true
                warmNanos = now
                warmBytes = bytes
                warmAlloc = meter.allocatedBytes(self)
                warmGcCount = meter.gcCount()
                warmGcMillis = meter.gcMillis()
            }
            if (warm && now >= nextSample) { // every 100 ms: the sampling allocates a little (not counted)
                nextSample = now + SAMPLE_NANOS
                // while the pump's threads live: once one ends, the JVM forgets what it allocated
                lastAlloc.putAll(meter.allocatedBytes(self))
                lastAllocBytes = bytes
                if (meter.gcCount() > warmGcCount) { // a collection in steady state: its heap after GC counts
                    heapAfterGc.add(meter.heapAfterGc())
                }
                meter.rss().takeIf { it >= 0 }?.let { rss.add(it); rssSamples.add(it) }
            }
            if (csv != null && now >= nextCsv) { // the whole run, warm-up included: the chart shows both
                nextCsv = now + SAMPLE_NANOS
                csv.println(String.format(Locale.ROOT, "%s,%.3f,%.3f,%.3f,%.2f,%s,%d", name, (now - start) / 1e9,
                    bytes / 1e9, (bytes - csvBytes) / (now - csvNanos).coerceAtLeast(1).toDouble(),
                    meter.heapUsed() / MIB, meter.rss().let { if (it < 0) "" else String.format(Locale.ROOT,
                        "%.2f", it / MIB) }, meter.gcCount() - gcAtStart))
                csvBytes = bytes
                csvNanos = now
            }
            if (config.progressMillis > 0 && now >= nextProgress) {
                nextProgress = now + config.progressMillis * 1_000_000
                out.println(String.format(Locale.ROOT,
                    "progress %s: %.2f GB of %.2f (%.0f %%), %.2f GB/s, heap %.1f MiB, rss %s",
                    name, bytes / 1e9, total / 1e9, 100.0 * bytes / total, bytes / ((now - start).toDouble()),
                    meter.heapUsed() / MIB, mib(meter.rss())))
            }
        }
        bytes = maxOf(bytes, sum(done))
        val steadyNanos = (lastProgress - warmNanos).coerceAtLeast(1)
        val perMessage = config.bytesPerMessage
        val messages = (bytes - warmBytes) / perMessage
        val allocMessages = (lastAllocBytes - warmBytes) / perMessage
        val alloc = meter.allocatedSince(warmAlloc, lastAlloc)
        return RunFigures(
            name = name,
            failure = failure.get(),
            gbps = if (warm) (bytes - warmBytes) / steadyNanos.toDouble() else 0.0,
            wholeRunGbps = bytes / (lastProgress - start).coerceAtLeast(1).toDouble(),
            messagesPerSecond = if (warm) messages * 1e9 / steadyNanos else 0.0,
            gcCount = meter.gcCount() - warmGcCount,
            gcMillis = meter.gcMillis() - warmGcMillis,
            allocPerMessage = if (allocMessages > 0 && alloc >= 0) alloc.toDouble() / allocMessages else Double.NaN,
            heapAfterGc = heapAfterGc,
            rss = rss,
            rssTrend = trend(rssSamples),
        )
    }

    private fun sum(done: AtomicLongArray): Long {
        var bytes = 0L
        for (i in 0 until done.length()) {
            bytes += done.get(i)
        }
        return bytes
    }

    /** The median of the last third of the samples minus that of the first third: an upward trend if positive. */
    private fun trend(samples: List<Long>): Long {
        if (samples.size < 3) {
            return 0
        }
        val third = samples.size / 3
        fun median(part: List<Long>) = part.sorted()[part.size / 2]
        return median(samples.takeLast(third)) - median(samples.take(third))
    }

    private fun mib(bytes: Long): String = if (bytes < 0) "n/a" else String.format(Locale.ROOT, "%.1f MiB", bytes / MIB)

    private fun report(figures: RunFigures, out: PrintStream) {
        out.println(String.format(Locale.ROOT,
            "%s: %.2f GB/s (steady state; %.2f over the whole run), %.0f messages/s, check %s; in steady state: " +
                "%d GC (%d ms), %.2f B allocated per message (all threads but the sampler), heap after GC %s, " +
                "RSS %s..%s (trend %s)",
            figures.name, figures.gbps, figures.wholeRunGbps, figures.messagesPerSecond,
            when {
                figures.ok -> "ok"
                figures.checkFailed -> "FAILED (${figures.failure})"
                else -> "not reached: the run failed (${figures.failure})"
            }, figures.gcCount, figures.gcMillis,
            figures.allocPerMessage,
            if (figures.heapAfterGc.count == 0) "n/a (no GC in steady state)"
            else "range " + mib(figures.heapAfterGc.range),
            mib(if (figures.rss.count == 0) -1 else figures.rss.min),
            mib(if (figures.rss.count == 0) -1 else figures.rss.max),
            if (figures.rss.count == 0) "n/a" else String.format(Locale.ROOT, "%+.1f MiB", figures.rssTrend / MIB)))
    }

    private fun verdict(config: PumpConfig, bridge: RunFigures, floor: RunFigures?, ceiling: CodecCeiling?,
                        out: PrintStream): Int {
        val checkOk = bridge.ok && (floor?.ok ?: true)
        val check = when {
            checkOk -> "ok"
            bridge.checkFailed || floor?.checkFailed == true -> "FAILED"
            else -> "ERROR"
        }
        val fast = bridge.gbps > TARGET_GBPS
        val flat = bridge.heapAfterGc.range <= TARGET_HEAP_RANGE && bridge.rss.range <= TARGET_RSS_RANGE &&
            bridge.rssTrend <= TARGET_RSS_TREND && bridge.gcCount == 0L
        val lean = bridge.allocPerMessage <= TARGET_ALLOC
        out.println(String.format(Locale.ROOT,
            "verdict: throughput > %.0f GB/s: %s; flat memory (heap after GC range <= 1 MiB, RSS range <= 16 MiB and " +
                "trend <= 2 MiB, no GC in steady state): %s; <= 1 B allocated per message: %s; every byte checked: %s",
            TARGET_GBPS, pass(fast), pass(flat), pass(lean), check))
        val ratio = if (floor != null && floor.gbps > 0) bridge.gbps / floor.gbps else Double.NaN
        out.println(String.format(Locale.ROOT,
            "RESULT bridge_gbps=%.3f floor_gbps=%s ratio=%s codec_write_gbps=%s codec_check_gbps=%s check=%s " +
                "heap_range_mib=%.3f rss_range_mib=%.3f " +
                "rss_trend_mib=%.3f gc_steady=%d alloc_b_per_msg=%.3f mode=%s control=%s cores=%d payload=%d " +
                "window=%d bytes=%d verdict=%s",
            bridge.gbps, floor?.let { String.format(Locale.ROOT, "%.3f", it.gbps) } ?: "-",
            if (ratio.isNaN()) "-" else String.format(Locale.ROOT, "%.3f", ratio),
            ceiling?.let { String.format(Locale.ROOT, "%.3f", it.writeGbps) } ?: "-",
            ceiling?.let { String.format(Locale.ROOT, "%.3f", it.checkGbps) } ?: "-",
            check, bridge.heapAfterGc.range / MIB, bridge.rss.range / MIB,
            bridge.rssTrend / MIB, bridge.gcCount, bridge.allocPerMessage,
            if (config.mode == PumpMode.ONE_WAY) "one-way" else "both",
            config.control.name.lowercase(Locale.ROOT), config.cores, config.payload,
            config.window, config.totalBytes,
            if (fast && flat && lean && checkOk) "pass" else "fail"))
        return when (check) {
            "ok" -> 0
            "FAILED" -> 1
            else -> 2
        }
    }

    private fun pass(ok: Boolean) = if (ok) "PASS" else "FAIL"
}
