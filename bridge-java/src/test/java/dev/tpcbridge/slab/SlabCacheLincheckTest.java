package dev.tpcbridge.slab;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of the pool's batch operations, those a {@link SlabCache} makes (a chain of pages popped in one CAS,
 * a chain pushed in one CAS), racing the single ones, against {@link SequentialSpec}, a plain LIFO free list.
 *
 * <p>Four pages, all allocated in the constructor. {@code releasePair01()} releases pages 0 and 1 through a cache of
 * batch 2 and flushes it (one chain push: page 0 ends on top); {@code release2()} and {@code release3()} release one
 * page on the pool. {@code allocTwo()} allocates through a fresh cache of batch 2: its first alloc fetches up to two
 * pages in one CAS, and its second takes the other fetched page, if there was one (never a second fetch, which would
 * be a second linearization point). As in {@link SlabLincheckTest}, each
 * page is released by one operation on one scenario thread (a non-parallel group), and allocated pages are kept.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlabCacheLincheckTest {
    static final int PAGES = 4;

    /** The pool under test, wrapped so that outcomes become comparable values. */
    public static class Pool {
        private final SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(PAGES)
            .direct(false).build());
        private final long[] original = new long[PAGES];

        public Pool() {
            for (int i = 0; i < PAGES; i++) {
                long handle = pool.alloc(8);
                original[SlabHandle.pageIndex(handle)] = handle;
            }
        }

        @Operation
        public int alloc() {
            return page(pool.alloc(8));
        }

        /** Up to two pages from one fetch: {@code first * 10 + second}, a negative outcome when none is free. */
        @Operation
        public int allocTwo() {
            SlabCache cache = SlabCache.of(pool, 2);
            long first = cache.alloc(8);
            if (!SlabHandle.isHandle(first)) {
                return (int) first;
            }
            long second = cache.held() > 0 ? cache.alloc(8) : SlabHandle.EXHAUSTED;
            return page(first) * 10 + (SlabHandle.isHandle(second) ? page(second) : 9);
        }

        @Operation
        public int available() {
            return pool.available();
        }

        @Operation(nonParallelGroup = "pages01")
        public boolean releasePair01() {
            SlabCache cache = SlabCache.of(pool, 2);
            try {
                cache.release(original[0]);
            } catch (IllegalStateException e) {
                return false;
            }
            cache.release(original[1]); // page 1 has no other releaser: the first release decides for both
            cache.flush();
            return true;
        }

        @Operation(nonParallelGroup = "page2")
        public boolean release2() {
            return release(2);
        }

        @Operation(nonParallelGroup = "page3")
        public boolean release3() {
            return release(3);
        }

        private boolean release(int page) {
            try {
                pool.release(original[page]);
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }

        private static int page(long handle) {
            return SlabHandle.isHandle(handle) ? SlabHandle.pageIndex(handle) : (int) handle;
        }
    }

    /** The sequential specification: a LIFO free list of page indexes. */
    public static class SequentialSpec {
        private final Deque<Integer> free = new ArrayDeque<>();
        private final boolean[] released = new boolean[PAGES];

        public SequentialSpec() {
        }

        public int alloc() {
            Integer page = free.pollFirst();
            return page == null ? (int) SlabHandle.EXHAUSTED : page;
        }

        /** The fetch pops the top two; the cache hands out the deeper one first (the top of its own stack). */
        public int allocTwo() {
            Integer top = free.pollFirst();
            if (top == null) {
                return (int) SlabHandle.EXHAUSTED;
            }
            Integer next = free.pollFirst();
            return next == null ? top * 10 + 9 : next * 10 + top;
        }

        public int available() {
            return free.size();
        }

        public boolean releasePair01() {
            if (released[0]) {
                return false;
            }
            released[0] = true;
            released[1] = true;
            free.addFirst(1);
            free.addFirst(0);
            return true;
        }

        public boolean release2() {
            return release(2);
        }

        public boolean release3() {
            return release(3);
        }

        private boolean release(int page) {
            if (released[page]) {
                return false;
            }
            released[page] = true;
            free.addFirst(page);
            return true;
        }
    }

    @Test
    void modelChecking() {
        SlabLincheckTest.sized(new ModelCheckingOptions(), 10, 200, SequentialSpec.class).check(Pool.class);
    }

    @Test
    void stress() {
        SlabLincheckTest.sized(new StressOptions(), 10, 500, SequentialSpec.class).check(Pool.class);
    }
}
