package dev.tpcbridge.bench;

import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.MpscRing;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.Ring;
import dev.tpcbridge.ring.SpscRing;
import dev.tpcbridge.ring.WakingRing;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.QueuedPipe;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One queue implementation behind a common shape, so that every implementation runs the same benchmark code. Each
 * JMH fork uses one implementation only, so the calls below are monomorphic and inlined.
 */
abstract class QueueUnderTest {
    abstract boolean offer(Object element);

    abstract Object poll();

    /**
     * Offers up to {@code limit} elements from {@code supplier}; returns how many were taken. Adapters convert the
     * functional objects once, in {@link #create}, so that no call allocates.
     */
    abstract int fill(int limit);

    /** Polls up to {@code limit} elements into the consumer given at creation; returns how many were taken. */
    abstract int drain(int limit);

    static QueueUnderTest create(String name, int capacity) {
        return create(name, capacity, () -> null, e -> { });
    }

    static QueueUnderTest create(String name, int capacity, Supplier<Object> supplier, Consumer<Object> consumer) {
        switch (name) {
            case "SpscRing": return new RingAdapter(SpscRing.create(capacity), null, supplier, consumer);
            case "CachedIndexSpscRing": return new CachedIndex(new CachedIndexSpscRing<>(capacity), supplier, consumer);
            case "MpscRing": return new RingAdapter(MpscRing.create(capacity), null, supplier, consumer);
            case "WakingSpscRing": return new RingAdapter(WakingRing.spsc(capacity), null, supplier, consumer);
            case "FencedSpscRing": return new Fenced(new FencedSpscRing(capacity), supplier, consumer);
            case "WakingMpscRing": return new RingAdapter(WakingRing.mpsc(capacity), null, supplier, consumer);
            case "MpscRingRelaxed": {
                MpscRing<Object> ring = MpscRing.create(capacity);
                return new RingAdapter(ring, ring, supplier, consumer);
            }
            case "VyukovMpscRing": return new Vyukov(new VyukovMpscRing<>(capacity));
            case "JCToolsSpscArrayQueue": return new JCTools(new SpscArrayQueue<>(capacity), supplier, consumer, false);
            case "JCToolsMpscArrayQueue": return new JCTools(new MpscArrayQueue<>(capacity), supplier, consumer, false);
            case "JCToolsMpscArrayQueueRelaxed":
                return new JCTools(new MpscArrayQueue<>(capacity), supplier, consumer, true);
            case "AgronaOneToOneConcurrentArrayQueue":
                return new Agrona(new OneToOneConcurrentArrayQueue<>(capacity), consumer);
            case "AgronaManyToOneConcurrentArrayQueue":
                return new Agrona(new ManyToOneConcurrentArrayQueue<>(capacity), consumer);
            case "ArrayBlockingQueue": return new Abq(new ArrayBlockingQueue<>(capacity));
            default: throw new IllegalArgumentException("impl=" + name + " is not known");
        }
    }

    /**
     * SpscRing, MpscRing and WakingRing through their shared {@link Ring} contract; {@code relaxed} polls MpscRing
     * relaxed.
     */
    static final class RingAdapter extends QueueUnderTest {
        private final Ring<Object> ring;
        private final MpscRing<Object> relaxedRing;
        private final Supplier<Object> supplier;
        private final ElementHandler<Object> handler;

        RingAdapter(Ring<Object> ring, MpscRing<Object> relaxedRing, Supplier<Object> supplier,
                    Consumer<Object> consumer) {
            this.ring = ring;
            this.relaxedRing = relaxedRing;
            this.supplier = supplier;
            this.handler = consumer::accept;
        }

        @Override boolean offer(Object element) {
            return ring.offer(element) == OfferStatus.OK;
        }

        @Override Object poll() {
            return relaxedRing != null ? relaxedRing.relaxedPoll() : ring.poll();
        }

        @Override int fill(int limit) {
            return ring.fill(supplier, limit);
        }

        @Override int drain(int limit) {
            return ring.drain(handler, limit);
        }
    }

    /** The bare SpscRing plus the wake protocol's floor: see {@link FencedSpscRing}. */
    static final class Fenced extends QueueUnderTest {
        private final FencedSpscRing ring;
        private final Supplier<Object> supplier;
        private final ElementHandler<Object> handler;

        Fenced(FencedSpscRing ring, Supplier<Object> supplier, Consumer<Object> consumer) {
            this.ring = ring;
            this.supplier = supplier;
            this.handler = consumer::accept;
        }

        @Override boolean offer(Object element) {
            return ring.offer(element);
        }

        @Override Object poll() {
            return ring.poll();
        }

        @Override int fill(int limit) {
            return ring.fill(supplier, limit);
        }

        @Override int drain(int limit) {
            return ring.drain(handler, limit);
        }
    }

    static final class Vyukov extends QueueUnderTest {
        private final VyukovMpscRing<Object> ring;

        Vyukov(VyukovMpscRing<Object> ring) {
            this.ring = ring;
        }

        @Override boolean offer(Object element) {
            return ring.offer(element);
        }

        @Override Object poll() {
            return ring.poll();
        }

        @Override int fill(int limit) {
            throw new UnsupportedOperationException("fill");
        }

        @Override int drain(int limit) {
            throw new UnsupportedOperationException("drain");
        }
    }

    static final class CachedIndex extends QueueUnderTest {
        private final CachedIndexSpscRing<Object> ring;
        private final Supplier<Object> supplier;
        private final Consumer<Object> consumer;

        CachedIndex(CachedIndexSpscRing<Object> ring, Supplier<Object> supplier, Consumer<Object> consumer) {
            this.ring = ring;
            this.supplier = supplier;
            this.consumer = consumer;
        }

        @Override boolean offer(Object element) {
            return ring.offer(element);
        }

        @Override Object poll() {
            return ring.poll();
        }

        @Override int fill(int limit) {
            return ring.fill(supplier, limit);
        }

        @Override int drain(int limit) {
            return ring.drain(consumer, limit);
        }
    }

    static final class JCTools extends QueueUnderTest {
        private final MessagePassingQueue<Object> queue;
        private final MessagePassingQueue.Supplier<Object> supplier;
        private final MessagePassingQueue.Consumer<Object> consumer;
        private final boolean relaxed;

        /**
         * {@code relaxed}: relaxedOffer/relaxedPoll, whose poll may return null while a producer has claimed but not
         * stored the next slot (and so never reads the producer index). The default is the strict offer/poll, the
         * same contract as MpscRing's. For SpscArrayQueue the two are the same code.
         */
        JCTools(MessagePassingQueue<Object> queue, Supplier<Object> supplier, Consumer<Object> consumer,
                boolean relaxed) {
            this.queue = queue;
            this.supplier = supplier::get;
            this.consumer = consumer::accept;
            this.relaxed = relaxed;
        }

        @Override boolean offer(Object element) {
            return relaxed ? queue.relaxedOffer(element) : queue.offer(element);
        }

        @Override Object poll() {
            return relaxed ? queue.relaxedPoll() : queue.poll();
        }

        @Override int fill(int limit) {
            return queue.fill(supplier, limit);
        }

        @Override int drain(int limit) {
            return queue.drain(consumer, limit);
        }
    }

    /** Agrona's OneToOne and ManyToOne concurrent array queues, through their shared {@code QueuedPipe}. */
    static final class Agrona extends QueueUnderTest {
        private final QueuedPipe<Object> queue;
        private final Consumer<Object> consumer;

        Agrona(QueuedPipe<Object> queue, Consumer<Object> consumer) {
            this.queue = queue;
            this.consumer = consumer;
        }

        @Override boolean offer(Object element) {
            return queue.offer(element);
        }

        @Override Object poll() {
            return queue.poll();
        }

        @Override int fill(int limit) {
            throw new UnsupportedOperationException("fill");
        }

        @Override int drain(int limit) {
            return queue.drain(consumer, limit);
        }
    }

    static final class Abq extends QueueUnderTest {
        private final ArrayBlockingQueue<Object> queue;

        Abq(ArrayBlockingQueue<Object> queue) {
            this.queue = queue;
        }

        @Override boolean offer(Object element) {
            return queue.offer(element);
        }

        @Override Object poll() {
            return queue.poll();
        }

        @Override int fill(int limit) {
            throw new UnsupportedOperationException("fill");
        }

        @Override int drain(int limit) {
            throw new UnsupportedOperationException("drain");
        }
    }
}
