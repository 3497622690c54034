package dev.tpcbridge.wake;

/**
 * A condition a waiter can sleep on without losing a wake-up: the readable or writable side of a {@link WakingRing},
 * or a {@link WakeSignal}.
 *
 * <p><b>Protocol</b> (Dekker-style, the waiter's half). A waiter that found nothing to do calls {@link #arm(Waker)}:
 * it announces its waker with a volatile read-modify-write (a full fence), then re-checks the condition. If the
 * condition already holds, {@code arm} withdraws the waker and returns {@code false}, and the waiter must not sleep.
 * Otherwise it returns {@code true} and the waiter may sleep until {@link Waker#wake()} is called. The notifier's
 * half is the mirror image: it publishes (an element, a freed slot, a close, a signal), issues a full fence, then
 * reads whether a waker is armed, and only then wakes it. Either the waiter's re-check sees the publication or the
 * notifier sees the armed waker, so no wake-up is lost; and when nobody is armed the notifier pays one fence and one
 * read, no wake call. After waking (or giving up on a deadline, an interrupt or a cancellation) the waiter calls
 * {@link #disarm(Waker)} and re-checks the condition; being woken is a hint, never a promise.
 *
 * <p><b>Threads.</b> Who may arm is the source's rule: any thread for a {@link WakeSignal}; the consumer for
 * {@link WakingRing#readable()}, producers for {@link WakingRing#writable()}. Several wakers may be armed at once: a
 * notifier wakes every armed waker (they re-check and re-arm). A waker is woken at most once per successful
 * {@code arm}. Withdrawing a waker leaves the others armed and does not wake them, so waiters that give up (on a
 * deadline, an interrupt, a cancellation) cost the others nothing; withdrawing one that was already woken touches
 * nothing.
 *
 * <p><b>Visibility.</b> What the notifier wrote before its publication happens-before what the waiter reads after a
 * re-check that observes that publication. The proof lives in the {@code bridge-jcstress} module
 * ({@code WakeStress}).
 */
public interface Wakeable {
    /**
     * Announces {@code waker}, then re-checks the condition.
     *
     * @param waker woken at most once, by the next transition or close; not null
     * @return {@code true} if the waker is armed and the caller may sleep; {@code false} if the condition already
     *         holds (or the source is closed), in which case the waker is not armed and the caller must not sleep
     * @throws IllegalArgumentException if {@code waker} is null
     */
    boolean arm(Waker waker);

    /**
     * Withdraws {@code waker} if it is still armed (after a wake, a timeout, an interrupt or a cancellation). Other
     * wakers armed at the same time stay armed and are not woken; a late wake of {@code waker} itself may still arrive
     * if a notifier had already taken it.
     *
     * @param waker a waker passed to {@link #arm(Waker)}; not null
     * @throws IllegalArgumentException if {@code waker} is null
     */
    void disarm(Waker waker);
}
