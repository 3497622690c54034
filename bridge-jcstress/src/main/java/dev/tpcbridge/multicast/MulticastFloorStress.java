package dev.tpcbridge.multicast;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The lossless floor ({@link MulticastBuffer#advanceFloor}): the last subscriber to pass a slot clears it, and no
 * clear ever hits a slot the producer has reused or a subscriber will read. This class sits in the buffer's package
 * (the floor and the slots are package-private; the jcstress jar holds both on one class path).
 */
public final class MulticastFloorStress {
    private MulticastFloorStress() {
    }

    private static int value(Object element) {
        return element == null ? 0 : (Integer) element;
    }

    /**
     * Two subscribers take the one element at the same moment: whichever is last must see the other's advance and
     * clear the slot (Dekker: each releases its sequence, fences, then reads the floor and the other's sequence).
     * r1, r2: what each took (one by poll, one by drain); r3: the slot (0 cleared); r4: the floor's index.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "both took it; the last one cleared it")
    @Outcome(expect = FORBIDDEN, desc = "the element was kept after both passed it, or the floor did not move")
    @State
    public static class LastOfTwoClears {
        final MulticastBuffer<Integer> buffer = MulticastBuffer.lossless(4);
        final Subscriber<Integer> a = buffer.subscribe();
        final Subscriber<Integer> b = buffer.subscribe();
        int drained;

        public LastOfTwoClears() {
            buffer.offer(1);
        }

        @Actor
        public void first(IIII_Result r) {
            r.r1 = value(a.poll());
        }

        @Actor
        public void second(IIII_Result r) {
            b.drain(e -> drained = e, 4);
            r.r2 = drained;
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r3 = value(buffer.elements[buffer.offset(0)]);
            r.r4 = (int) (buffer.floor >>> 1);
        }
    }

    /** {@link LastOfTwoClears} on a busy-spin buffer, which pays the same fence after a subscriber's advance. */
    @JCStressTest
    @Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "both took it; the last one cleared it")
    @Outcome(expect = FORBIDDEN, desc = "the element was kept after both passed it, or the floor did not move")
    @State
    public static class LastOfTwoClearsBusySpin {
        final MulticastBuffer<Integer> buffer = MulticastBuffer.<Integer>builder().capacity(4).busySpin().build();
        final Subscriber<Integer> a = buffer.subscribe();
        final Subscriber<Integer> b = buffer.subscribe();

        public LastOfTwoClearsBusySpin() {
            buffer.offer(1);
        }

        @Actor
        public void first(IIII_Result r) {
            r.r1 = value(a.poll());
        }

        @Actor
        public void second(IIII_Result r) {
            r.r2 = value(b.poll());
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r3 = value(buffer.elements[buffer.offset(0)]);
            r.r4 = (int) (buffer.floor >>> 1);
        }
    }

    /**
     * Capacity 1: the only subscriber takes element 1 (and clears its slot) while the producer offers element 2 into
     * that slot. The producer may publish only after the clear, so element 2 is never wiped. r1: the poll; r2: the
     * offer (1 OK, 0 FULL); r3: a poll after both.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "the clear, then the offer of 2 into the cleared slot")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the offer came first: full, nothing more to take")
    @Outcome(expect = FORBIDDEN, desc = "the clear wiped the new element, or the offer overwrote an unread one")
    @State
    public static class ClearVersusPublish {
        final MulticastBuffer<Integer> buffer = MulticastBuffer.lossless(1);
        final Subscriber<Integer> subscriber = buffer.subscribe();

        public ClearVersusPublish() {
            buffer.offer(1);
        }

        @Actor
        public void consumer(III_Result r) {
            r.r1 = value(subscriber.poll());
        }

        @Actor
        public void producer(III_Result r) {
            r.r2 = buffer.offer(2) == PublishStatus.OK ? 1 : 0;
        }

        @Arbiter
        public void after(III_Result r) {
            r.r3 = value(subscriber.poll());
        }
    }

    /**
     * A subscribe races the clear of the slot before it: subscriber A takes element 1 while B subscribes. B starts
     * after element 1 whichever comes first, the slot ends cleared (by A, or by B's look once it has started), and B
     * takes element 2 published after both. r1: A's poll; r2: B's start; r3: the slot of element 1 (0 cleared); r4:
     * B's poll of element 2.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0, 2", expect = ACCEPTABLE, desc = "B started after element 1, which is cleared")
    @Outcome(expect = FORBIDDEN, desc = "B started before a cleared slot, the slot was kept, or B missed element 2")
    @State
    public static class SubscribeVersusClear {
        final MulticastBuffer<Integer> buffer = MulticastBuffer.lossless(4);
        final Subscriber<Integer> a = buffer.subscribe();
        Subscriber<Integer> b;

        public SubscribeVersusClear() {
            buffer.offer(1);
        }

        @Actor
        public void first(IIII_Result r) {
            r.r1 = value(a.poll());
        }

        @Actor
        public void second(IIII_Result r) {
            b = buffer.subscribe();
            r.r2 = (int) b.position();
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r3 = value(buffer.elements[buffer.offset(0)]);
            buffer.offer(2);
            r.r4 = value(b.poll());
        }
    }

    /**
     * No subscriber yet: the producer publishes element 1 and, with nobody registered, clears it at once, while a
     * subscriber registers. The subscriber either starts before element 1 and takes it (it was not cleared under it),
     * or starts after it; element 2, published after both, always reaches it. r1: the subscriber's poll; r2, r3: two
     * polls after element 2 is published.
     */
    @JCStressTest
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "started before element 1 and took it, then element 2")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "started before element 1, which came after its poll")
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "started after element 1")
    @Outcome(expect = FORBIDDEN, desc = "an element cleared under a subscriber that was to read it, or one missed")
    @State
    public static class PublishWithNoSubscriberVersusSubscribe {
        final MulticastBuffer<Integer> buffer = MulticastBuffer.lossless(4);
        Subscriber<Integer> subscriber;

        @Actor
        public void producer() {
            buffer.offer(1);
        }

        @Actor
        public void subscriber(III_Result r) {
            subscriber = buffer.subscribe();
            r.r1 = value(subscriber.poll());
        }

        @Arbiter
        public void after(III_Result r) {
            buffer.offer(2);
            r.r2 = value(subscriber.poll());
            r.r3 = value(subscriber.poll());
        }
    }
}
