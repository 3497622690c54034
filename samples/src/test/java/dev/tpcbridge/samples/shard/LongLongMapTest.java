package dev.tpcbridge.samples.shard;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shard's table against {@link HashMap}, through growth, with the key 0 and negative keys. */
class LongLongMapTest {
    @Test
    void agreesWithHashMapThroughGrowth() {
        LongLongMap map = new LongLongMap(0);
        Map<Long, Long> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long key = random.nextInt(5_000) - 2_500; // includes 0 and negative keys
            long value = random.nextLong();
            if (random.nextBoolean()) {
                assertEquals(reference.getOrDefault(key, -1L), map.put(key, value, -1L), "put key=" + key);
                reference.put(key, value);
            } else {
                long now = reference.getOrDefault(key, 0L) + value;
                assertEquals(now, map.addAndGet(key, value), "addAndGet key=" + key);
                reference.put(key, now);
            }
            long probe = random.nextInt(6_000) - 3_000;
            assertEquals(reference.getOrDefault(probe, -1L), map.get(probe, -1L), "get key=" + probe);
        }
        assertEquals(reference.size(), map.getSize());

        long[] keys = new long[map.getSize()];
        long[] values = new long[map.getSize()];
        map.copyTo(keys, values);
        Map<Long, Long> copied = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            copied.put(keys[i], values[i]);
        }
        assertEquals(reference, copied);
    }

    @Test
    void rejectsANegativeExpectedSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LongLongMap(-1));
        assertEquals("expectedSize=-1 must be >= 0", e.getMessage());
    }
}
