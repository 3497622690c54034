package dev.tpcbridge.wake;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.WaiterList;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.MpscRing;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.Ring;
import dev.tpcbridge.ring.SpscRing;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link Ring} that wakes its sleeping side only on the transitions that matter: a consumer waiting for an element
 * is woken when one is published, a producer waiting for room is woken when one is freed, and everybody is woken by a
 * close. It adds blocking {@link #take()}, {@link #poll(long, TimeUnit)}, {@link #put(Object)} and
 * {@link #offer(Object, long, TimeUnit)}, and {@link #readable()}/{@link #writable()} conditions on which any other
 * kind of waiter (an idle strategy, a NIO selector, a coroutine) can sleep.
 *
 * <p><b>Threads.</b> As for the ring it holds ({@link #spsc}: one producer thread and one consumer thread at a time;
 * {@link #mpsc}: any producer threads and one consumer thread at a time). The blocking methods belong to the side they
 * wait on: {@code take}/{@code poll(timeout)} and {@code readable()} to the consumer, {@code put}/{@code offer(timeout)}
 * and {@code writable()} to the producers. The ring is created inside, so no caller can bypass the waking.
 *
 * <p><b>Visibility.</b> As for {@link Ring}: what the producer wrote before a successful offer happens-before the
 * consumer's poll of that element, whether the consumer spun, parked or was woken by another waker.
 *
 * <p><b>Progress.</b> The non-blocking methods keep the ring's guarantees (wait-free or lock-free) and add, per
 * published batch, one full fence and one read of the opposite side's waiter list: no wake call, no syscall, no
 * allocation when nobody waits. A batch is one {@code offer}, {@code fill}, {@code poll} or {@code drain} call: batch
 * with {@code fill}/{@code drain} to pay the fence once for many elements. Over an {@code MpscRing}, {@code poll} and
 * {@code drain} pay it even when they return nothing (they may have freed slots that a producer handed back), and so
 * does a {@code fill} that took fewer than it asked for. The blocking methods spin, then yield,
 * then park with {@link LockSupport} (never {@code synchronized}), so virtual threads do not pin their carriers; they
 * honour interrupts ({@link InterruptedException}) and deadlines (read from an injectable nano clock), and a producer
 * that gives up keeps its element.
 *
 * <p><b>Normal outcomes.</b> Full, empty, closed and a passed deadline are values ({@link OfferStatus}, {@code null}),
 * never exceptions.
 *
 * <p><b>Batches.</b> A drain frees its slots one by one but publishes the consumer index once, at its end; a waiting
 * producer is woken then. So a drain handler must not block on room in the ring it drains ({@code put} from inside
 * the handler would wait for the end of its own drain); it may use the non-blocking {@code offer}.
 *
 * <p><b>Closing.</b> As for {@link Ring}, and each close wakes every waiter of both sides (also when the
 * undelivered-element handler throws): a consumer blocked in
 * {@code take} returns the remaining elements and then {@code null}; a producer blocked in {@code put} returns
 * {@code CLOSED} with its element.
 *
 * <p><b>Algorithm.</b> The Dekker-style armed-waiter protocol described in {@link Wakeable}: the waiter announces
 * itself with a CAS, re-checks the ring, and parks only if there is still nothing; the notifier publishes, issues a
 * full fence and reads whether anyone is armed. Guarded by {@code WakingRingTest}, the ring contract suite (which
 * runs against this ring too), {@code WakeLincheckTest} and jcstress {@code WakeStress}; the backpressure settles
 * it skips by jcstress {@code BackpressureStress}.
 *
 * @param <E> the element type
 */
public final class WakingRing<E> implements Ring<E> {
    private final Ring<E> ring;
    /**
     * Whether the ring is an {@code MpscRing}, whose producers can also free slots (a fill that stops early hands its
     * claimed slots back) and whose consumer can free slots without returning an element (skipping a handed-back
     * slot); both must wake waiting producers too.
     */
    private final boolean multiProducer;
    /** Consumers waiting for an element (or a close): woken by offer and fill. */
    private final WaiterList consumerWaiters = new WaiterList();
    /** Producers waiting for room (or a close): woken by poll and drain. */
    private final WaiterList producerWaiters = new WaiterList();
    private final int spinTries;
    private final int yieldTries;
    private final LongSupplier nanoClock;
    private final Wakeable readable = new Readable();
    private final Wakeable writable = new Writable();
    /**
     * The backpressure controller, re-evaluated after each push and pop batch that can make a transition (see
     * settleAfterPush and settleAfterPop); null when none was configured.
     */
    private final BackpressureController pressure;
    private final IntSupplier size;
    /** The blocking consumer's and (SPSC) producer's cached wakers: each side's own thread only. */
    private ThreadWaker consumerWaker;
    private ThreadWaker producerWaker;
    /** The producer's own count of pushes, for skipping settles (SPSC with backpressure only; else null). */
    private final PushCount pushes;

    private WakingRing(Builder<E> builder) {
        final int capacity = builder.capacity;
        final ElementHandler<? super E> onUndelivered = builder.onUndelivered;
        this.multiProducer = builder.multiProducer;
        if (builder.multiProducer) {
            this.ring = onUndelivered == null ? MpscRing.create(capacity) : MpscRing.create(capacity, onUndelivered);
        } else {
            this.ring = onUndelivered == null ? SpscRing.create(capacity) : SpscRing.create(capacity, onUndelivered);
        }
        this.spinTries = builder.spinTries;
        this.yieldTries = builder.yieldTries;
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
     * A builder for the other settings: undelivered-element handler, spin and yield counts, clock.
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
        final OfferStatus status = ring.offer(element);
        if (status == OfferStatus.OK) {
            // fence, then read: the element published above before the read of the consumers' list (StoreLoad);
            // pairs with the CAS in WaiterList.add() followed by the re-check in Readable.arm().
            consumerWaiters.wakeAllIfArmed();
            if (pressure != null) {
                settleAfterPush(1); // re-evaluated on push (and on pop, below): SUSPENDED never sticks
            }
        }
        return status;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        int filled = 0;
        boolean thrown = true;
        try {
            filled = ring.fill(supplier, limit);
            thrown = false;
        } finally {
            if (filled > 0 || thrown) {
                // fence, then read, once per batch, even if the supplier threw after giving some: as in offer().
                consumerWaiters.wakeAllIfArmed();
                if (multiProducer && (filled < limit || thrown)) {
                    // An MpscRing fill that stopped early handed unused claimed slots back: room for other producers.
                    producerWaiters.wakeAllIfArmedAfterFence();
                }
            } else if (multiProducer) {
                producerWaiters.wakeAllIfArmed(); // nothing filled, but slots may have been claimed and handed back
            }
            if (pressure != null && filled > 0) {
                settleAfterPush(filled);
            } else if (pressure != null && thrown) {
                // the ring may have published part of the batch before the supplier threw, uncounted: forget the
                // bound (the next push reads the size) and settle on the real size now
                if (pushes != null) {
                    pushes.popsSeen = pushes.pushed - ring.capacity();
                }
                pressure.settle(size);
            }
        }
        return filled;
    }

    /**
     * Offers {@code element}, waiting for room: spins, yields, then parks until the consumer frees a slot or a side
     * closes (producer side).
     *
     * @param element the element, not null
     * @return {@link OfferStatus#OK}, or {@code CLOSED} if the ring closed first (the caller keeps the element)
     * @throws InterruptedException     if the thread is interrupted before or while waiting (the caller keeps it)
     * @throws IllegalArgumentException if {@code element} is null
     */
    public OfferStatus put(E element) throws InterruptedException {
        return awaitOffer(element, false, 0L);
    }

    /**
     * Offers {@code element}, waiting up to {@code timeout} for room (producer side).
     *
     * @param element the element, not null
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return {@link OfferStatus#OK}; {@code FULL} if the deadline passed first; {@code CLOSED} if the ring closed
     *         (on {@code FULL} and {@code CLOSED} the caller keeps the element)
     * @throws InterruptedException     if the thread is interrupted before or while waiting (the caller keeps it)
     * @throws IllegalArgumentException if {@code element} or {@code unit} is null
     */
    public OfferStatus offer(E element, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return awaitOffer(element, true, unit.toNanos(timeout));
    }

    private OfferStatus awaitOffer(E element, boolean timed, long timeoutNanos) throws InterruptedException {
        Checks.notNull("element", element);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        OfferStatus status = offer(element);
        if (status != OfferStatus.FULL || timed && timeoutNanos <= 0) {
            return status;
        }
        final long deadline = timed ? nanoClock.getAsLong() + timeoutNanos : 0L;
        Waker waker = null;
        for (int attempt = 0; ; attempt++) {
            long remaining = Long.MAX_VALUE;
            if (timed && (remaining = deadline - nanoClock.getAsLong()) <= 0) {
                return OfferStatus.FULL;
            }
            if (attempt < spinTries) {
                Thread.onSpinWait();
            } else if (attempt < spinTries + yieldTries) {
                Thread.yield();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } else {
                attempt = spinTries + yieldTries; // stays in the parking phase; never overflows
                if (waker == null) {
                    waker = multiProducer ? Waker.of(Thread.currentThread()) : producerWaker();
                }
                if (writable.arm(waker)) {
                    park(timed, remaining);
                    producerWaiters.remove(waker);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            status = offer(element);
            if (status != OfferStatus.FULL) {
                return status;
            }
        }
    }

    @Override
    public void closeProducer() {
        try {
            ring.closeProducer(); // may rethrow an undelivered-element handler's failure, after the close took effect
        } finally {
            // fence, then read: the close before the reads of both lists; pairs with the re-checks in arm().
            VarHandle.fullFence();
            consumerWaiters.wakeAllIfArmedAfterFence();
            producerWaiters.wakeAllIfArmedAfterFence();
        }
    }

    /**
     * Producer side, after a push batch and its fence: settles the backpressure unless the size is known to be below
     * {@link BackpressureController#enterThrottleSize()}, where no push can make a transition (from any state that
     * fitted the smaller size before). On an SPSC ring the producer counts its own pushes and remembers how many pops
     * it last saw, an upper bound of the size read from its own cache line; it reads the consumer's index (a
     * cross-core miss) only when that bound reaches the threshold. Down transitions are the pops' to make. An MPSC
     * ring has no single producer to count, so it settles on every push.
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
     * Consumer side, after a pop batch and its fence: a pop only lowers the size, and from {@code NORMAL} a lower size
     * never makes a transition, so it settles only when the state is not {@code NORMAL} (one acquire load of a line
     * that changes on transitions only). This cannot leave a stale state standing: the fence before it orders the
     * consumer index store before this load, and a producer's transition CAS precedes its re-read of the size in
     * {@code settle}, so either this load sees that transition (and settles) or that re-read sees this pop (Dekker).
     */
    private void settleAfterPop() {
        if (pressure.pressure() != PressureState.NORMAL) {
            pressure.settle(size);
        }
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public E poll() {
        final E element = ring.poll();
        if (element != null || multiProducer) {
            // fence, then read: the freed slot (and consumer index) before the read of the producers' list;
            // pairs with the CAS in WaiterList.add() followed by the re-check in Writable.arm(). An MpscRing poll that
            // returns null may still have freed handed-back slots, hence the check on every MpscRing poll.
            producerWaiters.wakeAllIfArmed();
        }
        if (pressure != null && element != null) {
            settleAfterPop(); // re-evaluated on pop: leaves SUSPENDED once the consumer has drained
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
                // fence, then read, once per batch, even if the handler threw after taking some; an MpscRing drain
                // may free handed-back slots without taking an element. Pairs with Writable.arm(), as in poll().
                producerWaiters.wakeAllIfArmed();
            }
            if (pressure != null && taken > 0) {
                settleAfterPop();
            } else if (pressure != null && thrown) {
                pressure.settle(size); // the handler threw: the ring may have freed slots uncounted here
            }
        }
        return taken;
    }

    /**
     * Takes the oldest element, waiting for one: spins, yields, then parks until a producer publishes or a side
     * closes (consumer side).
     *
     * @return the element, or {@code null} once the ring is closed for poll (closed and drained)
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    public E take() throws InterruptedException {
        return awaitElement(false, 0L);
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
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return awaitElement(true, unit.toNanos(timeout));
    }

    private E awaitElement(boolean timed, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        E element = poll();
        if (element != null || timed && timeoutNanos <= 0) {
            return element;
        }
        final long deadline = timed ? nanoClock.getAsLong() + timeoutNanos : 0L;
        Waker waker = null;
        for (int attempt = 0; ; attempt++) {
            if (ring.isClosedForPoll()) {
                return null;
            }
            long remaining = Long.MAX_VALUE;
            if (timed && (remaining = deadline - nanoClock.getAsLong()) <= 0) {
                return null;
            }
            if (attempt < spinTries) {
                Thread.onSpinWait();
            } else if (attempt < spinTries + yieldTries) {
                Thread.yield();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } else {
                attempt = spinTries + yieldTries; // stays in the parking phase; never overflows
                if (waker == null) {
                    waker = consumerWaker();
                }
                if (readable.arm(waker)) {
                    park(timed, remaining);
                    consumerWaiters.remove(waker);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            element = poll();
            if (element != null) {
                return element;
            }
        }
    }

    /**
     * The consumer's waker, made once per consumer thread and reused by every later park (the consumer is one thread
     * at a time, so the plain field is only ever used by that thread): parking allocates nothing in steady state.
     */
    private Waker consumerWaker() {
        ThreadWaker waker = consumerWaker;
        if (waker == null || waker.thread != Thread.currentThread()) {
            waker = new ThreadWaker(Thread.currentThread());
            consumerWaker = waker;
        }
        return waker;
    }

    /** As {@link #consumerWaker()}, for the one producer thread of an SPSC ring. */
    private Waker producerWaker() {
        ThreadWaker waker = producerWaker;
        if (waker == null || waker.thread != Thread.currentThread()) {
            waker = new ThreadWaker(Thread.currentThread());
            producerWaker = waker;
        }
        return waker;
    }

    /** Unparks one thread; a late wake is a spurious unpark, which every park here tolerates. */
    private static final class ThreadWaker implements Waker {
        final Thread thread;

        ThreadWaker(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void wake() {
            LockSupport.unpark(thread);
        }
    }

    /**
     * How many times a blocking call polls (with {@link Thread#onSpinWait()}) before it yields or parks: the ring's
     * spin phase, which other waiters (a suspending coroutine) may follow too.
     *
     * @return the spin tries, 0 or more
     */
    public int spinTries() {
        return spinTries;
    }

    /**
     * Wakes whoever is armed on {@link #readable()} now, without a transition: for a flag the consumer re-checks after
     * arming and before sleeping (a side signal such as a drain request). The caller writes its flag (volatile)
     * first; the full fence here orders that write before the read of the waiter list, the mirror of the consumer's
     * arm then re-check. Any thread; a wake is a hint.
     */
    public void wakeConsumer() {
        VarHandle.fullFence();
        consumerWaiters.wakeAllIfArmedAfterFence();
    }

    @Override
    public void closeConsumer() {
        try {
            ring.closeConsumer(); // may rethrow an undelivered-element handler's failure, after the close took effect
        } finally {
            // fence, then read: the close before the reads of both lists; pairs with the re-checks in arm().
            VarHandle.fullFence();
            producerWaiters.wakeAllIfArmedAfterFence();
            consumerWaiters.wakeAllIfArmedAfterFence();
        }
    }

    @Override
    public boolean isClosedForPoll() {
        return ring.isClosedForPoll();
    }

    // ---------------------------------------------------------------- waiting conditions

    /**
     * The consumer's condition "an element can be polled, or the ring is closed for poll", for waiters other than
     * the blocking methods: an idle strategy, a NIO selector, a coroutine. Armed by the consumer side only.
     *
     * @return the readable condition (the same object on every call)
     */
    public Wakeable readable() {
        return readable;
    }

    /**
     * The producers' condition "a slot is free, or the ring is closed for offer", for waiters other than the
     * blocking methods. Armed by producers only.
     *
     * @return the writable condition (the same object on every call)
     */
    public Wakeable writable() {
        return writable;
    }

    /**
     * Arms {@code waker} like {@link #writable()}, for a producer that needs {@code slots} free slots rather than one
     * (a reservation: the bridge's data side waits until a response slot beyond those it has promised is free):
     * it is woken by each consumer batch that frees slots and by a close, and re-checks. Withdraw it with
     * {@code writable().disarm(waker)}. Producer side.
     *
     * @param waker the waker to arm, not null
     * @param slots how many slots must be free, at least 1; more than {@code capacity()} are never free, so then only a
     *              close ends the wait
     * @return {@code true} if armed (sleep); {@code false} if that many slots are free or the ring is closed for
     *         offer (not armed: do not sleep)
     * @throws IllegalArgumentException if {@code waker} is null or {@code slots < 1}
     */
    public boolean armUntilFree(Waker waker, int slots) {
        Checks.notNull("waker", waker);
        if (slots < 1) {
            throw new IllegalArgumentException("slots=" + slots + " must be >= 1");
        }
        producerWaiters.add(waker); // a CAS, so a full fence before the re-check; pairs with poll()'s fence
        if (ring.capacity() - ring.size() >= slots || ring.isClosedForOffer()) {
            producerWaiters.remove(waker);
            return false;
        }
        return true;
    }

    /**
     * The backpressure controller that this ring re-evaluates after every push and every pop batch, if one was
     * configured ({@link Builder#backpressure}). Producers read {@code shouldThrottle()}/{@code shouldSuspend()} on
     * it, and may add listeners. Any thread.
     *
     * @return the controller, or {@code null} when none was configured
     */
    public BackpressureController backpressure() {
        return pressure;
    }

    /**
     * How many consumer-side waiters were woken (by publications and closes). Any thread; a snapshot. Stays 0 while
     * the consumer never waits, however many elements pass.
     *
     * @return the consumer wake-up count
     */
    public long consumerWakeups() {
        return consumerWaiters.wakeups();
    }

    /**
     * How many producer-side waiters were woken (by freed slots and closes). Any thread; a snapshot.
     *
     * @return the producer wake-up count
     */
    public long producerWakeups() {
        return producerWaiters.wakeups();
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

    private void park(boolean timed, long remainingNanos) {
        if (timed) {
            LockSupport.parkNanos(this, remainingNanos);
        } else {
            LockSupport.park(this);
        }
    }

    /** Ready when an element is buffered or the ring is closed for poll. */
    private final class Readable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            consumerWaiters.add(waker); // a CAS, so a full fence before the re-check; pairs with offer()'s fence
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

    /** Ready when a slot is free or the ring is closed for offer. */
    private final class Writable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            producerWaiters.add(waker); // a CAS, so a full fence before the re-check; pairs with poll()'s fence
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
     * Settings of a {@link WakingRing}; not thread-safe, use from one thread.
     *
     * @param <E> the element type
     */
    public static final class Builder<E> {
        private int capacity = -1;
        private boolean multiProducer;
        private ElementHandler<? super E> onUndelivered;
        private int spinTries = 128;
        private int yieldTries = 8;
        private LongSupplier nanoClock = System::nanoTime;
        private BackpressureConfig backpressure;

        private Builder() {
        }

        /**
         * Adds a backpressure controller over the ring's size, re-evaluated after every successful push batch and
         * every pop batch (each one costs a {@code size()} read, so leave it out where nobody reads the pressure).
         * The ring does not refuse offers because of it: producers read it and decide ({@link #backpressure()}).
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
         * How many times a blocking call re-checks with {@link Thread#onSpinWait()} before it yields; default 128.
         *
         * @param spinTries 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code spinTries < 0}
         */
        public Builder<E> spinTries(int spinTries) {
            this.spinTries = nonNegative("spinTries", spinTries);
            return this;
        }

        /**
         * How many times a blocking call re-checks with {@link Thread#yield()} before it parks; default 8.
         *
         * @param yieldTries 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code yieldTries < 0}
         */
        public Builder<E> yieldTries(int yieldTries) {
            this.yieldTries = nonNegative("yieldTries", yieldTries);
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

        private static int nonNegative(String name, int value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + "=" + value + " must be >= 0");
            }
            return value;
        }
    }
}
