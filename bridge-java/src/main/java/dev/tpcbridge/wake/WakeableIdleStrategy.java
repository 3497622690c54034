package dev.tpcbridge.wake;

import dev.tpcbridge.internal.Checks;

/**
 * The idle strategy of a duty cycle (a data-plane core's loop, or your own): after a cycle that did no work it backs
 * off through a {@link Waiter}, spinning, yielding, then parking until one of its sources is ready, so an idle loop
 * costs no CPU and still wakes on the first transition. The shape of Agrona's {@code BackoffIdleStrategy}, but its
 * last step sleeps on the wake protocol instead of a timed park.
 *
 * <p><b>Threads.</b> One thread at a time calls {@code idle} and {@code reset}: the loop that owns it. Sources are
 * woken from any thread; {@link #parks()} may be read from any thread. An interrupted thread does not park (the
 * status stays set for the loop to act on).
 */
public final class WakeableIdleStrategy {
    private final Wakeable sources;
    private final long maxParkNanos;
    private final Waiter waiter;

    private WakeableIdleStrategy(WaitPolicy policy, long maxParkNanos, Wakeable sources) {
        this.sources = sources;
        this.maxParkNanos = maxParkNanos;
        this.waiter = Waiter.create(policy);
    }

    /**
     * A strategy that backs off by {@code policy}, then parks with no timeout until a source is ready.
     *
     * @param policy  the spins and yields before a park, not null
     * @param sources the conditions that end a park, at least one, none null or repeated
     * @return a new strategy
     * @throws IllegalArgumentException if an argument is null, or {@code sources} is empty or repeats one
     */
    public static WakeableIdleStrategy create(WaitPolicy policy, Wakeable... sources) {
        return create(policy, Long.MAX_VALUE, sources);
    }

    /**
     * A strategy whose parks also end after {@code maxParkNanos}, for a loop that has timed work too.
     *
     * @param policy       the spins and yields before a park, not null
     * @param maxParkNanos the longest park, at least 1; {@code Long.MAX_VALUE} for none
     * @param sources      the conditions that end a park, at least one, none null or repeated
     * @return a new strategy
     * @throws IllegalArgumentException if an argument is null, {@code maxParkNanos < 1}, or {@code sources} is empty or
     *                                  repeats one
     */
    public static WakeableIdleStrategy create(WaitPolicy policy, long maxParkNanos, Wakeable... sources) {
        Checks.notNull("policy", policy);
        if (maxParkNanos < 1) {
            throw new IllegalArgumentException("maxParkNanos=" + maxParkNanos + " must be >= 1");
        }
        return new WakeableIdleStrategy(policy, maxParkNanos, Wakeable.anyOf(sources));
    }

    /**
     * Idles after a cycle that did {@code workCount} units of work: resets the backoff if it did any, else takes the
     * next step.
     *
     * @param workCount the work done by the last cycle; {@code > 0} resets
     */
    public void idle(int workCount) {
        if (workCount > 0) {
            waiter.reset();
        } else {
            idle();
        }
    }

    /** Takes the next backoff step: spin, yield, or park until a source is ready (or {@code maxParkNanos}). */
    public void idle() {
        waiter.idle(sources, maxParkNanos);
    }

    /** Resets the backoff, as after a cycle that did work. */
    public void reset() {
        waiter.reset();
    }

    /**
     * Whether the next idle step parks. Owning thread; for a loop with something to do before it sleeps.
     *
     * @return {@code true} if {@link #idle()} would park now
     */
    public boolean parksNext() {
        return waiter.parksNext();
    }

    /**
     * How many times the loop parked. Any thread; a snapshot.
     *
     * @return the park count
     */
    public long parks() {
        return waiter.parks();
    }

    @Override
    public String toString() {
        return "WakeableIdleStrategy{" + waiter + ", maxParkNanos=" + maxParkNanos + '}';
    }
}
