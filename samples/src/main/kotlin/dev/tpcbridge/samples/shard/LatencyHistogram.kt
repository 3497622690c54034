package dev.tpcbridge.samples.shard

/**
 * A log-linear histogram of non-negative `long` values (latencies in nanoseconds): exact below 128, then 64 linear
 * sub-buckets per power of two, so a reported percentile is at most 1/64 (1.6 %) above the true value; 3,712
 * counters cover every `long`. Recording is a few shifts and one array increment, without allocation.
 *
 * ```
 * value v < 128:   bucket v
 * value v >= 128:  s = (index of v's highest one bit) - 6     (s >= 1)
 *                  bucket s * 64 + (v >>> s)                  (v >>> s is in [64, 128))
 * ```
 *
 * Threads: none of its own, no synchronization: one thread at a time records (in this sample, one caller coroutine
 * each owns one), and histograms are [add]ed together once their recorders are done.
 */
class LatencyHistogram {
    private val counts = LongArray(BUCKETS)

    /** The number of values recorded. */
    var count: Long = 0
        private set

    /** The least value recorded, or 0 if none. */
    var min: Long = 0
        private set

    /** The greatest value recorded, or 0 if none. */
    var max: Long = 0
        private set

    /** Records [value], which must be >= 0. */
    fun record(value: Long) {
        require(value >= 0) { "value=$value must be >= 0" }
        counts[bucketOf(value)]++
        if (count == 0L || value < min) {
            min = value
        }
        if (value > max) {
            max = value
        }
        count++
    }

    /** Adds every value [other] recorded to this histogram. */
    fun add(other: LatencyHistogram) {
        if (other.count == 0L) {
            return
        }
        for (i in counts.indices) {
            counts[i] += other.counts[i]
        }
        min = if (count == 0L) other.min else minOf(min, other.min)
        max = maxOf(max, other.max)
        count += other.count
    }

    /**
     * The value at [quantile] (in [0, 1]): the highest value of the bucket that holds the `ceil(quantile * count)`-th
     * smallest value, capped at [max] (so `valueAt(1.0) == max`); 0 if nothing was recorded.
     */
    fun valueAt(quantile: Double): Long {
        require(quantile in 0.0..1.0) { "quantile=$quantile must be in [0, 1]" }
        if (count == 0L) {
            return 0
        }
        val rank = maxOf(1L, Math.ceil(quantile * count).toLong())
        var seen = 0L
        for (i in counts.indices) {
            seen += counts[i]
            if (seen >= rank) {
                return minOf(highestValueOf(i), max)
            }
        }
        return max
    }

    override fun toString(): String = "LatencyHistogram[count=$count, min=$min, max=$max]"

    internal companion object {
        private const val SUB_BITS = 6
        private const val SUB_BUCKETS = 1 shl SUB_BITS // 64
        private const val EXACT = SUB_BUCKETS * 2 // 128 values kept exactly

        /** Buckets for every long: Long.MAX_VALUE (highest one bit 62, so s = 56) lands in 56 * 64 + 127, the last. */
        const val BUCKETS = (63 - SUB_BITS) * SUB_BUCKETS + EXACT - SUB_BUCKETS // 3,712

        /** The bucket [value] lands in. */
        @JvmStatic
        fun bucketOf(value: Long): Int {
            if (value < EXACT) {
                return value.toInt()
            }
            val shift = 63 - java.lang.Long.numberOfLeadingZeros(value) - SUB_BITS
            return shift * SUB_BUCKETS + (value ushr shift).toInt()
        }

        /** The highest value that lands in [bucket]. */
        @JvmStatic
        fun highestValueOf(bucket: Int): Long {
            if (bucket < EXACT) {
                return bucket.toLong()
            }
            val shift = bucket / SUB_BUCKETS - 1
            val sub = (bucket % SUB_BUCKETS + SUB_BUCKETS).toLong()
            return ((sub + 1) shl shift) - 1
        }
    }
}
