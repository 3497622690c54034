package dev.tpcbridge.samples.shard

import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.runBlocking
import java.io.PrintStream
import java.util.Locale

/**
 * The sharded service demo: starts a [ShardedStore], drives it with a [LoadGenerator], prints throughput and latency
 * percentiles, checks every key against what the generator expects ([ShardCheck]), and ends with one machine-readable
 * line:
 *
 * ```
 * RESULT demo=shard cores=2 callers=64 ops=1000000 ops_per_s=… p50_us=… p90_us=… p99_us=… p999_us=… max_us=…
 *        [snapshots=… p99_us_with_snapshots=… p99_us_without_snapshots=… p99_ratio=…] check=ok
 * ```
 * (one line; `check=failed` and exit code 1 when a key holds the wrong value or an answer was impossible).
 *
 * Usage: see [ShardOptions]; e.g. `java -jar samples/target/tpcbridge-samples.jar shard --cores 2 --callers 64
 * --ops 1000000`.
 *
 * Threads: [run] from any thread that may block (it waits for the run with `runBlocking`); the store is closed before
 * it returns, whatever happens.
 */
object ShardDemo {
    /**
     * Parses [args] ([ShardOptions.parse]) and runs the demo, printing to [out].
     *
     * @return 0 if the check passed, 1 if not
     * @throws IllegalArgumentException if an argument is bad (the message names it)
     */
    @JvmStatic
    fun run(args: Array<String>, out: PrintStream): Int {
        val command = ShardCommand.parse(args)
        if (command.help) {
            out.print(ShardCommand.usage())
            return 0
        }
        return run(command.toOptions(), out)
    }

    /**
     * Runs the demo with [options], printing to [out]. With snapshots, the load runs six times, each on a store of
     * its own: two warm-ups with snapshots (every code path compiled, the heap grown to its working size; not
     * reported: with one, the first measured run still came out about a third slower than the next), then without,
     * with, with, without (ABBA, so that a JIT still settling or a machine slowly changing load favours neither side);
     * the p99 of each side is taken over its two runs together, and the last run with snapshots is the one reported
     * and checked in full (the other runs' checks must pass too).
     *
     * @return 0 if the checks passed, 1 if not
     */
    @JvmStatic
    fun run(options: ShardOptions, out: PrintStream): Int = runBlocking {
        val size = if (options.durationMillis > 0) "${options.durationMillis} ms" else format("%,d ops", options.ops)
        out.println(format("shard demo: %d cores (one shard each), %,d caller coroutines, %s, %d%% GET / %d%% "
            + "INCREMENT over %,d keys, seed %d", options.cores, options.callers, size, options.readPercent,
            100 - options.readPercent, options.keys, options.seed))
        if (options.loseEveryIncrement > 0) {
            out.println("fault injected: each shard loses every ${options.loseEveryIncrement}-th increment")
        }
        if (options.snapshotEveryMillis <= 0) {
            val run = runOnce(options, snapshots = false)
            printRun(run, options, out)
            out.println(resultLine(run, options, ""))
            return@runBlocking if (run.ok) 0 else 1
        }
        repeat(2) { runOnce(options, snapshots = true) } // the warm-ups
        val without1 = runOnce(options, snapshots = false)
        val with1 = runOnce(options, snapshots = true)
        val with2 = runOnce(options, snapshots = true)
        val without2 = runOnce(options, snapshots = false)
        val p99Without = merged(without1, without2).getValueAtPercentile(99.0)
        val p99With = merged(with1, with2).getValueAtPercentile(99.0)
        val ratio = p99With.toDouble() / maxOf(1L, p99Without)
        val ok = without1.ok && with1.ok && with2.ok && without2.ok
        printRun(with2, options, out)
        if (!with1.ok || !without1.ok || !without2.ok) {
            out.println("check FAILED in an earlier run of the comparison: " +
                listOf(without1, with1, without2).filter { !it.ok }.joinToString("; ") { it.problem() })
        }
        val writer = with2.writer!!
        out.println(format("snapshots: %,d written to %s every %d ms (%,d replaced while queued, %,d ticks skipped "
            + "while a copy was in progress or out); p99 over two runs without them %s us, over two with them %s us: "
            + "%.2f x (goal <= 1.5: %s); %s", writer.count, with2.snapshotDir.toString(), options.snapshotEveryMillis,
            writer.coalesced, writer.skipped, us(p99Without), us(p99With), ratio,
            if (ratio <= 1.5) "met" else "missed",
            with2.snapshotProblem?.let { "snapshot check FAILED: $it" }
                ?: "each shard's newest snapshot file is whole and holds its final state"))
        out.println(resultLine(with2, options, " snapshots=${writer.count} p99_us_with_snapshots=${us(p99With)} " +
            "p99_us_without_snapshots=${us(p99Without)} p99_ratio=${format("%.2f", ratio)}", ok))
        if (ok) 0 else 1
    }

    /** One run of the load on a store of its own, checked; with snapshots if [snapshots]. */
    private suspend fun runOnce(options: ShardOptions, snapshots: Boolean): Run =
        ShardedStore(options.cores, options.pinning, options.keys, options.loseEveryIncrement).use { store ->
            val registry = SimpleMeterRegistry() // what a service would hand to its Prometheus or OTLP registry
            store.bindMetrics(registry)
            val snapshotDir = if (snapshots) java.nio.file.Files.createTempDirectory("tpcbridge-shard-snapshots")
                else null
            val writer = snapshotDir?.let { SnapshotWriter(store, it, options.snapshotEveryMillis) }
            writer?.start()
            val report = LoadGenerator(store, options).run()
            writer?.stop()
            val shards = (0 until store.size).map { store.snapshot(it) } // each read on its own core
            val check = ShardCheck.verify(report.expected, shards)
            val meters = (0 until store.size).joinToString("; ") {
                format("core %d: tpcbridge.core.requests %.0f, tpcbridge.core.parks %.0f, " +
                    "tpcbridge.bridge.responses.sent{channel=shard-%d} %.0f", it,
                    registry.get("tpcbridge.core.requests").tag("core", "$it").functionCounter().count(),
                    registry.get("tpcbridge.core.parks").tag("core", "$it").functionCounter().count(), it,
                    registry.get("tpcbridge.bridge.responses.sent").tag("channel", "shard-$it").functionCounter()
                        .count())
            }
            Run(report, shards, check, meters, writer, snapshotDir, writer?.check(report.expected))
        }

    private fun printRun(run: Run, options: ShardOptions, out: PrintStream) {
        val report = run.report
        val latency = report.latency
        out.println(format("preloaded %,d keys in %.3f s", options.keys, report.loadNanos / 1e9))
        out.println(format("%,d ops in %.3f s = %,.0f ops/s", report.ops, report.nanos / 1e9, report.opsPerSecond))
        out.println("latency per call, us (HdrHistogram, 3 significant digits): " +
            "p50 ${us(latency.getValueAtPercentile(50.0))}, p90 ${us(latency.getValueAtPercentile(90.0))}, " +
            "p99 ${us(latency.getValueAtPercentile(99.0))}, p99.9 ${us(latency.getValueAtPercentile(99.9))}, " +
            "max ${us(latency.maxValue)}")
        for (shard in run.shards) {
            out.println(format("shard %d: %,d keys, %,d requests served", shard.index, shard.size, shard.served))
        }
        out.println("metrics (Micrometer, through TpcBridgeMetrics): ${run.meters}")
        if (run.check.ok && report.anomalies == 0L) {
            out.println(format("check ok: all %,d keys hold their initial value plus every answered increment "
                + "(%,d in all), in the shard that owns them; no answer was below that", run.check.keys,
                report.incrementTotal))
        } else {
            out.println("check FAILED: ${run.problem()}")
        }
    }

    private fun resultLine(run: Run, options: ShardOptions, snapshotFields: String, ok: Boolean = run.ok): String {
        val latency = run.report.latency
        return "RESULT demo=shard cores=${options.cores} callers=${options.callers} ops=${run.report.ops} " +
            "ops_per_s=${format("%.0f", run.report.opsPerSecond)} p50_us=${us(latency.getValueAtPercentile(50.0))} " +
            "p90_us=${us(latency.getValueAtPercentile(90.0))} p99_us=${us(latency.getValueAtPercentile(99.0))} " +
            "p999_us=${us(latency.getValueAtPercentile(99.9))} max_us=${us(latency.maxValue)}$snapshotFields " +
            "check=${if (ok) "ok" else "failed"}"
    }

    private fun merged(a: Run, b: Run): org.HdrHistogram.Histogram =
        a.report.latency.copy().also { it.add(b.report.latency) }

    /** One run's report and checks. */
    private class Run(
        val report: LoadReport,
        val shards: List<ShardSnapshot>,
        val check: CheckResult,
        val meters: String,
        val writer: SnapshotWriter?,
        val snapshotDir: java.nio.file.Path?,
        val snapshotProblem: String?,
    ) {
        val ok: Boolean get() = check.ok && report.anomalies == 0L && snapshotProblem == null

        fun problem(): String = "${check.mismatches} mismatched keys" +
            (check.firstMismatch?.let { " (first: $it)" } ?: "") + ", ${report.anomalies} anomalous answers" +
            (snapshotProblem?.let { ", snapshot check: $it" } ?: "")
    }

    private fun format(format: String, vararg args: Any): String = String.format(Locale.ROOT, format, *args)

    private fun us(nanos: Long): String = String.format(Locale.ROOT, "%.1f", nanos / 1e3)
}
