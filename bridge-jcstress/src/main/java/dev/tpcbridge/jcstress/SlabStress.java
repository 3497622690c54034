package dev.tpcbridge.jcstress;

import dev.tpcbridge.ring.SpscRing;
import dev.tpcbridge.slab.SlabCache;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.slab.SlabView;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Page hand-over and reuse in {@link SlabPool}: one scenario per property. */
public final class SlabStress {
    private SlabStress() {
    }

    static SlabPool onePage(boolean direct) {
        return SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(1).direct(direct).build());
    }

    /**
     * Page hand-over: the owner allocates a page (off-heap), writes its first and last long in place, and hands the
     * handle over through a ring; the reader that gets the handle reads both longs as written (the ring's
     * release/acquire carries the page's bytes).
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "the reader polled before the hand-over")
    @Outcome(id = "1234605616436508552, -8613303245920329199", expect = ACCEPTABLE, desc = "the whole payload")
    @Outcome(expect = FORBIDDEN, desc = "a handed-over page read without the writes made before the hand-over")
    @State
    public static class PageHandover {
        final SlabPool pool = onePage(true);
        final SpscRing<Long> ring = SpscRing.create(2);
        final SlabView view = new SlabView();

        @Actor
        public void owner() {
            long handle = pool.alloc(64);
            pool.writable(handle).putLong(0, 0x1122334455667788L).putLong(56, 0x8877665544332211L);
            ring.offer(handle);
        }

        @Actor
        public void reader(JJ_Result r) {
            Long handle = ring.poll();
            if (handle == null) {
                r.r1 = -1;
                r.r2 = -1;
            } else {
                view.wrap(pool, handle);
                r.r1 = view.getLong(0);
                r.r2 = view.getLong(56);
            }
        }
    }

    /**
     * Length hand-over: the page's payload length lives in the pool beside the page, not in the handle. The page's
     * previous owner left it at 16; the new owner allocates it for 64, shortens it to 40 and hands the handle over
     * through a ring: the reader sees 40, both through its view and through the pool (the ring's release/acquire
     * carries the length with the page's bytes).
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "the reader polled before the hand-over")
    @Outcome(id = "40, 40", expect = ACCEPTABLE, desc = "the length the owner set")
    @Outcome(expect = FORBIDDEN, desc = "a handed-over page read with a length other than its owner's")
    @State
    public static class LengthHandover {
        final SlabPool pool = onePage(true);
        final SpscRing<Long> ring = SpscRing.create(2);
        final SlabView view = new SlabView();

        public LengthHandover() {
            pool.release(pool.alloc(16));
        }

        @Actor
        public void owner() {
            long handle = pool.alloc(64);
            pool.resize(handle, 40);
            ring.offer(handle);
        }

        @Actor
        public void reader(JJ_Result r) {
            Long handle = ring.poll();
            if (handle == null) {
                r.r1 = -1;
                r.r2 = -1;
            } else {
                r.r1 = view.wrap(pool, handle).length();
                r.r2 = pool.length(handle);
            }
        }
    }

    /**
     * Reuse after release: a reader reads a page, then releases it; a concurrent allocation that gets the page
     * writes a new payload. The reader never sees the new payload (its reads happen-before its release, which
     * happens-before the next allocation of the page).
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the allocation ran before the release: exhausted")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the allocation got the released page and wrote it")
    @Outcome(expect = FORBIDDEN, desc = "the reader saw the next owner's write")
    @State
    public static class ReuseAfterRelease {
        final SlabPool pool = onePage(true);
        final long handle;
        final SlabView view = new SlabView();

        public ReuseAfterRelease() {
            handle = pool.alloc(8);
            pool.writable(handle).putLong(0, 1L);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = view.wrap(pool, handle).getLong(0);
            pool.release(handle);
        }

        @Actor
        public void nextOwner(JJ_Result r) {
            long next = pool.alloc(8);
            if (SlabHandle.isHandle(next)) {
                pool.writable(next).putLong(0, 2L);
                r.r2 = 1;
            }
        }
    }

    /**
     * Stale-read detection: a reader reads a long through its view, then re-checks the generation; meanwhile the
     * handle is released (by a buggy second holder) and the page allocated again and rewritten. A reader that saw the
     * new owner's bytes must also see that its view is no longer valid (the seqlock order: the new owner writes after
     * the pop's CAS, which comes after the releasing CAS the re-check reads).
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read the payload, view still valid")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "read the payload, then saw the release")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "read the next owner's bytes, and was told so")
    @Outcome(id = "2, 1", expect = FORBIDDEN, desc = "read the next owner's bytes while the view said valid")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class StaleReadDetected {
        final SlabPool pool = onePage(true);
        final long handle;
        final SlabView view = new SlabView();

        public StaleReadDetected() {
            handle = pool.alloc(8);
            pool.writable(handle).putLong(0, 1L);
            view.wrap(pool, handle);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = view.getLong(0);
            r.r2 = view.isValid() ? 1 : 0;
        }

        @Actor
        public void releaseAndReuse() {
            pool.release(handle);
            long next = pool.alloc(8);
            pool.writable(next).putLong(0, 2L);
        }
    }

    /** Racing double release: exactly one of two releases of one handle wins, and the page is free once. */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the first release won, the second saw a double free")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "the second release won, the first saw a double free")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won, or the page was pushed twice")
    @State
    public static class RacingDoubleRelease {
        final SlabPool pool = onePage(false);
        final long handle = pool.alloc(8);

        @Actor
        public void first(III_Result r) {
            r.r1 = release();
        }

        @Actor
        public void second(III_Result r) {
            r.r2 = release();
        }

        private int release() {
            try {
                pool.release(handle);
                return 1;
            } catch (IllegalStateException e) {
                return 0;
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            // one page: after one push exactly one alloc succeeds; a page pushed twice would give two
            int pages = 0;
            while (SlabHandle.isHandle(pool.alloc(1))) {
                pages++;
                if (pages > 1) {
                    break;
                }
            }
            r.r3 = pages;
        }
    }

    /** Racing allocations: of two allocations from a one-page pool exactly one gets the page. */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the first allocation got the page")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the second allocation got the page")
    @Outcome(expect = FORBIDDEN, desc = "the page owned twice, or lost")
    @State
    public static class RacingAllocations {
        final SlabPool pool = onePage(false);

        @Actor
        public void first(JJ_Result r) {
            r.r1 = SlabHandle.isHandle(pool.alloc(1)) ? 1 : 0;
        }

        @Actor
        public void second(JJ_Result r) {
            r.r2 = SlabHandle.isHandle(pool.alloc(1)) ? 1 : 0;
        }
    }

    /**
     * Reuse after a release through the per-core return path: a reader reads a page and releases it through its
     * {@link SlabCache}, whose flush gives the page back with a chain push; the next owner's cache fetches it with a
     * chain pop and writes a new payload. The reader never sees the new payload (its reads happen-before the state
     * CAS of its release, which comes before the push, which the fetch's pop acquires before the page is owned).
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the fetch ran before the give-back: exhausted")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the fetch got the given-back page and wrote it")
    @Outcome(expect = FORBIDDEN, desc = "the reader saw the next owner's write")
    @State
    public static class CachedHandover {
        final SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(2).build());
        final long handle;
        final SlabView view = new SlabView();
        final SlabCache readerCache = SlabCache.of(pool, 2);
        final SlabCache ownerCache = SlabCache.of(pool, 2);

        public CachedHandover() {
            pool.alloc(8); // the other page stays owned: the released one is the only page to fetch
            handle = pool.alloc(8);
            pool.writable(handle).putLong(0, 1L);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = view.wrap(pool, handle).getLong(0);
            readerCache.release(handle);
            readerCache.flush();
        }

        @Actor
        public void nextOwner(JJ_Result r) {
            long next = ownerCache.alloc(8);
            if (SlabHandle.isHandle(next)) {
                pool.writable(next).putLong(0, 2L);
                r.r2 = 1;
            }
        }
    }

    /** Racing chain pops: two caches fetch from a two-page pool; every page goes to exactly one of them. */
    @JCStressTest
    @Outcome(id = {"3, 0", "0, 3"}, expect = ACCEPTABLE, desc = "one fetch took both pages")
    @Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "each fetch took one page")
    @Outcome(expect = FORBIDDEN, desc = "a page owned twice, or lost")
    @State
    public static class RacingChainPops {
        final SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(2).direct(false).build());

        @Actor
        public void first(JJ_Result r) {
            r.r1 = fetchAll(SlabCache.of(pool, 2));
        }

        @Actor
        public void second(JJ_Result r) {
            r.r2 = fetchAll(SlabCache.of(pool, 2));
        }

        /** The pages one fetch got, as a bit mask (the second alloc takes what the first fetch brought, if any). */
        private static long fetchAll(SlabCache cache) {
            long mask = 0;
            long handle = cache.alloc(1);
            if (SlabHandle.isHandle(handle)) {
                mask |= 1L << SlabHandle.pageIndex(handle);
                if (cache.held() > 0) {
                    mask |= 1L << SlabHandle.pageIndex(cache.alloc(1));
                }
            }
            return mask;
        }
    }
}
