package dev.tpcbridge.offload;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** A batch stops at the first slot whose element is not published; it never wraps past the tail. */
    @Test
    void aBatchTakesTheOldestRunAndLeavesTheRest() {
        MpmcQueue queue = new MpmcQueue(8);
        Object[] into = new Object[WorkerHand.SIZE];
        assertEquals(0, queue.pollBatch(into, WorkerHand.SIZE));
        for (int i = 1; i <= 8; i++) {
            assertTrue(queue.offer(i));
        }
        assertEquals(3, queue.pollBatch(into, 3));
        assertArrayEquals(new Object[] {1, 2, 3}, Arrays.copyOf(into, 3));
        assertEquals(5, queue.size());
        assertEquals(8, queue.highWaterMark()); // the depth the batch found
        assertEquals(5, queue.pollBatch(into, WorkerHand.SIZE));
        assertArrayEquals(new Object[] {4, 5, 6, 7, 8}, Arrays.copyOf(into, 5));
        assertEquals(0, queue.size());
        assertEquals(8, queue.polled());
        for (int i = 9; i <= 16; i++) { // the slots the batch freed take the next lap
            assertTrue(queue.offer(i));
        }
        assertFalse(queue.offer(17));
        assertEquals(9, queue.offerEvictingOldest(17));
        assertEquals(8, queue.pollBatch(into, WorkerHand.SIZE));
        assertArrayEquals(new Object[] {10, 11, 12, 13, 14, 15, 16, 17}, Arrays.copyOf(into, 8));
    }

    @Test
    void theHighWaterMarkIsTheDepthEachBatchFound() {
        MpmcQueue queue = new MpmcQueue(64);
        Object[] into = new Object[WorkerHand.SIZE];
        for (int i = 0; i < 5; i++) {
            assertTrue(queue.offer(i));
        }
        assertEquals(5, queue.pollBatch(into, WorkerHand.SIZE));
        assertEquals(5, queue.highWaterMark(), "the batch took every element published: the depth it found");
        for (int i = 0; i < 40; i++) {
            assertTrue(queue.offer(i));
        }
        assertEquals(WorkerHand.SIZE, queue.pollBatch(into, WorkerHand.SIZE));
        assertEquals(40, queue.highWaterMark(), "a full batch left more: the depth counts them");
        assertEquals(WorkerHand.SIZE, queue.pollBatch(into, WorkerHand.SIZE));
        assertEquals(8, queue.pollBatch(into, WorkerHand.SIZE));
        assertEquals(40, queue.highWaterMark());
    }

    /**
     * Random offers, evicting offers, polls and batches against a reference: the answers (an evicting offer's is
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
                } else if (choice < 8) {
                    if (!reference.isEmpty()) {
                        mark = Math.max(mark, reference.size());
                    }
                    assertEquals(reference.pollFirst(), queue.poll(), where);
                } else { // alone, a batch takes the oldest min(size, max) elements, in order
                    if (!reference.isEmpty()) {
                        mark = Math.max(mark, reference.size());
                    }
                    int max = 1 + random.nextInt(WorkerHand.SIZE);
                    Object[] into = new Object[max];
                    int expected = Math.min(max, reference.size());
                    assertEquals(expected, queue.pollBatch(into, max), where);
                    for (int i = 0; i < expected; i++) {
                        assertEquals(reference.pollFirst(), into[i], where + ", element " + i);
                    }
                }
                assertEquals(reference.size(), queue.size(), where);
                assertEquals(offered, queue.offered(), where);
                assertEquals(mark, queue.highWaterMark(), where);
            }
        }
    }
}
