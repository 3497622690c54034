package dev.tpcbridge.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Read-mostly fields. */
abstract class LapStampedColdFields {
    static final int SLACK = 128;
    final byte[] array;
    final int capacity;
    final long mask;
    final int shift;

    LapStampedColdFields(int capacity) {
        this.capacity = capacity;
        this.mask = capacity - 1L;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.array = new byte[capacity + 2 * SLACK];
    }
}

abstract class LapStampedPad1 extends LapStampedColdFields {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    LapStampedPad1(int capacity) {
        super(capacity);
    }
}

abstract class LapStampedProducerFields extends LapStampedPad1 {
    long tail;
    long headCache;

    LapStampedProducerFields(int capacity) {
        super(capacity);
    }
}

abstract class LapStampedPad2 extends LapStampedProducerFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    LapStampedPad2(int capacity) {
        super(capacity);
    }
}

abstract class LapStampedConsumerFields extends LapStampedPad2 {
    long head;

    LapStampedConsumerFields(int capacity) {
        super(capacity);
    }
}

abstract class LapStampedPad3 extends LapStampedConsumerFields {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    LapStampedPad3(int capacity) {
        super(capacity);
    }
}

/**
 * The commit-marker design {@code dev.tpcbridge.logbuf} did not take, for the benchmark that justifies the choice:
 * an SPSC byte log buffer with <b>lap-stamped headers and no consumer zeroing</b>. Same layout, padding, heap memory
 * and claim checks as {@code SpscLogBuffer}; only the commit marker differs.
 *
 * <p>A header word holds the payload length (low 32 bits; a padding record stores minus its whole length) and a lap
 * stamp (high 32 bits: {@code position / capacity + 1}). The consumer reads at its head only a header whose stamp is
 * its own position's lap; the producer, when it commits, writes 0 into the next header slot if that slot is free
 * space (a terminator, so that stale payload bytes of an earlier lap can never pose as a header), and otherwise the
 * slot holds the header of the previous lap, whose stamp cannot match. It works for one producer only: an MPSC
 * producer cannot write the terminator (the next slot may already be claimed by another producer), and between its
 * tail CAS and its header store a stale word could pose as a header. Benchmark code, not API.
 */
final class LapStampedSpscLogBuffer extends LapStampedPad3 {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(LapStampedProducerFields.class, "tail", long.class);
            HEAD = lookup.findVarHandle(LapStampedConsumerFields.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The sum of the first payload long of every record read (so that the reads cannot be dropped). */
    long sink;

    LapStampedSpscLogBuffer(int capacity) {
        super(capacity);
    }

    private long header(int length, long position) {
        return ((position >>> shift) + 1) << 32 | (length & 0xFFFF_FFFFL);
    }

    private static int recordLength(int payloadLength) {
        return (8 + payloadLength + 7) & -8;
    }

    /** Claims, copies {@code src[0, length)}, commits; false when full. Producer thread. */
    boolean write(byte[] src, int length) {
        final int capacity = this.capacity;
        final int recordLength = recordLength(length);
        final long tail = this.tail;
        final int index = (int) (tail & mask);
        final int toEnd = capacity - index;
        final int required = recordLength <= toEnd ? recordLength : toEnd + recordLength;
        if (tail + required - headCache > capacity) {
            final long head = (long) HEAD.getAcquire(this);
            if (tail + required - head > capacity) {
                return false;
            }
            headCache = head;
        }
        long position = tail;
        if (required != recordLength) {
            LONG.setRelease(array, SLACK + index, header(-toEnd, tail)); // padding, stamped with its own position
            position += toEnd;
        }
        TAIL.setRelease(this, tail + required);
        final int headerIndex = SLACK + (int) (position & mask);
        System.arraycopy(src, 0, array, headerIndex + 8, length);
        final long next = position + recordLength;
        if (next - headCache < capacity) {
            LONG.set(array, SLACK + (int) (next & mask), 0L); // terminator: free space must not pose as a header
        }
        // release: payload and terminator before the stamped header word
        LONG.setRelease(array, headerIndex, header(length, position));
        return true;
    }

    /** Reads up to {@code limit} records (the first payload long of each into {@link #sink}). Consumer thread. */
    int read(int limit) {
        final long start = this.head;
        long head = start;
        int taken = 0;
        long sum = 0;
        while (taken < limit) {
            final int index = SLACK + (int) (head & mask);
            final long word = (long) LONG.getAcquire(array, index);
            if ((int) (word >>> 32) != (int) ((head >>> shift) + 1)) {
                break; // a terminator, or a header of the previous lap: nothing committed here yet
            }
            final int length = (int) word;
            if (length < 0) {
                head += -length;
                continue;
            }
            sum += (long) LONG.get(array, index + 8);
            head += recordLength(length);
            taken++;
        }
        if (head != start) {
            HEAD.setRelease(this, head); // no zeroing: the stamps tell laps apart
        }
        sink += sum;
        return taken;
    }
}
