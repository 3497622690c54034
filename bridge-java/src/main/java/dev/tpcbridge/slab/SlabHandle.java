package dev.tpcbridge.slab;

/**
 * The layout of a slab handle: a {@code long} that names one page of one {@link SlabPool} for one owner, and static
 * helpers to read its fields. Stateless; any thread.
 *
 * <pre>
 *   63  62          55 54                                             12 11            0
 *  +---+--------------+-------------------------------------------------+---------------+
 *  | 0 |   pool id    |                    generation                   |  page index   |
 *  |   |   8 bits     |                43 bits, never 0                 |   12 bits     |
 *  +---+--------------+-------------------------------------------------+---------------+
 * </pre>
 *
 * <p>A handle is always positive, so the negative values {@link #EXHAUSTED}, {@link #TOO_LARGE} and {@link #CLOSED}
 * can report the outcomes of {@link SlabPool#alloc(int)} in the same {@code long}; {@code 0} is never a handle
 * either (its generation is 0), so it can mean "no handle". Hence at most 256 pools ({@link #MAX_POOL_ID}) and 4096
 * pages per pool ({@link #MAX_PAGE_COUNT}). The payload length is not in the handle: the pool keeps it beside the
 * page ({@link SlabPool#length(long)}), written by the owner and carried to the next owner by the same hand-over that
 * carries the page's bytes.
 *
 * <p><b>Generation wrap: about two days at full churn.</b> A page's generation moves on by one at each release,
 * modulo {@code 2^43 - 1}, skipping 0. A stale handle is caught unless its page has been released exactly a multiple
 * of 8,796,093,022,207 times since the handle was issued. The free list is last-in first-out, so under a tight
 * alloc/release loop one page takes every cycle: at 20 ns per cycle (faster than any cycle measured on this project's
 * machine, 24.5-27.5 ns on one thread in {@code SlabPoolAllocReleaseCostBenchmark}) that page wraps after 49 hours,
 * so a stale handle is told from the page's current one unless it is kept, and used, for at least that long while
 * its page is recycled flat out all along. (With a 24-bit generation that was under a second.) Using a handle after
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
    /** The largest page size, in bytes. */
    public static final int MAX_PAGE_SIZE = 256 * 1024;
    /** The number of generation bits. */
    public static final int GENERATION_BITS = 43;
    /** The largest generation; after it comes 1 again. */
    public static final long MAX_GENERATION = (1L << GENERATION_BITS) - 1;

    static final int PAGE_BITS = 12;
    static final int GENERATION_SHIFT = PAGE_BITS;
    static final int POOL_SHIFT = GENERATION_SHIFT + GENERATION_BITS;
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
    public static long generation(long handle) {
        return (handle >>> GENERATION_SHIFT) & GENERATION_MASK;
    }

    /**
     * The page index of a handle.
     *
     * @param handle a handle
     * @return its page index, in {@code [0, 4095]}
     */
    public static int pageIndex(long handle) {
        return (int) (handle & PAGE_MASK);
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
     * @return e.g. {@code handle[pool=1, page=7, generation=3]} or {@code EXHAUSTED}
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
            + (isHandle(value) ? "" : ", not a handle: 0x" + Long.toHexString(value))
            + "]";
    }

    static long encode(int poolId, long generation, int pageIndex) {
        return (long) poolId << POOL_SHIFT | generation << GENERATION_SHIFT | pageIndex;
    }

    static long nextGeneration(long generation) {
        return generation == MAX_GENERATION ? 1 : generation + 1;
    }
}
