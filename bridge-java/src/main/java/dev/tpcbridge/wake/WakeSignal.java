package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A wake signal with eventfd counter semantics: {@link #signal()} adds to a counter, {@link #poll()} takes the count
 * without waiting, {@link #take()} waits for one; waiters armed on it are woken by the first signal after they armed,
 * however many follow (signals coalesce).
 *
 * <p><b>Threads.</b> Any thread may signal, poll, take, arm, disarm and close; concurrent takers split the count, each
 * signal counted once. What a thread wrote before {@code signal()} happens-before what a thread reads after taking a
 * count that includes it (volatile read-modify-writes on one word holding the count and the closed flag).
 *
 * <p><b>Progress.</b> {@code signal} and {@code poll} are lock-free; a signal with nobody armed costs a CAS, a fence
 * and a read, no wake call. {@code take} waits through {@link Waiter} (interrupts, deadlines on an injectable clock).
 *
 * <p><b>Closing.</b> {@link #close()} wakes every waiter; later signals are ignored, and what was signalled before is
 * still taken, then {@link #CLOSED}. Idempotent.
 */
public final class WakeSignal implements Wakeable, AutoCloseable {
    /** What {@code take} returns once the signal is closed and nothing is left to take. */
    public static final long CLOSED = -1L;

    /** The largest count: signals beyond it saturate (eventfd stops at 2^64 - 2; a Java long at 2^63 - 1). */
    public static final long MAX_COUNT = Long.MAX_VALUE;
    /** The closed flag, in the same word as the count so that "ignored once closed" is exact. */
    private static final long CLOSED_BIT = Long.MIN_VALUE;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WakeSignal.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WaiterList waiters = new WaiterList();
    private final LongSupplier nanoClock;
    private final WaitPolicy policy;
    /** {@code CLOSED_BIT} | the count (63 bits). */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile long state;

    private WakeSignal(LongSupplier nanoClock, WaitPolicy policy) {
        this.nanoClock = nanoClock;
        this.policy = policy;
    }

    /**
     * Creates an open signal with a count of 0, whose deadlines read {@link System#nanoTime()}.
     *
     * @return a new signal
     */
    public static WakeSignal create() {
        return new WakeSignal(System::nanoTime, WaitPolicy.DEFAULT);
    }

    /**
     * Creates an open signal with a count of 0, whose waits back off by {@code policy} and whose deadlines read
     * {@code nanoClock} (tests inject one).
     *
     * @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     * @param policy    how {@code take} backs off before it parks
     * @return a new signal
     * @throws IllegalArgumentException if an argument is null
     */
    public static WakeSignal create(LongSupplier nanoClock, WaitPolicy policy) {
        return new WakeSignal(Checks.notNull("nanoClock", nanoClock), Checks.notNull("policy", policy));
    }

    /** Adds 1 to the count and wakes the armed waiters, if any. Any thread; ignored once closed. */
    public void signal() {
        signal(1);
    }

    /**
     * Adds {@code n} to the count (saturating at {@link #MAX_COUNT}) and wakes the armed waiters, if any. Any thread;
     * ignored once closed.
     *
     * @param n how much to add, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public void signal(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n=" + n + " must be >= 1");
        }
        long state;
        long next;
        do {
            state = stateVolatile();
            if ((state & CLOSED_BIT) != 0) {
                return;
            }
            next = state > MAX_COUNT - n ? MAX_COUNT : state + n;
            // CAS: publishes what the caller wrote before it (pairs with the CAS in take()) and orders the add
            // before the read of the waiters below (pairs with the CAS and fence of WaiterList.add in arm()).
        } while (!STATE.compareAndSet(this, state, next));
        VarHandle.fullFence(); // StoreLoad in the letter of the specification; the CAS already is one on x86/AArch64
        waiters.wakeAllIfArmedAfterFence();
    }

    /**
     * Takes the whole count and resets it to 0, without waiting. Any thread.
     *
     * @return the count taken, 0 if nothing was signalled, or {@link #CLOSED} when closed and nothing is left
     */
    public long poll() {
        long state;
        do {
            state = stateVolatile();
            if ((state & ~CLOSED_BIT) == 0) {
                return state == 0 ? 0 : CLOSED;
            }
            // CAS, keeping the closed bit: pairs with the CAS in signal(); what was written before the signals taken
            // is visible after it.
        } while (!STATE.compareAndSet(this, state, state & CLOSED_BIT));
        return state & ~CLOSED_BIT;
    }

    /**
     * Takes the whole count, waiting for a signal as long as it takes. Any thread.
     *
     * @return the count taken, at least 1, or {@link #CLOSED} when closed and nothing is left
     * @throws InterruptedException if the thread is interrupted before or while waiting (the count stays)
     */
    public long take() throws InterruptedException {
        return take(Waiter.NO_TIMEOUT);
    }

    /**
     * Takes the whole count, waiting up to {@code timeout} for a signal. Any thread.
     *
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return the count taken; 0 when the deadline passed first; {@link #CLOSED} when closed and nothing is left
     * @throws InterruptedException     if the thread is interrupted before or while waiting (the count stays)
     * @throws IllegalArgumentException if {@code unit} is null
     */
    public long take(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return take(unit.toNanos(timeout));
    }

    private long take(long timeoutNanos) throws InterruptedException {
        final Waiter waiter = Waiter.start(policy, nanoClock, timeoutNanos);
        long taken;
        while ((taken = poll()) == 0 && waiter.await(this)) {
            // one backoff step per try; await gives up at the deadline
        }
        return taken;
    }

    /**
     * The count now, without taking it. Any thread; a snapshot.
     *
     * @return the count
     */
    public long count() {
        return stateVolatile() & ~CLOSED_BIT;
    }

    /**
     * Arms {@code waker} unless the count is already non-zero or the signal is closed. See {@link Wakeable}.
     *
     * @param waker woken by the next signal or the close; not null
     * @return {@code true} if armed (the caller may sleep); {@code false} if a signal is pending or the signal is
     *         closed (the caller must not sleep)
     * @throws IllegalArgumentException if {@code waker} is null
     */
    @Override
    public boolean arm(Waker waker) {
        Checks.notNull("waker", waker);
        waiters.add(waker); // a CAS and a full fence before the re-check below; pairs with the CAS in signal()
        if (stateVolatile() != 0) { // a count, or closed
            waiters.remove(waker);
            return false;
        }
        return true;
    }

    @Override
    public void disarm(Waker waker) {
        Checks.notNull("waker", waker);
        waiters.remove(waker);
    }

    /**
     * Closes the signal and wakes every waiter. Idempotent; any thread.
     */
    @Override
    public void close() {
        // volatile read-modify-write, then the read of the waiters in wakeAll(); pairs with arm()'s re-check.
        if (((long) STATE.getAndBitwiseOr(this, CLOSED_BIT) & CLOSED_BIT) == 0) {
            VarHandle.fullFence();
            waiters.wakeAllIfArmedAfterFence();
        }
    }

    /**
     * Whether {@link #close()} was called. Any thread.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return (stateVolatile() & CLOSED_BIT) != 0;
    }

    private long stateVolatile() {
        return (long) STATE.getVolatile(this);
    }

    /**
     * How many waiters were woken so far (by signals and by the close); a waiter is counted once per wake. Any
     * thread; a snapshot. A signal with nobody armed adds nothing.
     *
     * @return the wake-up count
     */
    public long wakeups() {
        return waiters.wakeups();
    }

    @Override
    public String toString() {
        return "WakeSignal{count=" + count() + ", closed=" + isClosed() + ", wakeups=" + wakeups() + '}';
    }
}
