package dev.tpcbridge.samples.pump

import org.knowm.xchart.BitmapEncoder
import org.knowm.xchart.XYChart
import org.knowm.xchart.XYChartBuilder
import org.knowm.xchart.style.markers.SeriesMarkers
import java.io.File
import java.io.PrintStream
import java.util.Locale

/**
 * Draws the pump's samples (`pump --samples-csv FILE`) as a PNG: throughput of each run on the left axis, heap used
 * and RSS on the right, over time; each run's collections in the legend. What "flat memory" means, as a picture.
 *
 * `java -jar samples/target/tpcbridge-samples.jar pump-chart pump.csv pump.png`
 *
 * Runs on the calling thread (headless AWT).
 */
object PumpChart {
    /** Draws [args] `CSV PNG`; returns the exit code (2 for a bad command line or an unreadable file). */
    @JvmStatic
    fun run(args: Array<String>, out: PrintStream): Int {
        require(args.size == 2 && !args[0].startsWith("-")) { "usage: pump-chart SAMPLES.csv CHART.png" }
        System.setProperty("java.awt.headless", "true")
        val csv = File(args[0])
        require(csv.isFile) { "no such file: $csv" }
        val rows = csv.readLines().drop(1).filter { it.isNotBlank() }.map { it.split(',') }
        require(rows.isNotEmpty()) { "$csv holds no samples" }
        val chart = XYChartBuilder().width(1200).height(600)
            .title("pump: throughput and memory over time (${csv.name})")
            .xAxisTitle("seconds since the run's start").yAxisTitle("GB/s").build()
        chart.styler.setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right)
        chart.setYAxisGroupTitle(1, "MiB")
        chart.styler.isLegendVisible = true
        for ((run, samples) in rows.groupBy { it[0] }) {
            val seconds = samples.map { it[1].toDouble() }
            val gcs = samples.last()[6].toLong()
            add(chart, "$run GB/s", seconds, samples.map { it[3].toDouble() }, 0)
            add(chart, "$run heap used MiB", seconds, samples.map { it[4].toDouble() }, 1)
            val rss = samples.filter { it[5].isNotEmpty() }
            if (rss.isNotEmpty()) {
                add(chart, "$run RSS MiB ($gcs GC in the run)", rss.map { it[1].toDouble() },
                    rss.map { it[5].toDouble() }, 1)
            }
        }
        BitmapEncoder.saveBitmap(chart, args[1].removeSuffix(".png"), BitmapEncoder.BitmapFormat.PNG)
        out.println(String.format(Locale.ROOT, "pump-chart: %d samples drawn into %s", rows.size, args[1]))
        return 0
    }

    private fun add(chart: XYChart, name: String, x: List<Double>, y: List<Double>, axis: Int) {
        val series = chart.addSeries(name, x, y)
        series.marker = SeriesMarkers.NONE
        series.yAxisGroup = axis
    }
}
