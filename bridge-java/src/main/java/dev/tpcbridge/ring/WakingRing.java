package dev.tpcbridge.ring;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WaiterList;
import dev.tpcbridge.wake.WaiterQueue;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;
import dev.tpcbridge.wake.Waiter;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link Ring} that wakes its sleeping side on the transitions that matter, and waits: {@link #send} waits for room,
 * {@link #receive} for an element, each also with a deadline. The {@link #readable()} and {@link #writable()}
 * conditions let any other kind of waiter (an idle strategy, a selector, a coroutine) sleep on the ring.
 *
 * <p><b>Threads.</b> As for the ring inside ({@link #spsc}: one producer and one consumer thread at a time;
 * {@link #mpsc}: any producers, one consumer). The waiting methods and conditions belong to the side they wait on:
 * {@code receive} and {@code readable()} to the consumer, {@code send} and {@code writable()} to producers. The ring
 * is made inside, so nothing can publish past the wakers.
 *
 * <p><b>Progress.</b> The non-waiting methods keep the ring's guarantees and add one full fence and one read of the
 * other side's waiter list per published batch (an {@code offer}, {@code fill}, {@code poll} or {@code drain} call):
 * batch with {@code fill}/{@code drain} to pay it once for many elements. That fence is the wake protocol's floor: a
 * notifier must order its publication before its look at the waiters (see the package documentation). Over an
 * {@code MpscRing}, {@code poll} and {@code drain} pay it even when they return nothing (they may have freed slots a
 * producer handed back). The waiting methods wait through {@link Waiter}; a sender that gives up keeps its element.
 *
 * <p><b>Batches.</b> A drain publishes the consumer index once, at its end; a producer waiting for room is woken
 * then, so a drain handler must not wait for room in the ring it drains ({@code offer} is fine).
 *
 * <p><b>Backpressure.</b> With {@link Builder#backpressure}, a {@link BackpressureController} is re-evaluated after
 * every push and pop batch that can change its state: every publication passes through this class, and the fence
 * that the wake protocol pays already orders the settle (see {@code settleAfterPop}). The ring never refuses an offer
 * because of it: producers read {@link #backpressure()} and decide.
 *
 * <p><b>Closing.</b> As for {@link Ring}; every close also wakes every waiter of both sides: a consumer waiting in
 * {@code receive} drains, then gets {@code null}; a sender gets {@code CLOSED} and keeps its element.
 *
 * @param <E> the element type
 */
public final class WakingRing<E> implements Ring<E> {
    private final Ring<E> ring;
    /** The same ring when it is an SpscRing (published to without its own fence, then checked here), else null. */
    private final SpscRing<E> spsc;
    /** An MpscRing: its producers may hand claimed slots back, and its consumer free slots without taking one. */
    private final boolean multiProducer;
    /** Consumers waiting for an element (or a close): woken by offer and fill. */
    private final WaiterList consumerWaiters = new WaiterList();
    /** Producers waiting for room (or a close): woken by poll and drain. */
    private final WaiterList producerWaiters = new WaiterList();
    /**
     * Senders waiting for room on an MPSC ring (null on SPSC, whose one producer waits on {@code producerWaiters}):
     * woken in arrival order, one per free slot, by poll, drain and handed-back slots, and all by a close.
     */
    private final WaiterQueue senders;
    private final Wakeable sendable;
    private final WaitPolicy policy;
    private final LongSupplier nanoClock;
    private final Wakeable readable = new Readable();
    private final Wakeable writable = new Writable();
    /** Re-evaluated after push and pop batches that can change it; null when not configured. */
    private final BackpressureController pressure;
    private final IntSupplier size;
    /** The producer's own count of pushes, for skipping settles (SPSC with backpressure only; else null). */
    private final PushCount pushes;

    private WakingRing(Builder<E> builder) {
        final ElementHandler<? super E> onUndelivered = builder.onUndelivered;
        this.multiProducer = builder.multiProducer;
        this.senders = builder.multiProducer ? new WaiterQueue(this::freeSlots) : null;
        this.sendable = builder.multiProducer ? new Sendable() : writable;
        if (builder.multiProducer) {
            this.ring = onUndelivered == null ? MpscRing.create(builder.capacity)
                : MpscRing.create(builder.capacity, onUndelivered);
            this.spsc = null;
        } else {
            this.spsc = onUndelivered == null ? SpscRing.create(builder.capacity)
                : SpscRing.create(builder.capacity, onUndelivered);
            this.ring = spsc;
        }
        this.policy = builder.policy;
        this.nanoClock = builder.nanoClock;
        this.pressure = builder.backpressure == null ? null
            : BackpressureController.create(builder.backpressure, ring.capacity());
        this.size = ring::size;
        this.pushes = pressure != null && !builder.multiProducer ? new PushCount() : null;
    }

    /**
     * A waking ring over an {@link SpscRing}: one producer thread, one consumer thread.
     *
     * @param capacity the least number of slots, rounded up to a power of two
     * @param <E>      the element type
     * @return a new, open, empty ring
     * @throws IllegalArgumentException if {@code capacity} is out of range
     */
    public static <E> WakingRing<E> spsc(int capacity) {
        return WakingRing.<E>builder().capacity(capacity).build();
    }

    /**
     * A waking ring over an {@link MpscRing}: any producer threads, one consumer thread.
     *
     * @param capacity the least number of slots, rounded up to a power of two
     * @param <E>      the element type
     * @return a new, open, empty ring
     * @throws IllegalArgumentException if {@code capacity} is out of range
     */
    public static <E> WakingRing<E> mpsc(int capacity) {
        return WakingRing.<E>builder().capacity(capacity).multiProducer(true).build();
    }

    /**
     * A builder for the other settings: undelivered-element handler, backpressure, wait policy, clock.
     *
     * @param <E> the element type
     * @return a new builder
     */
    public static <E> Builder<E> builder() {
        return new Builder<>();
    }

    // ---------------------------------------------------------------- producer side

    @Override
    public OfferStatus offer(E element) {
        final SpscRing<E> spsc = this.spsc;
        final OfferStatus status = spsc != null ? spsc.publish(element) : ring.offer(element);
        if (status == OfferStatus.OK) {
            // fence, then read: the element published above before the read of the consumers' list (StoreLoad);
            // pairs with WaiterList.add() followed by the re-check in Readable.arm().
            consumerWaiters.wakeAllIfArmed();
            if (pressure != null) {
                settleAfterPush(1);
            }
            if (spsc != null) {
                spsc.handOverIfConsumerClosed(); // after the same fence: see SpscRing.offer()
            }
        }
        return status;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        final SpscRing<E> spsc = this.spsc;
        int filled = 0;
        boolean thrown = true;
        try {
            filled = spsc != null ? spsc.publishBatch(supplier, limit) : ring.fill(supplier, limit);
            thrown = false;
        } finally {
            if (filled > 0 || thrown) {
                // fence, then read, once per batch, even if the supplier threw after giving some: as in offer().
                consumerWaiters.wakeAllIfArmed();
                if (multiProducer && (filled < limit || thrown)) {
                    wakeProducersAfterFence(); // unused claimed slots were handed back: room
                }
            } else if (multiProducer) {
                VarHandle.fullFence(); // nothing filled, but slots may have been claimed and handed back: as in poll()
                wakeProducersAfterFence();
            }
            if (pressure != null && filled > 0) {
                settleAfterPush(filled);
            } else if (pressure != null && thrown) {
                // part of the batch may be published uncounted: forget the bound and settle on the real size
                if (pushes != null) {
                    pushes.popsSeen = pushes.pushed - ring.capacity();
                }
                pressure.settle(size);
            }
            if (spsc != null && (filled > 0 || thrown)) {
                spsc.handOverIfConsumerClosed(); // after the fence above: see SpscRing.fill()
            }
        }
        return filled;
    }

    /**
     * Offers {@code element}, waiting for room as long as it takes (producer side).
     *
     * @param element the element, not null
     * @return {@link OfferStatus#OK}, or {@code CLOSED} if the ring closed first (the caller keeps the element)
     * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the element)
     * @throws IllegalArgumentException if {@code element} is null
     */
    public OfferStatus send(E element) throws InterruptedException {
        return send(element, Waiter.NO_TIMEOUT);
    }

    /**
     * Offers {@code element}, waiting up to {@code timeout} for room (producer side).
     *
     * @param element the element, not null
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return {@link OfferStatus#OK}; {@code FULL} if the deadline passed first; {@code CLOSED} if the ring closed
     *         (on {@code FULL} and {@code CLOSED} the caller keeps the element)
     * @throws InterruptedException     if interrupted before or while waiting (the caller keeps the element)
     * @throws IllegalArgumentException if {@code element} or {@code unit} is null
     */
    public OfferStatus send(E element, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return send(element, unit.toNanos(timeout));
    }

    private OfferStatus send(E element, long timeoutNanos) throws InterruptedException {
        Checks.notNull("element", element);
        final Waiter waiter = Waiter.start(policy, nanoClock, timeoutNanos);
        OfferStatus status;
        while ((status = offer(element)) == OfferStatus.FULL && waiter.await(sendable)) {
            // one backoff step per try
        }
        return status;
    }

    @Override
    public void closeProducer() {
        try {
            ring.closeProducer(); // may rethrow an undelivered-element handler's failure, after the close took effect
        } finally {
            wakeBothSides();
        }
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public E poll() {
        final E element = ring.poll();
        if (element != null || multiProducer) {
            // fence, then read: the freed slot before the read of the producers' list and the senders' count; pairs
            // with Writable.arm() and Sendable.arm(). An MpscRing poll that returns null may still have freed
            // handed-back slots.
            VarHandle.fullFence();
            wakeProducersAfterFence();
        }
        if (pressure != null && element != null) {
            settleAfterPop();
        }
        return element;
    }

    @Override
    public int drain(ElementHandler<? super E> handler, int limit) {
        int taken = 0;
        boolean thrown = true;
        try {
            taken = ring.drain(handler, limit);
            thrown = false;
        } finally {
            if (taken > 0 || thrown || multiProducer) {
                // fence, then read, once per batch, even if the handler threw after taking some: as in poll().
                VarHandle.fullFence();
                wakeProducersAfterFence();
            }
            if (pressure != null && taken > 0) {
                settleAfterPop();
            } else if (pressure != null && thrown) {
                pressure.settle(size); // the ring may have freed slots uncounted here
            }
        }
        return taken;
    }

    /**
     * Takes the oldest element, waiting for one as long as it takes (consumer side).
     *
     * @return the element, or {@code null} once the ring is closed for poll (closed and drained)
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    public E receive() throws InterruptedException {
        return receive(Waiter.NO_TIMEOUT);
    }

    /**
     * Takes the oldest element, waiting up to {@code timeout} for one (consumer side).
     *
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return the element, or {@code null} if the deadline passed first or the ring is closed for poll
     *         ({@link #isClosedForPoll()} tells which)
     * @throws InterruptedException     if the thread is interrupted before or while waiting
     * @throws IllegalArgumentException if {@code unit} is null
     */
    public E receive(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return receive(unit.toNanos(timeout));
    }

    private E receive(long timeoutNanos) throws InterruptedException {
        final Waiter waiter = Waiter.start(policy, nanoClock, timeoutNanos);
        E element;
        while ((element = poll()) == null && !ring.isClosedForPoll() && waiter.await(readable)) {
            // one backoff step per try
        }
        return element;
    }

    @Override
    public void closeConsumer() {
        try {
            ring.closeConsumer(); // may rethrow an undelivered-element handler's failure, after the close took effect
        } finally {
            wakeBothSides();
        }
    }

    @Override
    public boolean isClosedForPoll() {
        return ring.isClosedForPoll();
    }

    // ---------------------------------------------------------------- waiting conditions

    /**
     * The consumer's condition "an element can be polled, or the ring is closed for poll". Armed by the consumer.
     *
     * @return the readable condition (the same object on every call)
     */
    public Wakeable readable() {
        return readable;
    }

    /**
     * The producers' condition "a slot is free, or the ring is closed for offer", for any kind of waiter (an idle
     * strategy, a selector): every slot freed wakes every waiter armed on it. A sender that offers when woken should
     * wait on {@link #sendable()} instead. Armed by producers.
     *
     * @return the writable condition (the same object on every call)
     */
    public Wakeable writable() {
        return writable;
    }

    /**
     * The condition of a sender that offers as soon as it is woken ("a slot is free, or the ring is closed for
     * offer"), for waiting without a thread ({@link #send} waits on it, as does a suspended coroutine). On an MPSC
     * ring, senders are woken in the order they armed and only as many as there are free slots ({@link WaiterQueue}),
     * so that two thousand blocked senders do not all wake for one slot. A sender woken must therefore come back:
     * {@link Wakeable#disarm disarm} its waker and offer (or arm again), or, giving up,
     * {@link Wakeable#abandon abandon} it, which passes the slot on. On an SPSC ring (one producer) it is
     * {@link #writable()}. Armed by producers.
     *
     * @return the sendable condition (the same object on every call)
     */
    public Wakeable sendable() {
        return sendable;
    }

    /**
     * Arms {@code waker} for a producer that needs {@code slots} free slots rather than one (a reservation: the
     * bridge's data side waits for a response slot beyond those it promised). Woken by each consumer batch and by a
     * close; withdraw it with {@code writable().disarm(waker)}. Producer side.
     *
     * @param waker the waker, not null
     * @param slots how many slots must be free, at least 1; more than {@code capacity()} are never free (then only a
     *              close ends the wait)
     * @return {@code true} if armed (sleep); {@code false} if that many slots are free or the ring is closed for offer
     * @throws IllegalArgumentException if {@code waker} is null or {@code slots < 1}
     */
    public boolean armUntilFree(Waker waker, int slots) {
        Checks.notNull("waker", waker);
        Checks.positive("slots", slots);
        producerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with poll()'s fence
        if (ring.capacity() - ring.size() >= slots || ring.isClosedForOffer()) {
            producerWaiters.remove(waker);
            return false;
        }
        return true;
    }

    /**
     * Wakes whoever is armed on {@link #readable()} now, without a transition: for a flag the consumer re-checks after
     * arming (the caller writes its flag with a volatile store first; the fence here orders it before the read of the
     * waiters). Any thread; a wake is a hint.
     */
    public void wakeConsumer() {
        consumerWaiters.wakeAllIfArmed();
    }

    /**
     * How the waiting methods back off before they park; a suspending waiter (a coroutine) spins as many times before
     * it suspends.
     *
     * @return the policy
     */
    public WaitPolicy waitPolicy() {
        return policy;
    }

    /**
     * The backpressure controller, if one was configured ({@link Builder#backpressure}). Any thread.
     *
     * @return the controller, or {@code null} when none was configured
     */
    public BackpressureController backpressure() {
        return pressure;
    }

    /**
     * How many consumer-side waiters were woken. Any thread; a snapshot. Stays 0 while the consumer never waits.
     *
     * @return the consumer wake-up count
     */
    public long consumerWakeups() {
        return consumerWaiters.wakeups();
    }

    /**
     * How many producer-side waiters were woken ({@link #writable()} and {@link #sendable()}). Any thread; a snapshot.
     *
     * @return the producer wake-up count
     */
    public long producerWakeups() {
        return producerWaiters.wakeups() + (senders == null ? 0 : senders.wakeups());
    }

    // ---------------------------------------------------------------- any thread

    @Override
    public boolean isClosedForOffer() {
        return ring.isClosedForOffer();
    }

    @Override
    public int size() {
        return ring.size();
    }

    @Override
    public boolean isEmpty() {
        return ring.isEmpty();
    }

    @Override
    public int capacity() {
        return ring.capacity();
    }

    @Override
    public double utilization() {
        return ring.utilization();
    }

    @Override
    public String toString() {
        return "WakingRing{" + ring + ", consumerWakeups=" + consumerWakeups() + ", producerWakeups="
            + producerWakeups() + '}';
    }

    // ---------------------------------------------------------------- internals

    /**
     * Producer side, after a push batch and its fence: settles unless the size is known to be below the throttle
     * threshold, where no push can make a transition. On an SPSC ring the producer counts its pushes and remembers the
     * pops it last saw, an upper bound of the size from its own cache line, and reads the consumer's index only when
     * that bound reaches the threshold. An MPSC ring has no single producer to count: it settles on every push.
     */
    private void settleAfterPush(int pushed) {
        final PushCount pushes = this.pushes;
        if (pushes != null) {
            final long total = pushes.pushed + pushed;
            pushes.pushed = total;
            if (total - pushes.popsSeen < pressure.enterThrottleSize()) {
                return;
            }
            pushes.popsSeen = total - ring.size(); // a fresh bound: the size now includes every push counted
            if (total - pushes.popsSeen < pressure.enterThrottleSize()) {
                return;
            }
        }
        pressure.settle(size);
    }

    /**
     * Consumer side, after a pop batch and its fence: a pop only lowers the size, which from {@code NORMAL} makes no
     * transition, so it settles only off {@code NORMAL}. Not stale: the fence orders the consumer index store before
     * this load, and a producer's transition CAS precedes its re-read of the size in {@code settle}, so either this
     * load sees the transition or that re-read sees this pop (Dekker; jcstress {@code BackpressureStress}).
     */
    private void settleAfterPop() {
        if (pressure.pressure() != PressureState.NORMAL) {
            pressure.settle(size);
        }
    }

    private void wakeBothSides() {
        // fence, then read: the close before the reads of both lists; pairs with the re-checks in arm().
        VarHandle.fullFence();
        consumerWaiters.wakeAllIfArmedAfterFence();
        producerWaiters.wakeAllIfArmedAfterFence();
        if (senders != null) {
            senders.wakeAllIfArmedAfterFence();
        }
    }

    /**
     * After a fence that follows freeing slots: wakes every generic producer waiter ({@link #writable()}) and, on an
     * MPSC ring, queued senders, as many as there are free slots not promised to senders woken earlier.
     */
    private void wakeProducersAfterFence() {
        producerWaiters.wakeAllIfArmedAfterFence();
        if (senders != null) {
            senders.wakeIfArmedAfterFence(); // reads the free slots only when a sender waits
        }
    }

    private int freeSlots() {
        return ring.capacity() - ring.size();
    }

    /** Ready when an element is buffered or the ring is closed for poll. */
    private final class Readable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            consumerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with offer()'s fence
            if (!ring.isEmpty() || ring.isClosedForPoll()) {
                consumerWaiters.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            consumerWaiters.remove(waker);
        }
    }

    /** MPSC senders: ready when a slot is free or the ring is closed for offer; queued, woken one per free slot. */
    private final class Sendable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            senders.add(waker); // the lock, then a fence before the re-check; pairs with poll()'s fence
            if (ring.size() < ring.capacity() || ring.isClosedForOffer()) {
                senders.remove(waker); // if a wake came already, the caller's retry uses it
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            senders.remove(waker);
        }

        @Override
        public void abandon(Waker waker) {
            Checks.notNull("waker", waker);
            senders.abandon(waker);
        }
    }

    /** Ready when a slot is free or the ring is closed for offer. */
    private final class Writable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            producerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with poll()'s fence
            if (ring.size() < ring.capacity() || ring.isClosedForOffer()) {
                producerWaiters.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            producerWaiters.remove(waker);
        }
    }

    /**
     * Settings of a {@link WakingRing}; one thread at a time.
     *
     * @param <E> the element type
     */
    public static final class Builder<E> {
        private int capacity = -1;
        private boolean multiProducer;
        private ElementHandler<? super E> onUndelivered;
        private WaitPolicy policy = WaitPolicy.DEFAULT;
        private LongSupplier nanoClock = System::nanoTime;
        private BackpressureConfig backpressure;

        private Builder() {
        }

        /**
         * The least number of slots (required), rounded up to a power of two.
         *
         * @param capacity in {@code [1, SpscRing.MAX_CAPACITY]}
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity} is out of range
         */
        public Builder<E> capacity(int capacity) {
            Checks.powerOfTwoCapacity("capacity", capacity, SpscRing.MAX_CAPACITY);
            this.capacity = capacity;
            return this;
        }

        /**
         * Whether many producer threads may offer at once (an {@link MpscRing} inside); default {@code false}.
         *
         * @param multiProducer {@code true} for many producers
         * @return this builder
         */
        public Builder<E> multiProducer(boolean multiProducer) {
            this.multiProducer = multiProducer;
            return this;
        }

        /**
         * Receives the elements that the consumer will never take after a consumer-side close (see {@link Ring}).
         *
         * @param onUndelivered the handler, not null
         * @return this builder
         * @throws IllegalArgumentException if {@code onUndelivered} is null
         */
        public Builder<E> onUndelivered(ElementHandler<? super E> onUndelivered) {
            this.onUndelivered = Checks.notNull("onUndelivered", onUndelivered);
            return this;
        }

        /**
         * Adds a backpressure controller over the ring's size (see the class comment); each settle costs a
         * {@code size()} read, so leave it out where nobody reads the pressure.
         *
         * @param config the watermarks
         * @return this builder
         * @throws IllegalArgumentException if {@code config} is null
         */
        public Builder<E> backpressure(BackpressureConfig config) {
            this.backpressure = Checks.notNull("backpressure", config);
            return this;
        }

        /**
         * How the waiting methods back off before they park; default {@link WaitPolicy#DEFAULT}.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is null
         */
        public Builder<E> waitPolicy(WaitPolicy policy) {
            this.policy = Checks.notNull("policy", policy);
            return this;
        }

        /**
         * The clock that deadlines read; default {@link System#nanoTime()}. Tests inject one.
         *
         * @param nanoClock a monotonic clock in nanoseconds
         * @return this builder
         * @throws IllegalArgumentException if {@code nanoClock} is null
         */
        public Builder<E> nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * Creates the ring.
         *
         * @return a new, open, empty ring
         * @throws IllegalStateException if no capacity was set
         */
        public WakingRing<E> build() {
            if (capacity < 0) {
                throw new IllegalStateException("capacity is not set: call capacity(int) before build()");
            }
            return new WakingRing<>(this);
        }
    }
}
