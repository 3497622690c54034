package dev.tpcbridge.jcstress;

import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.SpscRing;
import dev.tpcbridge.ring.WakingRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZI_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Publication protocols of {@link SpscRing}: one scenario per property. */
public final class SpscRingStress {
    private SpscRingStress() {
    }

    /** A payload with plain fields: seeing the element must mean seeing the fields written before the offer. */
    static final class Payload {
        int a;
        int b;
    }

    /**
     * Element publication: the producer writes a payload's plain fields, then offers it; a consumer that polls the
     * element sees both fields (the slot's release store pairs with the consumer's acquire load).
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "poll ran before the offer: empty")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the element and both fields it was offered with")
    @Outcome(expect = FORBIDDEN, desc = "an element seen without the writes made before its offer")
    @State
    public static class ElementPublication {
        final SpscRing<Payload> ring = SpscRing.create(2);

        @Actor
        public void producer() {
            Payload p = new Payload();
            p.a = 1;
            p.b = 2;
            ring.offer(p);
        }

        @Actor
        public void consumer(II_Result r) {
            Payload p = ring.poll();
            r.r1 = p == null ? -1 : p.a;
            r.r2 = p == null ? -1 : p.b;
        }
    }

    /**
     * Batch publication: the elements of a fill become visible in order, each complete (the element is its slot's
     * "published" flag), possibly before the whole batch is: never the second without the first.
     */
    @JCStressTest
    @Outcome(id = "0, -1, -1", expect = ACCEPTABLE, desc = "drain ran before the fill")
    @Outcome(id = "1, 10, -1", expect = ACCEPTABLE, desc = "drain ran while the fill was storing: the first element")
    @Outcome(id = "2, 10, 11", expect = ACCEPTABLE, desc = "the whole batch, in order")
    @Outcome(expect = FORBIDDEN, desc = "elements out of order, or the second without the first")
    @State
    public static class BatchPublication {
        final SpscRing<Integer> ring = SpscRing.create(4);
        final int[] seen = {-1, -1};

        @Actor
        public void producer() {
            int[] next = {10};
            ring.fill(() -> next[0] < 12 ? next[0]++ : null, 4);
        }

        @Actor
        public void consumer(III_Result r) {
            int[] count = {0};
            r.r1 = ring.drain(e -> seen[count[0]++] = e, 4);
            r.r2 = seen[0];
            r.r3 = seen[1];
        }
    }

    /**
     * Close/drain visibility: the producer offers then closes its side. A consumer that sees "closed for poll"
     * must already have taken the element, so it can never see closed while the element is still unread.
     */
    @JCStressTest
    @Outcome(id = "false, 7", expect = ACCEPTABLE, desc = "not yet closed-and-empty; the element then polled")
    @Outcome(id = "false, -1", expect = ACCEPTABLE, desc = "looked before the offer")
    @Outcome(expect = FORBIDDEN, desc = "closed-for-poll reported while an element offered before the close is unread")
    @State
    public static class CloseAfterOffer {
        final SpscRing<Integer> ring = SpscRing.create(2);

        @Actor
        public void producer() {
            ring.offer(7);
            ring.closeProducer();
        }

        @Actor
        public void consumer(ZI_Result r) {
            r.r1 = ring.isClosedForPoll();
            Integer e = ring.poll();
            r.r2 = e == null ? -1 : e;
        }
    }

    /**
     * A consumer-side close racing an offer: an element the producer's offer reported OK reaches the undelivered
     * handler exactly once, either in the consumer's sweep or in the producer's next call (here its closeProducer,
     * run by the arbiter as the producer's last act); an element reported CLOSED never does.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "offer OK, element handed to the undelivered handler once")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "offer saw the close: CLOSED, element kept by the caller")
    @Outcome(expect = FORBIDDEN, desc = "element lost, handed over twice, or handed over though the offer failed")
    @State
    public static class ConsumerCloseRace {
        final AtomicInteger handed = new AtomicInteger();
        final SpscRing<Integer> ring = SpscRing.create(2, e -> handed.incrementAndGet());
        OfferStatus status;

        @Actor
        public void producer() {
            status = ring.offer(1);
        }

        @Actor
        public void consumer() {
            ring.closeConsumer();
        }

        @Arbiter
        public void producerStops(II_Result r) {
            ring.closeProducer();
            r.r1 = status.ordinal();
            r.r2 = handed.get();
        }
    }

    /**
     * The same race, with a producer that makes no further call (issue 23 item 2): an element its offer reported OK
     * is handed over by the time both calls have returned, by the consumer's sweep or by the offer itself, which
     * checks for a close after it publishes (a full fence there pairs with the close's read-modify-write).
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "offer OK, element handed to the undelivered handler once")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "offer saw the close: CLOSED, element kept by the caller")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "offer OK, element neither received nor handed over")
    @Outcome(expect = FORBIDDEN, desc = "handed over twice, or handed over though the offer failed")
    @State
    public static class ConsumerCloseRaceWithALastOffer {
        final AtomicInteger handed = new AtomicInteger();
        final SpscRing<Integer> ring = SpscRing.create(2, e -> handed.incrementAndGet());
        OfferStatus status;

        @Actor
        public void producer() {
            status = ring.offer(1);
        }

        @Actor
        public void consumer() {
            ring.closeConsumer();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = status.ordinal();
            r.r2 = handed.get();
        }
    }

    /**
     * As {@link ConsumerCloseRaceWithALastOffer}, over {@code WakingRing.spsc} (what {@code RingChannel.spsc} and the
     * bridge use): the close check rides on the fence that the wake protocol already pays after each publication.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "offer OK, element handed to the undelivered handler once")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "offer saw the close: CLOSED, element kept by the caller")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "offer OK, element neither received nor handed over")
    @Outcome(expect = FORBIDDEN, desc = "handed over twice, or handed over though the offer failed")
    @State
    public static class WakingConsumerCloseRaceWithALastOffer {
        final AtomicInteger handed = new AtomicInteger();
        final WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(2)
            .onUndelivered(e -> handed.incrementAndGet()).build();
        OfferStatus status;

        @Actor
        public void producer() {
            status = ring.offer(1);
        }

        @Actor
        public void consumer() {
            ring.closeConsumer();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = status.ordinal();
            r.r2 = handed.get();
        }
    }

    /** As {@link ConsumerCloseRaceWithALastOffer}, for a fill: every element it reported is handed over. */
    @JCStressTest
    @Outcome(id = "2, 2", expect = ACCEPTABLE, desc = "both elements filled, both handed over")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "fill saw the close: nothing filled, nothing handed over")
    @Outcome(expect = FORBIDDEN, desc = "a filled element lost or handed over twice")
    @State
    public static class ConsumerCloseRaceWithALastFill {
        final AtomicInteger handed = new AtomicInteger();
        final SpscRing<Integer> ring = SpscRing.create(4, e -> handed.incrementAndGet());
        int filled;

        @Actor
        public void producer() {
            int[] next = {0};
            filled = ring.fill(() -> next[0] < 2 ? next[0]++ : null, 4);
        }

        @Actor
        public void consumer() {
            ring.closeConsumer();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = filled;
            r.r2 = handed.get();
        }
    }

    /**
     * Two reclaimers at once: after a consumer-side close, the producer's closeProducer and the consumer's second
     * closeConsumer both sweep; the element is handed over exactly once.
     */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "handed over exactly once")
    @Outcome(expect = FORBIDDEN, desc = "lost or handed over twice")
    @State
    public static class ConcurrentSweeps {
        final AtomicInteger handed = new AtomicInteger();
        final SpscRing<Integer> ring = SpscRing.create(2, e -> handed.incrementAndGet());

        @Actor
        public void producer() {
            if (ring.offer(1) == OfferStatus.OK) {
                ring.closeProducer();
            } else {
                handed.incrementAndGet(); // kept by the caller: count it here, so 1 is the only right answer
            }
        }

        @Actor
        public void consumer() {
            ring.closeConsumer();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = handed.get();
        }
    }
}
