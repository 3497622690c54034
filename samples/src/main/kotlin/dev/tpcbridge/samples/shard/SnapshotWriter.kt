package dev.tpcbridge.samples.shard

import dev.tpcbridge.offload.OffloadPool
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.MappedByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.util.IdentityHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import java.util.zip.CRC32C

/**
 * Periodic snapshots of every shard to files, written off the cores: every [everyMillis] a ticker thread asks each
 * shard's [ShardSnapshotter] for a snapshot (a core task that copies the shard a chunk at a time, between requests,
 * into a reusable copy, then [submits][OffloadPool.submit] it, never waiting), and an offload pool's worker writes
 * it and gives the copy back. The pool coalesces by shard: a newer snapshot of a shard replaces one still queued
 * (whose copy goes back at once), so a slow disk never piles snapshots up.
 *
 * Each of a shard's three copies is a file of its own (`shard-N.0.snap` to `shard-N.2.snap`), memory-mapped: the core
 * copies the shard's slots straight into it (the page cache), and the worker only stamps the header and a CRC-32C (an
 * intrinsic) over it. The worker does as little as it can because every cycle it spends is taken from the cores on a
 * small machine: no write call, no file created or renamed per snapshot (replacing a file by a rename makes ext4 write
 * the new one out at once, `auto_da_alloc`: about half a millisecond of CPU per snapshot here), and a file's dirty
 * pages are written back once per writeback interval, whatever the number of snapshots in between. A file being
 * refilled holds its old header and CRC over new slots until the worker stamps it: a reader ([readNewest]) takes the
 * whole file (its CRC matches) with the highest generation, so a crash in the middle leaves the others to read. The
 * core maps a copy's file at its first snapshot and when the shard's table grows (a system call on the core, rare).
 *
 * File format, little-endian: a header of the shard's number (int), the generation (long, from 1), the table's slot
 * count `c` (int), its key count (int), whether it holds the key 0 (int, 0 or 1) and that key's value (long); then the
 * `c` keys (longs, 0 for a free slot), then their `c` values (longs); then the CRC-32C of everything before it (int).
 *
 * [stop] takes one last snapshot of every shard after the run, so [check] can read the files back and hold each
 * shard's newest to the final state exactly: whole, its shard's keys only, every key of the store once, every value
 * the final one.
 *
 * Threads: [start], [stop] and [check] from the thread running the demo; the ticker and the worker are daemon threads
 * of their own; the snapshots are taken on the cores.
 */
class SnapshotWriter(private val store: ShardedStore, private val dir: Path, private val everyMillis: Long) {
    private val written = AtomicLong()
    private val replaced = AtomicLong()
    private val pool: OffloadPool<ShardCopy> = OffloadPool.builder<ShardCopy>(::write).name("shard-snapshots")
        .capacity(store.size).workers(1).coalesceBy(ShardCopy::index).onDropped { copy, _ ->
            replaced.incrementAndGet()
            snapshotters[copy.index].release(copy) // replaced by a newer one: reusable at once
        }.build()
    /** Each copy's file; made here, read-only after (the map, not the files). */
    private val files = IdentityHashMap<ShardCopy, CopyFile>()
    private val snapshotters: List<ShardSnapshotter> = List(store.size) { shard ->
        val copies = List(COPIES) { which ->
            val file = CopyFile(fileOf(dir, shard, which))
            ShardCopy(shard, TableCopy(file::mapSlots)).also { files[it] = file }
        }
        store.snapshotter(shard, copies) { copy -> pool.submit(copy) }
    }

    /** The worker's state (one worker): each shard's last generation, and a CRC. */
    private val generations = LongArray(store.size)
    private val crc = CRC32C()

    @Volatile private var running = true
    private val ticker = Thread({
        while (running) {
            for (snapshotter in snapshotters) {
                snapshotter.request() // a full task ring: skipped, the next tick asks again
            }
            Thread.sleep(everyMillis)
        }
    }, "shard-snapshot-ticker").apply { isDaemon = true }

    /** Snapshots written so far. */
    val count: Long get() = written.get()

    /** Snapshots replaced by a newer one of the same shard before the worker got to them. */
    val coalesced: Long get() = replaced.get()

    /** Ticks skipped on the cores: a snapshot of that shard was still being copied, or every copy was out. */
    val skipped: Long get() = snapshotters.sumOf { it.skips }

    /** Starts ticking. */
    fun start() {
        ticker.start()
    }

    /**
     * Stops ticking, takes a last snapshot of every shard, waits for the queue to be written (at most 30 s), and
     * closes the files.
     */
    fun stop() {
        running = false
        ticker.join()
        val submitted = CountDownLatch(store.size)
        for (snapshotter in snapshotters) {
            while (!snapshotter.requestFinal { submitted.countDown() }) {
                Thread.sleep(1) // the core's task ring is full: try again
            }
        }
        check(submitted.await(30, TimeUnit.SECONDS)) { "the cores did not take their last snapshots" }
        pool.shutdown(30, TimeUnit.SECONDS).get()
        files.values.forEach { it.close() } // after the worker's last write (the shutdown's future orders it)
    }

    private fun write(copy: ShardCopy) {
        try {
            val table = copy.table
            val mapping = files.getValue(copy).mapping // the core mapped it when it filled the copy
            val slotsEnd = HEADER_BYTES + table.capacity * Long.SIZE_BYTES * 2
            mapping.putInt(0, copy.index).putLong(4, ++generations[copy.index]).putInt(12, table.capacity)
                .putInt(16, table.size).putInt(20, if (table.hasZeroKey) 1 else 0).putLong(24, table.zeroValue)
            crc.reset()
            crc.update(mapping.slice(0, slotsEnd))
            mapping.putInt(slotsEnd, crc.value.toInt())
            written.incrementAndGet()
        } finally {
            snapshotters[copy.index].release(copy)
        }
    }

    /** Reads each shard's newest whole file back and checks it against the final values: the first problem, or null. */
    fun check(expected: LongArray): String? {
        var keysSeen = 0L
        for (shard in 0 until store.size) {
            val newest = readNewest(dir, shard) ?: return "no whole snapshot file of shard $shard"
            if (newest.index != shard) return "${newest.file} holds shard ${newest.index}"
            for (i in 0 until newest.keys.size) {
                val key = newest.keys[i]
                val value = newest.values[i]
                if (ShardProtocol.shardOf(key, store.size) != shard) {
                    return "${newest.file} holds key $key of another shard"
                }
                if (key !in expected.indices || value != expected[key.toInt()]) {
                    return "${newest.file}: key $key holds $value, not its final value"
                }
            }
            keysSeen += newest.keys.size
        }
        return if (keysSeen == expected.size.toLong()) null else "the snapshots hold $keysSeen keys of ${expected.size}"
    }

    /**
     * One copy's file, open for the run. [mapSlots] runs on the core (the copy's storage); [mapping] is read by the
     * worker after the copy reaches it through the pool.
     */
    private class CopyFile(file: Path) : AutoCloseable {
        private val channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE)
        lateinit var mapping: MappedByteBuffer
            private set

        /** Maps the whole file, sized for [slotBytes] of slots, and gives the slots' region. */
        fun mapSlots(slotBytes: Int): ByteBuffer {
            val length = HEADER_BYTES + slotBytes.toLong() + Int.SIZE_BYTES
            if (channel.size() > length) {
                channel.truncate(length)
            }
            mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length) // grows the file to length
            mapping.order(ByteOrder.LITTLE_ENDIAN)
            return mapping.slice(HEADER_BYTES, slotBytes)
        }

        override fun close() {
            channel.close() // the mapping stays valid until it is collected
        }
    }

    /** A snapshot file read back whole. */
    class SnapshotFile(
        /** Where it was read from. */
        val file: Path,
        /** The shard it says it holds. */
        val index: Int,
        /** Its generation: the higher, the newer. */
        val generation: Long,
        /** Its keys. */
        val keys: LongArray,
        /** Their values, in the same order. */
        val values: LongArray,
    )

    companion object {
        /** Copies per shard: one being written, one queued, one being filled. */
        private const val COPIES = 3
        private const val HEADER_BYTES = Int.SIZE_BYTES * 4 + Long.SIZE_BYTES * 2

        /** File [which] (0 to 2) of shard [shard]'s three in [dir]. */
        fun fileOf(dir: Path, shard: Int, which: Int): Path {
            require(which in 0 until COPIES) { "which=$which must be in [0, $COPIES)" }
            return dir.resolve("shard-$shard.$which.snap")
        }

        /** The whole one (its CRC matches) of shard [shard]'s three files with the highest generation, or null. */
        fun readNewest(dir: Path, shard: Int): SnapshotFile? =
            (0 until COPIES).mapNotNull { read(fileOf(dir, shard, it)) }.maxByOrNull { it.generation }

        /** [file] read back, or null if it is missing, of the wrong length or its CRC does not match (a torn write). */
        fun read(file: Path): SnapshotFile? {
            if (!Files.exists(file)) {
                return null
            }
            val bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN)
            if (bytes.remaining() < HEADER_BYTES + Int.SIZE_BYTES) {
                return null
            }
            val index = bytes.getInt(0)
            val generation = bytes.getLong(4)
            val capacity = bytes.getInt(12)
            val size = bytes.getInt(16)
            val hasZeroKey = bytes.getInt(20)
            val zeroValue = bytes.getLong(24)
            val slotsEnd = HEADER_BYTES + capacity.toLong() * Long.SIZE_BYTES * 2
            if (capacity < 0 || hasZeroKey !in 0..1 || slotsEnd + Int.SIZE_BYTES != bytes.limit().toLong()) {
                return null
            }
            val crc = CRC32C()
            crc.update(bytes.array(), 0, slotsEnd.toInt())
            if (bytes.getInt(slotsEnd.toInt()) != crc.value.toInt() || size < hasZeroKey || size > capacity + 1) {
                return null
            }
            val keys = LongArray(size)
            val values = LongArray(size)
            var n = 0
            if (hasZeroKey == 1) {
                values[n++] = zeroValue
            }
            for (slot in 0 until capacity) {
                val key = bytes.getLong(HEADER_BYTES + slot * Long.SIZE_BYTES)
                if (key != 0L) {
                    if (n == size) return null // more keys than the header says
                    keys[n] = key
                    values[n++] = bytes.getLong(HEADER_BYTES + (capacity + slot) * Long.SIZE_BYTES)
                }
            }
            return if (n == size) SnapshotFile(file, index, generation, keys, values) else null
        }
    }
}
