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
 *        [snapshots=… p99_us_without_snapshots=… p99_ratio=…] check=ok
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
     * Runs the demo with [options], printing to [out].
     *
     * @return 0 if the check passed, 1 if not
     */
    @JvmStatic
    fun run(options: ShardOptions, out: PrintStream): Int = runBlocking {
        // With snapshots, the same load first runs twice on stores of their own without them: once to warm the JIT
        // up (not reported: a cold first run would inflate the baseline), then for the p99 to compare with.
        val baselineP99 = if (options.snapshotEveryMillis <= 0) 0L else {
            ShardedStore(options.cores, options.pinning, options.keys, options.loseEveryIncrement).use {
                LoadGenerator(it, options).run() // the warm-up
            }
            ShardedStore(options.cores, options.pinning, options.keys, options.loseEveryIncrement).use {
                LoadGenerator(it, options).run().latency.getValueAtPercentile(99.0)
            }
        }
        ShardedStore(options.cores, options.pinning, options.keys, options.loseEveryIncrement).use { store ->
            val registry = SimpleMeterRegistry() // what a service would hand to its Prometheus or OTLP registry
            store.bindMetrics(registry)
            val size = if (options.durationMillis > 0) "${options.durationMillis} ms"
                else format("%,d ops", options.ops)
            out.println(format("shard demo: %d cores (one shard each), %,d caller coroutines, %s, %d%% GET / %d%% "
                + "INCREMENT over %,d keys, seed %d", options.cores, options.callers, size, options.readPercent,
                100 - options.readPercent, options.keys, options.seed))
            if (options.loseEveryIncrement > 0) {
                out.println("fault injected: each shard loses every ${options.loseEveryIncrement}-th increment")
            }

            var writer: SnapshotWriter? = null
            var snapshotDir: java.nio.file.Path? = null
            if (options.snapshotEveryMillis > 0) {
                snapshotDir = java.nio.file.Files.createTempDirectory("tpcbridge-shard-snapshots")
                writer = SnapshotWriter(store, snapshotDir, options.snapshotEveryMillis).also { it.start() }
            }
            val report = LoadGenerator(store, options).run()
            writer?.stop()
            val snapshots = (0 until store.size).map { store.snapshot(it) } // each read on its own core
            val check = ShardCheck.verify(report.expected, snapshots)
            val snapshotProblem = writer?.check(report.expected)
            val ok = check.ok && report.anomalies == 0L && snapshotProblem == null

            val latency = report.latency
            val p50 = us(latency.getValueAtPercentile(50.0))
            val p90 = us(latency.getValueAtPercentile(90.0))
            val p99 = us(latency.getValueAtPercentile(99.0))
            val p999 = us(latency.getValueAtPercentile(99.9))
            val max = us(latency.maxValue)
            out.println(format("preloaded %,d keys in %.3f s", options.keys, report.loadNanos / 1e9))
            out.println(format("%,d ops in %.3f s = %,.0f ops/s", report.ops, report.nanos / 1e9, report.opsPerSecond))
            out.println("latency per call, us (HdrHistogram, 3 significant digits): " +
                "p50 $p50, p90 $p90, p99 $p99, p99.9 $p999, max $max")
            for (snapshot in snapshots) {
                out.println(format("shard %d: %,d keys, %,d requests served", snapshot.index, snapshot.size,
                    snapshot.served))
            }
            out.println("metrics (Micrometer, through TpcBridgeMetrics): " + (0 until store.size).joinToString("; ") {
                format("core %d: tpcbridge.core.requests %.0f, tpcbridge.core.parks %.0f, " +
                    "tpcbridge.bridge.responses.sent{channel=shard-%d} %.0f", it,
                    registry.get("tpcbridge.core.requests").tag("core", "$it").functionCounter().count(),
                    registry.get("tpcbridge.core.parks").tag("core", "$it").functionCounter().count(), it,
                    registry.get("tpcbridge.bridge.responses.sent").tag("channel", "shard-$it").functionCounter()
                        .count())
            })
            if (ok) {
                out.println(format("check ok: all %,d keys hold their initial value plus every answered increment "
                    + "(%,d in all), in the shard that owns them; no answer was below that", check.keys,
                    report.incrementTotal))
            } else {
                out.println("check FAILED: ${check.mismatches} mismatched keys" +
                    (check.firstMismatch?.let { " (first: $it)" } ?: "") + ", ${report.anomalies} anomalous answers")
            }
            var snapshotFields = ""
            if (writer != null) {
                val ratio = latency.getValueAtPercentile(99.0).toDouble() / maxOf(1L, baselineP99)
                out.println(format("snapshots: %,d written to %s every %d ms (%,d replaced while queued); p99 without "
                    + "them %s us, with them %s us: %.2f x (goal <= 1.5: %s); %s", writer.count, snapshotDir.toString(),
                    options.snapshotEveryMillis, writer.coalesced, us(baselineP99), p99, ratio,
                    if (ratio <= 1.5) "met" else "missed",
                    snapshotProblem?.let { "snapshot check FAILED: $it" }
                        ?: "each shard's last snapshot file is whole and holds its final state"))
                snapshotFields = " snapshots=${writer.count} p99_us_without_snapshots=${us(baselineP99)} " +
                    "p99_ratio=${format("%.2f", ratio)}"
            }
            out.println("RESULT demo=shard cores=${options.cores} callers=${options.callers} ops=${report.ops} " +
                "ops_per_s=${format("%.0f", report.opsPerSecond)} p50_us=$p50 p90_us=$p90 p99_us=$p99 " +
                "p999_us=$p999 max_us=$max$snapshotFields check=${if (ok) "ok" else "failed"}")
            if (ok) 0 else 1
        }
    }

    private fun format(format: String, vararg args: Any): String = String.format(Locale.ROOT, format, *args)

    private fun us(nanos: Long): String = String.format(Locale.ROOT, "%.1f", nanos / 1e3)
}
