package dev.tpcbridge.slab;

import dev.tpcbridge.internal.Checks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

// Padding by inheritance, as in the rings (SlabLayoutTest checks it with JOL): the read-only fields, then the hot
// word that every alloc and release updates (the free-stack head, which carries the owned-page count too), then the
// counters only allocating threads write, each group 128 bytes away from the others.

/**
 * Written once, in this constructor, so that everything the pool needs, the page words included, is published by
 * the final-field freeze at its end (JLS 17.5), even to a thread that receives the pool through a data race.
 */
abstract class SlabPoolColdFields {
    /**
     * Longs per page in {@code pageWords}: 16 (128 bytes, two cache lines against adjacent-line prefetch), so two
     * pages' words never share a line, and none shares one with the array's header and length (a page's words start
     * one stride in).
     */
    static final int WORDS_PER_PAGE = 16;
    /** Offset of a page's state in its stride: {@code generation << 1 | OWNED}. */
    static final int STATE = 0;
    /** Offset of a page's free-stack link in its stride: the page below it, or {@code EMPTY}. */
    static final int NEXT = 1;
    /** Offset of a page's payload length in its stride: written by its owner, read by whoever holds its handle. */
    static final int LENGTH = 2;
    static final long OWNED_BIT = 1;
    /** The top of an empty free stack, and the link below the bottom page: not a page index (pages < 4096). */
    static final int EMPTY = (1 << 13) - 1;

    final int poolId;
    final int pageSize;
    final int pageCount;
    /** Per page, two lines: its state, its free-stack link and its length; one unused stride before the first page. */
    final long[] pageWords;
    /** All pages, for the pool's own copies (never handed out, so its limit is always the whole memory). */
    final ByteBuffer memory;
    /** Per page, a writable view of it for its owner (position and limit are the owner's to change). */
    final ByteBuffer[] writeBuffers;
    /** Per page, a read-only view of it used by {@link SlabView} with absolute reads only (never repositioned). */
    final ByteBuffer[] readBuffers;

    SlabPoolColdFields(SlabConfig config) {
        this.poolId = config.poolId();
        this.pageSize = config.pageSize();
        this.pageCount = config.pageCount();
        this.pageWords = new long[(pageCount + 1) * WORDS_PER_PAGE];
        this.writeBuffers = new ByteBuffer[pageCount];
        this.readBuffers = new ByteBuffer[pageCount];
        final int bytes = pageCount * pageSize; // at most 4096 * 256 KiB = 1 GiB: fits an int
        this.memory = config.direct() ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
        // Each page starts at a random generation, so that a handle of another pool with the same id (an id given
        // twice by mistake) or of an earlier pool matches a page's generation only by a 1 in 2^43 chance.
        final java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int page = 0; page < pageCount; page++) {
            final ByteBuffer slice = memory.slice(page * pageSize, pageSize).order(ByteOrder.LITTLE_ENDIAN);
            writeBuffers[page] = slice;
            readBuffers[page] = slice.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            // free, stacked so that page 0 is on top: the free-stack head's initial value 0 means "page 0 on top"
            pageWords[stateIndex(page)] = (1 + random.nextLong(SlabHandle.MAX_GENERATION)) << 1;
            pageWords[stateIndex(page) + NEXT] = page + 1 < pageCount ? page + 1 : EMPTY;
        }
    }

    /** Where a page's state word lives in {@code pageWords}; its link and its length are the next longs. */
    static int stateIndex(int page) {
        return (page + 1) * WORDS_PER_PAGE + STATE;
    }
}

abstract class SlabPoolPad1 extends SlabPoolColdFields {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    SlabPoolPad1(SlabConfig config) {
        super(config);
    }
}

/** Written by every alloc and release, from any thread. */
abstract class SlabPoolHotFields extends SlabPoolPad1 {
    /**
     * The free stack's head: {@code pops << POPS_SHIFT | owned << OWNED_SHIFT | top}, where {@code pops} counts pops
     * modulo 2^38 (the ABA guard), {@code owned} counts the pages off the stack, and {@code top} is the top page or
     * {@code EMPTY}. One word, so the count moves with the stack in the same CAS. Its initial value 0 (page 0 on top,
     * no pops, nothing owned) needs no write in a constructor.
     */
    volatile long head;

    SlabPoolHotFields(SlabConfig config) {
        super(config);
    }
}

abstract class SlabPoolPad2 extends SlabPoolHotFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    SlabPoolPad2(SlabConfig config) {
        super(config);
    }
}

/** Written by allocating threads only (releases never touch this line), and by close. */
abstract class SlabPoolAllocatorFields extends SlabPoolPad2 {
    volatile long allocations;
    volatile long highWaterMark;
    volatile long exhausted;
    volatile long oversize;
    volatile boolean closed;

    SlabPoolAllocatorFields(SlabConfig config) {
        super(config);
    }
}

abstract class SlabPoolPad3 extends SlabPoolAllocatorFields {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    SlabPoolPad3(SlabConfig config) {
        super(config);
    }
}

/**
 * A pool of fixed-size pages (off-heap by default) that carry payloads between threads without copying: the
 * allocating thread writes a page in place and sends its {@code long} handle (see {@link SlabHandle}); the
 * receiving thread reads it through a {@link SlabView} and {@link #release(long) releases} it, and the page is free
 * again at once.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. {@link #alloc(int)} is thread-safe on purpose:
 * a data-plane core allocates from its own pool for responses, and control-plane senders on any thread lease pages
 * from the pool of the core they send to, for requests; one pool serves both directions. Whoever holds a handle owns
 * its page: only the owner writes it, and ownership passes with the handle. A handle must be released exactly once,
 * by whoever owns it last.
 *
 * <p><b>Visibility.</b> What the owner wrote into a page before handing its handle to another thread through a
 * happens-before edge (a {@code Ring}, a volatile, a future) is visible to that thread's reads, and so is the
 * payload length it set ({@link #alloc(int)}, {@link #resize}): the pool keeps it beside the page, not in the
 * handle. A release happens-before the next allocation of that page, so the next owner's writes never show through
 * an earlier owner's reads. Proved by {@code SlabStress} in {@code bridge-jcstress}.
 *
 * <p><b>Progress.</b> {@code alloc} and {@code release} are lock-free and allocate nothing: an alloc is one CAS on the
 * free stack plus one atomic add to the allocation count (a line only allocating threads write), a release one CAS on
 * the page's state plus one CAS on the free stack. The free stack is a Treiber stack of page indexes whose head word
 * also carries a pop counter (against ABA) and the owned-page count, so the count moves with the stack. It is the
 * return path too: a released page goes straight back on it from the releasing thread, so nothing waits for the
 * owner's next loop tick, nothing can overflow (each page is on the stack at most once, guarded by its state), and
 * nothing released is ever lost. Last-in first-out keeps recently used pages warm in cache. An alloc is linearized at
 * its pop and a release at its push (with {@link #owned()} and {@link #available()}); the CAS that decides a release
 * (and so rejects a racing second release) comes just before its push, and an alloc marks its page owned just after
 * its pop, so {@link #isOwned(long)}, the cause named by a rejected release and the other counters are snapshots
 * beside those points. Guarded by {@code SlabPoolTest}, {@code SlabPoolConcurrentTest} (exact accounting under many
 * releasers), {@code SlabLincheckTest} and jcstress {@code SlabStress}.
 *
 * <p><b>Normal outcomes</b> are values: {@code alloc} returns {@link SlabHandle#EXHAUSTED} when every page is owned,
 * {@link SlabHandle#TOO_LARGE} when the payload exceeds a page (the caller carries it as bytes instead: the explicit
 * fallback, counted by {@link #oversizeRequests()}), and {@link SlabHandle#CLOSED} after {@link #close()}. Test a
 * result with {@link SlabHandle#isHandle(long)}; any of these values passed on as a handle is rejected by name.
 *
 * <p><b>Misuse</b> is detected where it happens, in the caller's thread: a handle of another pool, a forged one
 * (page out of range, generation 0) or an alloc outcome used as a handle throws
 * {@link IllegalArgumentException}; a stale handle (its page released since) or a second release throws
 * {@link IllegalStateException}. Each message names the handle and what was wrong. Pages start at random
 * generations, so even a handle of another pool given the same id by mistake is caught unless its generation happens
 * to match (1 in 2^43). No read or write through the pool or a {@link SlabView} goes past a page, and no page is owned
 * twice unless a handle is kept across a whole generation wrap of its page (see {@link SlabHandle}). Not detected: a
 * write through a {@link #writable(long)} buffer kept after its handle was released.
 *
 * <p><b>Memory.</b> The pages are one buffer allocated when the pool is built: one direct {@code ByteBuffer} (or a
 * heap array). Without {@code Unsafe} a direct buffer cannot be freed explicitly: its memory is returned by the
 * garbage collector once the pool, every {@code ByteBuffer} from {@link #writable(long)} and every {@link SlabView}
 * wrapping it are unreachable. {@link #close()} stops allocation only, so pages still owned stay readable until their
 * handles are released; size pools once per core rather than creating them per request. Pages are not cleared
 * between owners.
 */
public final class SlabPool extends SlabPoolPad3 implements AutoCloseable {
    static final int TOP_BITS = 13; // a page (< 4096) or EMPTY (8191)
    static final long TOP_MASK = (1L << TOP_BITS) - 1;
    static final int OWNED_SHIFT = TOP_BITS;
    static final long OWNED_MASK = TOP_MASK << OWNED_SHIFT; // owned <= 4096 < 2^13
    static final int POPS_SHIFT = OWNED_SHIFT + TOP_BITS;
    private static final VarHandle HEAD;
    private static final VarHandle ALLOCATIONS;
    private static final VarHandle HIGH_WATER_MARK;
    private static final VarHandle EXHAUSTED_COUNT;
    private static final VarHandle OVERSIZE_COUNT;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(SlabPoolHotFields.class, "head", long.class);
            ALLOCATIONS = lookup.findVarHandle(SlabPoolAllocatorFields.class, "allocations", long.class);
            HIGH_WATER_MARK = lookup.findVarHandle(SlabPoolAllocatorFields.class, "highWaterMark", long.class);
            EXHAUSTED_COUNT = lookup.findVarHandle(SlabPoolAllocatorFields.class, "exhausted", long.class);
            OVERSIZE_COUNT = lookup.findVarHandle(SlabPoolAllocatorFields.class, "oversize", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SlabPool(SlabConfig config) {
        super(config);
    }

    /**
     * A pool with the given settings; its memory is allocated now.
     *
     * @param config the settings
     * @return a new, open pool with every page free
     * @throws IllegalArgumentException if {@code config} is null
     */
    public static SlabPool create(SlabConfig config) {
        return new SlabPool(Checks.notNull("config", config));
    }

    /**
     * A pool with the default settings (64 KiB × 256, direct) and the given id.
     *
     * @param poolId in {@code [0, 255]}
     * @return a new, open pool with every page free
     * @throws IllegalArgumentException if {@code poolId} is out of range
     */
    public static SlabPool create(int poolId) {
        return create(SlabConfig.builder().poolId(poolId).build());
    }

    // ---------------------------------------------------------------- allocation

    /**
     * Takes a free page for a payload of {@code length} bytes, to be written in place through {@link #writable(long)}.
     * Any thread; lock-free; allocates nothing.
     *
     * @param length the payload length, in {@code [0, pageSize()]}; the owner may change it with {@link #resize}
     * @return a handle, or {@link SlabHandle#TOO_LARGE} (counted; carry the payload as bytes),
     *         {@link SlabHandle#EXHAUSTED} (counted) or {@link SlabHandle#CLOSED}
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public long alloc(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length=" + length + " must be >= 0");
        }
        if (closed) {
            return SlabHandle.CLOSED;
        }
        if (length > pageSize) {
            addOversize();
            return SlabHandle.TOO_LARGE;
        }
        final long popped = pop();
        if (popped < 0) {
            addExhausted();
            return SlabHandle.EXHAUSTED;
        }
        final long handle = own((int) (popped & TOP_MASK), length);
        addAllocations(1);
        raiseHighWaterMark((popped & OWNED_MASK) >>> OWNED_SHIFT);
        return handle;
    }

    /**
     * Makes a page the caller has taken off the free stack (here or into a {@link SlabCache}) owned, for a payload of
     * {@code length} bytes, and returns its handle. The caller's thread.
     */
    long own(int page, int length) {
        final long generation = stateAcquire(page) >>> 1;
        // release: the page is owned before its handle exists; pairs with the acquire in checkOwned()/isCurrent().
        // The new owner's writes to the page come after the volatile CAS on head that took it off the stack, which
        // came after the last release's CAS on this state: that order is what a SlabView's re-check (isCurrent)
        // relies on.
        stateRelease(page, generation << 1 | OWNED_BIT);
        // plain, like the page's bytes: it reaches the next owner with them, through the hand-over of the handle
        pageWords[stateIndex(page) + LENGTH] = length;
        return SlabHandle.encode(poolId, generation, page);
    }

    /**
     * Takes a free page and copies {@code length} bytes of {@code src} into it. Any thread.
     *
     * @param src    the payload
     * @param offset where it starts in {@code src}
     * @param length how many bytes
     * @return a handle, or an outcome as for {@link #alloc(int)} (then nothing was copied)
     * @throws IllegalArgumentException if {@code src} is null
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside {@code src}
     */
    public long alloc(byte[] src, int offset, int length) {
        Checks.notNull("src", src);
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        final long handle = alloc(length);
        if (handle > 0) {
            // through the pool's own buffer: a page's writeBuffer may still carry a previous owner's limit
            memory.put(SlabHandle.pageIndex(handle) * pageSize, src, offset, length);
        }
        return handle;
    }

    /**
     * Takes a free page and copies the remaining bytes of {@code src} into it, advancing its position on success.
     * Any thread.
     *
     * @param src the payload, from its position to its limit
     * @return a handle, or an outcome as for {@link #alloc(int)} (then {@code src} is untouched)
     * @throws IllegalArgumentException if {@code src} is null
     */
    public long alloc(ByteBuffer src) {
        Checks.notNull("src", src);
        final int length = src.remaining();
        final long handle = alloc(length);
        if (handle > 0) {
            try {
                memory.put(SlabHandle.pageIndex(handle) * pageSize, src, src.position(), length);
            } catch (RuntimeException e) {
                release(handle); // nothing lost: the page goes back before the failure propagates
                throw e;
            }
            src.position(src.position() + length);
        }
        return handle;
    }

    /**
     * The page of an owned handle as a writable buffer in little-endian order, position 0 and limit the page's
     * payload length ({@link #length(long)}), for the owner to build the payload in place. The buffer object belongs
     * to the page and is handed to each of its owners in turn: use it only while you own the handle and never keep
     * it, because a write through a kept buffer after the release lands in the next owner's payload and nothing can
     * detect it. A page is not cleared between owners: bytes the owner does not write are the previous payload's.
     * Allocates nothing.
     *
     * @param handle an owned handle of this pool
     * @return the page's buffer
     * @throws IllegalArgumentException if {@code handle} is not a handle of this pool
     * @throws IllegalStateException if it is stale (released)
     */
    public ByteBuffer writable(long handle) {
        final int page = checkOwned(handle, "writable");
        final ByteBuffer buffer = writeBuffers[page];
        buffer.order(ByteOrder.LITTLE_ENDIAN).clear().limit(lengthOf(page));
        return buffer;
    }

    /**
     * The payload length of an owned handle's page: set by {@link #alloc(int)} and changed by {@link #resize}. The
     * thread holding the handle reads what the previous owner set before it handed the handle over (the same edge
     * that carries the page's bytes). Allocates nothing.
     *
     * @param handle an owned handle of this pool
     * @return the length in bytes, in {@code [0, pageSize()]}
     * @throws IllegalArgumentException if {@code handle} is not a handle of this pool
     * @throws IllegalStateException    if it is stale (released)
     */
    public int length(long handle) {
        return lengthOf(checkOwned(handle, "length"));
    }

    /**
     * Sets the payload length of an owned handle's page, for an owner that allocated for the largest payload and
     * wrote less (or more, up to the page size). Only the owner calls it, before it hands the handle over; the handle
     * itself does not change. Allocates nothing.
     *
     * @param handle an owned handle of this pool
     * @param length the new length, in {@code [0, pageSize()]}
     * @throws IllegalArgumentException if {@code handle} is not a handle of this pool or {@code length} is out of
     *                                  range
     * @throws IllegalStateException    if {@code handle} is stale
     */
    public void resize(long handle, int length) {
        final int page = checkOwned(handle, "resize");
        if (length < 0 || length > pageSize) {
            throw new IllegalArgumentException("length=" + length + " must be in [0, " + pageSize + "]");
        }
        pageWords[stateIndex(page) + LENGTH] = length; // plain: see alloc()
    }

    // ---------------------------------------------------------------- release

    /**
     * Gives a page back: validates {@code handle}, flips its page from owned to free with one CAS in the caller's
     * thread (so the page's generation moves on and every copy of the handle becomes stale), and pushes the page on
     * the free stack, where the next {@code alloc} on any thread finds it. Any thread; lock-free; allocates nothing.
     * Works after {@link #close()} too.
     *
     * @param handle a handle of this pool, owned by the caller
     * @throws IllegalArgumentException if {@code handle} is an alloc outcome, forged or of another pool
     * @throws IllegalStateException    if it was released already (double free) or is stale
     */
    public void release(long handle) {
        push(free(handle));
    }

    /**
     * The first half of a release: validates {@code handle} and flips its page from owned to free (the next
     * generation), so that every copy of the handle is stale from here on; returns the page, which the caller puts
     * back on the free stack ({@link #push}, or a {@link SlabCache}'s batch). The caller's thread.
     */
    int free(long handle) {
        final int page = checkShape(handle, "release");
        final long generation = SlabHandle.generation(handle);
        // volatile CAS: the releaser's reads of the page happen-before it; the push that follows (a volatile CAS on
        // head) comes after it, and the next alloc's pop of this page acquires head, so its owner's writes come after
        if (!casState(page, generation << 1 | OWNED_BIT, SlabHandle.nextGeneration(generation) << 1)) {
            throw stateFailure(handle, page, "release");
        }
        return page;
    }

    // ---------------------------------------------------------------- checks

    /**
     * Whether {@code handle} is a handle of this pool whose page it still owns (not released since). Any thread; a
     * snapshot.
     *
     * @param handle any value
     * @return {@code true} if it is owned now
     */
    public boolean isOwned(long handle) {
        if (!SlabHandle.isHandle(handle) || SlabHandle.poolId(handle) != poolId) {
            return false;
        }
        final int page = SlabHandle.pageIndex(handle);
        return page < pageCount && stateAcquire(page) == ownedState(handle);
    }

    /** The state word of a page owned by {@code handle}. */
    static long ownedState(long handle) {
        return SlabHandle.generation(handle) << 1 | OWNED_BIT;
    }

    /** Checks the shape and the ownership of a handle; returns its page. */
    int checkOwned(long handle, String operation) {
        final int page = checkShape(handle, operation);
        // acquire: pairs with the release in alloc(); a stale handle sees a later generation or a free page
        if (stateAcquire(page) != ownedState(handle)) {
            throw stateFailure(handle, page, operation);
        }
        return page;
    }

    /**
     * Whether the page of a handle is still at the handle's generation and owned, for a reader that has just read it.
     * The load-load fence keeps the caller's earlier reads of the page before this read of its state (the seqlock
     * pattern): if the page was released and reused during those reads, this sees the new state.
     */
    boolean isCurrent(int page, long ownedState) {
        VarHandle.loadLoadFence();
        return stateAcquire(page) == ownedState;
    }

    /** Checks what a handle can be checked for without its page's state; returns its page. */
    private int checkShape(long handle, String operation) {
        if (!SlabHandle.isHandle(handle)) {
            throw new IllegalArgumentException(operation + ": " + SlabHandle.toString(handle)
                + (handle < 0 ? " is an alloc outcome, not a handle" : " is not a handle (generation 0)"));
        }
        if (SlabHandle.poolId(handle) != poolId) {
            throw new IllegalArgumentException(operation + ": " + SlabHandle.toString(handle) + " belongs to pool "
                + SlabHandle.poolId(handle) + ", not to pool " + poolId);
        }
        final int page = SlabHandle.pageIndex(handle);
        if (page >= pageCount) {
            throw new IllegalArgumentException(operation + ": " + SlabHandle.toString(handle) + " is forged: pool "
                + poolId + " has " + pageCount + " pages");
        }
        return page;
    }

    private IllegalStateException stateFailure(long handle, int page, String operation) {
        final long state = stateAcquire(page);
        final long now = state >>> 1;
        final boolean ownedNow = (state & OWNED_BIT) != 0;
        final long generation = SlabHandle.generation(handle);
        final String what;
        if (!ownedNow && now == SlabHandle.nextGeneration(generation)) {
            what = " was already released (double free or use after release)";
        } else if (!ownedNow && now == generation) {
            what = " was never allocated: page " + page + " is free at that generation (forged handle)";
        } else {
            what = " is stale or forged: page " + page + " is now at generation " + now
                + (ownedNow ? ", owned by another handle" : ", free");
        }
        return new IllegalStateException(operation + ": " + SlabHandle.toString(handle) + what);
    }

    // ---------------------------------------------------------------- page views for SlabView

    ByteBuffer readBuffer(int page) {
        return readBuffers[page];
    }

    /** The length of a page whose ownership the caller has checked (plain: see alloc()). */
    int lengthOf(int page) {
        return (int) pageWords[stateIndex(page) + LENGTH];
    }

    // ---------------------------------------------------------------- stats

    /**
     * The pool id carried by its handles.
     *
     * @return the id
     */
    public int poolId() {
        return poolId;
    }

    /**
     * The page size in bytes: the largest payload a handle carries.
     *
     * @return the page size
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * The number of pages.
     *
     * @return the page count
     */
    public int pageCount() {
        return pageCount;
    }

    /**
     * Free pages now: those on the free stack. Any thread; a snapshot.
     *
     * @return {@code pageCount() - owned()}
     */
    public int available() {
        return pageCount - owned();
    }

    /**
     * Pages owned now. Any thread; a snapshot.
     *
     * @return pages allocated and not yet released
     */
    public int owned() {
        return (int) ((headVolatile() & OWNED_MASK) >>> OWNED_SHIFT);
    }

    /**
     * Successful allocations so far. Any thread; a snapshot.
     *
     * @return the number of handles issued
     */
    public long allocations() {
        return (long) ALLOCATIONS.getVolatile(this);
    }

    /**
     * Allocations that found every page owned ({@link SlabHandle#EXHAUSTED}). Any thread; a snapshot.
     *
     * @return the count
     */
    public long exhaustedAllocations() {
        return (long) EXHAUSTED_COUNT.getVolatile(this);
    }

    /**
     * Allocations refused as larger than a page ({@link SlabHandle#TOO_LARGE}): the payloads that took the fallback
     * path. Any thread; a snapshot.
     *
     * @return the count
     */
    public long oversizeRequests() {
        return (long) OVERSIZE_COUNT.getVolatile(this);
    }

    /**
     * The most pages ever owned at once. Any thread; a snapshot.
     *
     * @return the high-water mark
     */
    public int highWaterMark() {
        return (int) (long) HIGH_WATER_MARK.getVolatile(this);
    }

    /**
     * Whether the pool is closed (allocation refused).
     *
     * @return {@code true} after {@link #close()}
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops allocation: every later {@code alloc} returns {@link SlabHandle#CLOSED} (one racing the close may still
     * succeed). Releases keep working, pages still owned stay readable, and the memory goes back to the system when
     * the garbage collector finds the pool unreachable (see the class comment). Idempotent; any thread.
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SlabPool[poolId=" + poolId + ", pageSize=" + pageSize + ", pageCount=" + pageCount + ", owned="
            + owned() + ", allocations=" + allocations() + ", exhausted=" + exhaustedAllocations() + ", oversize="
            + oversizeRequests() + ", highWaterMark=" + highWaterMark() + ", closed=" + closed + "]";
    }

    // ---------------------------------------------------------------- the free stack

    /**
     * Pops the top page. Each pop adds one to the head's pop counter (the ABA guard: a page can only come back to the
     * top after being popped) and one to its owned count.
     *
     * @return {@code -1} if no page is free, else the page in the low bits and the owned count after the pop in the
     *         owned bits
     */
    private long pop() {
        long current;
        long update;
        int top;
        do {
            current = headVolatile();
            top = (int) (current & TOP_MASK);
            if (top == EMPTY) {
                return -1;
            }
            // benign race: if top was popped and pushed again since we read head, this link may be stale, but then
            // the pop counter in head has moved on and the CAS below fails
            final int next = nextOpaque(top);
            update = (current >>> POPS_SHIFT) + 1 << POPS_SHIFT | (current & OWNED_MASK) + (1L << OWNED_SHIFT)
                | next;
        } while (!casHead(current, update));
        return update & OWNED_MASK | top;
    }

    /** Pushes a page the caller has just flipped to free, taking one off the owned count. */
    private void push(int page) {
        long current;
        do {
            current = headVolatile();
            // opaque, ordered before the volatile CAS that publishes it; pairs with the volatile read of head in pop()
            nextOpaqueStore(page, (int) (current & TOP_MASK));
        } while (!casHead(current, (current & ~TOP_MASK) - (1L << OWNED_SHIFT) | page));
    }

    /**
     * Pops up to {@code max} pages in one CAS (a {@link SlabCache}'s refill): the top page and the ones linked under
     * it, into {@code pages[0, k)}. The pop counter moves by one, as for a single pop, and the owned count by
     * {@code k}. The links are read before the CAS; if any of those pages was popped meanwhile the counter has moved
     * and the CAS fails, so a chain that succeeds is the one that was on top.
     *
     * @return {@code k}, 0 if no page is free
     */
    int popChain(int[] pages, int max) {
        long current;
        long update;
        int count;
        do {
            current = headVolatile();
            int page = (int) (current & TOP_MASK);
            count = 0;
            while (page != EMPTY && count < max) {
                pages[count++] = page;
                page = nextOpaque(page); // benign race, as in pop()
            }
            if (count == 0) {
                return 0;
            }
            update = (current >>> POPS_SHIFT) + 1 << POPS_SHIFT | (current & OWNED_MASK) + ((long) count << OWNED_SHIFT)
                | page;
        } while (!casHead(current, update));
        raiseHighWaterMark((update & OWNED_MASK) >>> OWNED_SHIFT);
        return count;
    }

    /**
     * Pushes {@code pages[from, from + count)}, each freed by {@link #free}, in one CAS (a {@link SlabCache}'s batch):
     * linked in that order, the first on top.
     */
    void pushChain(int[] pages, int from, int count) {
        final int last = pages[from + count - 1];
        for (int i = from; i < from + count - 1; i++) {
            nextOpaqueStore(pages[i], pages[i + 1]); // opaque, published by the volatile CAS below
        }
        long current;
        do {
            current = headVolatile();
            nextOpaqueStore(last, (int) (current & TOP_MASK));
        } while (!casHead(current, (current & ~TOP_MASK) - ((long) count << OWNED_SHIFT) | pages[from]));
    }

    private void raiseHighWaterMark(long value) {
        if (value <= highWaterMarkOpaque()) {
            return;
        }
        long current;
        do {
            current = highWaterMarkOpaque();
        } while (value > current && !HIGH_WATER_MARK.compareAndSet(this, current, value));
    }

    private long highWaterMarkOpaque() {
        return (long) HIGH_WATER_MARK.getOpaque(this);
    }

    void addAllocations(long count) {
        ALLOCATIONS.getAndAdd(this, count);
    }

    void addExhausted() {
        EXHAUSTED_COUNT.getAndAdd(this, 1L);
    }

    private void addOversize() {
        OVERSIZE_COUNT.getAndAdd(this, 1L);
    }

    private long headVolatile() {
        return (long) HEAD.getVolatile(this);
    }

    private boolean casHead(long expected, long update) {
        return HEAD.compareAndSet(this, expected, update);
    }

    private long stateAcquire(int page) {
        return (long) WORDS.getAcquire(pageWords, stateIndex(page));
    }

    private void stateRelease(int page, long state) {
        WORDS.setRelease(pageWords, stateIndex(page), state);
    }

    private boolean casState(int page, long expected, long update) {
        return WORDS.compareAndSet(pageWords, stateIndex(page), expected, update);
    }

    private int nextOpaque(int page) {
        return (int) (long) WORDS.getOpaque(pageWords, stateIndex(page) + NEXT);
    }

    private void nextOpaqueStore(int page, int next) {
        WORDS.setOpaque(pageWords, stateIndex(page) + NEXT, (long) next);
    }
}
