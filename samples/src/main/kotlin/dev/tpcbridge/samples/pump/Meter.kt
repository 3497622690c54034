package dev.tpcbridge.samples.pump

import java.lang.management.ManagementFactory
import java.lang.management.MemoryType

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
     * Bytes allocated between two snapshots by the threads in [now] (a thread born since counts whole; the caller
     * keeps a thread's last count once it ended, since the JVM forgets it). -1 where the JVM cannot tell.
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

    private val statm: java.io.RandomAccessFile? =
        try { java.io.RandomAccessFile("/proc/self/statm", "r") } catch (e: java.io.IOException) { null }
    private val statmBytes = ByteArray(128)

    /**
     * Resident set size from /proc/self/statm (Linux; its second field, in pages, taken as 4 KiB: x86_64's); -1
     * elsewhere. Reads into
     * a reused buffer, so that sampling does not itself grow the heap it measures.
     */
    fun rss(): Long {
        val file = statm ?: return -1
        file.seek(0)
        val n = file.read(statmBytes)
        if (n <= 0) {
            return -1
        }
        var i = 0
        while (i < n && statmBytes[i] != ' '.code.toByte()) i++ // skip the first field (total size)
        i++
        var pages = 0L
        while (i < n && statmBytes[i] in '0'.code.toByte()..'9'.code.toByte()) {
            pages = pages * 10 + (statmBytes[i] - '0'.code.toByte())
            i++
        }
        return pages * 4096
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
