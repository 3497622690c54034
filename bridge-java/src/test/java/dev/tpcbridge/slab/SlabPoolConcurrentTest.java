package dev.tpcbridge.slab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads releasing while an owner allocates, with exact accounting: every page is owned by at most one holder at
 * any time (checked by a separate claim array, flipped around every alloc and release), every payload is read back
 * as written, every allocation is counted once, and at the end every page is free and allocatable exactly once.
 * The seed's return queue overwrote slots when full and lost pages; here nothing may be lost.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlabPoolConcurrentTest {
    private static final int PAGES = 8;
    private static final int PAGE_SIZE = 64;
    private static final int OWNER_ALLOCATIONS = 30_000;
    private static final int RELEASERS = 3;
    private static final int LEASES_PER_RELEASER = 5_000;

    @Test
    void manyReleasersAndLeasersWhileTheOwnerAllocatesLoseNothing() throws Exception {
        SlabPool pool = SlabPool.create(SlabConfig.builder().poolId(4).pageSize(PAGE_SIZE).pageCount(PAGES).build());
        AtomicIntegerArray claims = new AtomicIntegerArray(PAGES);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong exhaustedSeen = new AtomicLong();
        List<BlockingQueue<Long>> inboxes = new ArrayList<>();
        List<Thread> releasers = new ArrayList<>();
        for (int r = 0; r < RELEASERS; r++) {
            BlockingQueue<Long> inbox = new ArrayBlockingQueue<>(PAGES);
            inboxes.add(inbox);
            int id = r;
            releasers.add(start("releaser-" + r, failure, () -> {
                SlabView view = new SlabView();
                int leases = 0;
                while (true) {
                    Long handle = inbox.poll();
                    if (handle != null) {
                        if (handle == 0L) {
                            break;
                        }
                        view.wrap(pool, handle);
                        long sequence = view.getLong(0);
                        if (view.getLong(PAGE_SIZE - 8) != ~sequence) {
                            throw new AssertionError("torn payload " + sequence);
                        }
                        view.checkValid();
                        unclaim(claims, handle);
                        pool.release(handle);
                    } else if (leases < LEASES_PER_RELEASER) {
                        // a control-plane sender leasing a page of its own from the same pool
                        long lease = pool.alloc(PAGE_SIZE);
                        if (SlabHandle.isHandle(lease)) {
                            claim(claims, lease);
                            pool.writable(lease).putLong(0, id);
                            unclaim(claims, lease);
                            pool.release(lease);
                            leases++;
                        } else {
                            exhaustedSeen.incrementAndGet();
                        }
                    } else {
                        Thread.yield();
                    }
                }
                while (leases < LEASES_PER_RELEASER) {
                    long lease = pool.alloc(PAGE_SIZE);
                    if (SlabHandle.isHandle(lease)) {
                        claim(claims, lease);
                        unclaim(claims, lease);
                        pool.release(lease);
                        leases++;
                    } else {
                        exhaustedSeen.incrementAndGet();
                    }
                }
            }));
        }
        Thread owner = start("owner", failure, () -> {
            for (long sequence = 1; sequence <= OWNER_ALLOCATIONS; sequence++) {
                long handle;
                while (!SlabHandle.isHandle(handle = pool.alloc(PAGE_SIZE))) {
                    assertEquals(SlabHandle.EXHAUSTED, handle);
                    exhaustedSeen.incrementAndGet();
                    Thread.yield();
                }
                claim(claims, handle);
                pool.writable(handle).putLong(0, sequence).putLong(PAGE_SIZE - 8, ~sequence);
                BlockingQueue<Long> inbox = inboxes.get((int) (sequence % RELEASERS));
                while (!inbox.offer(handle)) {
                    Thread.yield();
                }
            }
            for (BlockingQueue<Long> inbox : inboxes) {
                inbox.put(0L);
            }
        });
        owner.join();
        for (Thread releaser : releasers) {
            releaser.join();
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
        long total = OWNER_ALLOCATIONS + (long) RELEASERS * LEASES_PER_RELEASER;
        assertEquals(total, pool.allocations());
        assertEquals(exhaustedSeen.get(), pool.exhaustedAllocations());
        assertEquals(PAGES, pool.available());
        assertEquals(0, pool.owned());
        assertTrue(pool.highWaterMark() <= PAGES && pool.highWaterMark() >= 1, "highWaterMark=" + pool.highWaterMark());
        Set<Integer> pages = new HashSet<>();
        for (int i = 0; i < PAGES; i++) {
            long handle = pool.alloc(1);
            assertTrue(SlabHandle.isHandle(handle));
            assertTrue(pages.add(SlabHandle.pageIndex(handle)), "page handed out twice");
        }
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(1));
    }

    /** Racing double releases of one handle: exactly one wins, the others throw, and the page is pushed once. */
    @Test
    void racingReleasesOfOneHandleSucceedExactlyOnce() throws Exception {
        SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(2).build());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int round = 0; round < 2_000; round++) {
            long handle = pool.alloc(1);
            AtomicLong wins = new AtomicLong();
            AtomicLong losses = new AtomicLong();
            java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();
            ThrowingRunnable release = () -> {
                ready.incrementAndGet();
                while (ready.get() < 2) {
                    Thread.onSpinWait(); // both threads released together, so that they really race
                }
                try {
                    pool.release(handle);
                    wins.incrementAndGet();
                } catch (IllegalStateException e) {
                    losses.incrementAndGet();
                }
            };
            Thread a = start("a", failure, release);
            Thread b = start("b", failure, release);
            a.join();
            b.join();
            assertEquals(1, wins.get());
            assertEquals(1, losses.get());
            assertEquals(2, pool.available());
        }
        assertNull(failure.get());
        long x = pool.alloc(1);
        long y = pool.alloc(1);
        assertTrue(SlabHandle.pageIndex(x) != SlabHandle.pageIndex(y));
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(1));
    }

    /**
     * Seed defect: the return queue overwrote a slot when full, losing a page. Here as many threads as pages release
     * every page at the same moment; afterwards every page is allocatable exactly once.
     */
    @Test
    void everyPageReleasedAtOnceComesBackExactlyOnce() throws Exception {
        int pages = 16;
        SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(pages).build());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int round = 0; round < 200; round++) {
            long[] handles = new long[pages];
            for (int i = 0; i < pages; i++) {
                handles[i] = pool.alloc(8);
            }
            assertEquals(SlabHandle.EXHAUSTED, pool.alloc(8));
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (long handle : handles) {
                threads.add(start("releaser", failure, () -> {
                    start.await();
                    pool.release(handle);
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertNull(failure.get());
            assertEquals(pages, pool.available());
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < pages; i++) {
            assertTrue(seen.add(SlabHandle.pageIndex(pool.alloc(8))), "a page came back twice");
        }
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(8));
    }

    /** The hot paths allocate nothing: alloc, writable, wrap, getLong, checkValid, release. */
    @Test
    void hotPathsAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(1024).pageCount(4).build());
        SlabView view = new SlabView();
        long sum = cycle(pool, view, 20_000); // warm up (and let the JIT compile the loop)
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        sum += cycle(pool, view, 100_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(sum != 42);
        // a little slack for the measurement itself; 100 000 cycles at even 8 bytes each would be 800 000
        assertTrue(allocated < 1_000, "allocated " + allocated + " bytes in 100 000 cycles");
    }

    private static long cycle(SlabPool pool, SlabView view, int cycles) {
        long sum = 0;
        for (int i = 0; i < cycles; i++) {
            long handle = pool.alloc(1024);
            pool.writable(handle).putLong(0, i).putLong(1016, i);
            view.wrap(pool, handle);
            sum += view.getLong(0) + view.getLong(1016);
            view.checkValid();
            pool.release(handle);
        }
        return sum;
    }

    private static void claim(AtomicIntegerArray claims, long handle) {
        if (claims.getAndSet(SlabHandle.pageIndex(handle), 1) != 0) {
            throw new AssertionError("page " + SlabHandle.pageIndex(handle) + " owned twice");
        }
    }

    private static void unclaim(AtomicIntegerArray claims, long handle) {
        if (claims.getAndSet(SlabHandle.pageIndex(handle), 0) != 1) {
            throw new AssertionError("page " + SlabHandle.pageIndex(handle) + " was not owned");
        }
    }

    private static Thread start(String name, AtomicReference<Throwable> failure, ThrowingRunnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
