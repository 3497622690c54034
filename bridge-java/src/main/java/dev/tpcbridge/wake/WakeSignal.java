package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.internal.WaiterList;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A wake signal with eventfd counter semantics: {@link #signal()} adds to a counter, {@link #take()} returns the
 * count and resets it, and the waiters armed on it are woken only on the transition that matters to them.
 *
 * <p><b>Threads.</b> Any thread may signal, take, arm, disarm and close; any number of threads may wait. The counter
 * is shared: concurrent takers split the signals between them, each signal counted once.
 *
 * <p><b>Visibility.</b> What a thread wrote before {@code signal()} happens-before what a thread reads after a
 * {@code take} that returns a count including that signal (the counter is updated with volatile read-modify-writes).
 *
 * <p><b>Progress.</b> {@code signal} and {@code take()} are lock-free (a CAS loop on one word that holds the count
 * and the closed flag); {@code signal} with nobody armed costs that CAS, a fence and one read, no wake call.
 * {@link #take(long, TimeUnit)} blocks with {@link LockSupport} (never {@code synchronized}), so a virtual thread
 * waiting in it does not pin its carrier.
 *
 * <p><b>Coalescing.</b> Signals that arrive while nobody waits add up and wake nobody; an armed waiter is woken once,
 * by the first signal after it armed (it is disarmed as it is woken), however many follow.
 *
 * <p><b>Closing.</b> {@link #close()} wakes every waiter; afterwards {@code signal} is ignored, {@code take}
 * still returns what was signalled before, then {@link #CLOSED}. Idempotent.
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
    /** {@code CLOSED_BIT} | the count (63 bits). */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile long state;

    private WakeSignal(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Creates an open signal with a count of 0, whose deadlines read {@link System#nanoTime()}.
     *
     * @return a new signal
     */
    public static WakeSignal create() {
        return new WakeSignal(System::nanoTime);
    }

    /**
     * Creates an open signal with a count of 0, whose deadlines read {@code nanoClock} (tests inject one).
     *
     * @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     * @return a new signal
     * @throws IllegalArgumentException if {@code nanoClock} is null
     */
    public static WakeSignal create(LongSupplier nanoClock) {
        return new WakeSignal(Checks.notNull("nanoClock", nanoClock));
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
    public long take() {
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
     * Takes the whole count, parking until a signal if it is 0. Any thread.
     *
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return the count taken; 0 when the deadline passed first; {@link #CLOSED} when closed and nothing is left
     * @throws InterruptedException     if the thread is interrupted before or while waiting (the count stays)
     * @throws IllegalArgumentException if {@code unit} is null
     */
    public long take(long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long taken = take();
        if (taken != 0 || timeout <= 0) {
            return taken;
        }
        final long deadline = nanoClock.getAsLong() + unit.toNanos(timeout);
        final Waker waker = Waker.of(Thread.currentThread());
        while (true) {
            final long remaining = deadline - nanoClock.getAsLong();
            if (remaining <= 0) {
                return 0;
            }
            if (arm(waker)) {
                LockSupport.parkNanos(this, remaining);
                disarm(waker);
            }
            taken = take();
            if (taken != 0) {
                return taken;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
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
