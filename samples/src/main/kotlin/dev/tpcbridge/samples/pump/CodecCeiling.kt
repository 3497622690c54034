package dev.tpcbridge.samples.pump

import dev.tpcbridge.slab.SlabConfig
import dev.tpcbridge.slab.SlabPool
import dev.tpcbridge.slab.SlabView

/**
 * The speed of the work itself: the pump's codec on one thread, with no bridge and no other thread, over a window of
 * slab pages of the run's payload (the working set the pump's threads touch). A write pass writes message after
 * message into the pages; a check pass checks them through a [SlabView], as the receivers do. The pump prints these
 * beside its own figure: a pump whose sender and receiver run on two CPUs cannot beat the slower pass, and one whose
 * work shares a CPU cannot beat [serial].
 *
 * @property writeGbps the write pass, GB/s (10^9 bytes)
 * @property checkGbps the check pass, GB/s
 */
class CodecCeiling(val writeGbps: Double, val checkGbps: Double) {
    /** Write then check on one CPU: the harmonic combination of the two passes. */
    val serial: Double get() = 1.0 / (1.0 / writeGbps + 1.0 / checkGbps)

    companion object {
        private const val WARM_UP_NANOS = 300_000_000L
        private const val MEASURE_NANOS = 500_000_000L

        /** Measures both passes on the calling thread (about 1.6 s). Allocates a pool of its own, closed after. */
        fun measure(config: PumpConfig): CodecCeiling {
            val pages = config.window
            val pool = SlabPool.create(SlabConfig.builder().poolId(255).pageSize(config.pageSize).pageCount(pages)
                .build())
            try {
                val handles = LongArray(pages) { pool.alloc(config.payload) }
                val view = SlabView()
                var seq = 0L
                val write = { deadline: Long ->
                    var bytes = 0L
                    while (System.nanoTime() < deadline) {
                        for (handle in handles) {
                            PayloadCodec.write(pool.writable(handle), config.payload, config.seed, seq++)
                        }
                        bytes += pages.toLong() * config.payload
                    }
                    bytes
                }
                val check = { deadline: Long ->
                    var bytes = 0L
                    while (System.nanoTime() < deadline) {
                        var first = seq - pages
                        for (handle in handles) { // the pages hold the last write pass: check them again and again
                            val wrong = PayloadCodec.mismatch(view.wrap(pool, handle), config.payload, config.seed,
                                first++)
                            check(wrong == PayloadCodec.MATCH) { "the ceiling's own check failed at byte $wrong" }
                        }
                        bytes += pages.toLong() * config.payload
                    }
                    bytes
                }
                rate(write, WARM_UP_NANOS)
                rate(check, WARM_UP_NANOS)
                return CodecCeiling(rate(write, MEASURE_NANOS), rate(check, MEASURE_NANOS))
            } finally {
                pool.close()
            }
        }

        private fun rate(pass: (Long) -> Long, nanos: Long): Double {
            val start = System.nanoTime()
            val bytes = pass(start + nanos)
            return bytes / (System.nanoTime() - start).toDouble()
        }
    }
}
