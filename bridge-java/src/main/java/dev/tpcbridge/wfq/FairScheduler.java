package dev.tpcbridge.wfq;

/**
 * Self-clocked weighted fair queuing (Golestani, SCFQ) over {@link Flow}s, for one thread: each request gets the
 * virtual finish tag {@code F = max(V, lastFinish) + cost / weight}; the request with the least tag goes first; the
 * virtual time {@code V} is the tag of the request last served. A heap of backlogged flows keyed by their head's tag
 * makes both {@link #enqueue} and {@link #poll} O(log active flows); requests sit in preallocated slot arrays, so
 * neither allocates (the heap grows, once, to the most flows ever backlogged at the same time).
 *
 * <p>Tags are fixed point: {@code cost << WEIGHT_SHIFT / weight}, at most {@code 2^45} per request, compared by
 * difference, so the free-running virtual time may wrap: every live tag lies within {@code capacity * 2^45 <= 2^62}
 * of {@code V}. Bound (SCFQ): over any interval in which flows {@code i} and {@code j} are both backlogged, their
 * served cost per unit weight differs by at most {@code maxCost_i / w_i + maxCost_j / w_j}.
 *
 * <p>Not thread-safe: the owner's thread only.
 */
final class FairScheduler {
    /** Bits of fraction in a tag. */
    static final int WEIGHT_SHIFT = 16;
    /** The largest cost of one request (512 MiB): larger ones are refused as absurd. */
    static final long MAX_COST = 1L << 29;
    /** The largest weight. */
    static final int MAX_WEIGHT = 1 << 16;
    /** The most slots (131,072): keeps every live tag within {@code 2^62} of the virtual time. */
    static final int MAX_CAPACITY = 1 << 17;

    private final Object[] items;
    private final long[] tags;
    private final long[] costs;
    private final int[] next;
    private int free;
    private int size;
    private Flow[] heap = new Flow[16];
    private long[] keys = new long[16];
    private int active;
    private long virtualTime;
    private Flow lastFlow;
    private long lastCost;

    FairScheduler(int capacity) {
        this(capacity, 0L);
    }

    /** With a virtual time to start from: tests start near the wrap. */
    FairScheduler(int capacity, long virtualTime) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + MAX_CAPACITY + "]");
        }
        items = new Object[capacity];
        tags = new long[capacity];
        costs = new long[capacity];
        next = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            next[i] = i + 1 < capacity ? i + 1 : -1;
        }
        free = 0;
        this.virtualTime = virtualTime;
    }

    /**
     * The tag increment of a request.
     *
     * @param cost   in {@code [0, MAX_COST]}
     * @param weight in {@code [1, MAX_WEIGHT]}
     * @return {@code cost / weight} in fixed point
     */
    static long increment(long cost, int weight) {
        return (cost << WEIGHT_SHIFT) / weight;
    }

    /**
     * Queues {@code item} at the end of {@code flow}'s queue.
     *
     * @return {@code false} if every slot is taken (nothing changed)
     */
    boolean enqueue(Flow flow, Object item, long cost, int weight) {
        final int slot = free;
        if (slot < 0) {
            return false;
        }
        free = next[slot];
        final long start = flow.lastFinish - virtualTime > 0 ? flow.lastFinish : virtualTime;
        final long finish = start + increment(cost, weight);
        flow.lastFinish = finish;
        items[slot] = item;
        tags[slot] = finish;
        costs[slot] = cost;
        next[slot] = -1;
        size++;
        if (flow.queued++ == 0) {
            flow.head = slot;
            flow.tail = slot;
            push(flow, finish);
        } else {
            next[flow.tail] = slot;
            flow.tail = slot;
        }
        return true;
    }

    /**
     * Takes the request with the least finish tag; {@link #lastFlow()} and {@link #lastCost()} then say whose and
     * what it cost.
     *
     * @return the request, or {@code null} if none is queued
     */
    Object poll() {
        if (active == 0) {
            return null;
        }
        final Flow flow = heap[0];
        final int slot = flow.head;
        final Object item = items[slot];
        items[slot] = null;
        virtualTime = tags[slot]; // self-clocked: V is the finish tag of the request in service
        lastCost = costs[slot];
        lastFlow = flow;
        final int after = next[slot];
        next[slot] = free;
        free = slot;
        size--;
        if (--flow.queued == 0) {
            flow.head = -1;
            flow.tail = -1;
            removeTop();
        } else {
            flow.head = after;
            siftDown(flow, tags[after]);
        }
        return item;
    }

    /** The flow of the request last polled. */
    Flow lastFlow() {
        return lastFlow;
    }

    /** The cost of the request last polled. */
    long lastCost() {
        return lastCost;
    }

    /** Requests queued. */
    int size() {
        return size;
    }

    /** Flows with a request queued. */
    int active() {
        return active;
    }

    /** The virtual time: the finish tag of the request last served. */
    long virtualTime() {
        return virtualTime;
    }

    /** The slot count. */
    int capacity() {
        return items.length;
    }

    // ---------------------------------------------------------------- binary min-heap of flows by head tag
    // Keys live in their own array beside the flows, so a sift compares within one array and never dereferences a
    // flow (at 10^5 active tenants, a pointer chase per level was the cost).

    private void push(Flow flow, long key) {
        if (active == heap.length) {
            final int length = active * 2; // only when more flows are backlogged than ever before
            heap = java.util.Arrays.copyOf(heap, length);
            keys = java.util.Arrays.copyOf(keys, length);
        }
        final Flow[] heap = this.heap;
        final long[] keys = this.keys;
        int index = active++;
        while (index > 0) {
            final int parent = (index - 1) >>> 1;
            if (keys[parent] - key <= 0) { // by difference: tags may wrap
                break;
            }
            heap[index] = heap[parent];
            keys[index] = keys[parent];
            index = parent;
        }
        heap[index] = flow;
        keys[index] = key;
    }

    private void removeTop() {
        final int last = --active;
        final Flow flow = heap[last];
        final long key = keys[last];
        heap[last] = null;
        if (last > 0) {
            siftDown(flow, key);
        }
    }

    /** Puts {@code flow} with {@code key} at the top's place and sifts it down. */
    private void siftDown(Flow flow, long key) {
        final Flow[] heap = this.heap;
        final long[] keys = this.keys;
        final int active = this.active;
        final int half = active >>> 1;
        int index = 0;
        while (index < half) {
            int child = 2 * index + 1;
            long childKey = keys[child];
            final int right = child + 1;
            if (right < active && keys[right] - childKey < 0) {
                child = right;
                childKey = keys[right];
            }
            if (key - childKey <= 0) {
                break;
            }
            heap[index] = heap[child];
            keys[index] = childKey;
            index = child;
        }
        heap[index] = flow;
        keys[index] = key;
    }
}
