package dev.tpcbridge.logbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A test-only {@link LogMemory} over a {@code long[]} with an array-element VarHandle, for Lincheck's model checker,
 * which does not support the byte-array view VarHandles of the heap memory. Same semantics: aligned header words with
 * the same access modes, payload bytes as plain accesses (little-endian within each long). Its payload accessors are
 * read-modify-writes of whole longs, which is safe here because each payload word has one writer at a time.
 */
final class LongArrayMemory extends LogMemory {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;

    LongArrayMemory(int capacity) {
        super(0);
        words = new long[capacity / 8];
    }

    @Override
    boolean isDirect() {
        return false;
    }

    @Override
    long getLongAcquire(int index) {
        return (long) LONGS.getAcquire(words, index >> 3);
    }

    @Override
    long getLongVolatile(int index) {
        return (long) LONGS.getVolatile(words, index >> 3);
    }

    @Override
    void putLongRelease(int index, long value) {
        LONGS.setRelease(words, index >> 3, value);
    }

    @Override
    void putLongOpaque(int index, long value) {
        LONGS.setOpaque(words, index >> 3, value);
    }

    @Override
    boolean casLong(int index, long expected, long value) {
        return LONGS.compareAndSet(words, index >> 3, expected, value);
    }

    @Override
    long getLong(int index) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (getByte(index + i) & 0xFF);
        }
        return value;
    }

    @Override
    void putLong(int index, long value) {
        for (int i = 0; i < 8; i++) {
            putByte(index + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    int getInt(int index) {
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (getByte(index + i) & 0xFF);
        }
        return value;
    }

    @Override
    void putInt(int index, int value) {
        for (int i = 0; i < 4; i++) {
            putByte(index + i, (byte) (value >>> (8 * i)));
        }
    }

    @Override
    byte getByte(int index) {
        return (byte) (words[index >> 3] >>> (8 * (index & 7)));
    }

    @Override
    void putByte(int index, byte value) {
        int shift = 8 * (index & 7);
        words[index >> 3] = words[index >> 3] & ~(0xFFL << shift) | (value & 0xFFL) << shift;
    }

    @Override
    void putBytes(int index, byte[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            putByte(index + i, src[offset + i]);
        }
    }

    @Override
    void getBytes(int index, byte[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = getByte(index + i);
        }
    }

    @Override
    void putBytes(int index, ByteBuffer src, int srcIndex, int length) {
        for (int i = 0; i < length; i++) {
            putByte(index + i, src.get(srcIndex + i));
        }
    }

    @Override
    void getBytes(int index, ByteBuffer dst, int dstIndex, int length) {
        for (int i = 0; i < length; i++) {
            dst.put(dstIndex + i, getByte(index + i));
        }
    }

    @Override
    void setZero(int index, int length) {
        for (int i = 0; i < length; i += 8) {
            words[(index + i) >> 3] = 0;
        }
    }
}
