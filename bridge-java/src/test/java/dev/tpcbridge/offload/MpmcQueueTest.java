package dev.tpcbridge.offload;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offload queue on one thread: its capacity exactly, and the same answers as a bounded {@code ArrayDeque} over
 * random loads, with its count of offers and its high-water mark. Its concurrent behaviour:
 * {@code OffloadLincheckTest}, jcstress {@code OffloadStress}.
 */
class MpmcQueueTest {

    /** With one slot an offer could overwrite an unpolled element (its sequence would read "free"): two at least. */
    @Test
    void theQueueHoldsExactlyItsCapacityAndRefusesBadOnes() {
        for (int bad : new int[] {1, 3, 0, -2, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MpmcQueue(bad));
            assertTrue(e.getMessage().startsWith("capacity=" + bad + " "), e.getMessage());
        }
        MpmcQueue queue = new MpmcQueue(2);
        for (int lap = 0; lap < 3; lap++) {
            assertTrue(queue.offer("a" + lap));
            assertTrue(queue.offer("b" + lap));
            assertFalse(queue.offer("c" + lap));
            assertEquals(2, queue.size());
            assertEquals("a" + lap, queue.poll());
            assertEquals("b" + lap, queue.poll());
            assertNull(queue.poll());
        }
        assertEquals(6, queue.offered());
        assertEquals(6, queue.polled());
    }

    /**
     * Random offers, evicting offers, polls and relaxed polls against a reference: the answers (an evicting offer's is
     * the oldest element when full, else null), the size, the count of offers, and the high-water mark, which is the
     * deepest a poll found the queue, or its capacity once an offer was refused or evicted.
     */
    @Test
    void answersAsABoundedDeque() {
        for (int capacity : new int[] {2, 8, 64}) {
            MpmcQueue queue = new MpmcQueue(capacity);
            ArrayDeque<Integer> reference = new ArrayDeque<>();
            SplittableRandom random = new SplittableRandom(capacity);
            long offered = 0;
            int mark = 0;
            for (int step = 0; step < 20_000; step++) {
                String where = "capacity " + capacity + ", step " + step;
                int choice = random.nextInt(14);
                if (choice >= 10) { // an offer that evicts the oldest when full
                    Integer oldest = reference.size() == capacity ? reference.pollFirst() : null;
                    if (oldest != null) {
                        mark = capacity;
                    }
                    assertEquals(oldest, queue.offerEvictingOldest(step), where);
                    reference.addLast(step);
                    offered++;
                } else if (choice < 5) {
                    boolean room = reference.size() < capacity;
                    assertEquals(room, queue.offer(step), where);
                    if (room) {
                        reference.addLast(step);
                        offered++;
                    } else {
                        mark = capacity;
                    }
                } else {
                    if (!reference.isEmpty()) {
                        mark = Math.max(mark, reference.size());
                    }
                    // alone, a relaxed poll answers as a poll does
                    assertEquals(reference.pollFirst(), choice < 8 ? queue.poll() : queue.relaxedPoll(), where);
                }
                assertEquals(reference.size(), queue.size(), where);
                assertEquals(offered, queue.offered(), where);
                assertEquals(mark, queue.highWaterMark(), where);
            }
        }
    }
}
