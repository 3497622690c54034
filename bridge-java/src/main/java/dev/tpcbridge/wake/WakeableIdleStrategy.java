package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;

import java.util.concurrent.locks.LockSupport;

/**
 * The idle strategy of a data-plane core's duty cycle: after a cycle that did no work it spins, then yields, then
 * parks until one of its sources ({@link WakingRing#readable()}, a {@link WakeSignal}, ...) becomes ready, so an idle
 * core costs no CPU and yet wakes on the first transition. The same shape as Agrona's {@code BackoffIdleStrategy},
 * except that its last step sleeps on the armed-waiter protocol instead of a timed park (the runtime adapts it to
 * Agrona's {@code IdleStrategy} for {@code AgentRunner}; this type keeps Agrona out of the public API).
 *
 * <p><b>Threads.</b> One thread at a time calls {@link #idle(int)}, {@link #idle()} and {@link #reset()}: the core
 * that owns it. The sources' notifiers wake it from any thread. {@link #parks()} may be read from any thread.
 *
 * <p><b>Visibility.</b> What a notifier published before its transition is visible to the core's next duty cycle
 * when that cycle observes the transition (polls the element, takes the signal): see {@link Wakeable}.
 *
 * <p><b>Progress.</b> {@code idle} blocks: it returns after a spin, a yield, a wake-up, a spurious unpark, an
 * interrupt or {@code maxParkNanos}. It never parks while the thread's interrupt status is set (the status stays set
 * for the duty cycle to act on).
 *
 * <p><b>Normal outcomes.</b> A wake-up is a hint: the duty cycle re-checks its sources, and an idle call that found a
 * source ready while arming returns at once without parking.
 */
public final class WakeableIdleStrategy {
    private final Wakeable[] sources;
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNanos;
    private final ParkingWaker waker = new ParkingWaker();
    private int idleCycles;
    private volatile long parks;

    private WakeableIdleStrategy(int maxSpins, int maxYields, long maxParkNanos, Wakeable[] sources) {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxParkNanos = maxParkNanos;
        this.sources = sources;
    }

    /**
     * Creates a strategy that spins {@code maxSpins} times, yields {@code maxYields} times, then parks until a source
     * is ready (with no timeout: an idle core costs nothing).
     *
     * @param maxSpins  idle cycles spent in {@link Thread#onSpinWait()}, 0 or more
     * @param maxYields idle cycles spent in {@link Thread#yield()}, 0 or more
     * @param sources   the conditions that end a park, at least one, none null
     * @return a new strategy
     * @throws IllegalArgumentException if a count is negative, or {@code sources} is empty, holds null or repeats one
     */
    public static WakeableIdleStrategy create(int maxSpins, int maxYields, Wakeable... sources) {
        return create(maxSpins, maxYields, Long.MAX_VALUE, sources);
    }

    /**
     * Creates a strategy whose parks also end after {@code maxParkNanos}, for a duty cycle that has timed work too.
     *
     * @param maxSpins     idle cycles spent in {@link Thread#onSpinWait()}, 0 or more
     * @param maxYields    idle cycles spent in {@link Thread#yield()}, 0 or more
     * @param maxParkNanos the longest park, at least 1; {@code Long.MAX_VALUE} for none
     * @param sources      the conditions that end a park, at least one, none null
     * @return a new strategy
     * @throws IllegalArgumentException if a count is negative, {@code maxParkNanos < 1}, or {@code sources} is empty,
     *                                  holds null or repeats one
     */
    public static WakeableIdleStrategy create(int maxSpins, int maxYields, long maxParkNanos, Wakeable... sources) {
        if (maxSpins < 0 || maxYields < 0) {
            throw new IllegalArgumentException("maxSpins=" + maxSpins + ", maxYields=" + maxYields + " must be >= 0");
        }
        if (maxParkNanos < 1) {
            throw new IllegalArgumentException("maxParkNanos=" + maxParkNanos + " must be >= 1");
        }
        Checks.notNull("sources", sources);
        if (sources.length == 0) {
            throw new IllegalArgumentException("sources is empty: give at least one condition to wake on");
        }
        final Wakeable[] copy = sources.clone();
        for (int i = 0; i < copy.length; i++) {
            Checks.notNull("sources[" + i + "]", copy[i]);
            for (int j = 0; j < i; j++) {
                if (copy[j] == copy[i]) {
                    throw new IllegalArgumentException("sources[" + i + "] repeats sources[" + j + "]");
                }
            }
        }
        return new WakeableIdleStrategy(maxSpins, maxYields, maxParkNanos, copy);
    }

    /**
     * Idles after a duty cycle that did {@code workCount} units of work: resets the backoff if it did any, else takes
     * the next backoff step.
     *
     * @param workCount the work done by the last cycle; {@code > 0} resets
     */
    public void idle(int workCount) {
        if (workCount > 0) {
            idleCycles = 0;
        } else {
            idle();
        }
    }

    /** Takes the next backoff step: spin, yield, or arm every source and park until one is ready. */
    public void idle() {
        final int cycle = idleCycles;
        if (cycle < maxSpins) {
            idleCycles = cycle + 1;
            Thread.onSpinWait();
        } else if (cycle < maxSpins + maxYields) {
            idleCycles = cycle + 1;
            Thread.yield();
        } else {
            parkUntilReady();
        }
    }

    /** Resets the backoff, as after a cycle that did work. */
    public void reset() {
        idleCycles = 0;
    }

    /**
     * Whether the next idle step parks: the spins and yields since the last reset are used up. The owning thread, for
     * a duty cycle that has something to do before it sleeps (publish what it counted, say).
     *
     * @return {@code true} if {@link #idle()} would park now
     */
    public boolean parksNext() {
        return idleCycles >= maxSpins + maxYields;
    }

    /**
     * How many times the core actually parked. Any thread; a snapshot.
     *
     * @return the park count
     */
    public long parks() {
        return parks;
    }

    private void parkUntilReady() {
        final Thread thread = Thread.currentThread();
        if (thread.isInterrupted()) {
            return; // park would return at once: leave the interrupt for the duty cycle to act on, arm nothing
        }
        final Wakeable[] sources = this.sources;
        final ParkingWaker waker = this.waker;
        waker.thread = thread; // published by the arm CAS below, read by the notifier after its swap
        int armed = 0;
        try {
            boolean ready = false;
            while (armed < sources.length) {
                if (!sources[armed].arm(waker)) {
                    ready = true; // this source is ready: sleeping now could miss it
                    break;
                }
                armed++;
            }
            if (!ready) {
                parks++; // single writer: the owning core
                if (maxParkNanos == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, maxParkNanos);
                }
            }
        } finally {
            for (int i = 0; i < armed; i++) {
                sources[i].disarm(waker); // a waker already woken by a source is not on its list: no cost
            }
        }
    }

    @Override
    public String toString() {
        return "WakeableIdleStrategy{maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", maxParkNanos="
            + maxParkNanos + ", sources=" + sources.length + ", parks=" + parks + '}';
    }

    /** One reusable waker per strategy: the owning core parks, so no allocation per idle. */
    private static final class ParkingWaker implements Waker {
        Thread thread;

        @Override
        public void wake() {
            LockSupport.unpark(thread);
        }
    }
}
