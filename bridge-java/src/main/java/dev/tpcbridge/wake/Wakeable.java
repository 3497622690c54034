package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;

/**
 * A condition a waiter can sleep on without losing a wake-up: the readable or writable side of a ring or log buffer,
 * a {@link WakeSignal}, a bridge channel's sides.
 *
 * <p><b>Protocol</b> (the waiter's half; see the package documentation). {@link #arm(Waker)} announces the waker with
 * a full fence, then re-checks the condition: {@code false} means it holds already (or the source closed), the waker
 * is not armed, and the waiter must not sleep; {@code true} means the waiter may sleep until {@link Waker#wake()}.
 * After waking, or giving up, the waiter calls {@link #disarm(Waker)} and re-checks: a wake is a hint, never a
 * promise. A waker is woken at most once per successful {@code arm}; several may be armed at once, and withdrawing one
 * neither wakes nor disarms the others.
 *
 * <p><b>Threads.</b> Who may arm is the source's rule (its Javadoc says); {@code arm} and {@code disarm} must be quick
 * and never block. What a notifier wrote before its publication happens-before what a waiter reads after a re-check
 * that observes the publication.
 */
public interface Wakeable {
    /**
     * Announces {@code waker}, then re-checks the condition.
     *
     * @param waker woken at most once, by the next transition or close; not null
     * @return {@code true} if armed (the caller may sleep); {@code false} if the condition already holds (the waker
     *         is not armed; the caller must not sleep)
     * @throws IllegalArgumentException if {@code waker} is null
     */
    boolean arm(Waker waker);

    /**
     * Withdraws {@code waker} if it is still armed. A late wake of it may still arrive if a notifier had taken it.
     *
     * @param waker a waker passed to {@link #arm(Waker)}; not null
     * @throws IllegalArgumentException if {@code waker} is null
     */
    void disarm(Waker waker);

    /**
     * Withdraws {@code waker} for good: the waiter gives up (a timeout, an interrupt, a cancellation) and will not try
     * again. A condition that wakes only as many waiters as can make progress ({@link WaiterQueue}) passes a wake it
     * had already given this waker on to the next waiter; others just {@link #disarm}, which is the default.
     *
     * @param waker a waker passed to {@link #arm(Waker)}; not null
     * @throws IllegalArgumentException if {@code waker} is null
     */
    default void abandon(Waker waker) {
        disarm(waker);
    }

    /**
     * The longest a waiter armed on this condition may sleep before it must re-check, for a condition that can come
     * to hold with no notifier to wake anyone (an MPSC log buffer's stalled claim, which its reader may revoke once
     * the claim's deadline passes). Asked right after a successful {@link #arm}, by the arming thread. By default
     * {@code Long.MAX_VALUE}: a wake always comes.
     *
     * @return nanoseconds, at least 1, or {@code Long.MAX_VALUE} for no limit
     */
    default long parkLimitNanos() {
        return Long.MAX_VALUE;
    }

    /**
     * A condition that holds when any of {@code sources} does: arming it arms each in turn (and withdraws them all if
     * one already holds), so one waiter sleeps on several sources at once. Who may arm it is the rule of every source.
     *
     * @param sources the conditions, at least one, none null, none repeated (copied)
     * @return the combined condition
     * @throws IllegalArgumentException if {@code sources} is empty, holds null or repeats one
     */
    static Wakeable anyOf(Wakeable... sources) {
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
        return copy.length == 1 ? copy[0] : new AnyOf(copy);
    }
}
