package dev.tpcbridge.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The design {@code MpscRing} did not take, kept here only to measure it against: Vyukov's bounded MPMC queue
 * reduced to one consumer. Each slot has a sequence word; a producer CASes the producer index after checking the
 * slot's sequence, stores the element, then releases the sequence; the consumer acquires the sequence. Same padding
 * and cached-index discipline as MpscRing, so that the comparison isolates the per-slot sequence.
 */
final class VyukovMpscRing<E> {
    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLACK = 16;

    static {
        try {
            PRODUCER_INDEX = MethodHandles.lookup().findVarHandle(VyukovMpscRing.class, "producerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] buffer;
    private final long[] sequences;
    private final int mask;
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    private volatile long producerIndex;
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    private long consumerIndex;
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;

    VyukovMpscRing(int capacity) {
        int size = Integer.highestOneBit(capacity - 1) << 1;
        buffer = new Object[size + 2 * SLACK];
        sequences = new long[size + 2 * SLACK];
        mask = size - 1;
        for (int i = 0; i < size; i++) {
            sequences[i + SLACK] = i;
        }
    }

    boolean offer(E element) {
        long index;
        int offset;
        do {
            index = (long) PRODUCER_INDEX.getAcquire(this);
            offset = (int) (index & mask) + SLACK;
            long sequence = (long) SEQUENCE.getAcquire(sequences, offset);
            if (sequence < index) {
                return false; // the consumer has not freed this slot yet: full
            }
        } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
        buffer[offset] = element;
        // release: the element before the sequence; pairs with the consumer's acquire of the sequence.
        SEQUENCE.setRelease(sequences, offset, index + 1);
        return true;
    }

    @SuppressWarnings("unchecked")
    E poll() {
        long index = consumerIndex;
        int offset = (int) (index & mask) + SLACK;
        if ((long) SEQUENCE.getAcquire(sequences, offset) != index + 1) {
            return null; // empty, or the producer that claimed it has not published yet
        }
        E element = (E) buffer[offset];
        buffer[offset] = null;
        consumerIndex = index + 1;
        // release: the slot freed before its sequence says "free for the next lap"; pairs with the producer's acquire.
        SEQUENCE.setRelease(sequences, offset, index + mask + 1);
        return element;
    }
}
