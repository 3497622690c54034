package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;

import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes one sleeping waiter: the extension point through which every kind of waiter (a parked thread, a data-plane
 * core's idle strategy, a NIO {@link Selector}, a suspended coroutine) is told that the condition it armed on may
 * have changed.
 *
 * <p><b>Threads.</b> {@link #wake()} is called by whichever thread made the transition (a producer that published
 * into an empty ring, a consumer that freed a full one, a closer, a {@link WakeSignal#signal()}er), at most once per
 * {@link Wakeable#arm arm}, and possibly after the waiter has given up waiting (a late wake). It must therefore be
 * quick, never block, never throw (a waker that throws is logged and the others are still woken), and tolerate a
 * late call: a parked thread re-checks its condition anyway ({@link LockSupport#park} may return spuriously), a
 * selector treats it as one spurious wake-up. A wake may also come <i>early</i>, between the arm and the moment the
 * waiter actually sleeps: a waker must latch it, as {@code unpark} (a permit) and {@code Selector.wakeup} (the next
 * select returns at once) do; a continuation-based waker must remember the wake and resume when it suspends.
 *
 * <p><b>Visibility.</b> A wake carries no happens-before edge by itself. Whatever the waking thread wrote before the
 * transition (the element it published, the close) is visible to a re-check of the condition that observes that
 * transition: see {@link Wakeable}.
 */
@FunctionalInterface
public interface Waker {
    /** Wakes the waiter. Quick, non-blocking, never throws; may come late (see the class comment). */
    void wake();

    /**
     * A waker that unparks {@code thread} ({@link LockSupport#unpark}), for virtual and platform threads alike.
     *
     * @param thread the thread that parks
     * @return a new waker
     * @throws IllegalArgumentException if {@code thread} is null
     */
    static Waker of(Thread thread) {
        Checks.notNull("thread", thread);
        return () -> LockSupport.unpark(thread);
    }

    /**
     * A waker that makes a blocked {@link Selector#select()} return at once ({@link Selector#wakeup()}), so that a
     * NIO loop can sleep in {@code select} and still be woken by a ring.
     *
     * @param selector the selector the loop sleeps in
     * @return a new waker
     * @throws IllegalArgumentException if {@code selector} is null
     */
    static Waker of(Selector selector) {
        Checks.notNull("selector", selector);
        return selector::wakeup;
    }
}
