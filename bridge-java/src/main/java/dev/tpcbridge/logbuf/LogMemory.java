package dev.tpcbridge.logbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The flat memory of a log buffer, heap ({@code byte[]}) or direct ({@link ByteBuffer}), accessed through
 * little-endian view VarHandles held in {@code static final} fields (so the JIT folds them), with no JDK-internal
 * access. Indexes are absolute indexes into the memory: {@link #base} plus a region index.
 *
 * <p>Each memory keeps {@link #SLACK} bytes before and after the region, so that no other object shares a cache line
 * (or its prefetched neighbour) with the first or last records.
 *
 * <p>Threads: stateless apart from its contents; any thread, with the ordering each accessor's name states.
 */
abstract class LogMemory {
    /** Bytes kept free before and after the region: two cache lines. */
    static final int SLACK = 128;

    /** The absolute index of region index 0. */
    final int base;

    LogMemory(int base) {
        this.base = base;
    }

    /**
     * Heap memory: a {@code byte[]} through a byte-array view VarHandle where the JDK supports its atomic access modes
     * (JDK 17 to 21), else a {@code long[]} ({@link HeapLongs}): JDK 22+ dropped atomic access modes from byte-array
     * views (and heap byte-buffer views), because a {@code byte[]}'s elements need not be 8-byte aligned.
     */
    static LogMemory heap(int capacity) {
        return Heap.ATOMIC_VIEWS ? new Heap(capacity) : new HeapLongs(capacity);
    }

    static LogMemory direct(int capacity) {
        return new Direct(capacity);
    }

    abstract boolean isDirect();

    // header words: aligned 64-bit accesses

    abstract long getLongAcquire(int index);

    abstract long getLongVolatile(int index);

    abstract void putLongRelease(int index, long value);

    abstract void putLongOpaque(int index, long value);

    abstract boolean casLong(int index, long expected, long value);

    // payload: plain accesses, ordered by the header word's release/acquire

    abstract long getLong(int index);

    abstract void putLong(int index, long value);

    abstract int getInt(int index);

    abstract void putInt(int index, int value);

    abstract byte getByte(int index);

    abstract void putByte(int index, byte value);

    abstract void putBytes(int index, byte[] src, int offset, int length);

    abstract void getBytes(int index, byte[] dst, int offset, int length);

    abstract void putBytes(int index, ByteBuffer src, int srcIndex, int length);

    abstract void getBytes(int index, ByteBuffer dst, int dstIndex, int length);

    /**
     * Zeroes {@code [index, index + length)} with plain stores; {@code index} and {@code length} are multiples of 8.
     * Short ranges (a record or two) with 8-byte stores; longer ones by copying from a block of zeros, which the JIT
     * turns into vector moves: measured 4x faster than {@code Arrays.fill} on a {@code byte[]} at 1 KiB to 64 KiB on
     * JDK 17 (whose {@code OptimizeFill} is off), and 25 % faster than 8-byte stores.
     */
    abstract void setZero(int index, int length);

    /** Up to this many bytes, {@link #setZero} uses 8-byte stores. */
    static final int SHORT_ZEROING = 256;
    /** The source of long zeroing copies. */
    static final byte[] ZEROS = new byte[4096];

    /** The heap variant: one {@code byte[]}. */
    static final class Heap extends LogMemory {
        private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        /** Whether this JDK supports acquire, release and CAS on a byte-array view (17 to 21 do; 22+ do not). */
        static final boolean ATOMIC_VIEWS = probeAtomicViews();

        final byte[] array;

        private static boolean probeAtomicViews() {
            try {
                final byte[] probe = new byte[16];
                LONG.setRelease(probe, 0, 1L);
                return (long) LONG.getAcquire(probe, 0) == 1L && LONG.compareAndSet(probe, 0, 1L, 2L);
            } catch (UnsupportedOperationException | IllegalStateException e) {
                return false;
            }
        }

        Heap(int capacity) {
            super(SLACK);
            this.array = new byte[capacity + 2 * SLACK];
        }

        @Override
        boolean isDirect() {
            return false;
        }

        @Override
        long getLongAcquire(int index) {
            return (long) LONG.getAcquire(array, index);
        }

        @Override
        long getLongVolatile(int index) {
            return (long) LONG.getVolatile(array, index);
        }

        @Override
        void putLongRelease(int index, long value) {
            LONG.setRelease(array, index, value);
        }

        @Override
        void putLongOpaque(int index, long value) {
            LONG.setOpaque(array, index, value);
        }

        @Override
        boolean casLong(int index, long expected, long value) {
            return LONG.compareAndSet(array, index, expected, value);
        }

        @Override
        long getLong(int index) {
            return (long) LONG.get(array, index);
        }

        @Override
        void putLong(int index, long value) {
            LONG.set(array, index, value);
        }

        @Override
        int getInt(int index) {
            return (int) INT.get(array, index);
        }

        @Override
        void putInt(int index, int value) {
            INT.set(array, index, value);
        }

        @Override
        byte getByte(int index) {
            return array[index];
        }

        @Override
        void putByte(int index, byte value) {
            array[index] = value;
        }

        @Override
        void putBytes(int index, byte[] src, int offset, int length) {
            System.arraycopy(src, offset, array, index, length);
        }

        @Override
        void getBytes(int index, byte[] dst, int offset, int length) {
            System.arraycopy(array, index, dst, offset, length);
        }

        @Override
        void putBytes(int index, ByteBuffer src, int srcIndex, int length) {
            src.get(srcIndex, array, index, length);
        }

        @Override
        void getBytes(int index, ByteBuffer dst, int dstIndex, int length) {
            dst.put(dstIndex, array, index, length);
        }

        @Override
        void setZero(int index, int length) {
            final byte[] array = this.array;
            if (length <= SHORT_ZEROING) {
                for (int i = index, end = index + length; i < end; i += Long.BYTES) {
                    LONG.set(array, i, 0L);
                }
                return;
            }
            int at = index;
            int left = length;
            while (left > 0) {
                final int n = Math.min(left, ZEROS.length);
                System.arraycopy(ZEROS, 0, array, at, n);
                at += n;
                left -= n;
            }
        }
    }

    /**
     * The heap variant on JDKs whose byte-array views have no atomic access modes (22+): one {@code long[]}, header
     * words through an array-element VarHandle (always aligned, all access modes), payload bytes assembled into and
     * out of the longs (little-endian), 8 at a time where they line up. The layout is the same as {@link Heap}'s.
     */
    static final class HeapLongs extends LogMemory {
        private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
        private static final VarHandle BYTES_AS_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        final long[] words;

        HeapLongs(int capacity) {
            super(SLACK);
            this.words = new long[(capacity + 2 * SLACK) / Long.BYTES];
        }

        @Override
        boolean isDirect() {
            return false;
        }

        @Override
        long getLongAcquire(int index) {
            return (long) WORD.getAcquire(words, index >> 3);
        }

        @Override
        long getLongVolatile(int index) {
            return (long) WORD.getVolatile(words, index >> 3);
        }

        @Override
        void putLongRelease(int index, long value) {
            WORD.setRelease(words, index >> 3, value);
        }

        @Override
        void putLongOpaque(int index, long value) {
            WORD.setOpaque(words, index >> 3, value);
        }

        @Override
        boolean casLong(int index, long expected, long value) {
            return WORD.compareAndSet(words, index >> 3, expected, value);
        }

        @Override
        long getLong(int index) {
            final int shift = (index & 7) << 3;
            final long low = words[index >> 3];
            return shift == 0 ? low : low >>> shift | words[(index >> 3) + 1] << (64 - shift);
        }

        @Override
        void putLong(int index, long value) {
            if ((index & 7) == 0) {
                words[index >> 3] = value;
            } else {
                for (int i = 0; i < Long.BYTES; i++) {
                    putByte(index + i, (byte) (value >>> (i << 3)));
                }
            }
        }

        @Override
        int getInt(int index) {
            return (int) getLong(index);
        }

        @Override
        void putInt(int index, int value) {
            for (int i = 0; i < Integer.BYTES; i++) {
                putByte(index + i, (byte) (value >>> (i << 3)));
            }
        }

        @Override
        byte getByte(int index) {
            return (byte) (words[index >> 3] >>> ((index & 7) << 3));
        }

        @Override
        void putByte(int index, byte value) {
            final int shift = (index & 7) << 3;
            final int word = index >> 3;
            words[word] = words[word] & ~(0xFFL << shift) | (value & 0xFFL) << shift;
        }

        @Override
        void putBytes(int index, byte[] src, int offset, int length) {
            int i = 0;
            while (i < length && ((index + i) & 7) != 0) {
                putByte(index + i, src[offset + i]);
                i++;
            }
            for (; i + Long.BYTES <= length; i += Long.BYTES) {
                words[(index + i) >> 3] = (long) BYTES_AS_LONG.get(src, offset + i); // plain: any alignment
            }
            for (; i < length; i++) {
                putByte(index + i, src[offset + i]);
            }
        }

        @Override
        void getBytes(int index, byte[] dst, int offset, int length) {
            int i = 0;
            while (i < length && ((index + i) & 7) != 0) {
                dst[offset + i] = getByte(index + i);
                i++;
            }
            for (; i + Long.BYTES <= length; i += Long.BYTES) {
                BYTES_AS_LONG.set(dst, offset + i, words[(index + i) >> 3]);
            }
            for (; i < length; i++) {
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
            Arrays.fill(words, index >> 3, (index + length) >> 3, 0L);
        }
    }

    /** The direct variant: one direct {@link ByteBuffer}, its region aligned to 64 bytes. */
    static final class Direct extends LogMemory {
        private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

        final ByteBuffer buffer;

        Direct(int capacity) {
            super(SLACK);
            // 64 more bytes, then a slice whose address is a multiple of 64: aligned header words, aligned lines
            this.buffer = ByteBuffer.allocateDirect(capacity + 2 * SLACK + 64).alignedSlice(64)
                .order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        boolean isDirect() {
            return true;
        }

        @Override
        long getLongAcquire(int index) {
            return (long) LONG.getAcquire(buffer, index);
        }

        @Override
        long getLongVolatile(int index) {
            return (long) LONG.getVolatile(buffer, index);
        }

        @Override
        void putLongRelease(int index, long value) {
            LONG.setRelease(buffer, index, value);
        }

        @Override
        void putLongOpaque(int index, long value) {
            LONG.setOpaque(buffer, index, value);
        }

        @Override
        boolean casLong(int index, long expected, long value) {
            return LONG.compareAndSet(buffer, index, expected, value);
        }

        @Override
        long getLong(int index) {
            return (long) LONG.get(buffer, index);
        }

        @Override
        void putLong(int index, long value) {
            LONG.set(buffer, index, value);
        }

        @Override
        int getInt(int index) {
            return (int) INT.get(buffer, index);
        }

        @Override
        void putInt(int index, int value) {
            INT.set(buffer, index, value);
        }

        @Override
        byte getByte(int index) {
            return buffer.get(index);
        }

        @Override
        void putByte(int index, byte value) {
            buffer.put(index, value);
        }

        @Override
        void putBytes(int index, byte[] src, int offset, int length) {
            buffer.put(index, src, offset, length);
        }

        @Override
        void getBytes(int index, byte[] dst, int offset, int length) {
            buffer.get(index, dst, offset, length);
        }

        @Override
        void putBytes(int index, ByteBuffer src, int srcIndex, int length) {
            buffer.put(index, src, srcIndex, length);
        }

        @Override
        void getBytes(int index, ByteBuffer dst, int dstIndex, int length) {
            dst.put(dstIndex, buffer, index, length);
        }

        @Override
        void setZero(int index, int length) {
            final ByteBuffer buffer = this.buffer;
            if (length <= SHORT_ZEROING) {
                for (int i = index, end = index + length; i < end; i += Long.BYTES) {
                    LONG.set(buffer, i, 0L);
                }
                return;
            }
            int at = index;
            int left = length;
            while (left > 0) {
                final int n = Math.min(left, ZEROS.length);
                buffer.put(at, ZEROS, 0, n);
                at += n;
                left -= n;
            }
        }
    }
}
