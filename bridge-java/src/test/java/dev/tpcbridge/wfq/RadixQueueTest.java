package dev.tpcbridge.wfq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The radix queue against a reference: every take returns a least key (compared by difference, as tags are), under
 * random monotone workloads with equal keys, keys near the 2^61 limit, tags that wrap, frequent rebuilds, and growth.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RadixQueueTest {

    /**
     * One entry of the reference: its key relative to the start, compared by difference as tags are (every live key
     * lies within 2^61 of the last taken, so the order is total over the entries held).
     */
    private record Ref(long offset, Flow flow) {
    }

    /**
     * Runs {@code steps} random pushes and takes; each pushed key is the last key taken plus a random gap below
     * {@code 2^gapBits} (sometimes 0, so that keys tie), and each take must return a flow whose key is the least.
     */
    private static void against(long start, long reanchorAt, int gapBits, int maxHeld, int steps, long seed) {
        final RadixQueue queue = new RadixQueue(1, start, reanchorAt);
        final PriorityQueue<Ref> reference = new PriorityQueue<>((a, b) -> Long.signum(a.offset() - b.offset()));
        final SplittableRandom random = new SplittableRandom(seed);
        final java.util.Map<Flow, Long> keyOf = new java.util.IdentityHashMap<>();
        long last = 0; // offset of the last key taken
        int nextId = 0;
        for (int step = 0; step < steps; step++) {
            final boolean push = reference.isEmpty() || reference.size() < maxHeld && random.nextBoolean();
            if (push) {
                final long gap = random.nextInt(8) == 0 ? 0 : random.nextLong(1L << gapBits);
                final Flow flow = new Flow(nextId++);
                final long offset = last + gap;
                queue.push(flow, start + offset, flow.id);
                reference.add(new Ref(offset, flow));
                keyOf.put(flow, offset);
            } else {
                final Flow taken = queue.poll();
                final Ref least = reference.peek();
                assertTrue(taken != null, "step " + step + ": the queue lost its entries");
                final long offset = keyOf.remove(taken);
                assertEquals(least.offset(), offset, "step " + step + ": took a key above the least");
                assertEquals(start + offset, queue.lastKey(), "step " + step);
                assertEquals(taken.id, queue.lastNote(), "step " + step + ": the note travels with its flow");
                reference.removeIf(r -> r.flow() == taken);
                last = offset;
            }
            assertEquals(reference.size(), queue.size(), "step " + step);
        }
        while (!reference.isEmpty()) { // drain: the rest in order
            final Flow taken = queue.poll();
            final long offset = keyOf.remove(taken);
            assertEquals(reference.peek().offset(), offset);
            reference.removeIf(r -> r.flow() == taken);
        }
        assertNull(queue.poll());
        assertEquals(0, queue.size());
    }

    @Test
    void takesTheLeastKeyUnderARandomMonotoneLoad() {
        against(0, RadixQueue.REANCHOR_AT, 32, 500, 200_000, 1);
    }

    @Test
    void tiesAndTinyGaps() {
        against(12345, RadixQueue.REANCHOR_AT, 3, 200, 100_000, 2);
    }

    @Test
    void keysAcrossTheWrapOfLong() {
        against(Long.MAX_VALUE - (1L << 20), RadixQueue.REANCHOR_AT, 24, 300, 100_000, 3);
    }

    @Test
    void gapsNearTheLimitAndRebuildsAtEveryFewTakes() {
        against(Long.MIN_VALUE + 7, RadixQueue.REANCHOR_AT, 60, 100, 100_000, 4); // gaps up to 2^60: rebuilds as well
        against(-99, 1L << 20, 18, 300, 200_000, 5); // the origin moves every few takes
    }

    @Test
    void growsPastItsFirstCapacityAndKeepsOrder() {
        final RadixQueue queue = new RadixQueue(1, 0, RadixQueue.REANCHOR_AT);
        final Flow[] flows = new Flow[1000];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = new Flow(i);
            queue.push(flows[i], 1000 - i, i); // descending keys: the last pushed is the least
        }
        for (int i = flows.length - 1; i >= 0; i--) {
            assertSame(flows[i], queue.poll());
            assertEquals(1000 - i, queue.lastKey());
        }
        assertNull(queue.poll());
    }

    @Test
    void aRebuildDistanceOutOfRangeIsRefusedByName() {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> new RadixQueue(1, 0, 0));
        assertTrue(zero.getMessage().contains("reanchorAt=0"), zero.getMessage());
        final IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
            () -> new RadixQueue(1, 0, (1L << 61) + 1));
        assertTrue(huge.getMessage().contains("reanchorAt=" + ((1L << 61) + 1)), huge.getMessage());
    }
}
