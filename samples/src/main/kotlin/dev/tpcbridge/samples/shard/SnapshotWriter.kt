package dev.tpcbridge.samples.shard

import dev.tpcbridge.offload.OffloadPool
import java.io.DataInputStream
import java.io.DataOutputStream
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * Periodic snapshots of every shard to files, written off the cores: every [everyMillis] a ticker thread asks each
 * core for a copy of its shard (a core task: the core copies its map and [submits][OffloadPool.submit] the copy, never
 * waiting), and an offload pool's worker writes it (to a temporary file, then an atomic rename). The pool coalesces by
 * shard: a newer snapshot of a shard replaces one still queued, so a slow disk never piles snapshots up.
 *
 * [stop] takes one last snapshot of every shard after the run, so [check] can read every file back and hold it to
 * the final state exactly: each file whole (its checksum matches), its shard's keys only, every key of the store
 * once, every value the final one.
 *
 * Threads: [start] and [stop] from the thread running the demo; the ticker and the worker are daemon threads of
 * their own.
 */
class SnapshotWriter(private val store: ShardedStore, private val dir: Path, private val everyMillis: Long) {
    private val written = AtomicLong()
    private val replaced = AtomicLong()
    private val pool = OffloadPool.builder<ShardSnapshot>(::write).name("shard-snapshots").capacity(store.size)
        .workers(1).coalesceBy(ShardSnapshot::index).onDropped { _, _ -> replaced.incrementAndGet() }.build()
    @Volatile private var running = true
    private val ticker = Thread({
        while (running) {
            for (shard in 0 until store.size) {
                store.snapshotOnCore(shard) { snapshot -> pool.submit(snapshot) }
            }
            Thread.sleep(everyMillis)
        }
    }, "shard-snapshot-ticker").apply { isDaemon = true }

    /** Snapshots written so far. */
    val count: Long get() = written.get()

    /** Snapshots replaced by a newer one of the same shard before a worker got to them. */
    val coalesced: Long get() = replaced.get()

    /** Starts ticking. */
    fun start() {
        ticker.start()
    }

    /** Stops ticking, takes a last snapshot of every shard, and waits for the queue to be written (at most 30 s). */
    fun stop() {
        running = false
        ticker.join()
        val submitted = java.util.concurrent.CountDownLatch(store.size)
        for (shard in 0 until store.size) {
            while (!store.snapshotOnCore(shard) { snapshot -> pool.submit(snapshot); submitted.countDown() }) {
                Thread.sleep(1) // the core's task ring is full: try again
            }
        }
        check(submitted.await(30, TimeUnit.SECONDS)) { "the cores did not take their last snapshots" }
        pool.shutdown(30, TimeUnit.SECONDS).get()
    }

    private fun write(snapshot: ShardSnapshot) {
        val target = dir.resolve("shard-${snapshot.index}.snap")
        val temporary = dir.resolve("shard-${snapshot.index}.snap.tmp")
        DataOutputStream(Files.newOutputStream(temporary).buffered()).use { out ->
            out.writeInt(snapshot.index)
            out.writeInt(snapshot.size)
            var sum = 0L
            for (i in 0 until snapshot.size) {
                out.writeLong(snapshot.key(i))
                out.writeLong(snapshot.value(i))
                sum = sum * 31 + snapshot.key(i) * 17 + snapshot.value(i)
            }
            out.writeLong(sum)
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
        written.incrementAndGet()
    }

    /** Reads every shard's file back and checks it against the final values; the first problem, or null. */
    fun check(expected: LongArray): String? {
        var keysSeen = 0L
        for (shard in 0 until store.size) {
            val file = dir.resolve("shard-$shard.snap")
            if (!Files.exists(file)) {
                return "no snapshot of shard $shard"
            }
            DataInputStream(Files.newInputStream(file).buffered()).use { input ->
                val index = input.readInt()
                val size = input.readInt()
                if (index != shard) return "$file holds shard $index"
                var sum = 0L
                for (i in 0 until size) {
                    val key = input.readLong()
                    val value = input.readLong()
                    sum = sum * 31 + key * 17 + value
                    if (ShardProtocol.shardOf(key, store.size) != shard) return "$file holds key $key of another shard"
                    if (key !in expected.indices || value != expected[key.toInt()]) {
                        return "$file: key $key holds $value, not its final value"
                    }
                }
                if (input.readLong() != sum) return "$file: checksum mismatch (a torn write)"
                keysSeen += size
            }
        }
        return if (keysSeen == expected.size.toLong()) null else "the snapshots hold $keysSeen keys of ${expected.size}"
    }
}
