package dev.tpcbridge.slab;

import dev.tpcbridge.internal.Checks;

/**
 * One thread's batching front end of a {@link SlabPool}: the per-core return path. Pages come from the pool
 * {@code batch} at a time (one CAS on the pool's free stack for the batch) and go back {@code batch} at a time, so two
 * threads that pass pages to each other (a core that allocates, a control plane that reads and releases) no longer
 * take turns on the pool's one shared word for every page: each touches it once a batch.
 *
 * <p>Handles stay fail-closed: {@link #alloc(int)} hands out a handle exactly as the pool does (the page owned, at its
 * generation), and {@link #release(long)} validates the handle and flips its page to free at the next generation at
 * once, in the caller's thread, so a stale copy of the handle, a double release or a foreign handle throws right
 * there, as with {@link SlabPool#release(long)}. Only the page's return to the shared free stack waits for the batch.
 *
 * <p><b>What the cache holds.</b> Up to {@code 2 * batch} free pages: pages it fetched and has not handed out, and
 * pages released through it and not yet given back. The pool counts them as owned ({@link SlabPool#owned()},
 * {@link SlabPool#available()}) until the cache gives them back: size the pool for them (a pool of {@code n} pages
 * with {@code k} caches serves {@code n - 2 * batch * k} handles for certain). An alloc here first reuses a page held
 * here (the most recently released: warm in cache), else fetches a batch. {@link #flush()} (or {@link #close()})
 * gives every held page back; do it before the thread stops using the cache. Allocations through the cache are added
 * to {@link SlabPool#allocations()} when it fetches or flushes.
 *
 * <p><b>Threads.</b> One thread at a time: a cache is confined like an iterator (hand it to another thread only
 * through a happens-before edge). The pool underneath stays shared: other threads and other caches may alloc and
 * release on it as usual, and a handle from a cache may be released on the pool or on another cache, and the reverse.
 *
 * <p><b>Visibility.</b> As for the pool: the release flips the page's state with a volatile CAS, the batch goes back
 * with a volatile CAS on the pool's head, and the next owner's fetch acquires that head before it owns the page, so a
 * reader's reads of a page happen-before the next owner's writes. Proved by {@code SlabStress.CachedHandover} in
 * {@code bridge-jcstress}.
 *
 * <p><b>Progress.</b> Lock-free, as the pool; allocates nothing after construction.
 *
 * <pre>{@code
 * SlabCache cache = SlabCache.of(pool, 32);   // the core's own
 * long handle = cache.alloc(512);             // from the batch it holds, or one CAS for the next 32
 * ...
 * readerCache.release(handle);                // free at once; back to the pool with 31 others
 * }</pre>
 */
public final class SlabCache implements AutoCloseable {
    /** The largest batch: at most this many pages go to or come from the pool in one CAS. */
    public static final int MAX_BATCH = 1024;

    private final SlabPool pool;
    private final int batch;
    /** Free pages held here, as a stack: {@code pages[0, count)}, the most recently added on top. */
    private final int[] pages;
    private int count;
    /** Handles issued here that the pool's allocation count does not include yet. */
    private long uncounted;

    private SlabCache(SlabPool pool, int batch) {
        this.pool = pool;
        this.batch = batch;
        this.pages = new int[2 * batch];
    }

    /**
     * A cache over {@code pool} that fetches and gives back {@code batch} pages at a time.
     *
     * @param pool  the pool
     * @param batch pages per fetch and per give-back, in {@code [1, MAX_BATCH]}
     * @return a new, empty cache
     * @throws IllegalArgumentException if {@code pool} is null or {@code batch} is out of range
     */
    public static SlabCache of(SlabPool pool, int batch) {
        Checks.notNull("pool", pool);
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch=" + batch + " must be in [1, " + MAX_BATCH + "]");
        }
        return new SlabCache(pool, batch);
    }

    /**
     * Takes a page for a payload of {@code length} bytes, as {@link SlabPool#alloc(int)} does: a page held here, or
     * one of a batch fetched now.
     *
     * @param length the payload length, in {@code [0, pool.pageSize()]}
     * @return a handle, or {@link SlabHandle#TOO_LARGE}, {@link SlabHandle#EXHAUSTED} (no page here and none free in
     *         the pool) or {@link SlabHandle#CLOSED} (counted by the pool as its own alloc counts them)
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public long alloc(int length) {
        if (length < 0 || length > pool.pageSize || pool.closed) {
            return pool.alloc(length); // the pool's own answer: the exception, TOO_LARGE or CLOSED
        }
        if (count == 0 && fetch() == 0) {
            pool.addExhausted(); // not pool.alloc(): a second try would be a second linearization point
            return SlabHandle.EXHAUSTED;
        }
        uncounted++;
        return pool.own(pages[--count], length);
    }

    /**
     * Releases a handle, as {@link SlabPool#release(long)} does (validated, and its page free at once: every copy of
     * the handle is stale from here on); the page waits here to be reused or given back with its batch.
     *
     * @param handle a handle of this cache's pool, owned by the caller
     * @throws IllegalArgumentException if {@code handle} is an alloc outcome, forged or of another pool
     * @throws IllegalStateException    if it was released already or is stale
     */
    public void release(long handle) {
        final int page = pool.free(handle);
        if (count == pages.length) {
            giveBack(batch); // the oldest batch goes back; the most recent pages stay, warm
        }
        pages[count++] = page;
    }

    /** Gives every page held here back to the pool (and counts the allocations made here). */
    public void flush() {
        if (count > 0) {
            giveBack(count);
        }
        countAllocations();
    }

    /** The same as {@link #flush()}: the cache may be used again afterwards. */
    @Override
    public void close() {
        flush();
    }

    /**
     * Free pages held here now.
     *
     * @return the count, in {@code [0, 2 * batch]}
     */
    public int held() {
        return count;
    }

    /**
     * The pool underneath.
     *
     * @return the pool
     */
    public SlabPool pool() {
        return pool;
    }

    private int fetch() {
        countAllocations();
        count = pool.popChain(pages, batch);
        return count;
    }

    /** Gives back the {@code n} pages at the bottom of the stack (the oldest) and moves the rest down. */
    private void giveBack(int n) {
        pool.pushChain(pages, 0, n);
        System.arraycopy(pages, n, pages, 0, count - n);
        count -= n;
    }

    private void countAllocations() {
        if (uncounted > 0) {
            pool.addAllocations(uncounted);
            uncounted = 0;
        }
    }

    @Override
    public String toString() {
        return "SlabCache[batch=" + batch + ", held=" + count + ", pool=" + pool + "]";
    }
}
