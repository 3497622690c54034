package dev.tpcbridge.slab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-core return path: pages come and go in batches, handles stay fail-closed at every release (not at the
 * batch), the pool's counts include what caches hold, nothing is lost across threads, and bad input is refused.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlabCacheTest {
    private static SlabPool pool(int pages) {
        return SlabPool.create(SlabConfig.builder().poolId(9).pageSize(64).pageCount(pages).build());
    }

    @Test
    void pagesAreFetchedAndGivenBackABatchAtATime() {
        SlabPool pool = pool(16);
        SlabCache cache = SlabCache.of(pool, 4);
        long first = cache.alloc(8);
        assertTrue(SlabHandle.isHandle(first));
        assertEquals(3, cache.held(), "one fetch of 4, one handed out");
        assertEquals(4, pool.owned(), "the pool counts what the cache holds as owned");
        long[] handles = new long[8];
        handles[0] = first;
        for (int i = 1; i < handles.length; i++) {
            handles[i] = cache.alloc(8);
        }
        assertEquals(8, pool.owned());
        assertEquals(0, cache.held());
        for (long handle : handles) {
            cache.release(handle);
        }
        assertEquals(8, cache.held(), "2 x batch held: nothing given back yet");
        assertEquals(8, pool.owned());
        long again = cache.alloc(8); // reused from what the cache holds: no trip to the pool
        cache.release(again);
        cache.release(cache.alloc(8));
        assertEquals(8, cache.held());
        SlabCache other = SlabCache.of(pool, 4);
        long foreign = other.alloc(8);
        cache.release(foreign); // the ninth page: the oldest batch of 4 goes back
        assertEquals(5, cache.held());
        assertEquals(5 + other.held(), pool.owned());
        cache.flush();
        other.flush();
        assertEquals(0, pool.owned());
        assertEquals(16, pool.available());
        assertEquals(11, pool.allocations(), "every handle issued through the caches is counted once flushed");
    }

    @Test
    void aReleaseThroughTheCacheMakesEveryCopyOfTheHandleStaleAtOnce() {
        SlabPool pool = pool(8);
        SlabCache cache = SlabCache.of(pool, 4);
        long handle = cache.alloc(16);
        pool.writable(handle).putLong(0, 7);
        cache.release(handle);
        assertFalse(pool.isOwned(handle));
        assertThrows(IllegalStateException.class, () -> new SlabView().wrap(pool, handle));
        assertThrows(IllegalStateException.class, () -> pool.release(handle));
        assertThrows(IllegalStateException.class, () -> cache.release(handle), "a double release through the cache");
        assertEquals(4, cache.held(), "three fetched and the one released: the rejected releases added nothing");
        long reused = cache.alloc(16);
        assertEquals(SlabHandle.pageIndex(handle), SlabHandle.pageIndex(reused), "the most recent page comes first");
        assertTrue(SlabHandle.generation(reused) != SlabHandle.generation(handle));
        assertEquals(16, pool.length(reused));
        assertThrows(IllegalArgumentException.class, () -> cache.release(SlabHandle.EXHAUSTED));
        SlabPool stranger = SlabPool.create(SlabConfig.builder().poolId(10).pageSize(64).pageCount(2).build());
        long foreign = stranger.alloc(8);
        assertThrows(IllegalArgumentException.class, () -> cache.release(foreign));
        assertTrue(stranger.isOwned(foreign));
    }

    @Test
    void outcomesAreThePoolsOwn() {
        SlabPool pool = pool(2);
        SlabCache cache = SlabCache.of(pool, 8);
        assertEquals(SlabHandle.TOO_LARGE, cache.alloc(65));
        assertEquals(1, pool.oversizeRequests());
        assertThrows(IllegalArgumentException.class, () -> cache.alloc(-1));
        long a = cache.alloc(8);
        long b = cache.alloc(8); // the fetch took both pages
        assertEquals(SlabHandle.EXHAUSTED, cache.alloc(8));
        assertEquals(1, pool.exhaustedAllocations());
        cache.release(a);
        pool.close();
        assertEquals(SlabHandle.CLOSED, cache.alloc(8), "closed, even with a page held");
        cache.release(b);
        cache.close();
        assertEquals(0, pool.owned(), "releases and the give-back still work after the close");
    }

    @Test
    void badArgumentsAreRefusedByName() {
        SlabPool pool = pool(2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlabCache.of(null, 4)).getMessage()
            .contains("pool"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlabCache.of(pool, 0)).getMessage()
            .contains("batch=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlabCache.of(pool, SlabCache.MAX_BATCH + 1))
            .getMessage().contains("batch=" + (SlabCache.MAX_BATCH + 1)));
    }

    /**
     * A producer allocating through its cache and a consumer releasing through its own, with a third thread using the
     * pool directly: every page held by one holder at a time, every payload read as written, and every page free at
     * the end.
     */
    @Test
    void pagesCrossThreadsThroughTwoCachesAndThePoolLosingNothing() throws Exception {
        int pages = 64;
        int messages = 200_000;
        SlabPool pool = pool(pages);
        AtomicIntegerArray claims = new AtomicIntegerArray(pages);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong bystanderAllocations = new AtomicLong();
        dev.tpcbridge.ring.SpscRing<long[]> handoff = dev.tpcbridge.ring.SpscRing.create(64);
        Thread producer = new Thread(() -> {
            SlabCache cache = SlabCache.of(pool, 8);
            try {
                for (long seq = 0; seq < messages && failure.get() == null; ) {
                    long handle = cache.alloc(16);
                    if (!SlabHandle.isHandle(handle)) {
                        Thread.onSpinWait();
                        continue;
                    }
                    claim(claims, handle, failure);
                    ByteBuffer page = pool.writable(handle);
                    page.putLong(0, seq).putLong(8, ~seq);
                    long[] carrier = {handle, seq};
                    unclaim(claims, handle);
                    while (handoff.offer(carrier) != dev.tpcbridge.ring.OfferStatus.OK) {
                        Thread.onSpinWait();
                    }
                    seq++;
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                cache.flush();
            }
        }, "cache-producer");
        Thread bystander = new Thread(() -> {
            try {
                for (int i = 0; i < messages / 10 && failure.get() == null; i++) {
                    long handle = pool.alloc(8);
                    if (SlabHandle.isHandle(handle)) {
                        bystanderAllocations.incrementAndGet();
                        claim(claims, handle, failure);
                        unclaim(claims, handle);
                        pool.release(handle);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "pool-bystander");
        producer.start();
        bystander.start();
        SlabCache cache = SlabCache.of(pool, 8);
        SlabView view = new SlabView();
        Set<Long> seen = new HashSet<>();
        long expected = 0;
        try {
            while (expected < messages && failure.get() == null) {
                long[] carrier = handoff.poll();
                if (carrier == null) {
                    Thread.onSpinWait();
                    continue;
                }
                claim(claims, carrier[0], failure);
                view.wrap(pool, carrier[0]);
                assertEquals(expected, carrier[1]);
                assertEquals(expected, view.getLong(0));
                assertEquals(~expected, view.getLong(8));
                unclaim(claims, carrier[0]);
                cache.release(carrier[0]);
                seen.add(carrier[0]);
                expected++;
            }
        } finally {
            cache.flush();
            producer.join();
            bystander.join();
        }
        assertNull(failure.get());
        assertEquals(messages, expected);
        assertEquals(0, pool.owned());
        assertEquals(pages, pool.available());
        assertEquals(messages, seen.size(), "every handle the consumer saw was distinct (generations move on)");
        assertEquals(messages + bystanderAllocations.get(), pool.allocations(), "each allocation counted once");
        for (int i = 0; i < pages; i++) {
            assertTrue(SlabHandle.isHandle(pool.alloc(8)), "page " + i + " allocatable again");
        }
    }

    private static void claim(AtomicIntegerArray claims, long handle, AtomicReference<Throwable> failure) {
        if (!claims.compareAndSet(SlabHandle.pageIndex(handle), 0, 1)) {
            failure.compareAndSet(null, new AssertionError("page " + SlabHandle.pageIndex(handle) + " held twice"));
        }
    }

    private static void unclaim(AtomicIntegerArray claims, long handle) {
        claims.set(SlabHandle.pageIndex(handle), 0);
    }
}
