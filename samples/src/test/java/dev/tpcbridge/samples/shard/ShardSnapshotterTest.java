package dev.tpcbridge.samples.shard;

import kotlin.Unit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot driver on a real core: copies are reused, a tick with no free copy is skipped and counted, a final
 * snapshot waits on the core for a copy to come back, and a copy released twice is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardSnapshotterTest {
    @Test
    void reusesItsCopiesSkipsWhenNoneIsFreeAndTheFinalOneWaitsForOne() throws Exception {
        try (ShardedStore store = new ShardedStore(1, false, 16, 0)) {
            BlockingQueue<ShardCopy> written = new LinkedBlockingQueue<>();
            ShardSnapshotter snapshotter = store.snapshotter(0, List.of(new ShardCopy(0, new TableCopy())), copy -> {
                written.add(copy); // the "writer" keeps it: the one copy is out
                return Unit.INSTANCE;
            });
            assertTrue(snapshotter.request());
            ShardCopy first = written.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            assertEquals(0, first.getIndex());

            assertTrue(snapshotter.request()); // no copy free: skipped on the core
            while (snapshotter.getSkips() == 0) {
                Thread.sleep(1);
            }
            assertEquals(1, snapshotter.getCount());

            CountDownLatch submitted = new CountDownLatch(1);
            assertTrue(snapshotter.requestFinal(submitted::countDown));
            assertFalse(submitted.await(50, TimeUnit.MILLISECONDS)); // waits on the core for a free copy
            snapshotter.release(first);
            assertTrue(submitted.await(10, TimeUnit.SECONDS));
            assertSame(first, written.poll(10, TimeUnit.SECONDS)); // the one copy, again
            assertEquals(2, snapshotter.getCount());
            assertEquals(1, snapshotter.getSkips()); // the final snapshot's waits are not skips

            snapshotter.release(first);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> snapshotter.release(first));
            assertTrue(twice.getMessage().startsWith("more copies released than taken"), twice.getMessage());
        }
    }

    @Test
    void refusesCopiesThatAreNotItsOwn() {
        try (ShardedStore store = new ShardedStore(2, false, 16, 0)) {
            ShardCopy ofShard1 = new ShardCopy(1, new TableCopy());
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> store.snapshotter(0, List.of(ofShard1), copy -> Unit.INSTANCE));
            assertTrue(other.getMessage().startsWith("copies of another shard than 0"), other.getMessage());
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> store.snapshotter(1, List.of(ofShard1, ofShard1), copy -> Unit.INSTANCE));
            assertTrue(twice.getMessage().startsWith("a copy given twice"), twice.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> store.snapshotter(1, List.of(), copy -> Unit.INSTANCE));
            assertEquals("copies.size=0 must be in [1, 64]", none.getMessage());
        }
    }
}
