package dev.tpcbridge.samples.shard

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import org.HdrHistogram.Histogram
import java.util.SplittableRandom
import java.util.concurrent.atomic.AtomicLongArray

/**
 * Drives a [ShardedStore] with [ShardOptions.callers] concurrent coroutines and records what it did: first it PUTs
 * every key's initial value (not timed), then each caller runs its share of random GETs and INCREMENTs (or runs until
 * the duration ends), timing each call from before it is made to after its answer has resumed the caller.
 *
 * Each caller owns its [ShardCaller], its random stream (split from the seed, so a run is reproducible in what it
 * asks, not in how it interleaves) and its HdrHistogram [Histogram]; the only state callers share is the tally of
 * answered increments per key, from which [LoadReport.expected] is built. Increments are positive, so a GET or an
 * INCREMENT that answers less than the key's initial value (plus the delta) is counted as an anomaly.
 *
 * Threads: [run] from one coroutine at a time; the callers run on [Dispatchers.Default].
 */
class LoadGenerator(private val store: ShardedStore, private val options: ShardOptions) {
    /** Runs the load (see the class comment) and reports it; suspends until every caller is done. */
    suspend fun run(): LoadReport {
        val keys = options.keys
        val callers = options.callers
        val random = SplittableRandom(options.seed)
        val streams = Array(callers) { random.split() }
        val handles = Array(callers) { store.caller() }
        val histograms = Array(callers) { latencyHistogram() }
        val opsDone = LongArray(callers)
        val anomalies = LongArray(callers)
        val added = AtomicLongArray(keys) // answered increments per key, summed over every caller

        val loadStart = System.nanoTime()
        coroutineScope {
            for (c in 0 until callers) {
                launch(Dispatchers.Default) {
                    val caller = handles[c]
                    var key = c
                    while (key < keys) {
                        if (caller.put(key.toLong(), initialValue(key)) != 0L) {
                            anomalies[c]++ // a fresh store has no value yet
                        }
                        key += callers
                    }
                }
            }
        }
        val loadNanos = System.nanoTime() - loadStart

        val start = System.nanoTime()
        val deadline = if (options.durationMillis > 0) start + options.durationMillis * 1_000_000 else 0L
        coroutineScope {
            for (c in 0 until callers) {
                val share = when {
                    deadline != 0L -> Long.MAX_VALUE // until the deadline
                    else -> options.ops / callers + if (c < options.ops % callers) 1 else 0
                }
                launch(Dispatchers.Default) {
                    val caller = handles[c]
                    val stream = streams[c]
                    val histogram = histograms[c]
                    val readPercent = options.readPercent
                    var done = 0L
                    while (done < share && (deadline == 0L || System.nanoTime() - deadline < 0)) {
                        val key = stream.nextInt(keys)
                        val read = stream.nextInt(100) < readPercent
                        val delta = 1L + stream.nextInt(MAX_DELTA)
                        val begin = System.nanoTime()
                        val answer = if (read) caller.get(key.toLong()) else caller.increment(key.toLong(), delta)
                        histogram.recordValue(System.nanoTime() - begin)
                        if (read) {
                            if (answer < initialValue(key)) {
                                anomalies[c]++
                            }
                        } else {
                            added.getAndAdd(key, delta)
                            if (answer < initialValue(key) + delta) {
                                anomalies[c]++
                            }
                        }
                        done++
                    }
                    opsDone[c] = done
                }
            }
        }
        val nanos = System.nanoTime() - start

        // The callers are done (coroutineScope returned): their arrays and histograms are safe to read here.
        val histogram = latencyHistogram()
        histograms.forEach { histogram.add(it) }
        val expected = LongArray(keys) { initialValue(it) + added.get(it) }
        var increments = 0L
        for (k in 0 until keys) {
            increments += added.get(k)
        }
        return LoadReport(opsDone.sum(), nanos, loadNanos, histogram, expected, increments, anomalies.sum())
    }

    /** The value key [key] starts with: from the seed, below 2^40, so that increments cannot overflow it. */
    private fun initialValue(key: Int): Long = ShardProtocol.mix(options.seed xor key.toLong()) ushr 24

    private companion object {
        /** Increments add 1 to this much. */
        const val MAX_DELTA = 16
    }
}

/**
 * What a [LoadGenerator] run did: [ops] timed calls in [nanos], their latencies, the preload's time, and what the
 * shards must hold afterwards. Immutable once made (do not change [expected] or [latency]); any thread.
 */
class LoadReport(
    /** The timed calls answered. */
    val ops: Long,
    /** The timed phase's wall-clock time, in nanoseconds. */
    val nanos: Long,
    /** The preload's wall-clock time, in nanoseconds. */
    val loadNanos: Long,
    /** The latency of every timed call, in nanoseconds. */
    val latency: Histogram,
    /** The value each key must hold now: its initial value plus every answered increment. */
    val expected: LongArray,
    /** The sum of the answered increments' deltas. */
    val incrementTotal: Long,
    /** Answers below what the key must at least hold (a lost or misplaced write seen by a reader). */
    val anomalies: Long,
) {
    /** Timed calls per second. */
    val opsPerSecond: Double get() = if (nanos == 0L) 0.0 else ops * 1e9 / nanos
}

/**
 * A latency histogram in nanoseconds: HdrHistogram, 3 significant digits (0.1 %), values up to an hour, sized once
 * (recording never allocates). One per caller coroutine, merged once they are done.
 */
internal fun latencyHistogram(): Histogram = Histogram(3_600_000_000_000L, 3)
