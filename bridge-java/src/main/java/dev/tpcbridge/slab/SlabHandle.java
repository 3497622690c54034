package dev.tpcbridge.slab;

/**
 * The layout of a slab handle: a {@code long} that names one page of one {@link SlabPool} for one owner, and static
 * helpers to read its fields. Stateless; any thread.
 *
 * <pre>
 *   63  62          55 54                      31 30          19 18                 0
 *  +---+--------------+--------------------------+--------------+--------------------+
 *  | 0 |   pool id    |        generation        |  page index  |       length       |
 *  |   |   8 bits     |   24 bits, never 0       |   12 bits    |      19 bits       |
 *  +---+--------------+--------------------------+--------------+--------------------+
 * </pre>
 *
 * <p>A handle is always positive, so the negative values {@link #EXHAUSTED}, {@link #TOO_LARGE} and {@link #CLOSED}
 * can report the outcomes of {@link SlabPool#alloc(int)} in the same {@code long}; {@code 0} is never a handle
 * either (its generation is 0), so it can mean "no handle". Hence at most 256 pools ({@link #MAX_POOL_ID}), 4096
 * pages per pool ({@link #MAX_PAGE_COUNT}) and payloads of at most {@link #MAX_PAGE_SIZE} bytes per page.
 *
 * <p><b>Generation wrap.</b> A page's generation moves on by one at each release, modulo {@code 2^24 - 1}, skipping
 * 0. A stale handle is caught unless its page has been released exactly a multiple of 16,777,215 times since the
 * handle was issued. The free list is last-in first-out, so under a tight alloc/release loop one page takes every
 * cycle: at about 20 ns per cycle (measured on one thread) that page wraps every 0.34 s, and a stale handle of it
 * kept that long has a 1 in 16.7 million chance per attempt of being taken for the current one. Using a handle after
 * releasing it is the caller's bug either way; the generation catches it in every practical case, it is not a proof.
 */
public final class SlabHandle {
    /** {@link SlabPool#alloc(int)}: every page is owned; retry after a release. */
    public static final long EXHAUSTED = -1L;
    /** {@link SlabPool#alloc(int)}: the payload is larger than a page; carry it outside the slab (bytes). */
    public static final long TOO_LARGE = -2L;
    /** {@link SlabPool#alloc(int)}: the pool is closed. */
    public static final long CLOSED = -3L;

    /** The largest pool id. */
    public static final int MAX_POOL_ID = 255;
    /** The most pages a pool may have. */
    public static final int MAX_PAGE_COUNT = 4096;
    /** The largest page size, in bytes (a length of up to this must fit the length field). */
    public static final int MAX_PAGE_SIZE = 256 * 1024;
    /** The number of generation bits. */
    public static final int GENERATION_BITS = 24;
    /** The largest generation; after it comes 1 again. */
    public static final int MAX_GENERATION = (1 << GENERATION_BITS) - 1;

    static final int LENGTH_BITS = 19;
    static final int PAGE_BITS = 12;
    static final int PAGE_SHIFT = LENGTH_BITS;
    static final int GENERATION_SHIFT = PAGE_SHIFT + PAGE_BITS;
    static final int POOL_SHIFT = GENERATION_SHIFT + GENERATION_BITS;
    static final long LENGTH_MASK = (1L << LENGTH_BITS) - 1;
    static final long PAGE_MASK = (1L << PAGE_BITS) - 1;
    static final long GENERATION_MASK = (1L << GENERATION_BITS) - 1;
    static final long POOL_MASK = 0xFFL;

    private SlabHandle() {
    }

    /**
     * The pool id of a handle.
     *
     * @param handle a handle
     * @return its pool id, in {@code [0, 255]}
     */
    public static int poolId(long handle) {
        return (int) ((handle >>> POOL_SHIFT) & POOL_MASK);
    }

    /**
     * The generation of a handle.
     *
     * @param handle a handle
     * @return its generation, in {@code [1, MAX_GENERATION]} for a real handle
     */
    public static int generation(long handle) {
        return (int) ((handle >>> GENERATION_SHIFT) & GENERATION_MASK);
    }

    /**
     * The page index of a handle.
     *
     * @param handle a handle
     * @return its page index, in {@code [0, 4095]}
     */
    public static int pageIndex(long handle) {
        return (int) ((handle >>> PAGE_SHIFT) & PAGE_MASK);
    }

    /**
     * The payload length of a handle.
     *
     * @param handle a handle
     * @return its length in bytes, in {@code [0, 2^19 - 1]}
     */
    public static int length(long handle) {
        return (int) (handle & LENGTH_MASK);
    }

    /**
     * Whether a value has the shape of a handle (positive, generation not 0): true for every handle a pool issues,
     * false for {@link #EXHAUSTED}, {@link #TOO_LARGE}, {@link #CLOSED} and 0. It does not say that the handle is
     * still owned; {@link SlabPool#isOwned(long)} does.
     *
     * @param value a value returned by {@link SlabPool#alloc(int)} or carried as a handle
     * @return whether it can be a handle
     */
    public static boolean isHandle(long value) {
        return value > 0 && generation(value) != 0;
    }

    /**
     * A readable description of a handle or an alloc outcome, for messages and logs.
     *
     * @param value a handle or an outcome
     * @return e.g. {@code handle[pool=1, page=7, generation=3, length=512]} or {@code EXHAUSTED}
     */
    public static String toString(long value) {
        if (value == EXHAUSTED) {
            return "EXHAUSTED";
        }
        if (value == TOO_LARGE) {
            return "TOO_LARGE";
        }
        if (value == CLOSED) {
            return "CLOSED";
        }
        return "handle[pool=" + poolId(value) + ", page=" + pageIndex(value) + ", generation=" + generation(value)
            + ", length=" + length(value) + (isHandle(value) ? "" : ", not a handle: 0x" + Long.toHexString(value))
            + "]";
    }

    static long encode(int poolId, int generation, int pageIndex, int length) {
        return (long) poolId << POOL_SHIFT | (long) generation << GENERATION_SHIFT | (long) pageIndex << PAGE_SHIFT
            | length;
    }

    static long withLength(long handle, int length) {
        return handle & ~LENGTH_MASK | length;
    }

    static int nextGeneration(int generation) {
        return generation == MAX_GENERATION ? 1 : generation + 1;
    }
}
