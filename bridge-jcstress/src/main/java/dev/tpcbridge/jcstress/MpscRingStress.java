package dev.tpcbridge.jcstress;

import dev.tpcbridge.ring.MpscRing;
import dev.tpcbridge.ring.OfferStatus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Publication protocols of {@link MpscRing}: one scenario per property. */
public final class MpscRingStress {
    private MpscRingStress() {
    }

    static final class Payload {
        int a;
        int b;

        Payload(int a, int b) {
            this.a = a;
            this.b = b;
        }
    }

    /**
     * Element publication from two producers: the consumer sees an element only with the fields written before its
     * offer (the slot release pairs with the consumer's acquire). The second actor is a producer and then the
     * consumer (jcstress gives each actor a CPU, and CI has two), so its poll always finds an element: its own, or
     * the first producer's, possibly claimed but not yet stored, which the poll must wait for, never tear.
     */
    @JCStressTest
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the first producer's element, complete")
    @Outcome(id = "3, 4", expect = ACCEPTABLE, desc = "the second producer's element, complete")
    @Outcome(expect = FORBIDDEN, desc = "nothing, or an element seen without the writes made before its offer")
    @State
    public static class ElementPublication {
        final MpscRing<Payload> ring = MpscRing.create(4);

        @Actor
        public void producer1() {
            ring.offer(new Payload(1, 2));
        }

        @Actor
        public void producer2ThenConsumer(II_Result r) {
            ring.offer(new Payload(3, 4));
            Payload p = ring.poll();
            r.r1 = p == null ? -1 : p.a;
            r.r2 = p == null ? -1 : p.b;
        }
    }

    /**
     * A producer-side close racing an offer from another thread: the close is ordered with the claim by the same
     * CAS, so an element reported OK is always delivered and one reported CLOSED never is.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "offer first: OK, and the consumer gets the element")
    @Outcome(id = "2, -1", expect = ACCEPTABLE, desc = "close first: CLOSED, nothing to get")
    @Outcome(expect = FORBIDDEN, desc = "an OK element lost, or a CLOSED element delivered")
    @State
    public static class ProducerCloseRace {
        final MpscRing<Integer> ring = MpscRing.create(2);
        OfferStatus status;

        @Actor
        public void producer() {
            status = ring.offer(1);
        }

        @Actor
        public void closer() {
            ring.closeProducer();
        }

        @Arbiter
        public void consumer(II_Result r) {
            Integer e = ring.poll();
            r.r1 = status.ordinal();
            r.r2 = e == null ? -1 : e;
        }
    }

    /**
     * A consumer-side close racing an offer: exact, with no help from the producer afterwards. An element reported
     * OK reaches the undelivered handler within closeConsumer, once; one reported CLOSED never does.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "offer first: handed to the undelivered handler once")
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "close first: CLOSED, kept by the caller")
    @Outcome(expect = FORBIDDEN, desc = "lost, handed over twice, or handed over though the offer failed")
    @State
    public static class ConsumerCloseRace {
        final AtomicInteger handed = new AtomicInteger();
        final MpscRing<Integer> ring = MpscRing.create(2, e -> handed.incrementAndGet());
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
     * A fill that claims four slots but gets one element hands the rest back, racing another producer that then
     * polls: every element arrives exactly once and nothing else (no skip marker, no phantom) is seen.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "both elements exactly once, nothing else")
    @Outcome(expect = FORBIDDEN, desc = "an element lost or duplicated, or something else seen")
    @State
    public static class FillHandBack {
        /** Room for the fill's four claimed slots and the offer, so that neither can see FULL. */
        final MpscRing<Integer> ring = MpscRing.create(8);
        volatile Integer polled;

        @Actor
        public void filler() {
            int[] given = {0};
            ring.fill(() -> given[0]++ == 0 ? 1 : null, 4);
        }

        @Actor
        public void producerThenConsumer() {
            ring.offer(5);
            polled = ring.poll();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            int ones = 0;
            int fives = 0;
            int other = 0;
            Integer e = polled;
            do {
                if (e != null) {
                    if (e == 1) {
                        ones++;
                    } else if (e == 5) {
                        fives++;
                    } else {
                        other++;
                    }
                }
                e = ring.poll();
            } while (e != null);
            r.r1 = ones;
            r.r2 = fives;
            r.r3 = other;
        }
    }

    /**
     * A fill that claims four slots but gets one element, racing a consumer-side close: the close waits for the
     * claimed batch, so the one element is handed to the undelivered handler exactly once and the slots handed
     * back or skipped never are; a fill that found the ring closed took nothing.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "fill first: its one element handed over once")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "close first: the fill took nothing")
    @Outcome(expect = FORBIDDEN, desc = "an element lost or handed over twice, or a skipped slot handed over")
    @State
    public static class FillStopsEarlyVersusConsumerClose {
        final AtomicInteger handed = new AtomicInteger();
        final MpscRing<Integer> ring = MpscRing.create(8, e -> {
            if (e == 1) {
                handed.incrementAndGet();
            } else {
                handed.addAndGet(100);
            }
        });
        int filled;

        @Actor
        public void filler() {
            int[] given = {0};
            filled = ring.fill(() -> given[0]++ == 0 ? 1 : null, 4);
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
}
