package dev.tpcbridge.samples;

import dev.tpcbridge.samples.pump.PayloadCodec;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.slab.SlabView;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The pump's check is exact: a page passes only if it holds every byte of the message it must hold. Every single bit
 * flipped anywhere in a page fails it (and is located), as do another message, another stream, and a page never
 * written.
 */
class PayloadCodecTest {
    private static final PayloadCodec CODEC = PayloadCodec.INSTANCE;
    private static final int LENGTH = 1024;
    private static final long SEED = 42;

    private static ByteBuffer page() {
        return ByteBuffer.allocateDirect(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aWrittenPagePassesAndEveryFlippedBitFailsWhereItIs() {
        ByteBuffer page = page();
        CODEC.write(page, LENGTH, SEED, 7);
        assertEquals(PayloadCodec.MATCH, CODEC.mismatch(page, LENGTH, SEED, 7));
        for (int bit = 0; bit < LENGTH * 8; bit++) {
            int index = bit / 8;
            byte original = page.get(index);
            page.put(index, (byte) (original ^ (1 << (bit % 8))));
            assertEquals(bit / 64 * 8, CODEC.mismatch(page, LENGTH, SEED, 7), "bit " + bit);
            page.put(index, original);
        }
        assertEquals(PayloadCodec.MATCH, CODEC.mismatch(page, LENGTH, SEED, 7));
    }

    @Test
    void anotherMessageAnotherStreamOrAnUnwrittenPageFails() {
        ByteBuffer page = page();
        assertEquals(0, CODEC.mismatch(page, LENGTH, SEED, 7)); // all zeros: the header differs
        assertNotEquals(PayloadCodec.MATCH, CODEC.mismatch(page, LENGTH, SEED, 0)); // header 0 matches, the body not
        CODEC.write(page, LENGTH, SEED, 7);
        assertEquals(0, CODEC.mismatch(page, LENGTH, SEED, 8));
        assertEquals(8, CODEC.mismatch(page, LENGTH, CODEC.responseSeed(SEED), 7));
        page.putLong(0, 8); // another message's header over this one's body: the body still tells
        assertEquals(8, CODEC.mismatch(page, LENGTH, SEED, 8));
    }

    @Test
    void aSlabPageChecksAsAPlainBufferDoes() {
        try (SlabPool pool = SlabPool.create(SlabConfig.builder().poolId(3).pageSize(LENGTH).pageCount(2).build())) {
            long handle = pool.alloc(LENGTH);
            CODEC.write(pool.writable(handle), LENGTH, SEED, 99);
            SlabView view = new SlabView().wrap(pool, handle);
            assertEquals(PayloadCodec.MATCH, CODEC.mismatch(view, LENGTH, SEED, 99));
            ByteBuffer bytes = pool.writable(handle);
            bytes.put(LENGTH - 1, (byte) (bytes.get(LENGTH - 1) ^ 0x80));
            assertEquals(LENGTH - 8, CODEC.mismatch(view, LENGTH, SEED, 99));
            pool.release(handle);
        }
    }
}
