package dev.tpcbridge.samples.pump

import java.lang.management.ManagementFactory
import java.lang.management.MemoryType
import java.nio.file.Files
import java.nio.file.Path

/**
 * What a run costs the process: heap after GC, RSS, GC count and time, and bytes allocated by every thread, sampled
 * by the thread that drives the run (never by the pump's own threads, which must stay allocation-free).
 *
 * One thread; allocates while sampling (the samples are few: one per progress tick).
 */
class Meter {
    private val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
    private val gcs = ManagementFactory.getGarbageCollectorMXBeans()
    private val heapPools = ManagementFactory.getMemoryPoolMXBeans().filter { it.type == MemoryType.HEAP }

    init {
        if (threads.isThreadAllocatedMemorySupported && !threads.isThreadAllocatedMemoryEnabled) {
            threads.isThreadAllocatedMemoryEnabled = true
        }
    }

    /**
     * Bytes allocated so far by each live thread but [except] (the sampler, whose own allocations are the meter's,
     * not the pump's), by thread id; empty where the JVM cannot tell.
     */
    fun allocatedBytes(except: Long): Map<Long, Long> {
        if (!threads.isThreadAllocatedMemorySupported) {
            return emptyMap()
        }
        val ids = threads.allThreadIds
        val bytes = threads.getThreadAllocatedBytes(ids)
        return ids.indices.filter { ids[it] != except && bytes[it] >= 0 }.associate { ids[it] to bytes[it] }
    }

    /**
     * Bytes allocated between two [allocatedBytes] snapshots by the threads alive at [now]: a thread born since
     * counts whole, a thread that ended since is lost (the JVM forgets it). -1 where the JVM cannot tell.
     */
    fun allocatedSince(before: Map<Long, Long>, now: Map<Long, Long>): Long =
        if (now.isEmpty()) -1 else now.entries.sumOf { (id, bytes) -> bytes - (before[id] ?: 0L) }

    fun gcCount(): Long = gcs.sumOf { maxOf(0L, it.collectionCount) }

    fun gcMillis(): Long = gcs.sumOf { maxOf(0L, it.collectionTime) }

    /** Heap used right after the latest collection (summed over the heap pools); -1 before any. */
    fun heapAfterGc(): Long {
        val usages = heapPools.mapNotNull { it.collectionUsage }
        return if (usages.isEmpty()) -1 else usages.sumOf { it.used }
    }

    fun heapUsed(): Long = Runtime.getRuntime().let { it.totalMemory() - it.freeMemory() }

    /** Resident set size from /proc/self/status (Linux); -1 elsewhere. */
    fun rss(): Long {
        val status = Path.of("/proc/self/status")
        if (!Files.isReadable(status)) {
            return -1
        }
        val line = Files.readAllLines(status).firstOrNull { it.startsWith("VmRSS:") } ?: return -1
        return line.removePrefix("VmRSS:").trim().removeSuffix("kB").trim().toLong() * 1024
    }
}

/** Min, max and first/last of samples taken after warm-up: the range and trend the verdict reads. */
class Range {
    var min = Long.MAX_VALUE
        private set
    var max = Long.MIN_VALUE
        private set
    var first = -1L
        private set
    var last = -1L
        private set
    var count = 0
        private set

    fun add(value: Long) {
        if (value < 0) {
            return
        }
        if (count == 0) {
            first = value
        }
        last = value
        min = minOf(min, value)
        max = maxOf(max, value)
        count++
    }

    /** max - min, or 0 with fewer than one sample. */
    val range: Long get() = if (count == 0) 0 else max - min
}
