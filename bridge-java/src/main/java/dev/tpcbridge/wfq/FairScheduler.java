package dev.tpcbridge.wfq;

/**
 * Self-clocked weighted fair queuing (Golestani, SCFQ) over {@link Flow}s, for one thread: each request gets the
 * virtual finish tag {@code F = max(V, lastFinish) + cost / weight} ({@code cost / weight} is its increment); the
 * request with the least key goes first; the virtual time {@code V} is the key of the request last served. The key is
 * the tag itself in exact order; by default it is the tag rounded down to a multiple of the largest power of two not
 * above the request's increment, so it lies in {@code (F - increment, F]}, above the request's start tag (as QFQ,
 * Checconi, Rizzo and Valente 2013, rounds its timestamps). Requests of similar cost then share key prefixes, and
 * the flow queue moves a third fewer entries (2.1 against 3.0 per request at 10^4 flows with mixed sizes,
 * {@code benchmarks/results/wfq-2026-12-08/rounding}). The backlogged flows wait in a {@link RadixQueue} by their
 * head's key (keys are monotone: none is ever below {@code V}), so an {@link #enqueue} is O(1) and a {@link #poll}
 * O(1) amortised, at most 8 moves per flow's turn; requests sit in preallocated slot arrays, so neither allocates
 * (the queue grows, once, to the most flows ever backlogged at the same time).
 *
 * <p>Bound. Over any interval in which flows {@code i} and {@code j} are both backlogged, their served cost per unit
 * weight differs by at most {@code B = maxCost_i / w_i + maxCost_j / w_j} in exact order (SCFQ's bound), and by less
 * than {@code 2B} with rounded keys. Why: a backlogged flow's tags chain ({@code V} never passes a queued key, so each
 * request starts at its predecessor's finish), so the difference is that of the two flows' last finish tags at the
 * interval's ends; when {@code i}'s request is chosen before {@code j}'s head, its tag exceeds that head's by less than
 * its own increment (0 in exact order), and the head's finish exceeds {@code j}'s last finish by its own increment.
 * {@code FairSchedulerTest} checks both orders against {@code B} itself and the rounded order's defining property.
 *
 * <p>Tags are fixed point: {@code cost << WEIGHT_SHIFT / weight}, at most {@code 2^45} per request, compared by
 * difference, so the free-running virtual time may wrap: every live tag lies within {@code capacity * 2^45 <= 2^62} of
 * {@code V}; a head's key (the only keys the flow queue holds) lies within two increments of it (its own, and what
 * was left of its predecessor's when that was served), well inside the {@code 2^61} the {@link RadixQueue} needs.
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
    private static final int TAG = 0;
    private static final int KEY = 1;
    private static final int WEIGHT_BYTES = 2;
    private static final int NEXT = 3;

    /** Slot {@code i}'s request. */
    private final Object[] items;
    /**
     * Slot {@code i}'s numbers in one 32-byte stride, so a poll reads one line of them, not one per array: its tag at
     * {@code 4i}, its key at {@code 4i + 1}, its weight and byte count at {@code 4i + 2} (high and low halves), and
     * the next slot of its flow (or of the free list), {@code -1} for none, at {@code 4i + 3}.
     */
    private final long[] slots;
    private int free;
    private int size;
    private final RadixQueue flows;
    /** Keys are the tags themselves, not rounded. */
    private final boolean exact;
    private long virtualTime;
    private Flow lastFlow;
    private int lastWeight;
    private int lastBytes;

    /**
     * @param capacity the slot count, in {@code [1, MAX_CAPACITY]}
     * @param exact    order by the tags themselves (SCFQ's bound), not by rounded keys
     */
    FairScheduler(int capacity, boolean exact) {
        this(capacity, 0L, exact);
    }

    /** With a virtual time to start from: tests start near the wrap. */
    FairScheduler(int capacity, long virtualTime, boolean exact) {
        this(capacity, virtualTime, RadixQueue.REANCHOR_AT, exact);
    }

    /** With a virtual time to start from and the flow queue's rebuild distance: tests make it small. */
    FairScheduler(int capacity, long virtualTime, long reanchorAt, boolean exact) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + MAX_CAPACITY + "]");
        }
        items = new Object[capacity];
        slots = new long[4 * capacity];
        for (int i = 0; i < capacity; i++) {
            slots[4 * i + NEXT] = i + 1 < capacity ? i + 1 : -1;
        }
        free = 0;
        this.exact = exact;
        this.virtualTime = virtualTime;
        this.flows = new RadixQueue(16, virtualTime, reanchorAt);
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
     * Queues {@code item} at the end of {@code flow}'s queue, with no byte count.
     *
     * @return {@code false} if every slot is taken (nothing changed)
     */
    boolean enqueue(Flow flow, Object item, long cost, int weight) {
        return enqueue(flow, item, cost, weight, 0);
    }

    /**
     * Queues {@code item} at the end of {@code flow}'s queue; {@code weight} and {@code size} are kept beside it and
     * handed back by {@link #lastWeight()} and {@link #lastBytes()} when it is polled, so the poll reads nothing of the
     * item itself.
     *
     * @return {@code false} if every slot is taken (nothing changed)
     */
    boolean enqueue(Flow flow, Object item, long cost, int weight, int byteCount) {
        final int slot = free;
        if (slot < 0) {
            return false;
        }
        final int at = 4 * slot;
        free = (int) slots[at + NEXT];
        final long start = flow.lastFinish - virtualTime > 0 ? flow.lastFinish : virtualTime;
        final long increment = increment(cost, weight);
        final long finish = start + increment;
        // rounded: the low bits below the increment's highest bit dropped, so start < key <= finish (increment >= 1)
        final long key = exact ? finish : finish & (-1L << (63 - Long.numberOfLeadingZeros(increment)));
        flow.lastFinish = finish;
        items[slot] = item;
        slots[at + TAG] = finish;
        slots[at + KEY] = key;
        slots[at + WEIGHT_BYTES] = (long) weight << 32 | (byteCount & 0xFFFF_FFFFL);
        slots[at + NEXT] = -1;
        size++;
        if (flow.queued++ == 0) {
            flow.tail = slot;
            flows.push(flow, key, slot); // key > start >= V: the queue's keys are monotone
        } else {
            slots[4 * flow.tail + NEXT] = slot;
            flow.tail = slot;
        }
        return true;
    }

    /**
     * Takes the request with the least key; {@link #lastFlow()}, {@link #lastWeight()} and {@link #lastBytes()} then
     * say whose it was and what it was queued with.
     *
     * @return the request, or {@code null} if none is queued
     */
    Object poll() {
        final Flow flow = flows.poll();
        if (flow == null) {
            return null;
        }
        final int slot = flows.lastNote(); // the flow's head slot, read without waiting for the flow's record
        final int at = 4 * slot;
        final Object item = items[slot];
        items[slot] = null;
        // self-clocked: V is the key of the request in service (its flow's key in the queue, the least held), so V
        // never decreases and never passes a queued key, nor the tag above it
        virtualTime = slots[at + KEY];
        final long weightBytes = slots[at + WEIGHT_BYTES];
        lastWeight = (int) (weightBytes >>> 32);
        lastBytes = (int) weightBytes;
        lastFlow = flow;
        final int after = (int) slots[at + NEXT];
        slots[at + NEXT] = free;
        free = slot;
        size--;
        if (--flow.queued == 0) {
            flow.tail = -1;
        } else {
            flows.push(flow, slots[4 * after + KEY], after); // its next request's key: above its start, this tag
        }
        return item;
    }

    /** The flow of the request last polled. */
    Flow lastFlow() {
        return lastFlow;
    }

    /** The weight the request last polled was queued with. */
    int lastWeight() {
        return lastWeight;
    }

    /** The byte count the request last polled was queued with. */
    int lastBytes() {
        return lastBytes;
    }

    /** Requests queued. */
    int size() {
        return size;
    }

    /** Flows with a request queued. */
    int active() {
        return flows.size();
    }

    /** The virtual time: the key of the request last served. */
    long virtualTime() {
        return virtualTime;
    }

    /** The slot count. */
    int capacity() {
        return items.length;
    }
}
