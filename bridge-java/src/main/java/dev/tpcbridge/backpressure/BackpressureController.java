package dev.tpcbridge.backpressure;

import dev.tpcbridge.telemetry.PressureTransitionEvent;

import dev.tpcbridge.internal.Checks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.IntSupplier;

// Padding by inheritance, as in SpscRing: the fields every update reads (thresholds, capacity, state) sit on their
// own lines, 128 bytes from the counters and the listener array, which a transition or a listener change writes.
// The state itself is written only on a transition, so both planes keep its line in their caches between
// transitions. BackpressureLayoutTest checks the distances with JOL.

/** Read by every update; written once in the constructor, except the state, written on each transition. */
abstract class BackpressureControllerHotFields {
    static final int NORMAL = PressureState.NORMAL.ordinal();
    static final int THROTTLED = PressureState.THROTTLED.ordinal();
    static final int SUSPENDED = PressureState.SUSPENDED.ordinal();

    final int capacity;
    /** The least size whose utilisation is {@code >= enterThrottle}; likewise for the other three. */
    final int enterThrottleSize;
    final int exitThrottleSize;
    final int enterSuspendSize;
    final int exitSuspendSize;
    /** The ordinal of the current {@link PressureState}; changed only by a compare-and-set. */
    volatile int state;

    BackpressureControllerHotFields(BackpressureConfig config, int capacity) {
        this.capacity = capacity;
        this.enterThrottleSize = BackpressureController.threshold(config.enterThrottle(), capacity);
        this.exitThrottleSize = BackpressureController.threshold(config.exitThrottle(), capacity);
        this.enterSuspendSize = BackpressureController.threshold(config.enterSuspend(), capacity);
        this.exitSuspendSize = BackpressureController.threshold(config.exitSuspend(), capacity);
        this.state = NORMAL;
    }
}

abstract class BackpressureControllerPad1 extends BackpressureControllerHotFields {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    BackpressureControllerPad1(BackpressureConfig config, int capacity) {
        super(config, capacity);
    }
}

/** Written on transitions (the counters), on listener failures and on listener changes; read by monitoring. */
abstract class BackpressureControllerColdFields extends BackpressureControllerPad1 {
    /**
     * Final, read by update(double). HotSpot may place it in the hot group's alignment gap (JOL shows it there on
     * JDK 17 with compressed oops): harmless, as it is never written after construction.
     */
    final BackpressureConfig config;
    /** Copy-on-write: replaced whole by a compare-and-set, never changed in place. */
    volatile PressureListener[] listeners;
    volatile long transitions;
    volatile long transitionsToNormal;
    volatile long transitionsToThrottled;
    volatile long transitionsToSuspended;
    volatile long listenerFailures;

    BackpressureControllerColdFields(BackpressureConfig config, int capacity) {
        super(config, capacity);
        this.config = config;
        this.listeners = new PressureListener[0];
    }
}

/**
 * Hysteresis watermarks over one buffer's size, for <b>any number of threads</b>: tells the producers of a buffer
 * whether to produce freely, more slowly, or not at all ({@link PressureState}), from the size that the buffer's
 * users report after each push and pop.
 *
 * <p><b>Threads.</b> Any thread may call every method, at any time: typically the producer after each push and the
 * consumer after each pop (each calling {@link #settle}), while either plane reads {@link #shouldThrottle()} and
 * {@link #shouldSuspend()}.
 *
 * <p><b>Visibility.</b> A transition is one compare-and-set of the state (volatile), which {@link #pressure()} and
 * every update read with an acquire: a thread that sees a transition's state sees everything the transitioning
 * thread did before its {@code update}. The counters are incremented just after the state changes, so a reader may
 * see the new state a moment before the counts that include it.
 *
 * <p><b>Progress.</b> {@link #update(int)} and {@link #update(double)} are lock-free: their compare-and-set fails
 * only because another thread's succeeded, and when no transition is due they write nothing. {@link #settle} is
 * lock-free too (each extra round follows a transition). {@link #pressure()}, {@link #shouldThrottle()},
 * {@link #shouldSuspend()} and the counters are wait-free single loads. Listener changes are lock-free. Nothing
 * blocks; listeners run on the updating thread (see {@link PressureListener}).
 *
 * <p><b>Normal outcomes.</b> Throttled and suspended are states, not errors; an {@code update} that changes nothing
 * returns {@code false}; a listener that throws is counted and logged, never propagated. Exceptions are for contract
 * violations (a size outside {@code [0, capacity]}, a NaN utilisation, a null argument), with a message naming the
 * bad value.
 *
 * <p><b>Transitions.</b> With utilisation {@code u = size / capacity} and the watermarks of a
 * {@link BackpressureConfig}:
 * <pre>
 *   NORMAL    -- u &gt;= enterSuspend --&gt; SUSPENDED   (a direct jump)
 *   NORMAL    -- u &gt;= enterThrottle --&gt; THROTTLED
 *   THROTTLED -- u &gt;= enterSuspend --&gt; SUSPENDED
 *   THROTTLED -- u &lt;  exitThrottle --&gt; NORMAL
 *   SUSPENDED -- u &lt;  exitThrottle --&gt; NORMAL      (straight down)
 *   SUSPENDED -- u &lt;  exitSuspend  --&gt; THROTTLED
 * </pre>
 * and otherwise the state stays. For a given size at most one transition applies: the state it reaches is a fixed
 * point, so a second {@code update} with the same size never changes anything.
 *
 * <p><b>Integer thresholds.</b> {@code create} turns each watermark {@code f} into the least size {@code s} with
 * {@code (double) s / capacity >= f}, by binary search over that exact predicate, so {@link #update(int)} compares
 * ints only, and agrees exactly with {@link #update(double)} given the utilisation that
 * {@code Ring.utilization()} computes ({@code (double) size / capacity}). With capacity 100 and the defaults,
 * 85 elements throttle and 84 do not.
 *
 * <p><b>Usage rule.</b> Call {@code settle} after <em>every</em> change of the size: after each push <em>and</em>
 * after each pop. A controller updated only on push never leaves {@code SUSPENDED}: a suspended producer stops
 * pushing, so nobody tells the controller that the consumer drained the buffer. And use {@link #settle}, not a bare
 * {@code update}: a thread whose size is stale (read before another thread's pop) can win the last
 * compare-and-set; {@code settle} makes every thread that made a transition re-read the size and update again, so
 * once the size stops changing the state is a fixed point for the final size. See {@link #settle} for the argument.
 *
 * <pre>{@code
 * SpscRing<Task> ring = SpscRing.create(1024);
 * BackpressureController pressure = BackpressureController.create(BackpressureConfig.defaults(), ring.capacity());
 * IntSupplier sizeOf = ring::size; // made once: the hot path allocates nothing
 *
 * // producer thread
 * while (pressure.shouldSuspend()) {
 *     LockSupport.parkNanos(20_000); // or yield to other work
 *     pressure.settle(sizeOf);       // on each wake-up: see settle(), "Fresh sizes"
 * }
 * if (ring.offer(task) == OfferStatus.OK) {
 *     pressure.settle(sizeOf);
 * }
 *
 * // consumer thread
 * Task next = ring.poll();
 * if (next != null) {
 *     pressure.settle(sizeOf);
 *     next.run();
 * }
 * }</pre>
 *
 * <p><b>Algorithm.</b> A three-state Schmitt trigger over one {@code int}, changed only by compare-and-set from the
 * state the caller observed to the state the transition function gives for the caller's size; the winner counts the
 * transition and calls the listeners. Guarded by {@code BackpressureControllerTest} (every edge at the exact
 * thresholds), {@code BackpressureConcurrentTest} (a producer and a consumer over an {@code SpscRing}) and
 * {@code BackpressureLincheckTest} (linearizability of {@code update} and {@code pressure}).
 */
public final class BackpressureController extends BackpressureControllerColdFields {
    private static final PressureState[] STATES = PressureState.values();

    private static final VarHandle STATE;
    private static final VarHandle LISTENERS;
    private static final VarHandle TRANSITIONS;
    private static final VarHandle LISTENER_FAILURES;
    /** Indexed by the target state's ordinal. */
    private static final VarHandle[] TRANSITIONS_TO;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(BackpressureControllerHotFields.class, "state", int.class);
            Class<?> cold = BackpressureControllerColdFields.class;
            LISTENERS = lookup.findVarHandle(cold, "listeners", PressureListener[].class);
            TRANSITIONS = lookup.findVarHandle(cold, "transitions", long.class);
            LISTENER_FAILURES = lookup.findVarHandle(cold, "listenerFailures", long.class);
            TRANSITIONS_TO = new VarHandle[] {
                lookup.findVarHandle(cold, "transitionsToNormal", long.class),
                lookup.findVarHandle(cold, "transitionsToThrottled", long.class),
                lookup.findVarHandle(cold, "transitionsToSuspended", long.class),
            };
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BackpressureController(BackpressureConfig config, int capacity) {
        super(config, capacity);
    }

    /**
     * Creates a controller for a buffer of {@code capacity} elements, in state {@link PressureState#NORMAL}.
     *
     * @param config   the watermarks
     * @param capacity the buffer's capacity, at least 1; for a ring, pass {@code ring.capacity()} (rounded up)
     * @return a new controller
     * @throws IllegalArgumentException if {@code config} is null or {@code capacity < 1}
     */
    public static BackpressureController create(BackpressureConfig config, int capacity) {
        Checks.notNull("config", config);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        return new BackpressureController(config, capacity);
    }

    /**
     * The least size {@code s} in {@code [0, capacity]} with {@code (double) s / capacity >= fraction}. Division by
     * a positive constant is monotone in {@code s}, so sizes at or above the result are exactly those whose
     * utilisation reaches {@code fraction}; the search tests that very predicate, so no rounding of
     * {@code fraction * capacity} can put the threshold one off.
     */
    static int threshold(double fraction, int capacity) {
        long low = 0; // invariant: every s < low fails
        long high = capacity; // invariant: high passes (fraction <= 1, so s = capacity always does)
        while (low < high) {
            final long mid = (low + high) >>> 1;
            if ((double) mid / capacity >= fraction) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return (int) high;
    }

    // ---------------------------------------------------------------- update

    /**
     * Re-evaluates the state for a buffer holding {@code size} elements, and makes the transition that is due, if
     * any. Ints only on this path: the watermarks were turned into sizes by {@code create}. When no transition is
     * due this is one acquire load and a few compares, and writes nothing. Prefer {@link #settle} after a push or
     * pop (see the class comment's usage rule).
     *
     * @param size how many elements the buffer holds, in {@code [0, capacity]}
     * @return {@code true} if this call made a transition (and ran the listeners), {@code false} if none was due
     * @throws IllegalArgumentException if {@code size} is outside {@code [0, capacity]}
     */
    public boolean update(int size) {
        if (size < 0 || size > capacity) {
            throw new IllegalArgumentException("size=" + size + " must be in [0, capacity=" + capacity + "]");
        }
        while (true) {
            // acquire: pairs with casState() below, by whichever thread made the last transition.
            final int state = stateAcquire();
            final int target = target(state, size);
            if (target == state) {
                return false;
            }
            // volatile CAS: publishes the transition; pairs with stateAcquire() in pressure() and in every update.
            // A failure means another thread's transition won: re-read and re-evaluate for our size.
            if (casState(state, target)) {
                transitioned(state, target);
                return true;
            }
        }
    }

    /**
     * Re-evaluates the state for a buffer at {@code utilization}, as {@link #update(int)} does for a size, comparing
     * with the configured fractions directly. For a utilisation computed as {@code (double) size / capacity()} the
     * two agree exactly.
     *
     * @param utilization the fraction of the capacity in use, in {@code [0, 1]}
     * @return {@code true} if this call made a transition (and ran the listeners), {@code false} if none was due
     * @throws IllegalArgumentException if {@code utilization} is NaN or outside {@code [0, 1]}
     */
    public boolean update(double utilization) {
        if (!(utilization >= 0.0 && utilization <= 1.0)) { // written so that NaN fails too
            throw new IllegalArgumentException("utilization=" + utilization + " must be in [0, 1]");
        }
        while (true) {
            // acquire: pairs with casState() below, as in update(int).
            final int state = stateAcquire();
            final int target = target(state, utilization);
            if (target == state) {
                return false;
            }
            // volatile CAS: as in update(int).
            if (casState(state, target)) {
                transitioned(state, target);
                return true;
            }
        }
    }

    /**
     * Updates for the buffer's current size until an update makes no transition: the call to make after every push
     * and every pop.
     *
     * <p><b>Why it loops.</b> Another thread may read the size, be overtaken by a pop (or a push), and then win the
     * compare-and-set with its stale size, leaving a state that no longer fits: say {@code SUSPENDED} over a buffer
     * just drained empty. If nobody updated again, that state would stick. Here every thread that made a transition
     * reads the size again and updates again. Take the last transition ever made: its thread then read the size
     * and found no transition due, so the state fits the size it read; and any later change of the size is followed
     * by its author's own {@code settle}, which reads the final size and finds no transition due either (there is
     * none after the last). So once the size stops changing, the state is a fixed point for the final size.
     *
     * <p><b>Fresh sizes.</b> The argument assumes that {@code size} returns a size that includes every change
     * completed before the call. A size made of indexes read with acquire loads, as {@code Ring.size()} is, can
     * for a moment miss the other side's latest change (a store still leaving the other core), and a stale state
     * could then stand until the next push or pop. A producer waiting for {@link #shouldSuspend()} to clear should
     * therefore call {@code settle} each time it wakes from its back-off (not on every spin: reading the consumer's
     * index in a tight loop slows the consumer down), so that how long it waits never depends on that moment.
     *
     * <p><b>Progress.</b> Lock-free: a round after the first runs only because this thread's previous update made
     * a transition, which happens only when the size has crossed a watermark since (or another thread's transition
     * raced with ours); it ends once the size stops crossing watermarks. No allocation, provided {@code size} is not
     * a fresh capturing lambda each call (keep {@code ring::size} in a field).
     *
     * @param size gives the buffer's current size, in {@code [0, capacity]}; called once per round, on this thread
     * @return how many transitions this call made: 0 on the fast path, rarely more than 1
     * @throws IllegalArgumentException if {@code size} is null or gives a size outside {@code [0, capacity]}
     */
    public int settle(IntSupplier size) {
        Checks.notNull("size", size);
        int transitions = 0;
        while (update(size.getAsInt())) {
            transitions++;
        }
        return transitions;
    }

    /** The transition function on sizes: see the class comment. */
    private int target(int state, int size) {
        if (state == NORMAL) {
            return size >= enterSuspendSize ? SUSPENDED : size >= enterThrottleSize ? THROTTLED : NORMAL;
        }
        if (state == THROTTLED) {
            return size >= enterSuspendSize ? SUSPENDED : size < exitThrottleSize ? NORMAL : THROTTLED;
        }
        return size < exitThrottleSize ? NORMAL : size < exitSuspendSize ? THROTTLED : SUSPENDED;
    }

    /** The same transition function on utilisations, against the configured fractions. */
    private int target(int state, double u) {
        final BackpressureConfig config = this.config;
        if (state == NORMAL) {
            return u >= config.enterSuspend() ? SUSPENDED : u >= config.enterThrottle() ? THROTTLED : NORMAL;
        }
        if (state == THROTTLED) {
            return u >= config.enterSuspend() ? SUSPENDED : u < config.exitThrottle() ? NORMAL : THROTTLED;
        }
        return u < config.exitThrottle() ? NORMAL : u < config.exitSuspend() ? THROTTLED : SUSPENDED;
    }

    /** The rare path, run by the thread that won the transition's compare-and-set. */
    private void transitioned(int from, int to) {
        // volatile read-modify-writes: pair with the acquire loads in transitions() and transitionsTo().
        TRANSITIONS.getAndAdd(this, 1L);
        TRANSITIONS_TO[to].getAndAdd(this, 1L);
        if (PressureTransitionEvent.enabled()) {
            new PressureTransitionEvent(STATES[from].name(), STATES[to].name()).commit();
        }
        // acquire: pairs with casListeners() in addListener()/removeListener(); a listener added before (in
        // happens-before order) this transition's update is called.
        final PressureListener[] listeners = listenersAcquire();
        for (PressureListener listener : listeners) {
            try {
                listener.onTransition(STATES[from], STATES[to]);
            } catch (VirtualMachineError e) {
                throw e; // the JVM itself is failing (out of memory, stack overflow): not ours to hide
            } catch (Throwable t) {
                listenerFailed(listener, from, to, t);
            }
        }
    }

    private void listenerFailed(PressureListener listener, int from, int to, Throwable failure) {
        LISTENER_FAILURES.getAndAdd(this, 1L); // volatile: pairs with the acquire in listenerFailures()
        Log.LOGGER.log(System.Logger.Level.WARNING, () -> "listener=" + listener + " threw on transition from="
            + STATES[from] + " to=" + STATES[to] + "; caught, the caller of update() goes on", failure);
    }

    /** Holds the logger, so that the logging back end is set up on the first listener failure, not before. */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger(BackpressureController.class.getName());
    }

    // ---------------------------------------------------------------- reads, for both planes

    /**
     * The current state. Wait-free: one acquire load.
     *
     * @return the state made by the latest transition this thread can see
     */
    public PressureState pressure() {
        // acquire: pairs with casState() in update(); see the class comment for what it makes visible.
        return STATES[stateAcquire()];
    }

    /**
     * Whether producers should slow down: the state is {@code THROTTLED} or {@code SUSPENDED}. Wait-free.
     *
     * @return {@code pressure() != NORMAL}
     */
    public boolean shouldThrottle() {
        return stateAcquire() != NORMAL; // acquire: as in pressure()
    }

    /**
     * Whether producers should stop: the state is {@code SUSPENDED}. Wait-free.
     *
     * @return {@code pressure() == SUSPENDED}
     */
    public boolean shouldSuspend() {
        return stateAcquire() == SUSPENDED; // acquire: as in pressure()
    }

    // ---------------------------------------------------------------- counters

    /**
     * How many transitions have been made, in all. Incremented just after each transition's compare-and-set, so it
     * may lag {@link #pressure()} for a moment.
     *
     * @return the number of transitions so far
     */
    public long transitions() {
        return (long) TRANSITIONS.getAcquire(this); // acquire: pairs with the getAndAdd in transitioned()
    }

    /**
     * How many transitions have entered {@code state}. Once updates stop, the counts of the three states add up
     * to {@link #transitions()}.
     *
     * @param state the state entered
     * @return the number of transitions into {@code state} so far
     * @throws IllegalArgumentException if {@code state} is null
     */
    public long transitionsTo(PressureState state) {
        Checks.notNull("state", state);
        // acquire: pairs with the getAndAdd in transitioned().
        return (long) TRANSITIONS_TO[state.ordinal()].getAcquire(this);
    }

    /**
     * How many listener calls have thrown (each one caught, counted and logged at {@code WARNING} through
     * {@link System.Logger}, named after this class).
     *
     * @return the number of listener failures so far
     */
    public long listenerFailures() {
        return (long) LISTENER_FAILURES.getAcquire(this); // acquire: pairs with the getAndAdd in listenerFailed()
    }

    // ---------------------------------------------------------------- listeners

    /**
     * Adds a listener, called on every transition made after this method returns (see {@link PressureListener} for
     * the thread it runs on). Adding the same listener twice makes it called twice. Lock-free (copy-on-write).
     *
     * @param listener the listener
     * @throws IllegalArgumentException if {@code listener} is null
     */
    public void addListener(PressureListener listener) {
        Checks.notNull("listener", listener);
        while (true) {
            final PressureListener[] current = listenersAcquire();
            final PressureListener[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            // volatile CAS: publishes the filled array; pairs with listenersAcquire() in transitioned().
            if (casListeners(current, next)) {
                return;
            }
        }
    }

    /**
     * Removes one registration of {@code listener} (the same instance, compared with {@code ==}). A transition made
     * concurrently may still call it once. Lock-free (copy-on-write).
     *
     * @param listener the listener
     * @return {@code true} if it was registered and is now removed (once)
     * @throws IllegalArgumentException if {@code listener} is null
     */
    public boolean removeListener(PressureListener listener) {
        Checks.notNull("listener", listener);
        while (true) {
            final PressureListener[] current = listenersAcquire();
            int index = -1;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == listener) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                return false;
            }
            final PressureListener[] next = new PressureListener[current.length - 1];
            System.arraycopy(current, 0, next, 0, index);
            System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            // volatile CAS: pairs with listenersAcquire() in transitioned().
            if (casListeners(current, next)) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- configuration

    /**
     * The watermarks this controller was created with.
     *
     * @return the configuration
     */
    public BackpressureConfig config() {
        return config;
    }

    /**
     * The least size at which {@code NORMAL} turns {@code THROTTLED}: below it no push can make a transition, from
     * any state that fitted the size before the push (a producer that knows an upper bound of the size below this
     * may skip its {@link #settle}). Any thread.
     *
     * @return the size, in {@code [0, capacity]}
     */
    public int enterThrottleSize() {
        return enterThrottleSize;
    }

    /**
     * The buffer capacity this controller was created with.
     *
     * @return the capacity, at least 1
     */
    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "BackpressureController{capacity=" + capacity + ", pressure=" + pressure()
            + ", transitions=" + transitions() + ", listenerFailures=" + listenerFailures()
            + ", enterThrottleSize=" + enterThrottleSize + ", exitThrottleSize=" + exitThrottleSize
            + ", enterSuspendSize=" + enterSuspendSize + ", exitSuspendSize=" + exitSuspendSize
            + ", config=" + config + '}';
    }

    // ---------------------------------------------------------------- accessors named for their mode

    private int stateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    private boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    private PressureListener[] listenersAcquire() {
        return (PressureListener[]) LISTENERS.getAcquire(this);
    }

    private boolean casListeners(PressureListener[] expected, PressureListener[] next) {
        return LISTENERS.compareAndSet(this, expected, next);
    }
}
