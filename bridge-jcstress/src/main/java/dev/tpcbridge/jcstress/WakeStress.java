package dev.tpcbridge.jcstress;

import dev.tpcbridge.logbuf.ClaimStatus;
import dev.tpcbridge.logbuf.LogBufferDescriptor;
import dev.tpcbridge.logbuf.ReadClaim;
import dev.tpcbridge.logbuf.WakingLogBuffer;
import dev.tpcbridge.logbuf.WriteClaim;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.WakeSignal;
import dev.tpcbridge.wake.Waker;
import dev.tpcbridge.ring.WakingRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The armed-waiter protocol of the {@code wake} package cannot lose a wake-up. In each scenario one actor makes a
 * transition (publishes into an empty ring, frees a slot of a full one, closes, signals) while the other arms a
 * waker, as a waiter does just before it sleeps. The arbiter records whether {@code arm} said "sleep" (1) or
 * "ready" (0), and how many times the waker was called. "Armed, never woken" is the lost wake-up: forbidden.
 * Waking an armed waker more than once per arm is forbidden too. "Ready, yet woken once" happens when both sides see
 * each other (the notifier takes the waker before the waiter's re-check withdraws it): the waiter does not sleep, and
 * the early wake is one of the spurious wakes every {@code Waker} must tolerate.
 */
public final class WakeStress {
    private WakeStress() {
    }

    /** Counts wake calls; the arbiter reads it after both actors. */
    static final class CountingWaker implements Waker {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void wake() {
            calls.incrementAndGet();
        }
    }

    /** Base state: a waker, and what arm said. */
    abstract static class Armed {
        final CountingWaker waker = new CountingWaker();
        int armed;

        void record(II_Result r) {
            r.r1 = armed;
            r.r2 = waker.calls.get();
        }
    }

    /** SPSC, empty ring: offer (empty to non-empty) against the consumer arming on readable. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the element: the consumer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the offer woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with an element in the ring")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class SpscConsumerWakeup extends Armed {
        final WakingRing<Integer> ring = WakingRing.spsc(2);

        @Actor
        public void producer() {
            ring.offer(1);
        }

        @Actor
        public void consumer() {
            armed = ring.readable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** MPSC, empty ring: the producer claims an index before it stores the element; the same property. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the element: the consumer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the offer woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with an element in the ring")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class MpscConsumerWakeup extends Armed {
        final WakingRing<Integer> ring = WakingRing.mpsc(2);

        @Actor
        public void producer() {
            ring.offer(1);
        }

        @Actor
        public void consumer() {
            armed = ring.readable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** SPSC, empty ring: a fill batch (one fence per batch) against the consumer arming. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the batch: the consumer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the batch woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with a batch in the ring")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class SpscBatchWakeup extends Armed {
        final WakingRing<Integer> ring = WakingRing.spsc(4);

        @Actor
        public void producer() {
            int[] next = {10};
            ring.fill(() -> next[0]++, 3);
        }

        @Actor
        public void consumer() {
            armed = ring.readable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** SPSC, full ring: poll (full to not-full) against the producer arming on writable. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the free slot: the producer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the poll woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with a free slot")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class SpscProducerWakeup extends Armed {
        final WakingRing<Integer> ring = WakingRing.spsc(1);

        public SpscProducerWakeup() {
            ring.offer(0);
        }

        @Actor
        public void consumer() {
            ring.poll();
        }

        @Actor
        public void producer() {
            armed = ring.writable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** MPSC, full ring: a drain batch against the producer arming on writable. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the free slots: the producer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the drain woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with free slots")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class MpscProducerWakeup extends Armed {
        final WakingRing<Integer> ring = WakingRing.mpsc(2);

        public MpscProducerWakeup() {
            ring.offer(0);
            ring.offer(1);
        }

        @Actor
        public void consumer() {
            ring.drain(e -> { }, 2);
        }

        @Actor
        public void producer() {
            armed = ring.writable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /**
     * MPSC, full ring: a poll against a sender arming on {@code sendable()}, the queue that wakes one sender per free
     * slot (issue 23 item 5): the same store-buffering race, through a lock and a count instead of a CAS stack.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the free slot: the sender does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the sender does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the poll woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with a free slot")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class SendableProducerWakeup extends Armed {
        final WakingRing<Integer> ring = WakingRing.mpsc(1);

        public SendableProducerWakeup() {
            ring.offer(0);
        }

        @Actor
        public void consumer() {
            ring.poll();
        }

        @Actor
        public void producer() {
            armed = ring.sendable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** Empty ring: the producer side closes while the consumer arms. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the close: the consumer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the close woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep on a closed ring")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class ProducerCloseWakesConsumer extends Armed {
        final WakingRing<Integer> ring = WakingRing.spsc(2);

        @Actor
        public void closer() {
            ring.closeProducer();
        }

        @Actor
        public void consumer() {
            armed = ring.readable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** Full ring: the consumer side closes while a producer arms. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the close: the producer does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the close woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: a producer asleep on a closed ring")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class ConsumerCloseWakesProducer extends Armed {
        final WakingRing<Integer> ring = WakingRing.spsc(1);

        public ConsumerCloseWakesProducer() {
            ring.offer(0);
        }

        @Actor
        public void closer() {
            ring.closeConsumer();
        }

        @Actor
        public void producer() {
            armed = ring.writable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** A signal against a waiter arming on it. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the count: the waiter does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the signal woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with a pending signal")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class SignalWakeup extends Armed {
        final WakeSignal signal = WakeSignal.create();

        @Actor
        public void signaller() {
            signal.signal();
        }

        @Actor
        public void waiter() {
            armed = signal.arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /**
     * Three wakers armed; the middle one withdraws while a signal wakes. The withdrawal replaces the stack, with a
     * CAS, by a copy of the node above it sharing the tail below it; the signal takes the whole stack. Whichever
     * wins, the two that stay must each be woken exactly once: never lost in a copy the signal missed, never woken by
     * the withdrawal. r1, r2: the wakes of the top and bottom wakers; r3: the withdrawn one's.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "withdrawn first, then the signal woke the two that stayed")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the signal took all three; the withdrawal found nothing")
    @Outcome(expect = FORBIDDEN, desc = "a waker that stayed lost its wake-up or was woken twice, or something else")
    @State
    public static class WithdrawalRacesSignal {
        final WakeSignal signal = WakeSignal.create();
        final CountingWaker top = new CountingWaker();
        final CountingWaker leaving = new CountingWaker();
        final CountingWaker bottom = new CountingWaker();

        public WithdrawalRacesSignal() {
            signal.arm(bottom);
            signal.arm(leaving);
            signal.arm(top);
        }

        @Actor
        public void signaller() {
            signal.signal();
        }

        @Actor
        public void withdrawer() {
            signal.disarm(leaving);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = top.calls.get();
            r.r2 = bottom.calls.get();
            r.r3 = leaving.calls.get();
        }
    }

    /** What the signaller wrote before signal() is seen by a poll() that gets that signal. */
    @JCStressTest
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "take ran first: nothing taken")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "the signal taken, with the write made before it")
    @Outcome(expect = FORBIDDEN, desc = "a signal taken without the write made before it")
    @State
    public static class SignalPublication {
        final WakeSignal signal = WakeSignal.create();
        int data;

        @Actor
        public void signaller() {
            data = 42;
            signal.signal();
        }

        @Actor
        public void taker(II_Result r) {
            long n = signal.poll();
            r.r1 = (int) n;
            r.r2 = n == 1 ? data : -1;
        }
    }

    /** A published element is taken whole by a consumer that was woken (no ordering lost across the wake). */
    @JCStressTest
    @Outcome(id = "1, 7", expect = ACCEPTABLE, desc = "the element, with the write made before its offer")
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "poll ran first")
    @Outcome(expect = FORBIDDEN, desc = "an element seen without the write made before its offer")
    @State
    public static class ElementPublication {
        final WakingRing<int[]> ring = WakingRing.spsc(2);

        @Actor
        public void producer() {
            int[] e = new int[1];
            e[0] = 7;
            if (ring.offer(e) != OfferStatus.OK) {
                throw new AssertionError("offer into an empty ring failed");
            }
        }

        @Actor
        public void consumer(II_Result r) {
            int[] e = ring.poll();
            r.r1 = e == null ? 0 : 1;
            r.r2 = e == null ? -1 : e[0];
        }
    }

    /** SPSC waking log buffer, empty: a claim committed through the decorator against the receiver arming. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the record: the receiver does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the commit woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with a committed record")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class LogBufferCommitWakeup extends Armed {
        final WakingLogBuffer buffer = WakingLogBuffer.spsc(LogBufferDescriptor.MIN_CAPACITY);
        final WriteClaim claim = new WriteClaim();

        @Actor
        public void producer() {
            if (buffer.tryClaim(8, claim) == ClaimStatus.OK) {
                claim.putLong(0, 42L);
                claim.commit(); // reports to the decorator, which fences and wakes
            }
        }

        @Actor
        public void consumer() {
            armed = buffer.readable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }

    /** SPSC waking log buffer, full: a read claim released (room freed) against the sender arming on writable. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the re-check saw the room: the sender does not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw each other: the waiter does not sleep, "
        + "and the wake it got is a harmless early one (a waker latches it)")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "armed first: the release woke it once")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: asleep with room for the largest record")
    @Outcome(expect = FORBIDDEN, desc = "woken more than once per arm, or something else")
    @State
    public static class LogBufferReleaseWakeup extends Armed {
        final WakingLogBuffer buffer = WakingLogBuffer.spsc(LogBufferDescriptor.MIN_CAPACITY);
        final ReadClaim record = new ReadClaim();

        {
            final byte[] payload = new byte[buffer.maxPayloadLength()];
            while (buffer.tryWrite(payload, 0, payload.length) == ClaimStatus.OK) {
                // records of the largest size until the buffer is full for one more
            }
            buffer.tryRead(record); // held: the space comes free only when the receiver releases it
        }

        @Actor
        public void receiver() {
            record.release(); // reports to the decorator, which fences and wakes
        }

        @Actor
        public void sender() {
            armed = buffer.writable().arm(waker) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            record(r);
        }
    }
}
