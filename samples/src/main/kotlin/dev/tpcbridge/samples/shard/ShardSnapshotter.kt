package dev.tpcbridge.samples.shard

import dev.tpcbridge.ring.MpscRing
import dev.tpcbridge.ring.OfferStatus
import dev.tpcbridge.runtime.Core
import java.util.concurrent.atomic.AtomicInteger

/**
 * Takes snapshots of one [KvShard] on its core without stalling it: a snapshot starts at a point in time
 * ([KvShard.beginSnapshot]) and is copied a chunk per core task ([KvShard.continueSnapshot]: a few microseconds each,
 * requests served in between, copy-on-write for the slots written meanwhile), into one of the reusable
 * [ShardCopy]s; a complete copy goes to [sink] on the core, and comes back through [release] once written or dropped.
 * So a snapshot allocates nothing and never holds a request up for more than one chunk.
 *
 * A [request] while a snapshot is in progress, or while every copy is still out, is skipped and counted: the next
 * tick takes a fresher one.
 *
 * Threads: [request], [requestFinal] and [release] from any thread; [sink] runs on the core (it must not block it).
 * The copies in use are the core's; the free ones wait in an MPSC ring that only the core takes from.
 */
class ShardSnapshotter internal constructor(
    private val core: Core,
    private val shard: KvShard,
    copies: List<ShardCopy>,
    private val sink: (ShardCopy) -> Unit,
) {
    private val free: MpscRing<ShardCopy>
    private val taken = AtomicInteger() // copies out of the free ring: to catch a copy released twice
    private var current: ShardCopy? = null // core-owned
    private var finalDone: Runnable? = null // core-owned: run once the snapshot in progress is handed to the sink

    @Volatile
    private var started = 0L // written on the core only

    @Volatile
    private var skipped = 0L // written on the core only

    private val tick = Runnable { start(null) }
    private val step = Runnable { step() }

    init {
        require(copies.size in 1..64) { "copies.size=${copies.size} must be in [1, 64]" }
        require(copies.all { it.index == shard.index }) { "copies of another shard than ${shard.index}: $copies" }
        require(copies.toSet().size == copies.size) { "a copy given twice: $copies" }
        free = MpscRing.create(Integer.highestOneBit(copies.size * 2 - 1).coerceAtLeast(2)) // room for every copy
        copies.forEach { free.offer(it) }
    }

    /** Snapshots started so far. */
    val count: Long get() = started

    /** Requests skipped: a snapshot was in progress, or every copy was still being written. */
    val skips: Long get() = skipped

    /** Asks the core to start a snapshot; never waits. False if the core's task ring is full or the core closed. */
    fun request(): Boolean = core.offerTask(tick) == OfferStatus.OK

    /**
     * Asks the core for a snapshot that starts after this call (so it holds every write the core served before it),
     * waiting on the core for the snapshot in progress and for a free copy if need be; [onSubmitted] runs on the core
     * once [sink] has taken it. Never waits; false if the core's task ring is full or the core closed.
     */
    fun requestFinal(onSubmitted: Runnable): Boolean = core.offerTask(object : Runnable {
        override fun run() {
            if (current != null || !start(onSubmitted)) {
                core.offerTask(this) // later: the snapshot in progress ends, or a copy comes back
            }
        }
    }) == OfferStatus.OK

    /** Gives [copy] back once it is written, or dropped unwritten. Any thread. */
    fun release(copy: ShardCopy) {
        require(copy.index == shard.index) { "a copy of shard ${copy.index} released to shard ${shard.index}" }
        if (taken.getAndDecrement() <= 0) {
            taken.incrementAndGet()
            throw IllegalStateException("more copies released than taken: $copy")
        }
        check(free.offer(copy) == OfferStatus.OK) { "the free ring refused $copy" } // it has room for every copy
    }

    /** On the core: starts a snapshot if none is in progress and a copy is free; true if it did. */
    private fun start(onSubmitted: Runnable?): Boolean {
        val copy = if (current == null) free.poll() else null
        if (copy == null) {
            if (onSubmitted == null) {
                skipped++
            }
            return false
        }
        taken.incrementAndGet()
        started++
        shard.beginSnapshot(copy)
        current = copy
        finalDone = onSubmitted
        step()
        return true
    }

    /** On the core: the next chunk, then either the next step as a task of its own, or the sink. */
    private fun step() {
        if (!shard.continueSnapshot()) {
            if (core.offerTask(step) != OfferStatus.OK) { // the core is closing: the copy is of no use now
                val copy = current!!
                current = null
                while (!shard.continueSnapshot()) {
                    // end the copy, so the map stops copying on write
                }
                release(copy)
            }
            return
        }
        val copy = current!!
        val done = finalDone
        current = null
        finalDone = null
        sink(copy)
        done?.run()
    }

    override fun toString(): String = "ShardSnapshotter[shard=${shard.index}, started=$started, skipped=$skipped]"
}
