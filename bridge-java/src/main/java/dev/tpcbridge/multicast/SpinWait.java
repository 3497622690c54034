package dev.tpcbridge.multicast;

import dev.tpcbridge.wake.Waiter;

import java.util.function.LongSupplier;

/**
 * The steps of a wait that never parks, for busy-spin buffers: a step spins ({@link Thread#onSpinWait()}) while the
 * policy's spins last, then yields; a wait gives up once its deadline has passed and throws if the thread is
 * interrupted, as a {@link Waiter} does. Static, with the wait's state in the caller's locals, so that no wait
 * allocates ({@code MulticastAllocationTest}).
 */
final class SpinWait {
    private SpinWait() {
    }

    /**
     * Starts a wait: throws if the thread is interrupted, and gives the deadline.
     *
     * @param timeoutNanos the longest wait; {@link Waiter#NO_TIMEOUT} for none; 0 or less: give up at the first step
     * @return the deadline on {@code clock}, for {@link #step} (meaningless unless the timeout is positive and not
     *         {@code NO_TIMEOUT})
     * @throws InterruptedException if the thread is interrupted (the status is cleared)
     */
    static long start(LongSupplier clock, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        // compared by difference, so a sum past Long.MAX_VALUE still works
        return timeoutNanos != Waiter.NO_TIMEOUT && timeoutNanos > 0 ? clock.getAsLong() + timeoutNanos : 0;
    }

    /**
     * One step of the wait: spin or yield.
     *
     * @param step         how many steps this wait took before
     * @param spins        the wait policy's spins
     * @param clock        the clock of the deadline
     * @param timeoutNanos as given to {@link #start}
     * @param deadline     as {@link #start} returned
     * @return {@code true} to try again; {@code false} once the deadline has passed
     * @throws InterruptedException if the thread is interrupted (the status is cleared)
     */
    static boolean step(int step, int spins, LongSupplier clock, long timeoutNanos, long deadline)
        throws InterruptedException {
        if (timeoutNanos != Waiter.NO_TIMEOUT && (timeoutNanos <= 0 || clock.getAsLong() - deadline >= 0)) {
            return false;
        }
        if (step < spins) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return true;
    }
}
