package dev.tpcbridge.jcstress;

import dev.tpcbridge.multicast.MulticastBuffer;
import dev.tpcbridge.multicast.Subscriber;
import dev.tpcbridge.multicast.PublishStatus;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Publication protocols of {@link MulticastBuffer}: one scenario per property. */
public final class MulticastStress {
    private MulticastStress() {
    }

    /** A payload with plain fields: seeing the element must mean seeing the fields written before the publication. */
    static final class Payload {
        final int id;
        int a;
        int b;

        Payload(int id) {
            this.id = id;
        }

        /** The payload's id if both fields are those written before its publication, else -100 - id. */
        int check() {
            return a == id * 10 + 1 && b == id * 10 + 2 ? id : -100 - id;
        }

        static Payload of(int id) {
            Payload p = new Payload(id);
            p.a = id * 10 + 1;
            p.b = id * 10 + 2;
            return p;
        }
    }

    /**
     * Lossless publication into a reused slot: capacity 1, element 0 already taken by the only subscriber, then the
     * producer publishes element 1 into the same slot while the subscriber polls. The subscriber sees nothing, or
     * element 1 with both fields: never element 0 again (a stale slot), never element 1 without its fields.
     */
    @JCStressTest
    @Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "poll ran before the publication: empty")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "element 1 with the fields it was published with")
    @Outcome(expect = FORBIDDEN, desc = "a stale element, or an element without the writes made before publication")
    @State
    public static class Publication {
        final MulticastBuffer<Payload> buffer = MulticastBuffer.lossless(1);
        final Subscriber<Payload> subscriber = buffer.subscribe();

        public Publication() {
            buffer.offer(Payload.of(0));
            subscriber.poll();
        }

        @Actor
        public void producer() {
            buffer.offer(Payload.of(1));
        }

        @Actor
        public void consumer(II_Result r) {
            Payload p = subscriber.poll();
            r.r1 = p == null ? -1 : p.check();
            r.r2 = (int) subscriber.lost();
        }
    }

    /**
     * A subscribe racing two publications into a capacity-1 lossless buffer with no other subscriber (so nothing else
     * gates the producer). The new subscriber starts at some position; what it then sees (two polls, the rest
     * drained by the arbiter) must be exactly the elements published OK from that position on, in order: a producer
     * that missed the registration must not overwrite the slot the subscriber starts at. A publication racing the
     * subscribe may be refused FULL by the new subscriber's provisional position (the cursor before it registered),
     * which it holds until it has read its start: transient, and the element stays with the caller.
     */
    @JCStressTest
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "subscribed before both publications; saw what was published")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "subscribed between them; saw the second")
    @Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "subscribed after both; saw nothing")
    @Outcome(id = "1, 2", expect = ACCEPTABLE_INTERESTING,
        desc = "subscribed between them; the second was refused FULL while the subscriber settled its start")
    @Outcome(expect = FORBIDDEN, desc = "the subscriber saw an element it should not have, or missed one")
    @State
    public static class SubscribeRacingPublish {
        final MulticastBuffer<Payload> buffer = MulticastBuffer.lossless(1);
        final PublishStatus[] statuses = new PublishStatus[2];
        Subscriber<Payload> subscriber;
        long start;
        final int[] seen = {-1, -1, -1, -1};
        int count;

        @Actor
        public void producer() {
            statuses[0] = buffer.offer(Payload.of(0));
            statuses[1] = buffer.offer(Payload.of(1));
        }

        @Actor
        public void subscriber() {
            Subscriber<Payload> s = buffer.subscribe();
            start = s.position();
            for (int i = 0; i < 2; i++) {
                Payload p = s.poll();
                if (p != null) {
                    seen[count++] = p.check();
                }
            }
            subscriber = s;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            Payload p;
            while ((p = subscriber.poll()) != null) {
                seen[count++] = p.check();
            }
            int expected = 0;
            boolean consistent = statuses[0] == PublishStatus.OK;
            boolean settling = false;
            for (int i = (int) start; i < 2; i++) {
                if (statuses[i] == PublishStatus.OK) {
                    consistent &= expected < count && seen[expected] == i;
                    expected++;
                } else {
                    // only the second publication may be FULL: while the new subscriber holds slot 0 (start 0), or
                    // while it is registered at its provisional position 0 and has not yet settled at 1
                    consistent &= statuses[i] == PublishStatus.FULL && i == 1;
                    settling = start == 1;
                }
            }
            // a publication before the start is never seen; after it, OK ones are all seen, in order
            r.r1 = (int) start;
            r.r2 = consistent && expected == count ? (settling ? 2 : 1) : 0;
        }
    }

    /**
     * An unsubscribe racing the unsubscribed subscriber's own poll and the gating minimum: capacity 1, subscriber B
     * holds slot 0 (element 0 not taken yet), A has taken it. One thread closes B (B's owner is another thread) and
     * then publishes element 1, which the producer may do once it sees B gone: into slot 0. B's owner polls at the
     * same time, while its sequence may be read by the producer's refresh. B gets element 0 or learns it is closed,
     * never element 1 (the slot reused under it); the publication is OK, and A sees element 1.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "B took element 0 before its close was seen")
    @Outcome(id = "1, -2, 1", expect = ACCEPTABLE, desc = "B's poll saw its close")
    @Outcome(expect = FORBIDDEN, desc = "B saw the reused slot, the close did not release the producer, or A's view")
    @State
    public static class UnsubscribeRacingGate {
        final MulticastBuffer<Payload> buffer = MulticastBuffer.lossless(1);
        final Subscriber<Payload> a = buffer.subscribe();
        final Subscriber<Payload> b = buffer.subscribe();
        int status;

        public UnsubscribeRacingGate() {
            buffer.offer(Payload.of(0));
            a.poll();
        }

        @Actor
        public void closerThenProducer() {
            b.close();
            status = buffer.offer(Payload.of(1)) == PublishStatus.OK ? 1 : 0;
        }

        @Actor
        public void owner(III_Result r) {
            try {
                Payload p = b.poll();
                r.r2 = p == null ? -3 : p.check();
            } catch (IllegalStateException closed) {
                r.r2 = -2;
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = status;
            Payload p = a.poll();
            r.r3 = p == null ? -1 : p.check();
        }
    }

    /**
     * Lossy lap detection: capacity 1, the producer publishes elements 0 and 1 into the one slot while the subscriber
     * polls once; the arbiter drains the rest. The subscriber sees nothing, element 0, or element 1 with a loss of 1
     * counted, each with its fields (never a stale or half-seen element), and received + lost = 2 at the end. Results:
     * the first poll, the loss seen right after it, how many were received in all, received + lost.
     */
    @JCStressTest
    @Outcome(id = "-1, 0, 1, 2", expect = ACCEPTABLE, desc = "polled before element 0 was out; lapped later: 1 lost")
    @Outcome(id = "0, 0, 2, 2", expect = ACCEPTABLE, desc = "polled element 0, then element 1 later")
    @Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE, desc = "lapped: element 1, element 0 counted lost")
    @Outcome(expect = FORBIDDEN, desc = "a stale or half-seen element, a miscounted loss, or accounting != 2")
    @State
    public static class LossyLap {
        final MulticastBuffer<Payload> buffer = MulticastBuffer.lossy(1);
        final Subscriber<Payload> subscriber = buffer.subscribe();
        int first;
        int lostAfterFirst;

        @Actor
        public void producer() {
            buffer.offer(Payload.of(0));
            buffer.offer(Payload.of(1));
        }

        @Actor
        public void consumer() {
            Payload p = subscriber.poll();
            first = p == null ? -1 : p.check();
            lostAfterFirst = (int) subscriber.lost();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            int received = first >= 0 ? 1 : 0;
            int last = first;
            Payload p;
            while ((p = subscriber.poll()) != null) {
                int id = p.check();
                if (id <= last) {
                    received = -100; // out of order or stale
                }
                last = id;
                received++;
            }
            r.r1 = first;
            r.r2 = lostAfterFirst;
            r.r3 = received;
            r.r4 = received + (int) subscriber.lost();
        }
    }

    /**
     * A publisher that sees a new subscriber counted ({@code subscriberCount()}), and then publishes, has that
     * subscriber see the element: the count includes a subscriber only once its start is fixed. (Its registration is
     * visible earlier; counted from there, a subscriber that chose its start after the publication missed it, and a
     * Kotlin spec that waits for the count before publishing hung.) r1: 1 if the publisher saw the subscriber and
     * published; r2: 1 if the subscriber then holds the element.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "not counted yet: nothing published")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "counted, then published: seen")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "counted, then published: missed")
    @State
    public static class CountedSubscriberSeesWhatFollows {
        final MulticastBuffer<Payload> buffer = MulticastBuffer.lossless(4);
        final Payload payload = new Payload(7);
        volatile Subscriber<Payload> subscriber;

        @Actor
        public void subscribe() {
            subscriber = buffer.subscribe();
        }

        @Actor
        public void publish(II_Result r) {
            if (buffer.subscriberCount() == 1) {
                buffer.offer(payload);
                r.r1 = 1;
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r2 = subscriber.poll() == payload ? 1 : 0;
        }
    }
}
