package dev.tpcbridge.offload;

/**
 * The pool's queue: one {@link MpmcQueue}, or several (lanes) that split the capacity, so that submitters on different
 * threads CAS different words. A thread submits into its own lane, chosen by its id (threads made one after another
 * get lanes one after another), so its tasks keep their order and a full lane's {@code DROP_OLDEST} evicts the oldest
 * task of that lane. Workers poll every lane, each poll starting one lane further. A waiting {@code send} takes room
 * in any lane, its own first, since its thread may change between tries (a coroutine's does).
 *
 * <p><b>Threads.</b> Any thread, any method. The sums ({@link #size}, {@link #highWaterMark}) read each lane once: a
 * snapshot, not one instant.
 */
final class Lanes {
    /** The most lanes a pool may have. */
    static final int MAX_LANES = 64;

    private final MpmcQueue[] queues;
    private final int mask;
    private final int capacity;

    /**
     * @param capacity the pool's, a power of two, at least {@code 2 * lanes}
     * @param lanes    a power of two from 1 to {@link #MAX_LANES}
     */
    Lanes(int capacity, int lanes) {
        queues = new MpmcQueue[lanes];
        for (int i = 0; i < lanes; i++) {
            queues[i] = new MpmcQueue(capacity / lanes);
        }
        this.mask = lanes - 1;
        this.capacity = capacity;
    }

    /** The calling thread's lane. */
    MpmcQueue mine() {
        return queues[(int) Thread.currentThread().getId() & mask];
    }

    /**
     * Offers {@code element} to the first lane with room, the caller's first.
     *
     * @return {@code false} if every lane was full when tried
     */
    boolean offerAnywhere(Object element) {
        final int first = (int) Thread.currentThread().getId();
        for (int i = 0; i <= mask; i++) {
            if (queues[(first + i) & mask].offer(element)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Polls the first lane that has an element, from lane {@code from} on (modulo the lane count).
     *
     * @return the element, or null if every lane was empty when tried
     */
    Object pollFrom(int from) {
        for (int i = 0; i <= mask; i++) {
            final Object element = queues[(from + i) & mask].poll();
            if (element != null) {
                return element;
            }
        }
        return null;
    }

    /**
     * As {@link #pollFrom}, with {@link MpmcQueue#pollBatch(Object[], int, WorkerHand)}: takes up to {@code max}
     * elements, all from the first lane that has one published at its head, into {@code into}; 0 may also mean that
     * an offer is about to publish.
     *
     * @return how many it took
     */
    int pollBatchFrom(int from, Object[] into, int max, WorkerHand hand) {
        for (int i = 0; i <= mask; i++) {
            final int n = queues[(from + i) & mask].pollBatch(into, max, hand);
            if (n > 0) {
                return n;
            }
        }
        return 0;
    }

    /** Elements queued, over all lanes. */
    int size() {
        int size = 0;
        for (MpmcQueue queue : queues) {
            size += queue.size();
        }
        return size;
    }

    /** The sum of the lanes' high-water marks: the queue's with one lane, an upper bound of the deepest with more. */
    int highWaterMark() {
        int mark = 0;
        for (MpmcQueue queue : queues) {
            mark += queue.highWaterMark();
        }
        return mark;
    }

    /** Elements offered, over all lanes, ever. */
    long offered() {
        long sum = 0;
        for (MpmcQueue queue : queues) {
            sum += queue.offered();
        }
        return sum;
    }

    int capacity() {
        return capacity;
    }

    int count() {
        return queues.length;
    }
}
