package dev.tpcbridge.samples.shard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Percentiles within the histogram's stated 1/64 error, merging, and the bucket arithmetic at its edges. */
class LatencyHistogramTest {
    @Test
    void percentilesAreWithinOneSixtyFourthAboveTheTrueValue() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            histogram.record(v * 10);
        }
        assertEquals(100_000, histogram.getCount());
        assertEquals(10, histogram.getMin());
        assertEquals(1_000_000, histogram.getMax());
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long truth = (long) Math.ceil(q * 100_000) * 10;
            long reported = histogram.valueAt(q);
            assertTrue(reported >= truth && reported <= truth + truth / 64,
                "q=" + q + " truth=" + truth + " got=" + reported);
        }
        assertEquals(1_000_000, histogram.valueAt(1.0));
    }

    @Test
    void mergedHistogramsCountEveryValue() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(5);
        b.record(3);
        b.record(1_000_000_000L);
        a.add(b);
        assertEquals(3, a.getCount());
        assertEquals(3, a.getMin());
        assertEquals(1_000_000_000L, a.getMax());
        assertEquals(5, a.valueAt(0.5));
    }

    @Test
    void bucketsCoverEveryLongInOrder() {
        assertEquals(LatencyHistogram.BUCKETS - 1,
            LatencyHistogram.bucketOf(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE,
            LatencyHistogram.highestValueOf(LatencyHistogram.BUCKETS - 1));
        for (long v : new long[] {0, 127, 128, 129, 255, 256, 1L << 40, (1L << 40) - 1}) {
            int bucket = LatencyHistogram.bucketOf(v);
            assertTrue(LatencyHistogram.highestValueOf(bucket) >= v, "v=" + v);
            assertTrue(bucket == 0 || LatencyHistogram.highestValueOf(bucket - 1) < v, "v=" + v);
        }
        assertThrows(IllegalArgumentException.class, () -> new LatencyHistogram().record(-1));
    }
}
