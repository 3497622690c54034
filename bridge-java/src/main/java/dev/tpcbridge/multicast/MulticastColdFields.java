package dev.tpcbridge.multicast;

import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WaiterList;

import java.util.function.LongSupplier;

// The field layers of MulticastBuffer, padded by inheritance (JCTools): each pad class puts 128 bytes between fields
// written by different threads.
// MulticastLayoutTest checks the distances with JOL.

/** Written once in the constructor, plus the rarely written close state and subscriber set. */
abstract class MulticastColdFields<E> {
    /** Slack slots at each end of the element array, so that no neighbour shares a cache line with a live slot. */
    static final int SLACK = 32;
    /** Slack words at each end of the sequence array (128 bytes). */
    static final int SEQUENCE_SLACK = 16;
    static final Subscriber<?>[] NO_SUBSCRIBERS = new Subscriber<?>[0];

    final Object[] elements;
    /** Lossy only (else null): per slot, {@code index << 1} once written, {@code index << 1 | 1} while written. */
    final long[] sequences;
    final long mask;
    final int capacity;
    final boolean lossy;
    /** Waiters never park, so publications and consumptions skip the wake protocol (and publications its fence). */
    final boolean busySpin;
    /** Lossless: the producer refreshes its view of the gating minimum at least every this many publications. */
    final long refreshStep;
    final WaitPolicy waitPolicy;
    final LongSupplier nanoClock;
    /** Subscribers waiting for an element (or a close): woken by publications and closes. */
    final WaiterList readers = new WaiterList();
    /** The producer waiting for room (or a close): woken by subscribers that advance, unsubscribe or close. */
    final WaiterList writers = new WaiterList();
    /** The registered subscribers: a copy-on-write array, replaced with a CAS. */
    volatile Subscriber<?>[] subscribers = NO_SUBSCRIBERS;
    /** 0 while open, 1 once the producer side closed. */
    volatile int closed;
    /** Source of subscriber ids. */
    volatile long nextId;

    MulticastColdFields(MulticastBuffer.Builder<E> builder) {
        this.capacity = builder.capacity;
        this.mask = capacity - 1L;
        this.elements = new Object[capacity + 2 * SLACK];
        this.lossy = builder.policy == SlowSubscriberPolicy.LOSSY;
        this.busySpin = builder.busySpin;
        if (lossy) {
            this.sequences = new long[capacity + 2 * SEQUENCE_SLACK];
            for (int i = 0; i < capacity; i++) {
                // slot i last held index i - capacity, written: "not yet published" for index i
                sequences[i + SEQUENCE_SLACK] = (long) (i - capacity) << 1;
            }
        } else {
            this.sequences = null;
        }
        this.refreshStep = Math.max(1, capacity / 4);
        this.waitPolicy = builder.waitPolicy;
        this.nanoClock = builder.nanoClock;
    }
}

abstract class MulticastPad1<E> extends MulticastColdFields<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    MulticastPad1(MulticastBuffer.Builder<E> builder) {
        super(builder);
    }
}

/** Written by the producer only. */
abstract class MulticastProducerFields<E> extends MulticastPad1<E> {
    /** How many elements were published: the next index; released after the element (and its word) is stored. */
    long cursor;
    /** Lossless: publish without looking at the floor again while {@code cursor < producerLimit}. */
    long producerLimit;

    MulticastProducerFields(MulticastBuffer.Builder<E> builder) {
        super(builder);
    }
}

abstract class MulticastPad2<E> extends MulticastProducerFields<E> {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    MulticastPad2(MulticastBuffer.Builder<E> builder) {
        super(builder);
    }
}

/** Lossless: the floor, written by whichever thread clears passed slots, read by the producer and the subscribers. */
abstract class MulticastFloorFields<E> extends MulticastPad2<E> {
    /**
     * {@code index << 1 | busy}: every slot of an index below {@code index} is passed by every subscriber and cleared,
     * and the producer may reuse it; {@code busy} while one thread clears the slots above it (see
     * {@code MulticastBuffer.advanceFloor}).
     */
    volatile long floor;

    MulticastFloorFields(MulticastBuffer.Builder<E> builder) {
        super(builder);
    }
}

abstract class MulticastPad3<E> extends MulticastFloorFields<E> {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;

    MulticastPad3(MulticastBuffer.Builder<E> builder) {
        super(builder);
    }
}
