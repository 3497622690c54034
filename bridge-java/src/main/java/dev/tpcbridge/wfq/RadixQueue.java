package dev.tpcbridge.wfq;

import java.util.Arrays;

/**
 * The scheduler's queue of backlogged flows by head finish tag: a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan), a
 * priority queue for monotone keys. Fair queuing's keys are monotone: a tag pushed is never below the tag last
 * taken (the virtual time), so a key's place follows from where it first differs from the last key taken. Keys are
 * read in 8-bit digits: a key's bucket is the highest digit in which it differs from the last key taken, and its
 * value of that digit (8 digits of 256 values, 2,048 buckets, and one for keys equal to it). A push is O(1); a take
 * scans and splits the lowest non-empty bucket, each key moving to a lower digit each time, so at most 8 moves in its
 * life. The textbook's one bucket per bit moves a key up to 64 times: at 10^4 flows with mixed request sizes a
 * request then cost 6.6 moves and 5.1 entries scanned, each a random read, against 3.0 and 1.6 with 8-bit digits
 * ({@code benchmarks/results/wfq-2026-12-07/digits}). It replaced a binary heap, whose sifts are a chain of
 * dependent, unpredictable comparisons, one per level ({@code benchmarks/results/wfq-2026-12-07}).
 *
 * <p>Keys are the scheduler's (rounded) tags, compared by difference (they may wrap), so the queue keeps them as
 * offsets from an origin; once the last key taken is {@code reanchorAt} past the origin, the origin moves there and
 * the queue is rebuilt, which is O(n) once per {@code 2^61} of virtual time. Every key held must lie within
 * {@code 2^61} above the last key taken (the scheduler's head keys lie within two requests' increments of it).
 *
 * <p>Entries live in preallocated arrays threaded into per-bucket lists; the arrays grow (double) only when more flows
 * are queued at once than ever before, so steady state allocates nothing. Not thread-safe: the owner's thread only.
 */
final class RadixQueue {
    /** Rebuild around the last key taken once it is this far past the origin. */
    static final long REANCHOR_AT = 1L << 61;
    /** Bits per digit. */
    private static final int DIGIT = 8;
    /** Bucket 0 (keys equal to the last key taken), then 256 per digit, by the key's value of that digit. */
    private static final int BUCKETS = 1 + (64 / DIGIT << DIGIT);

    private final long reanchorAt;
    private final int[] heads = new int[BUCKETS];
    /** Bit {@code b % 64} of word {@code b / 64} set: bucket {@code b} holds an entry. */
    private final long[] occupied = new long[(BUCKETS + 63) / 64];
    /** Bit {@code w} set: word {@code w} of {@link #occupied} (33 words) is not 0; the lowest bucket is two reads. */
    private long occupiedWords;
    private long origin;
    /** The offset (from the origin) of the last key taken; every held offset is at least this. */
    private long last;
    private long[] keys;
    private Flow[] flows;
    /** A number held beside each entry (the scheduler's head slot), handed back by {@link #lastNote()}. */
    private int[] notes;
    private int[] next;
    private int lastNote;
    private int free;
    private int size;

    /**
     * @param capacity   entries before the first growth, at least 1
     * @param start      the virtual time to start from: the least key that may be pushed
     * @param reanchorAt how far the last key taken may get from the origin before a rebuild ({@link #REANCHOR_AT};
     *                   tests make it small)
     */
    RadixQueue(int capacity, long start, long reanchorAt) {
        if (reanchorAt < 1 || reanchorAt > REANCHOR_AT) {
            throw new IllegalArgumentException("reanchorAt=" + reanchorAt + " must be in [1, 2^61]");
        }
        this.reanchorAt = reanchorAt;
        this.origin = start;
        Arrays.fill(heads, -1);
        keys = new long[Math.max(1, capacity)];
        flows = new Flow[keys.length];
        notes = new int[keys.length];
        next = new int[keys.length];
        chainFree(0);
    }

    /** Entries held. */
    int size() {
        return size;
    }

    /**
     * Adds {@code flow} with {@code key}, which must not be below the last key taken ({@code key - last >= 0} by
     * difference) nor more than {@code 2^61} above it, and {@code note} to hand back when it is taken: the scheduler
     * keeps the flow's head slot there, so a poll reads the slot without first reading the flow.
     */
    void push(Flow flow, long key, int note) {
        if (free < 0) {
            grow();
        }
        final int e = free;
        free = next[e];
        final long offset = key - origin;
        keys[e] = offset;
        flows[e] = flow;
        notes[e] = note;
        link(e, bucket(offset));
        size++;
    }

    /**
     * Takes the flow with the least key; {@link #lastKey()} then says its key.
     *
     * @return the flow, or {@code null} if none is held
     */
    Flow poll() {
        if (size == 0) {
            return null;
        }
        if ((occupied[0] & 1L) == 0) {
            split(lowestOccupied());
        }
        final int e = heads[0]; // bucket 0: the entries whose key equals the last key taken
        final int after = next[e];
        heads[0] = after;
        if (after < 0) {
            vacate(0);
        }
        final Flow flow = flows[e];
        flows[e] = null;
        lastNote = notes[e];
        next[e] = free;
        free = e;
        size--;
        if (last >= reanchorAt) {
            reanchor();
        }
        return flow;
    }

    /** The note pushed with the flow last taken. */
    int lastNote() {
        return lastNote;
    }

    /** The key of the flow last taken (the least key at that time). */
    long lastKey() {
        return origin + last;
    }

    /**
     * Bucket of an offset: 0 if it equals the last key taken; else, for the highest digit {@code d} in which they
     * differ, {@code 1 + 256 d + v}, {@code v} the offset's value of that digit (above the last key's, so at least 1).
     * Bucket order is key order: keys of a lower digit are nearer the last key taken, and within a digit they share
     * every digit above it.
     */
    private int bucket(long offset) {
        final long differ = offset ^ last;
        if (differ == 0) {
            return 0;
        }
        final int shift = (63 - Long.numberOfLeadingZeros(differ)) & -DIGIT; // the digit's lowest bit
        return 1 + (shift / DIGIT << DIGIT) + (int) ((offset >>> shift) & ((1 << DIGIT) - 1));
    }

    /** The lowest non-empty bucket; some bucket holds an entry. */
    private int lowestOccupied() {
        final int word = Long.numberOfTrailingZeros(occupiedWords);
        return word << 6 | Long.numberOfTrailingZeros(occupied[word]);
    }

    private void link(int e, int bucket) {
        next[e] = heads[bucket];
        heads[bucket] = e;
        occupied[bucket >>> 6] |= 1L << bucket;
        occupiedWords |= 1L << (bucket >>> 6);
    }

    /** Marks bucket {@code b} empty. */
    private void vacate(int b) {
        final int word = b >>> 6;
        if ((occupied[word] &= ~(1L << b)) == 0) {
            occupiedWords &= ~(1L << word);
        }
    }

    /**
     * Makes the least key of bucket {@code b} (the lowest non-empty one, above 0) the last key taken and spreads the
     * bucket's entries over the buckets below, by their highest digit of difference from it (they all share its digit
     * of the bucket and every one above); the least lands in 0. The other buckets keep their entries: the new last key
     * equals the old one above that digit, and at that digit its value is below theirs (same digit) or their highest
     * difference lies above it, so each differs from it first at the same digit, with the same value there.
     */
    private void split(int b) {
        int e = heads[b];
        long least = keys[e];
        for (int x = next[e]; x >= 0; x = next[x]) {
            least = Math.min(least, keys[x]); // offsets stay below 2^63 (origin moved at 2^61): plain comparison
        }
        last = least;
        heads[b] = -1;
        vacate(b);
        while (e >= 0) {
            final int after = next[e];
            link(e, bucket(keys[e]));
            e = after;
        }
    }

    /** Moves the origin to the last key taken and re-files every entry. */
    private void reanchor() {
        final long delta = last;
        origin += delta;
        last = 0;
        int chain = -1;
        for (int b = 0; b < BUCKETS; b++) { // gather every entry, then re-file each by its new offset
            for (int e = heads[b]; e >= 0; ) {
                final int after = next[e];
                keys[e] -= delta;
                next[e] = chain;
                chain = e;
                e = after;
            }
            heads[b] = -1;
        }
        Arrays.fill(occupied, 0L);
        occupiedWords = 0;
        while (chain >= 0) {
            final int after = next[chain];
            link(chain, bucket(keys[chain]));
            chain = after;
        }
    }

    private void grow() {
        final int old = keys.length;
        final int length = old * 2;
        keys = Arrays.copyOf(keys, length);
        flows = Arrays.copyOf(flows, length);
        notes = Arrays.copyOf(notes, length);
        next = Arrays.copyOf(next, length);
        chainFree(old);
    }

    private void chainFree(int from) {
        for (int i = from; i < next.length; i++) {
            next[i] = i + 1 < next.length ? i + 1 : -1;
        }
        free = from;
    }
}
