package dev.tpcbridge.slab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-threaded behaviour of {@link SlabPool}, {@link SlabView} and {@link SlabHandle}, with one test per defect of
 * the seed slab allocator (named in each test's comment).
 */
class SlabPoolTest {
    private static SlabPool pool(int pageSize, int pageCount) {
        return SlabPool.create(SlabConfig.builder().poolId(3).pageSize(pageSize).pageCount(pageCount).build());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void allocWriteViewRelease(boolean direct) {
        SlabPool pool = SlabPool.create(SlabConfig.builder().poolId(7).pageSize(256).pageCount(2).direct(direct)
            .build());
        byte[] payload = new byte[100];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        long handle = pool.alloc(payload, 0, payload.length);
        assertTrue(SlabHandle.isHandle(handle));
        assertEquals(7, SlabHandle.poolId(handle));
        assertEquals(100, pool.length(handle));
        assertTrue(SlabHandle.generation(handle) >= 1);
        SlabView view = new SlabView().wrap(pool, handle);
        byte[] read = new byte[100];
        view.getBytes(0, read, 0, 100);
        assertArrayEquals(payload, read);
        assertEquals(payload[99], view.getByte(99));
        assertEquals(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong(8), view.getLong(8));
        assertEquals(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(96), view.getInt(96));
        assertTrue(view.isValid());
        pool.release(handle);
        assertFalse(view.isValid());
        assertEquals(2, pool.available());
    }

    @Test
    void allocFromAByteBufferAdvancesItsPositionOnlyOnSuccess() {
        SlabPool pool = pool(64, 1);
        ByteBuffer src = ByteBuffer.allocate(80);
        src.position(10);
        src.limit(50);
        long handle = pool.alloc(src);
        assertEquals(40, pool.length(handle));
        assertEquals(50, src.position());
        ByteBuffer again = ByteBuffer.allocate(8);
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(again));
        assertEquals(0, again.position());
        ByteBuffer big = ByteBuffer.allocate(65);
        assertEquals(SlabHandle.TOO_LARGE, pool.alloc(big));
        assertEquals(0, big.position());
    }

    @Test
    void writableViewBuildsThePayloadInPlace() {
        SlabPool pool = pool(128, 1);
        long handle = pool.alloc(128);
        ByteBuffer page = pool.writable(handle);
        assertEquals(0, page.position());
        assertEquals(128, page.limit());
        page.putLong(0x0102030405060708L).putLong(42L);
        pool.resize(handle, 16);
        assertEquals(16, pool.length(handle));
        assertEquals(16, pool.writable(handle).limit());
        long sent = handle;
        SlabView view = new SlabView().wrap(pool, sent);
        assertEquals(16, view.length());
        assertEquals(0x0102030405060708L, view.getLong(0));
        assertEquals(42L, view.getLong(8));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(16));
        assertThrows(IllegalArgumentException.class, () -> pool.resize(sent, 129));
        assertThrows(IllegalArgumentException.class, () -> pool.resize(sent, -1));
    }

    @Test
    void viewNeverReadsPastTheHandlesLength() {
        SlabPool pool = pool(64, 1);
        long handle = pool.alloc(10);
        SlabView view = new SlabView().wrap(pool, handle);
        assertThrows(IndexOutOfBoundsException.class, () -> view.getByte(10));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getByte(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(3));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getInt(7));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getBytes(5, new byte[6], 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> view.getBytes(0, ByteBuffer.allocate(11)));
    }

    @Test
    void anUnwrappedViewSaysSo() {
        SlabView view = new SlabView();
        assertFalse(view.isValid());
        assertThrows(IllegalStateException.class, view::checkValid);
        assertThrows(IllegalStateException.class, () -> view.getByte(0));
    }

    /** Seed defect: {@code free} pushed the page on the free list again, so one page got two owners. */
    @Test
    void doubleFreeThrowsAndTheSecondOwnerNeverAppears() {
        SlabPool pool = pool(64, 2);
        long handle = pool.alloc(8);
        pool.release(handle);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(handle));
        assertTrue(e.getMessage().contains("already released"), e.getMessage());
        assertTrue(e.getMessage().contains("page=" + SlabHandle.pageIndex(handle)), e.getMessage());
        long a = pool.alloc(8);
        long b = pool.alloc(8);
        assertNotEquals(SlabHandle.pageIndex(a), SlabHandle.pageIndex(b));
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(8));
    }

    /** Seed defect: {@code read} had no generation, so a handle kept after its release read the next owner's bytes. */
    @Test
    void staleHandleIsRejectedByViewReleaseAndWritable() {
        SlabPool pool = pool(64, 1);
        long old = pool.alloc(new byte[] {1, 2, 3}, 0, 3);
        SlabView view = new SlabView().wrap(pool, old);
        pool.release(old);
        long reused = pool.alloc(new byte[] {9, 9, 9}, 0, 3);
        assertEquals(SlabHandle.pageIndex(old), SlabHandle.pageIndex(reused));
        assertEquals(SlabHandle.nextGeneration(SlabHandle.generation(old)), SlabHandle.generation(reused));
        assertFalse(pool.isOwned(old));
        assertTrue(pool.isOwned(reused));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SlabView().wrap(pool, old));
        assertTrue(e.getMessage().contains("stale"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.writable(old));
        assertThrows(IllegalStateException.class, () -> pool.release(old));
        // the view wrapped before the release detects it: a bulk copy throws, the explicit check says so
        assertThrows(IllegalStateException.class, () -> view.getBytes(0, new byte[3], 0, 3));
        assertFalse(view.isValid());
        IllegalStateException stale = assertThrows(IllegalStateException.class, view::checkValid);
        assertTrue(stale.getMessage().contains("stale read"), stale.getMessage());
        pool.release(reused);
    }

    /**
     * Seed defect: the length came with the id unchecked, so a forged length read past the page's end. The length is
     * no longer in the handle at all: the pool keeps it, bounded by the page at {@code alloc} and {@code resize}.
     */
    @Test
    void forgedPageOrGenerationIsRejectedAndNoLengthCanBeForged() {
        SlabPool pool = pool(64, 2);
        long handle = pool.alloc(8);
        assertThrows(IllegalArgumentException.class, () -> pool.resize(handle, 65));
        assertEquals(8, pool.length(handle));
        assertEquals(8, new SlabView().wrap(pool, handle).length());
        long badPage = SlabHandle.encode(3, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(badPage));
        assertTrue(e.getMessage().contains("has 2 pages"), e.getMessage());
        long zeroGeneration = SlabHandle.encode(3, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> pool.release(zeroGeneration));
        long freeGeneration = pool.pageWords[SlabPool.stateIndex(1)] >>> 1;
        long neverIssued = SlabHandle.encode(3, freeGeneration, 1); // page 1 is free at that generation
        IllegalStateException never = assertThrows(IllegalStateException.class, () -> pool.release(neverIssued));
        assertTrue(never.getMessage().contains("never allocated"), never.getMessage());
        assertTrue(pool.isOwned(handle));
        pool.release(handle);
        assertEquals(2, pool.available());
    }

    /** A page's writable buffer keeps its last owner's limit; a later bulk-copy alloc must not trip over it. */
    @Test
    void bulkCopyAllocIgnoresTheLimitAPreviousOwnerLeftOnThePage() {
        SlabPool pool = pool(64, 1);
        long shortOne = pool.alloc(8);
        pool.writable(shortOne).putLong(0, 1L);
        pool.release(shortOne);
        byte[] payload = new byte[32];
        payload[31] = 7;
        long copied = pool.alloc(payload, 0, 32);
        assertTrue(SlabHandle.isHandle(copied), SlabHandle.toString(copied));
        assertEquals(7, new SlabView().wrap(pool, copied).getByte(31));
        pool.release(copied);
        ByteBuffer src = ByteBuffer.allocate(40);
        long fromBuffer = pool.alloc(src);
        assertTrue(SlabHandle.isHandle(fromBuffer), SlabHandle.toString(fromBuffer));
        pool.release(fromBuffer);
        assertEquals(1, pool.available());
    }

    /** Two pools given the same id by mistake: the random start generations still tell their handles apart. */
    @Test
    void aHandleOfAnotherPoolWithTheSameIdIsRejected() {
        SlabPool a = SlabPool.create(SlabConfig.builder().poolId(5).pageSize(64).pageCount(1).build());
        SlabPool b = SlabPool.create(SlabConfig.builder().poolId(5).pageSize(64).pageCount(1).build());
        long foreign = a.alloc(8);
        long bGeneration = b.pageWords[SlabPool.stateIndex(0)] >>> 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(bGeneration != SlabHandle.generation(foreign),
            "the two pools drew the same start generation (1 in 2^43)");
        assertThrows(IllegalStateException.class, () -> b.release(foreign));
        assertThrows(IllegalStateException.class, () -> new SlabView().wrap(b, foreign));
        assertEquals(1, b.available());
        long own = b.alloc(8);
        assertTrue(SlabHandle.isHandle(own));
        a.release(foreign);
        b.release(own);
    }

    /**
     * The ABA guard: a pop that read the head (top page 1, below it page 0) and stalled must fail its CAS after
     * others popped 1 and 0 and pushed 3 and then 1 again; without the pop counter in the head the stalled CAS would
     * succeed and put page 0, still owned, back on top. Replayed by hand on the pool's fields.
     */
    @Test
    void aStalledPopsSnapshotIsNeverCurrentAgainAfterItsTopCameBack() {
        SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(4).direct(false).build());
        long[] h = new long[4];
        for (int i = 0; i < 4; i++) {
            h[i] = pool.alloc(8);
        }
        pool.release(h[0]);
        pool.release(h[1]); // stack: 1 -> 0; pages 2 and 3 owned
        long snapshot = pool.head; // the stalled pop's read of head (top 1, next 0)
        assertEquals(1, (int) (snapshot & SlabPool.TOP_MASK));
        long p1 = pool.alloc(8);
        long p0 = pool.alloc(8);
        assertEquals(0, SlabHandle.pageIndex(p0));
        pool.release(h[3]);
        pool.release(p1); // top is page 1 again, with page 3 below it
        assertEquals(1, (int) (pool.head & SlabPool.TOP_MASK));
        assertNotEquals(snapshot, pool.head, "the stalled pop's CAS would succeed and hand out owned page 0");
        pool.release(p0);
        pool.release(h[2]);
        assertEquals(4, pool.available());
    }

    @Test
    void aHandleOfAnotherPoolIsRejected() {
        SlabPool a = SlabPool.create(SlabConfig.builder().poolId(1).pageSize(64).pageCount(1).build());
        SlabPool b = SlabPool.create(SlabConfig.builder().poolId(2).pageSize(64).pageCount(1).build());
        long handle = a.alloc(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.release(handle));
        assertTrue(e.getMessage().contains("belongs to pool 1, not to pool 2"), e.getMessage());
        assertFalse(b.isOwned(handle));
        assertTrue(a.isOwned(handle));
    }

    @Test
    void allocOutcomesPassedOnAsHandlesAreRejectedByName() {
        SlabPool pool = pool(64, 1);
        for (long outcome : new long[] {SlabHandle.EXHAUSTED, SlabHandle.TOO_LARGE, SlabHandle.CLOSED}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(outcome));
            assertTrue(e.getMessage().contains(SlabHandle.toString(outcome)), e.getMessage());
            assertTrue(e.getMessage().contains("alloc outcome"), e.getMessage());
            assertFalse(SlabHandle.isHandle(outcome));
        }
        assertFalse(SlabHandle.isHandle(0L));
        assertThrows(IllegalArgumentException.class, () -> pool.release(0L));
    }

    /** Seed defect: oversized payloads silently returned "none", indistinguishable from exhaustion. */
    @Test
    void oversizePayloadTakesTheExplicitFallbackAndIsCounted() {
        SlabPool pool = pool(64, 1);
        assertEquals(SlabHandle.TOO_LARGE, pool.alloc(65));
        assertEquals(SlabHandle.TOO_LARGE, pool.alloc(new byte[100], 0, 100));
        assertEquals(2, pool.oversizeRequests());
        assertEquals(0, pool.exhaustedAllocations());
        assertEquals(1, pool.available());
        assertThrows(IllegalArgumentException.class, () -> pool.alloc(-1));
    }

    @Test
    void exhaustionIsAValueAndCounted() {
        SlabPool pool = pool(64, 2);
        long a = pool.alloc(1);
        long b = pool.alloc(1);
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(1));
        assertEquals(1, pool.exhaustedAllocations());
        assertEquals(0, pool.available());
        pool.release(a);
        assertTrue(SlabHandle.isHandle(pool.alloc(1)));
        pool.release(b);
    }

    @Test
    void statsCountAllocationsAndTheHighWaterMark() {
        SlabPool pool = pool(64, 4);
        long a = pool.alloc(1);
        long b = pool.alloc(1);
        long c = pool.alloc(1);
        pool.release(b);
        pool.release(a);
        long d = pool.alloc(1);
        assertEquals(4, pool.allocations());
        assertEquals(3, pool.highWaterMark());
        assertEquals(2, pool.owned());
        assertEquals(2, pool.available());
        pool.release(c);
        pool.release(d);
        assertEquals(4, pool.available());
        assertTrue(pool.toString().contains("allocations=4"), pool.toString());
    }

    @Test
    void releasedPagesComeBackLastInFirstOut() {
        SlabPool pool = pool(64, 3);
        long a = pool.alloc(1);
        long b = pool.alloc(1);
        pool.release(a);
        pool.release(b);
        assertEquals(SlabHandle.pageIndex(b), SlabHandle.pageIndex(pool.alloc(1)));
        assertEquals(SlabHandle.pageIndex(a), SlabHandle.pageIndex(pool.alloc(1)));
    }

    /**
     * Seed defect: the return queue's empty slot was the sentinel {@code u32::MAX}, which is also the packed id of
     * core 0xFFFF, page 0xFFFF, so that page wedged the queue. Here every bit pattern of a handle is a handle: the
     * largest pool id and page index and a wrapped generation all round-trip.
     */
    @Test
    void extremeFieldValuesRoundTripWithoutASentinelCollision() {
        long handle = SlabHandle.encode(SlabHandle.MAX_POOL_ID, SlabHandle.MAX_GENERATION,
            SlabHandle.MAX_PAGE_COUNT - 1);
        assertTrue(handle > 0);
        assertTrue(SlabHandle.isHandle(handle));
        assertEquals(SlabHandle.MAX_POOL_ID, SlabHandle.poolId(handle));
        assertEquals(SlabHandle.MAX_GENERATION, SlabHandle.generation(handle));
        assertEquals(SlabHandle.MAX_PAGE_COUNT - 1, SlabHandle.pageIndex(handle));
        assertEquals(1, SlabHandle.nextGeneration(SlabHandle.MAX_GENERATION));

        SlabPool pool = SlabPool.create(SlabConfig.builder().poolId(SlabHandle.MAX_POOL_ID).pageSize(64)
            .pageCount(SlabHandle.MAX_PAGE_COUNT).direct(false).build());
        Set<Integer> pages = new HashSet<>();
        long[] handles = new long[SlabHandle.MAX_PAGE_COUNT];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = pool.alloc(64);
            assertTrue(SlabHandle.isHandle(handles[i]), SlabHandle.toString(handles[i]));
            assertTrue(pages.add(SlabHandle.pageIndex(handles[i])));
        }
        assertEquals(SlabHandle.EXHAUSTED, pool.alloc(1));
        for (long h : handles) {
            pool.release(h);
        }
        assertEquals(SlabHandle.MAX_PAGE_COUNT, pool.available());
        assertEquals(SlabHandle.MAX_PAGE_COUNT - 1, SlabHandle.pageIndex(pool.alloc(1)));
    }

    /** Generations wrap from the largest back to 1, never to 0 (which would make a handle look like "no handle"). */
    @Test
    void generationWrapsToOneNotZero() {
        SlabPool pool = pool(64, 1);
        int page = 0;
        long generation = SlabHandle.MAX_GENERATION;
        // move the page's generation to the largest value directly: 2^43 releases would take two days
        pool.pageWords[SlabPool.stateIndex(page)] = generation << 1;
        long last = pool.alloc(8);
        assertEquals(SlabHandle.MAX_GENERATION, SlabHandle.generation(last));
        assertTrue(SlabHandle.isHandle(last));
        pool.release(last);
        long wrapped = pool.alloc(8);
        assertEquals(1, SlabHandle.generation(wrapped));
        assertTrue(SlabHandle.isHandle(wrapped));
        assertThrows(IllegalStateException.class, () -> pool.release(last));
        pool.release(wrapped);
    }

    /**
     * Issue 23: with a 24-bit generation, a handle kept while its page went through 2^24 - 1 more owners (0.84 s of
     * churn) equalled the page's new handle, and releasing it freed the new owner's page. The generation now has 43
     * bits: the stale handle is still told apart, and the new owner keeps its page.
     */
    @Test
    void aStaleHandleIsStillCaughtAfterSixteenMillionReusesOfItsPage() {
        SlabPool pool = pool(64, 1);
        long stale = pool.alloc(8);
        pool.release(stale);
        for (int i = 0; i < (1 << 24) - 2; i++) { // with the release above: 2^24 - 1 releases of the page
            pool.release(pool.alloc(8));
        }
        long current = pool.alloc(8);
        long expected = (SlabHandle.generation(stale) - 1 + (1 << 24) - 1) % SlabHandle.MAX_GENERATION + 1;
        assertEquals(expected, SlabHandle.generation(current));
        assertNotEquals(stale, current, "the stale handle aliases the page's current one");
        assertFalse(pool.isOwned(stale));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(stale));
        assertTrue(e.getMessage().contains("stale"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new SlabView().wrap(pool, stale));
        assertTrue(pool.isOwned(current), "the new owner lost its page to a stale release");
        pool.release(current);
    }

    @Test
    void closeStopsAllocationButNotReleaseOrReading() {
        SlabPool pool = pool(64, 2);
        long handle = pool.alloc(new byte[] {5}, 0, 1);
        pool.close();
        pool.close();
        assertTrue(pool.isClosed());
        assertEquals(SlabHandle.CLOSED, pool.alloc(1));
        assertEquals(5, new SlabView().wrap(pool, handle).getByte(0));
        pool.release(handle);
        assertEquals(2, pool.available());
    }

    /** Seed defects: a page count cast to 16 bits (65536 pages became 0) and a pool of zero pages accepted. */
    @Test
    void configRejectsZeroTruncatedAndOutOfRangeSizesByName() {
        assertMessage("pageCount=0", () -> SlabConfig.builder().pageCount(0));
        assertMessage("pageCount=4097", () -> SlabConfig.builder().pageCount(4097));
        assertMessage("pageCount=65536", () -> SlabConfig.builder().pageCount(65536));
        assertMessage("pageSize=0", () -> SlabConfig.builder().pageSize(0));
        assertMessage("pageSize=100", () -> SlabConfig.builder().pageSize(100));
        assertMessage("pageSize=32", () -> SlabConfig.builder().pageSize(32));
        assertMessage("pageSize=524288", () -> SlabConfig.builder().pageSize(512 * 1024));
        assertMessage("poolId=256", () -> SlabConfig.builder().poolId(256));
        assertMessage("poolId=-1", () -> SlabConfig.builder().poolId(-1));
        assertMessage("config=null", () -> SlabPool.create(null));
        SlabConfig defaults = SlabConfig.builder().build();
        assertEquals(64 * 1024, defaults.pageSize());
        assertEquals(256, defaults.pageCount());
        assertTrue(defaults.direct());
        SlabPool pool = SlabPool.create(9);
        assertEquals(256, pool.available());
        assertEquals(9, pool.poolId());
        assertEquals(65536, pool.pageSize());
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        SlabPool pool = pool(64, 1);
        assertMessage("src=null", () -> pool.alloc((byte[]) null, 0, 0));
        assertMessage("src=null", () -> pool.alloc((ByteBuffer) null));
        assertMessage("pool=null", () -> new SlabView().wrap(null, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.alloc(new byte[4], 2, 3));
        assertEquals(1, pool.available());
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
