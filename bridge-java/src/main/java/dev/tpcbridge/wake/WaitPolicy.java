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
    /**
     * 128 spins, then 8 yields, then park: for a machine with cores to spare, where a waiter's spin costs nobody else
     * and catches an answer without a park and its wake-up.
     */
    public static final WaitPolicy SPARE_CORES = new WaitPolicy(128, 8);
    /**
     * 16 spins, no yield, then park: for a machine with fewer cores than busy threads, where a spinning or yielding
     * waiter takes the time of the thread it waits for. On 2 vCPUs a client and its core both waiting this way make
     * 1.7 times the calls they make with {@link #SPARE_CORES} ({@code benchmarks/results/client-policies-*}).
     */
    public static final WaitPolicy FEW_CORES = new WaitPolicy(16, 0);
    /** No spin, no yield: park at once (tests, and waiters that share their CPU with the thread they wait for). */
    public static final WaitPolicy PARK = new WaitPolicy(0, 0);
    /**
     * The library's default everywhere: {@link #forProcessors} of this JVM's {@link Runtime#availableProcessors()},
     * read once when this class loads.
     */
    public static final WaitPolicy DEFAULT = forProcessors(Runtime.getRuntime().availableProcessors());

    private final int spins;
    private final int yields;

    private WaitPolicy(int spins, int yields) {
        this.spins = spins;
        this.yields = yields;
    }

    /**
     * The default policy for a machine with {@code processors} processors: {@link #SPARE_CORES} with 4 or more,
     * {@link #FEW_CORES} with fewer (a client, its completion thread and a core are three busy threads).
     *
     * @param processors the processors the JVM may use, at least 1
     * @return {@code SPARE_CORES} or {@code FEW_CORES}
     * @throws IllegalArgumentException if {@code processors < 1}
     */
    public static WaitPolicy forProcessors(int processors) {
        if (processors < 1) {
            throw new IllegalArgumentException("processors=" + processors + " must be >= 1");
        }
        return processors >= 4 ? SPARE_CORES : FEW_CORES;
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
