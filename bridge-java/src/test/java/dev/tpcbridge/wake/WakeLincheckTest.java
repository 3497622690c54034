package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Threads.CountingWaker;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.WakingRing;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Lincheck models of the wake package, each run with the model checking and the stress strategies.
 *
 * <ul>
 *   <li>{@link Signal}: {@link WakeSignal} as a concurrent counter, against {@link SignalSpec}; {@code armAndDisarm}
 *   returns whether {@code arm} armed, which must be "count 0 and open" at some point within the call;
 *   {@link SignalClosing} and {@link SignalWaiterClosing} add the close (the count and the closed flag share one
 *   word, so a signal or a poll racing the close is linearizable: an earlier version that kept them apart failed
 *   both checks in seconds).</li>
 *   <li>{@link Spsc} and {@link Mpsc}: the non-blocking operations of {@link WakingRing} over both rings, against
 *   {@link RingSpec} (a bounded FIFO with two-sided close, written independently of the ring package's spec).</li>
 *   <li>{@link SignalWaiter}, {@link ReadableSpsc}, {@link ReadableMpsc}, {@link WritableSpsc} and {@link
 *   WritableMpsc}: the armed-waiter protocol without parking ({@link SendableMpsc}: the senders' queue, which wakes one
 *   sender per free slot and passes the wake of one that gives up on). A waiter operation does what a blocking call
 *   does up to the park (try, arm a {@link CountingWaker}, re-try when {@code arm} says the condition holds) and
 *   returns instead of sleeping; its result is linearizable ("armed" means "nothing to do at the arm's re-check"). The
 *   {@link Validate} function, run when the scenario is over, asserts that no wake-up was lost: a waker still armed
 *   while its condition holds (an element buffered, a slot free, a count pending, a close) must have been woken. The
 *   waiter disarms its previous waker at its next operation, as a woken waiter does. There is no post part in these
 *   models, so that the end of the parallel part is what the validation sees. Closes are in separate models ({@code
 *   ...Closing}, each close at most once per scenario, model checking only in this tier): a close wakes every waiter,
 *   so scenarios with closes hide most lost transition wake-ups.</li>
 * </ul>
 *
 * <p>Lincheck explores sequentially consistent interleavings: it shows that the protocol's order of operations is
 * right (publish, then look for a waiter; announce, then re-check), not that the fences make the hardware keep that
 * order; jcstress {@code WakeStress} covers that. Batch operations run with limit 1, as in {@code RingLincheckTest}.
 * {@link WakeLincheckStressTest} runs the same models with larger sizes under {@code -Pstress}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WakeLincheckTest {
    static final int CAPACITY = 2;
    /** Slots for per-thread wakers: Lincheck's thread ids are 0 (init part) to threads + 1 (post part). */
    static final int MAX_THREAD_IDS = 8;

    // ---------------------------------------------------------------- test wakers and waiters

    /** One waiter of a ring's consumer side: its last armed waker, withdrawn at its next attempt. */
    static final class ReadableWaiter {
        private CountingWaker armed;

        /** A blocking take up to the park: "took v", "closed" (closed and drained) or "armed" (would sleep). */
        String await(WakingRing<Integer> ring) {
            if (armed != null) {
                ring.readable().disarm(armed); // woken (or given up): withdraw, then re-check
                armed = null;
            }
            while (true) {
                final Integer element = ring.poll();
                if (element != null) {
                    return "took " + element;
                }
                if (ring.isClosedForPoll()) {
                    return "closed";
                }
                final CountingWaker waker = new CountingWaker();
                if (ring.readable().arm(waker)) {
                    armed = waker;
                    return "armed";
                }
                // arm() saw an element or the close: the waiter must not sleep, it re-checks
            }
        }

        void assertNoLostWakeup(WakingRing<Integer> ring) {
            if (armed != null && !armed.woken() && (!ring.isEmpty() || ring.isClosedForPoll())) {
                throw new AssertionError("lost wake-up: the consumer's waker is armed and was never woken, but "
                    + ring + (ring.isEmpty() ? " is closed for poll" : " holds an element"));
            }
        }
    }

    /**
     * One waiter of a ring's producer side, on {@code writable()} (every waiter woken per transition) or
     * {@code sendable()} (an MPSC ring's senders, woken in line, one per free slot): its last armed waker, withdrawn at
     * its next attempt, or abandoned when it gives up (a timeout, a cancellation).
     */
    static final class WritableWaiter {
        private final Function<WakingRing<Integer>, Wakeable> condition;
        private CountingWaker armed;

        WritableWaiter() {
            this(WakingRing::writable);
        }

        WritableWaiter(Function<WakingRing<Integer>, Wakeable> condition) {
            this.condition = condition;
        }

        /** A blocking put up to the park: "ok", "closed" or "armed" (would sleep; the element is dropped). */
        String await(WakingRing<Integer> ring, int value) {
            if (armed != null) {
                condition.apply(ring).disarm(armed); // woken (or not yet): withdraw, then try, using any wake given
                armed = null;
            }
            while (true) {
                final OfferStatus status = ring.offer(value);
                if (status == OfferStatus.OK) {
                    return "ok";
                }
                if (status == OfferStatus.CLOSED) {
                    return "closed";
                }
                final CountingWaker waker = new CountingWaker();
                if (condition.apply(ring).arm(waker)) {
                    armed = waker;
                    return "armed";
                }
            }
        }

        /** Gives up for good: "gave up" if it was waiting (a wake it was given goes on), else "idle". */
        String giveUp(WakingRing<Integer> ring) {
            if (armed == null) {
                return "idle";
            }
            condition.apply(ring).abandon(armed);
            armed = null;
            return "gave up";
        }

        boolean isAsleep() {
            return armed != null && !armed.woken();
        }

        boolean isWokenToRetry() {
            return armed != null && armed.woken();
        }

        void assertNoLostWakeup(WakingRing<Integer> ring) {
            if (isAsleep() && (ring.size() < ring.capacity() || ring.isClosedForOffer())) {
                throw new AssertionError("lost wake-up: a producer's waker is armed and was never woken, but "
                    + ring + (ring.isClosedForOffer() ? " is closed for offer" : " has a free slot"));
            }
        }
    }

    // ---------------------------------------------------------------- WakeSignal

    /**
     * The signal as a concurrent counter, every operation on every thread, no close: {@link SignalClosing} adds the
     * close.
     */
    @Param(name = "n", gen = IntGen.class, conf = "1:3")
    public static class Signal {
        final WakeSignal signal = WakeSignal.create();

        public Signal() {
        }

        @Operation
        public void signal() {
            signal.signal();
        }

        @Operation
        public void signalN(@Param(name = "n") int n) {
            signal.signal(n);
        }

        @Operation
        public long poll() {
            return signal.poll();
        }

        @Operation
        public long count() {
            return signal.count();
        }

        /** Arms a waker and reports whether it was armed, then disarms it. */
        @Operation
        public boolean armAndDisarm() {
            final CountingWaker waker = new CountingWaker();
            final boolean armed = signal.arm(waker);
            signal.disarm(waker);
            return armed;
        }
    }

    /**
     * {@link Signal} with {@code close} and {@code isClosed} on every thread. An earlier version failed it two ways,
     * both against the class comment ("afterwards signal is ignored, poll still returns what was signalled before,
     * then CLOSED"); Lincheck's counterexamples:
     * <ul>
     *   <li>T1 {@code signal()} || T2 {@code close(); poll() == CLOSED}, then {@code poll() == 1}: {@code signal}
     *   reads the closed flag, then adds, and the close falls between the two;</li>
     *   <li>T1 {@code poll() == CLOSED} || T2 {@code signalN(3); close()}, with 3 left in the count: {@code poll}
     *   swaps the count (0), then reads the closed flag, and the signal and the close fall between the two.</li>
     * </ul>
     */
    @Param(name = "n", gen = IntGen.class, conf = "1:3")
    public static class SignalClosing extends Signal {
        public SignalClosing() {
        }

        @Operation
        public void close() {
            signal.close();
        }

        @Operation
        public boolean isClosed() {
            return signal.isClosed();
        }
    }

    /** A signal's waiter (one thread, as a blocking take up to the park) against signallers and takers. */
    @Param(name = "n", gen = IntGen.class, conf = "1:3")
    public static class SignalWaiter {
        final WakeSignal signal = WakeSignal.create();
        private CountingWaker armed;

        public SignalWaiter() {
        }

        @Operation
        public void signal() {
            signal.signal();
        }

        @Operation
        public void signalN(@Param(name = "n") int n) {
            signal.signal(n);
        }

        @Operation
        public long poll() {
            return signal.poll();
        }

        /** "took n", "closed" or "armed" (would sleep). */
        @Operation(nonParallelGroup = "waiter")
        public String awaitSignal() {
            if (armed != null) {
                signal.disarm(armed);
                armed = null;
            }
            while (true) {
                final long taken = signal.poll();
                if (taken == WakeSignal.CLOSED) {
                    return "closed";
                }
                if (taken != 0) {
                    return "took " + taken;
                }
                final CountingWaker waker = new CountingWaker();
                if (signal.arm(waker)) {
                    armed = waker;
                    return "armed";
                }
            }
        }

        @Validate
        public void noLostWakeup() {
            if (armed != null && !armed.woken() && (signal.count() != 0 || signal.isClosed())) {
                throw new AssertionError("lost wake-up: the waiter's waker is armed and was never woken, but "
                    + signal);
            }
        }
    }

    /** {@link SignalWaiter} with {@code close} on every thread, see {@link SignalClosing}. */
    @Param(name = "n", gen = IntGen.class, conf = "1:3")
    public static class SignalWaiterClosing extends SignalWaiter {
        public SignalWaiterClosing() {
        }

        @Operation(runOnce = true)
        public void close() {
            signal.close();
        }
    }

    /** The sequential specification of the signal models: a counter and a flag. */
    public static class SignalSpec {
        private long count;
        private boolean closed;

        public SignalSpec() {
        }

        public void signal() {
            signalN(1);
        }

        public void signalN(int n) {
            if (!closed) {
                count += n;
            }
        }

        public long poll() {
            final long taken = count;
            count = 0;
            return taken != 0 ? taken : closed ? WakeSignal.CLOSED : 0;
        }

        public long count() {
            return count;
        }

        public void close() {
            closed = true;
        }

        public boolean isClosed() {
            return closed;
        }

        public boolean armAndDisarm() {
            return count == 0 && !closed;
        }

        public String awaitSignal() {
            final long taken = poll();
            return taken == WakeSignal.CLOSED ? "closed" : taken != 0 ? "took " + taken : "armed";
        }
    }

    // ---------------------------------------------------------------- WakingRing, non-blocking operations

    /** The waking ring over an SPSC ring: one producer thread, one consumer thread. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Spsc {
        private final WakingRing<Integer> ring = WakingRing.spsc(CAPACITY);

        public Spsc() {
        }

        @Operation(nonParallelGroup = "producer")
        public OfferStatus offer(@Param(name = "value") int value) {
            return ring.offer(value);
        }

        @Operation(nonParallelGroup = "producer")
        public int fill(@Param(name = "value") int value) {
            final int[] next = {value};
            return ring.fill(() -> next[0]++, 1);
        }

        @Operation(nonParallelGroup = "producer")
        public void closeProducer() {
            ring.closeProducer();
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            return ring.poll();
        }

        @Operation(nonParallelGroup = "consumer")
        public List<Integer> drain() {
            final List<Integer> out = new ArrayList<>();
            ring.drain(out::add, 1);
            return out;
        }

        @Operation(nonParallelGroup = "consumer")
        public boolean isClosedForPoll() {
            return ring.isClosedForPoll();
        }

        @Operation
        public int size() {
            return ring.size();
        }

        @Operation
        public boolean isClosedForOffer() {
            return ring.isClosedForOffer();
        }
    }

    /**
     * The waking ring over an MPSC ring: producers on every thread, one consumer thread. The consumer-side close is
     * exact in the MPSC ring and is modelled; the SPSC model leaves it out, as {@code RingLincheckTest} does. The
     * size is read on the consumer's thread only: {@code closeConsumer} hands the elements over one by one, moving
     * the consumer index each time, so a size read on another thread meanwhile may fall between 0 and the size
     * before the close (Lincheck found {@code closeConsumer() == [5, 5] || size() == 1}); {@code Ring.size()} is
     * documented as a snapshot, and {@code RingLincheckTest}'s MPSC model has no size.
     */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Mpsc {
        private final List<Integer> undelivered = new ArrayList<>();
        private final WakingRing<Integer> ring = WakingRing.<Integer>builder()
            .capacity(CAPACITY).multiProducer(true).onUndelivered(undelivered::add).build();

        public Mpsc() {
        }

        @Operation
        public OfferStatus offer(@Param(name = "value") int value) {
            return ring.offer(value);
        }

        @Operation
        public int fill(@Param(name = "value") int value) {
            final int[] next = {value};
            return ring.fill(() -> next[0]++, 1);
        }

        @Operation
        public void closeProducer() {
            ring.closeProducer();
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            return ring.poll();
        }

        @Operation(nonParallelGroup = "consumer")
        public List<Integer> drain() {
            final List<Integer> out = new ArrayList<>();
            ring.drain(out::add, 1);
            return out;
        }

        @Operation(nonParallelGroup = "consumer")
        public List<Integer> closeConsumer() {
            final int before = undelivered.size();
            ring.closeConsumer();
            return new ArrayList<>(undelivered.subList(before, undelivered.size()));
        }

        @Operation(nonParallelGroup = "consumer")
        public boolean isClosedForPoll() {
            return ring.isClosedForPoll();
        }

        /** On the consumer's thread: another thread's size() can see closeConsumer's sweep half done (a snapshot). */
        @Operation(nonParallelGroup = "consumer")
        public int size() {
            return ring.size();
        }

        @Operation
        public boolean isClosedForOffer() {
            return ring.isClosedForOffer();
        }
    }

    // ---------------------------------------------------------------- WakingRing, the armed-waiter protocol

    // Each side has a model without closes (the transitions: empty to non-empty, full to not-full) and one with them
    // (each close at most once per scenario): a close wakes every waiter, so in scenarios with closes a lost
    // transition wake-up is hidden whenever a close follows it.

    /** The consumer's side (empty to non-empty) over an SPSC ring of capacity 2. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class ReadableSpsc {
        final WakingRing<Integer> ring = WakingRing.spsc(CAPACITY);
        private final ReadableWaiter consumer = new ReadableWaiter();

        public ReadableSpsc() {
        }

        @Operation(nonParallelGroup = "producer")
        public OfferStatus offer(@Param(name = "value") int value) {
            return ring.offer(value);
        }

        @Operation(nonParallelGroup = "producer")
        public int fill(@Param(name = "value") int value) {
            final int[] next = {value};
            return ring.fill(() -> next[0]++, 1);
        }

        @Operation(nonParallelGroup = "consumer")
        public String awaitReady() {
            return consumer.await(ring);
        }

        @Validate
        public void noLostWakeup() {
            consumer.assertNoLostWakeup(ring);
        }
    }

    /** {@link ReadableSpsc} with the producer's close. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class ReadableSpscClosing extends ReadableSpsc {
        public ReadableSpscClosing() {
        }

        @Operation(nonParallelGroup = "producer", runOnce = true)
        public void closeProducer() {
            ring.closeProducer();
        }
    }

    /** The consumer's side over an MPSC ring of capacity 2: producers on every thread. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class ReadableMpsc {
        final WakingRing<Integer> ring = WakingRing.mpsc(CAPACITY);
        private final ReadableWaiter consumer = new ReadableWaiter();

        public ReadableMpsc() {
        }

        @Operation
        public OfferStatus offer(@Param(name = "value") int value) {
            return ring.offer(value);
        }

        @Operation
        public int fill(@Param(name = "value") int value) {
            final int[] next = {value};
            return ring.fill(() -> next[0]++, 1);
        }

        @Operation(nonParallelGroup = "consumer")
        public String awaitReady() {
            return consumer.await(ring);
        }

        @Validate
        public void noLostWakeup() {
            consumer.assertNoLostWakeup(ring);
        }
    }

    /** {@link ReadableMpsc} with the producers' close, on every thread. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class ReadableMpscClosing extends ReadableMpsc {
        public ReadableMpscClosing() {
        }

        @Operation(runOnce = true)
        public void closeProducer() {
            ring.closeProducer();
        }
    }

    /** The producer's side (full to not-full) over an SPSC ring of capacity 1. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class WritableSpsc {
        final WakingRing<Integer> ring = WakingRing.spsc(1);
        private final WritableWaiter producer = new WritableWaiter();

        public WritableSpsc() {
        }

        @Operation(nonParallelGroup = "producer")
        public String awaitRoom(@Param(name = "value") int value) {
            return producer.await(ring, value);
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            return ring.poll();
        }

        @Operation(nonParallelGroup = "consumer")
        public List<Integer> drain() {
            final List<Integer> out = new ArrayList<>();
            ring.drain(out::add, 1);
            return out;
        }

        @Validate
        public void noLostWakeup() {
            producer.assertNoLostWakeup(ring);
        }
    }

    /**
     * {@link WritableSpsc} with the producer's own close. The consumer-side close is left out, as in {@link Spsc}
     * (an offer racing it may return OK); {@link WritableMpscClosing} has it.
     */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class WritableSpscClosing extends WritableSpsc {
        public WritableSpscClosing() {
        }

        @Operation(nonParallelGroup = "producer", runOnce = true)
        public void closeProducer() {
            ring.closeProducer();
        }
    }

    /**
     * The producers' side over an MPSC ring of capacity 1: a waiting producer on every thread (one waker slot per
     * Lincheck thread id), the consumer's poll and drain.
     */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class WritableMpsc {
        final List<Integer> undelivered = new ArrayList<>();
        final WakingRing<Integer> ring = WakingRing.<Integer>builder()
            .capacity(1).multiProducer(true).onUndelivered(undelivered::add).build();
        final WritableWaiter[] producers = new WritableWaiter[MAX_THREAD_IDS];

        public WritableMpsc() {
            this(WakingRing::writable);
        }

        /** Producers waiting on {@code condition} of the ring ({@code writable} or {@code sendable}). */
        protected WritableMpsc(Function<WakingRing<Integer>, Wakeable> condition) {
            for (int i = 0; i < producers.length; i++) {
                producers[i] = new WritableWaiter(condition);
            }
        }

        @Operation
        public String awaitRoomFrom(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "value") int value) {
            return producers[thread].await(ring, value);
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            return ring.poll();
        }

        @Operation(nonParallelGroup = "consumer")
        public List<Integer> drain() {
            final List<Integer> out = new ArrayList<>();
            ring.drain(out::add, 1);
            return out;
        }

        @Validate
        public void noLostWakeup() {
            assertNoLostWakeup();
        }

        /** Every producer armed while a slot is free (or closed) was woken; the senders' model counts instead. */
        void assertNoLostWakeup() {
            for (WritableWaiter producer : producers) {
                producer.assertNoLostWakeup(ring);
            }
        }
    }

    /** {@link WritableMpsc} with both closes: the producers' on every thread, the consumer's (exact in MPSC). */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class WritableMpscClosing extends WritableMpsc {
        public WritableMpscClosing() {
        }

        @Operation(runOnce = true)
        public void closeProducer() {
            ring.closeProducer();
        }

        @Operation(nonParallelGroup = "consumer", runOnce = true)
        public List<Integer> closeConsumer() {
            final int before = undelivered.size();
            ring.closeConsumer();
            return new ArrayList<>(undelivered.subList(before, undelivered.size()));
        }
    }

    /**
     * The senders' side over an MPSC ring of capacity 1, waiting on {@code sendable()}: a sender on every thread that
     * may also give up, the consumer's poll and drain. Senders are woken one per free slot, so "no lost wake-up" here
     * is: while a sender sleeps, every free slot has a woken sender that has not tried again yet (it will take the
     * slot, or re-arm behind the others if someone else took it), and a close has woken everyone.
     */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class SendableMpsc extends WritableMpsc {
        public SendableMpsc() {
            super(WakingRing::sendable);
        }

        @Operation
        public String giveUpFrom(@Param(gen = ThreadIdGen.class) int thread) {
            return producers[thread].giveUp(ring);
        }

        @Override
        void assertNoLostWakeup() {
            int asleep = 0;
            int wokenToRetry = 0;
            for (WritableWaiter sender : producers) {
                asleep += sender.isAsleep() ? 1 : 0;
                wokenToRetry += sender.isWokenToRetry() ? 1 : 0;
            }
            final int free = ring.capacity() - ring.size();
            if (asleep > 0 && (ring.isClosedForOffer() || free > wokenToRetry)) {
                throw new AssertionError("lost wake-up: " + asleep + " sender(s) asleep, " + wokenToRetry
                    + " woken to retry, but " + ring + (ring.isClosedForOffer() ? " is closed for offer"
                    : " has " + free + " free slot(s)"));
            }
        }
    }

    /** {@link SendableMpsc} with both closes. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class SendableMpscClosing extends SendableMpsc {
        public SendableMpscClosing() {
        }

        @Operation(runOnce = true)
        public void closeProducer() {
            ring.closeProducer();
        }

        @Operation(nonParallelGroup = "consumer", runOnce = true)
        public List<Integer> closeConsumer() {
            final int before = undelivered.size();
            ring.closeConsumer();
            return new ArrayList<>(undelivered.subList(before, undelivered.size()));
        }
    }

    /**
     * The sequential specification of the ring models: a bounded FIFO with two-sided close, and the waiters'
     * outcomes ("armed" exactly when there is nothing to do).
     */
    public static class RingSpec {
        private final int capacity;
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private boolean producerClosed;
        private boolean consumerClosed;
        /** Per Lincheck thread id: whether that thread's sender is armed (for giveUpFrom). */
        private final boolean[] waiting = new boolean[MAX_THREAD_IDS];

        public RingSpec() {
            this(CAPACITY);
        }

        protected RingSpec(int capacity) {
            this.capacity = capacity;
        }

        public OfferStatus offer(int value) {
            if (producerClosed || consumerClosed) {
                return OfferStatus.CLOSED;
            }
            if (queue.size() == capacity) {
                return OfferStatus.FULL;
            }
            queue.add(value);
            return OfferStatus.OK;
        }

        public int fill(int value) {
            return offer(value) == OfferStatus.OK ? 1 : 0;
        }

        public Integer poll() {
            return consumerClosed ? null : queue.poll();
        }

        public List<Integer> drain() {
            final List<Integer> out = new ArrayList<>();
            final Integer element = poll();
            if (element != null) {
                out.add(element);
            }
            return out;
        }

        public void closeProducer() {
            producerClosed = true;
        }

        public List<Integer> closeConsumer() {
            final List<Integer> out = consumerClosed ? new ArrayList<>() : new ArrayList<>(queue);
            consumerClosed = true;
            queue.clear();
            return out;
        }

        public boolean isClosedForPoll() {
            return consumerClosed || producerClosed && queue.isEmpty();
        }

        public boolean isClosedForOffer() {
            return producerClosed || consumerClosed;
        }

        public int size() {
            return queue.size();
        }

        public String awaitReady() {
            final Integer element = poll();
            return element != null ? "took " + element : isClosedForPoll() ? "closed" : "armed";
        }

        public String awaitRoom(int value) {
            final OfferStatus status = offer(value);
            return status == OfferStatus.OK ? "ok" : status == OfferStatus.CLOSED ? "closed" : "armed";
        }

        public String awaitRoomFrom(int thread, int value) {
            final String outcome = awaitRoom(value);
            waiting[thread] = outcome.equals("armed");
            return outcome;
        }

        public String giveUpFrom(int thread) {
            final boolean was = waiting[thread];
            waiting[thread] = false;
            return was ? "gave up" : "idle";
        }
    }

    /** {@link RingSpec} with capacity 1, for the producer-side models. */
    public static class RingSpec1 extends RingSpec {
        public RingSpec1() {
            super(1);
        }
    }

    // ---------------------------------------------------------------- sizes and checks

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations, Class<?> spec) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2)
            .sequentialSpecification(spec);
    }

    /** For the protocol models: no post part, so that the validation sees the state the parallel part left. */
    static <O extends Options<O, ?>> O protocol(O options) {
        return options.actorsAfter(0);
    }

    /** CI sizes: a few seconds per check on two cores; {@link WakeLincheckStressTest} runs 60-75x more. */
    static final int ITERATIONS = 6;
    static final int MODEL_CHECKING_INVOCATIONS = 80;
    static final int STRESS_INVOCATIONS = 200;

    private static ModelCheckingOptions modelChecking(Class<?> spec) {
        return sized(new ModelCheckingOptions(), ITERATIONS, MODEL_CHECKING_INVOCATIONS, spec);
    }

    private static StressOptions stress(Class<?> spec) {
        return sized(new StressOptions(), ITERATIONS, STRESS_INVOCATIONS, spec);
    }

    @Test
    void signalModelChecking() {
        modelChecking(SignalSpec.class).threads(3).check(Signal.class);
    }

    @Test
    void signalStress() {
        stress(SignalSpec.class).threads(3).check(Signal.class);
    }

    @Test
    void spscModelChecking() {
        modelChecking(RingSpec.class).check(Spsc.class);
    }

    @Test
    void spscStress() {
        stress(RingSpec.class).check(Spsc.class);
    }

    @Test
    void mpscModelChecking() {
        modelChecking(RingSpec.class).threads(3).check(Mpsc.class);
    }

    @Test
    void mpscStress() {
        stress(RingSpec.class).threads(3).check(Mpsc.class);
    }

    @Test
    void signalWaiterModelChecking() {
        protocol(modelChecking(SignalSpec.class)).threads(3).check(SignalWaiter.class);
    }

    @Test
    void signalWaiterStress() {
        protocol(stress(SignalSpec.class)).threads(3).check(SignalWaiter.class);
    }

    @Test
    void signalClosingModelChecking() {
        modelChecking(SignalSpec.class).threads(3).check(SignalClosing.class);
    }

    @Test
    void signalWaiterClosingModelChecking() {
        protocol(modelChecking(SignalSpec.class)).threads(3).check(SignalWaiterClosing.class);
    }

    @Test
    void readableSpscModelChecking() {
        protocol(modelChecking(RingSpec.class)).check(ReadableSpsc.class);
    }

    @Test
    void readableSpscStress() {
        protocol(stress(RingSpec.class)).check(ReadableSpsc.class);
    }

    @Test
    void readableSpscClosingModelChecking() {
        protocol(modelChecking(RingSpec.class)).check(ReadableSpscClosing.class);
    }

    @Test
    void readableMpscModelChecking() {
        protocol(modelChecking(RingSpec.class)).threads(3).check(ReadableMpsc.class);
    }

    @Test
    void readableMpscStress() {
        protocol(stress(RingSpec.class)).threads(3).check(ReadableMpsc.class);
    }

    @Test
    void readableMpscClosingModelChecking() {
        protocol(modelChecking(RingSpec.class)).threads(3).check(ReadableMpscClosing.class);
    }

    @Test
    void writableSpscModelChecking() {
        protocol(modelChecking(RingSpec1.class)).check(WritableSpsc.class);
    }

    @Test
    void writableSpscStress() {
        protocol(stress(RingSpec1.class)).check(WritableSpsc.class);
    }

    @Test
    void writableSpscClosingModelChecking() {
        protocol(modelChecking(RingSpec1.class)).check(WritableSpscClosing.class);
    }

    @Test
    void writableMpscModelChecking() {
        protocol(modelChecking(RingSpec1.class)).threads(3).check(WritableMpsc.class);
    }

    @Test
    void writableMpscStress() {
        protocol(stress(RingSpec1.class)).threads(3).check(WritableMpsc.class);
    }

    @Test
    void writableMpscClosingModelChecking() {
        protocol(modelChecking(RingSpec1.class)).threads(3).check(WritableMpscClosing.class);
    }

    @Test
    void sendableMpscModelChecking() {
        protocol(modelChecking(RingSpec1.class)).threads(3).check(SendableMpsc.class);
    }

    @Test
    void sendableMpscStress() {
        protocol(stress(RingSpec1.class)).threads(3).check(SendableMpsc.class);
    }

    @Test
    void sendableMpscClosingModelChecking() {
        protocol(modelChecking(RingSpec1.class)).threads(3).check(SendableMpscClosing.class);
    }
}
