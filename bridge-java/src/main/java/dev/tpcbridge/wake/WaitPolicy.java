package dev.tpcbridge.wake;

/**
 * How a waiter backs off before it sleeps: it re-checks {@link #spins()} times with {@link Thread#onSpinWait()}, then
 * {@link #yields()} times with {@link Thread#yield()}, then parks until woken. Spinning catches an answer due in
 * microseconds without a park and its wake-up (tens of microseconds on shared machines); parking makes an idle waiter
 * free. A suspending waiter (a coroutine) spins, then suspends: it never yields its thread.
 *
 * <p>Immutable; any thread.
 */
public final class WaitPolicy {
    /** 128 spins, then 8 yields, then park: the library's default everywhere. */
    public static final WaitPolicy DEFAULT = new WaitPolicy(128, 8);
    /** No spin, no yield: park at once (tests, and waiters that share their CPU with the thread they wait for). */
    public static final WaitPolicy PARK = new WaitPolicy(0, 0);

    private final int spins;
    private final int yields;

    private WaitPolicy(int spins, int yields) {
        this.spins = spins;
        this.yields = yields;
    }

    /**
     * A policy that spins, then yields, then parks.
     *
     * @param spins  re-checks with {@link Thread#onSpinWait()}, 0 or more
     * @param yields re-checks with {@link Thread#yield()} after the spins, 0 or more
     * @return the policy
     * @throws IllegalArgumentException if a count is negative
     */
    public static WaitPolicy of(int spins, int yields) {
        if (spins < 0 || yields < 0) {
            throw new IllegalArgumentException("spins=" + spins + ", yields=" + yields + " must be >= 0");
        }
        return new WaitPolicy(spins, yields);
    }

    /**
     * How many times a waiter re-checks with {@link Thread#onSpinWait()} before it yields.
     *
     * @return the spins, 0 or more
     */
    public int spins() {
        return spins;
    }

    /**
     * How many times a waiter re-checks with {@link Thread#yield()} before it parks.
     *
     * @return the yields, 0 or more
     */
    public int yields() {
        return yields;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WaitPolicy && ((WaitPolicy) other).spins == spins
            && ((WaitPolicy) other).yields == yields;
    }

    @Override
    public int hashCode() {
        return 31 * spins + yields;
    }

    @Override
    public String toString() {
        return "WaitPolicy{spins=" + spins + ", yields=" + yields + '}';
    }
}
