package dev.tpcbridge.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The design {@code SpscRing} did not take, kept here only to measure it against: Rigtorp's ring where <i>both</i>
 * sides cache the other's index and the consumer learns of new elements from the producer index (not from the
 * slot). Same padding, slack and batch publishing as SpscRing, without close, so the comparison isolates how the
 * consumer detects a published element.
 */
final class CachedIndexSpscRing<E> {
    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX;
    private static final int SLACK = 32;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(CachedIndexSpscRing.class, "producerIndex", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(CachedIndexSpscRing.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] buffer;
    private final long mask;
    private final int capacity;
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    private long producerIndex;
    private long producerLimit;
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    private long consumerIndex;
    private long cachedProducerIndex;
    long r00, r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15;

    CachedIndexSpscRing(int requested) {
        capacity = Integer.highestOneBit(requested - 1) << 1;
        mask = capacity - 1;
        buffer = new Object[capacity + 2 * SLACK];
    }

    boolean offer(E element) {
        final long index = producerIndex;
        if (index >= producerLimit && index >= (producerLimit = (long) CONSUMER_INDEX.getAcquire(this) + capacity)) {
            return false;
        }
        buffer[(int) (index & mask) + SLACK] = element;
        PRODUCER_INDEX.setRelease(this, index + 1); // pairs with the consumer's getAcquire
        return true;
    }

    @SuppressWarnings("unchecked")
    E poll() {
        final long index = consumerIndex;
        if (index >= cachedProducerIndex
            && index >= (cachedProducerIndex = (long) PRODUCER_INDEX.getAcquire(this))) {
            return null;
        }
        final int offset = (int) (index & mask) + SLACK;
        final E element = (E) buffer[offset];
        buffer[offset] = null;
        CONSUMER_INDEX.setRelease(this, index + 1); // pairs with the producer's getAcquire
        return element;
    }

    int fill(Supplier<? extends E> supplier, int limit) {
        final long index = producerIndex;
        long room = producerLimit - index;
        if (room < limit) {
            producerLimit = (long) CONSUMER_INDEX.getAcquire(this) + capacity;
            room = producerLimit - index;
        }
        final int batch = (int) Math.min(room, limit);
        for (int i = 0; i < batch; i++) {
            buffer[(int) ((index + i) & mask) + SLACK] = supplier.get();
        }
        if (batch > 0) {
            PRODUCER_INDEX.setRelease(this, index + batch);
        }
        return Math.max(batch, 0);
    }

    @SuppressWarnings("unchecked")
    int drain(Consumer<? super E> consumer, int limit) {
        final long index = consumerIndex;
        long available = cachedProducerIndex - index;
        if (available < limit) {
            cachedProducerIndex = (long) PRODUCER_INDEX.getAcquire(this);
            available = cachedProducerIndex - index;
        }
        final int batch = (int) Math.min(available, limit);
        for (int i = 0; i < batch; i++) {
            final int offset = (int) ((index + i) & mask) + SLACK;
            final E element = (E) buffer[offset];
            buffer[offset] = null;
            consumer.accept(element);
        }
        if (batch > 0) {
            CONSUMER_INDEX.setRelease(this, index + batch);
        }
        return Math.max(batch, 0);
    }
}
