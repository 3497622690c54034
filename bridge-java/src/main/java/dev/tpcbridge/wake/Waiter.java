package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The one way a thread waits in this library: every blocking call (and a core's idle step) backs off through a
 * {@link WaitPolicy}, spinning, then yielding, then parking on a {@link Wakeable} until it is woken, its deadline
 * passes, or it is interrupted. The caller owns the loop and its attempt, so nothing is captured or allocated:
 *
 * <pre>{@code
 * Waiter waiter = Waiter.start(policy, clock, timeoutNanos);     // throws if already interrupted
 * OfferStatus status;
 * while ((status = ring.offer(element)) == OfferStatus.FULL && waiter.await(ring.writable())) {
 *     // each await is one step: spin, yield, or park until woken; false once the deadline has passed
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A waiter belongs to one thread: {@link #start} hands out the calling thread's own (made once per
 * thread and reused, so waiting allocates nothing in steady state), whose waker unparks that thread. A thread runs one
 * wait at a time; the wait ends when the caller stops calling {@code await}. {@link #create} makes a waiter for a duty
 * cycle that idles through {@link #idle}.
 *
 * <p><b>Deadlines and interrupts.</b> Deadlines read the clock given to {@code start} (tests inject one); a wait never
 * gives up before its deadline by that clock, and a timeout of 0 or less makes {@code await} give up at once (one
 * attempt, no wait). {@code start} and {@code await} throw {@link InterruptedException} for an interrupt before or
 * during the wait (checked after each yield and park), clearing the status; the caller keeps what it was trying to
 * hand over. {@link #idle} never throws: it does not park while the status is set, and leaves it set.
 */
public final class Waiter {
    /** A timeout that means "as long as it takes": the wait reads no clock. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    private static final ThreadLocal<Waiter> CURRENT = new ThreadLocal<>();
    private static final int SPUN = 0;
    private static final int YIELDED = 1;
    private static final int PARKING = 2;

    private final ThreadWaker waker = new ThreadWaker();
    private WaitPolicy policy = WaitPolicy.DEFAULT;
    private LongSupplier clock;
    private long deadline;
    private boolean timed;
    /** A timed wait whose timeout was 0 or less: it has passed before it began, and no clock is read. */
    private boolean expired;
    private int step;
    /** Parks so far; written by the owning thread only, read by any (a core's park gauge). */
    private volatile long parks;

    private Waiter() {
    }

    /**
     * Starts a wait of the calling thread, with its own waiter.
     *
     * @param policy       how to back off, not null
     * @param clock        the nano clock the deadline reads, not null (read only when the timeout is positive and not
     *                     {@link #NO_TIMEOUT})
     * @param timeoutNanos the longest wait; {@link #NO_TIMEOUT} for none; 0 or less: give up at the first await
     * @return the calling thread's waiter, reset
     * @throws InterruptedException     if the thread is interrupted (the status is cleared)
     * @throws IllegalArgumentException if {@code policy} or {@code clock} is null
     */
    public static Waiter start(WaitPolicy policy, LongSupplier clock, long timeoutNanos) throws InterruptedException {
        Checks.notNull("policy", policy);
        Checks.notNull("clock", clock);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Waiter waiter = CURRENT.get();
        if (waiter == null) {
            waiter = new Waiter();
            waiter.waker.thread = Thread.currentThread();
            CURRENT.set(waiter);
        }
        waiter.policy = policy;
        waiter.clock = clock;
        waiter.step = 0;
        waiter.timed = timeoutNanos != NO_TIMEOUT;
        waiter.expired = timeoutNanos <= 0; // has passed already: the first await gives up without reading the clock
        if (waiter.timed && !waiter.expired) {
            // compared by difference, so a sum past Long.MAX_VALUE still works
            waiter.deadline = clock.getAsLong() + timeoutNanos;
        }
        return waiter;
    }

    /**
     * A waiter for a duty cycle (a data-plane core) that idles through {@link #idle} with {@code policy}: its waker
     * unparks whichever thread last called {@code idle}.
     *
     * @param policy how to back off, not null
     * @return a new waiter
     * @throws IllegalArgumentException if {@code policy} is null
     */
    public static Waiter create(WaitPolicy policy) {
        final Waiter waiter = new Waiter();
        waiter.policy = Checks.notNull("policy", policy);
        return waiter;
    }

    /**
     * One step of the wait: spin, yield, or arm {@code condition} and park until woken (bounded by the deadline and
     * by {@link Wakeable#parkLimitNanos()}). The caller re-tries its operation after each step.
     *
     * @param condition what ends a park, armed by this thread (its source's rule on who may arm applies)
     * @return {@code true} to try again; {@code false} once the deadline has passed (give up)
     * @throws InterruptedException if the thread is interrupted (the status is cleared)
     */
    public boolean await(Wakeable condition) throws InterruptedException {
        long remaining = Long.MAX_VALUE;
        if (timed && (expired || (remaining = deadline - clock.getAsLong()) <= 0)) {
            return false;
        }
        final int step = backOff();
        if (step == SPUN) {
            return true;
        }
        if (step == PARKING && condition.arm(waker)) {
            try {
                park(condition, Math.min(remaining, condition.parkLimitNanos()));
            } finally {
                if (Thread.currentThread().isInterrupted()) {
                    condition.abandon(waker); // this wait ends below: a wake it was given goes to the next waiter
                } else {
                    condition.disarm(waker); // the caller tries again, using the wake it may have been given
                }
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return true;
    }

    /**
     * One idle step of a duty cycle that did no work: spin, yield, or arm {@code condition} and park until woken, at
     * most {@code maxParkNanos} (and {@link Wakeable#parkLimitNanos()}). Never throws; an interrupted thread does not
     * park, and its status stays set for the duty cycle to act on.
     *
     * @param condition    what ends a park
     * @param maxParkNanos the longest park; {@code Long.MAX_VALUE} for none
     */
    public void idle(Wakeable condition, long maxParkNanos) {
        if (backOff() != PARKING) {
            return;
        }
        final Thread thread = Thread.currentThread();
        if (thread.isInterrupted()) {
            return; // a park would return at once: arm nothing, leave the interrupt to the duty cycle
        }
        waker.thread = thread; // published to the notifier by the arm's CAS
        if (condition.arm(waker)) {
            try {
                parks++; // single writer, the owning thread
                park(condition, Math.min(maxParkNanos, condition.parkLimitNanos()));
            } finally {
                condition.disarm(waker);
            }
        }
    }

    /** Resets the backoff, as after a cycle that did work: the next step spins again. Owning thread. */
    public void reset() {
        step = 0;
    }

    /**
     * Whether the next step parks: the spins and yields since the last reset are used up. Owning thread; for a duty
     * cycle that has something to do before it sleeps.
     *
     * @return {@code true} if the next {@code await} or {@code idle} parks
     */
    public boolean parksNext() {
        return step >= policy.spins() + policy.yields();
    }

    /**
     * How many times {@link #idle} parked. Any thread; a snapshot.
     *
     * @return the park count
     */
    public long parks() {
        return parks;
    }

    /** Spins or yields if the policy still says so, and says which; {@link #PARKING} once both are used up. */
    private int backOff() {
        final int step = this.step;
        final WaitPolicy policy = this.policy;
        if (step < policy.spins()) {
            this.step = step + 1;
            Thread.onSpinWait();
            return SPUN;
        }
        if (step < policy.spins() + policy.yields()) {
            this.step = step + 1;
            Thread.yield();
            return YIELDED;
        }
        return PARKING;
    }

    private static void park(Object blocker, long nanos) {
        if (nanos == Long.MAX_VALUE) {
            LockSupport.park(blocker);
        } else {
            LockSupport.parkNanos(blocker, nanos);
        }
    }

    @Override
    public String toString() {
        return "Waiter{" + policy + ", step=" + step + ", timed=" + timed + ", parks=" + parks + '}';
    }

    /** Unparks the waiting thread; a late wake is a spurious unpark, which every park here tolerates. */
    private static final class ThreadWaker implements Waker {
        volatile Thread thread;

        @Override
        public void wake() {
            LockSupport.unpark(thread);
        }
    }
}
