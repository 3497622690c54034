package dev.tpcbridge.ring;

/** The ring variants, so that one contract suite runs against each (JCTools QueueSanityTest style). */
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
    };

    abstract <E> Ring<E> create(int capacity);

    abstract <E> Ring<E> create(int capacity, ElementHandler<? super E> onUndelivered);
}
