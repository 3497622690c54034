package dev.tpcbridge.bench.coroutines

import java.lang.management.ManagementFactory

/** Measurement helpers of the coroutine probes: process CPU time, percentiles, medians. */
internal object ProbeStats {
    private val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    /** CPU time of the whole process (every thread), in nanoseconds. */
    fun processCpuNanos(): Long = os.processCpuTime

    fun percentile(sorted: LongArray, q: Double): Long = sorted[((sorted.size - 1) * q).toInt()]

    fun median(values: List<Double>): Double = values.sorted().let { it[it.size / 2] }
}
