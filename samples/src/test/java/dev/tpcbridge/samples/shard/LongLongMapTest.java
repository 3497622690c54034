package dev.tpcbridge.samples.shard;

import kotlin.Unit;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shard's table against {@link HashMap}, through growth, with the key 0 and negative keys; its chunked
 * copy-on-write copy against the map as it was when the copy began.
 */
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

    @Test
    void aChunkedCopyHoldsTheMapAsItWasWhenItBeganWhateverIsWrittenMeanwhile() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            int keySpace = 1 + random.nextInt(40_000);
            LongLongMap map = new LongLongMap(random.nextInt(2) == 0 ? 0 : keySpace);
            Map<Long, Long> reference = new HashMap<>();
            for (int i = random.nextInt(keySpace); i > 0; i--) {
                write(map, reference, random, keySpace);
            }
            TableCopy copy = new TableCopy();
            Map<Long, Long> atBegin = new HashMap<>(reference);
            map.beginCopy(copy);
            assertTrue(map.getCopying());
            int writesPerChunk = random.nextInt(3_000); // up to most of a chunk's slots written between two chunks
            boolean done = false;
            while (!done) {
                for (int i = 0; i < writesPerChunk; i++) {
                    write(map, reference, random, keySpace * 2); // new keys too: inserts and growth mid-copy
                }
                done = map.copyChunk();
            }
            assertFalse(map.getCopying());
            assertEquals(atBegin.size(), copy.getSize(), "round " + round);
            assertEquals(atBegin, contents(copy), "round " + round);
            assertEquals(reference.size(), map.getSize());
            for (Map.Entry<Long, Long> entry : reference.entrySet()) {
                assertEquals(entry.getValue(), map.get(entry.getKey(), -1L), "key=" + entry.getKey());
            }
        }
    }

    @Test
    void aReusedCopyHoldsOnlyTheLatestTable() {
        LongLongMap big = new LongLongMap(0);
        for (long key = 1; key <= 10_000; key++) {
            big.put(key, key * 3, 0L);
        }
        LongLongMap small = new LongLongMap(0);
        small.put(0L, 42L, 0L);
        small.put(-5L, 7L, 0L);
        TableCopy copy = new TableCopy();
        big.beginCopy(copy);
        while (!big.copyChunk()) {
            // all of it
        }
        assertEquals(10_000, contents(copy).size());
        small.beginCopy(copy);
        while (!small.copyChunk()) {
            // all of it
        }
        assertEquals(Map.of(0L, 42L, -5L, 7L), contents(copy)); // nothing of the bigger table's slots
    }

    @Test
    void oneCopyAtATime() {
        LongLongMap map = new LongLongMap(0);
        IllegalStateException none = assertThrows(IllegalStateException.class, map::copyChunk);
        assertEquals("no copy in progress", none.getMessage());
        map.beginCopy(new TableCopy());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> map.beginCopy(new TableCopy()));
        assertEquals("a copy is already in progress", twice.getMessage());
        assertTrue(map.copyChunk()); // one chunk holds all 16 slots
    }

    private static void write(LongLongMap map, Map<Long, Long> reference, SplittableRandom random, int keySpace) {
        long key = random.nextInt(keySpace) - keySpace / 8; // includes 0 and negative keys
        long value = random.nextLong();
        if (random.nextBoolean()) {
            map.put(key, value, 0L);
            reference.put(key, value);
        } else {
            long now = reference.getOrDefault(key, 0L) + value;
            assertEquals(now, map.addAndGet(key, value), "addAndGet key=" + key);
            reference.put(key, now);
        }
    }

    private static Map<Long, Long> contents(TableCopy copy) {
        Map<Long, Long> contents = new HashMap<>();
        copy.forEach((key, value) -> {
            assertEquals(null, contents.put(key, value), "key " + key + " twice");
            return Unit.INSTANCE;
        });
        return contents;
    }
}
