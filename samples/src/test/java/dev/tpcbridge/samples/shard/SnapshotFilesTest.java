package dev.tpcbridge.samples.shard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The shard sample's snapshot files (three per shard), read back: the whole one with the highest generation wins; a
 * torn file (short, long, its CRC off, or a header that disagrees with its slots) is passed over, so a crash in the
 * middle of a write leaves an older one to read.
 */
class SnapshotFilesTest {
    @TempDir
    Path dir;

    @Test
    void theNewestWholeFileWins() throws IOException {
        write(SnapshotWriter.Companion.fileOf(dir, 3, 0), 3, 4, new long[] {7, 0, 9, 0}, new long[] {70, 0, 90, 0},
            false, 0);
        write(SnapshotWriter.Companion.fileOf(dir, 3, 1), 3, 5, new long[] {0, 7}, new long[] {0, 71}, true, 5);
        SnapshotWriter.SnapshotFile newest = SnapshotWriter.Companion.readNewest(dir, 3);
        assertNotNull(newest);
        assertEquals(5, newest.getGeneration());
        assertEquals(3, newest.getIndex());
        assertArrayEquals(new long[] {0, 7}, newest.getKeys()); // the key 0 first, then the slots' keys
        assertArrayEquals(new long[] {5, 71}, newest.getValues());
    }

    @Test
    void aTornNewerFileLeavesTheOlderOne() throws IOException {
        Path older = SnapshotWriter.Companion.fileOf(dir, 0, 1);
        Path newer = SnapshotWriter.Companion.fileOf(dir, 0, 0);
        write(older, 0, 1, new long[] {4, 0}, new long[] {40, 0}, false, 0);
        byte[] whole = write(newer, 0, 2, new long[] {4, 8}, new long[] {41, 80}, false, 0);
        assertEquals(2, SnapshotWriter.Companion.readNewest(dir, 0).getGeneration());

        Files.write(newer, Arrays.copyOf(whole, whole.length - 3)); // cut short
        assertNull(SnapshotWriter.Companion.read(newer));
        assertEquals(1, SnapshotWriter.Companion.readNewest(dir, 0).getGeneration());

        byte[] flipped = whole.clone();
        flipped[40] ^= 1; // a bit of the second slot's key
        Files.write(newer, flipped);
        assertNull(SnapshotWriter.Companion.read(newer));
        assertEquals(1, SnapshotWriter.Companion.readNewest(dir, 0).getGeneration());

        Files.write(newer, Arrays.copyOf(whole, whole.length + 16)); // stale bytes past the CRC
        assertNull(SnapshotWriter.Companion.read(newer));
    }

    @Test
    void aHeaderThatDisagreesWithItsSlotsIsNotWhole() throws IOException {
        Path file = SnapshotWriter.Companion.fileOf(dir, 2, 0);
        write(file, 2, 1, new long[] {4, 8}, new long[] {41, 80}, false, 0, 3); // says 3 keys, holds 2
        assertNull(SnapshotWriter.Companion.read(file));
        write(file, 2, 1, new long[] {4, 8}, new long[] {41, 80}, false, 0, 1); // says 1 key, holds 2
        assertNull(SnapshotWriter.Companion.read(file));
    }

    @Test
    void noWholeFileIsNull() throws IOException {
        assertNull(SnapshotWriter.Companion.readNewest(dir, 1));
        Files.write(SnapshotWriter.Companion.fileOf(dir, 1, 0), new byte[] {0, 0, 0, 1, 0});
        assertNull(SnapshotWriter.Companion.readNewest(dir, 1));
    }

    private static byte[] write(Path file, int shard, long generation, long[] slots, long[] values, boolean zeroKey,
                                long zeroValue) throws IOException {
        int size = (zeroKey ? 1 : 0) + (int) Arrays.stream(slots).filter(k -> k != 0).count();
        return write(file, shard, generation, slots, values, zeroKey, zeroValue, size);
    }

    /** Writes a snapshot file in the documented format, saying it holds {@code size} keys; returns its bytes. */
    private static byte[] write(Path file, int shard, long generation, long[] slots, long[] values, boolean zeroKey,
                                long zeroValue, int size) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(32 + slots.length * 16 + 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(shard).putLong(generation).putInt(slots.length).putInt(size).putInt(zeroKey ? 1 : 0)
            .putLong(zeroValue);
        for (long key : slots) {
            bytes.putLong(key);
        }
        for (long value : values) {
            bytes.putLong(value);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, bytes.position());
        bytes.putInt((int) crc.getValue());
        Files.write(file, bytes.array());
        return bytes.array();
    }
}
