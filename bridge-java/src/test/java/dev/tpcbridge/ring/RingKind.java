package dev.tpcbridge.ring;

/**
 * The ring variants (the waking ring included), so that one contract suite runs against each (JCTools
 * QueueSanityTest style).
 */
enum RingKind {
    SPSC {
        @Override
        <E> Ring<E> create(int capacity) {
            return SpscRing.create(capacity);
        }

        @Override
        <E> Ring<E> create(int capacity, ElementHandler<? super E> onUndelivered) {
            return SpscRing.create(capacity, onUndelivered);
        }
    },
    MPSC {
        @Override
        <E> Ring<E> create(int capacity) {
            return MpscRing.create(capacity);
        }

        @Override
        <E> Ring<E> create(int capacity, ElementHandler<? super E> onUndelivered) {
            return MpscRing.create(capacity, onUndelivered);
        }
    },
    /** The waking ring over an SPSC ring: the waking layer must keep the whole ring contract. */
    WAKING_SPSC {
        @Override
        <E> Ring<E> create(int capacity) {
            return WakingRing.spsc(capacity);
        }

        @Override
        <E> Ring<E> create(int capacity, ElementHandler<? super E> onUndelivered) {
            return WakingRing.<E>builder().capacity(capacity).onUndelivered(onUndelivered).build();
        }
    },
    /** The waking ring over an MPSC ring. */
    WAKING_MPSC {
        @Override
        <E> Ring<E> create(int capacity) {
            return WakingRing.mpsc(capacity);
        }

        @Override
        <E> Ring<E> create(int capacity, ElementHandler<? super E> onUndelivered) {
            return WakingRing.<E>builder().capacity(capacity).multiProducer(true).onUndelivered(onUndelivered).build();
        }
    };

    abstract <E> Ring<E> create(int capacity);

    abstract <E> Ring<E> create(int capacity, ElementHandler<? super E> onUndelivered);
}
