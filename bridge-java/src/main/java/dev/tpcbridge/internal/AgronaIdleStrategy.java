package dev.tpcbridge.internal;

import dev.tpcbridge.wake.WakeableIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Adapts a {@link WakeableIdleStrategy} to Agrona's {@link IdleStrategy}, so that an Agrona {@code AgentRunner} duty
 * cycle parks on the tpcbridge wakers in its last idle step and is woken by the first transition. Internal: Agrona
 * types stay out of the public API, so users keep whichever Agrona version they like.
 *
 * <p>Threads: as for the wrapped strategy, the agent's own thread.
 */
public final class AgronaIdleStrategy implements IdleStrategy {
    private final WakeableIdleStrategy delegate;

    /**
     * Wraps {@code delegate}.
     *
     * @param delegate the strategy that spins, yields and parks
     * @throws IllegalArgumentException if {@code delegate} is null
     */
    public AgronaIdleStrategy(WakeableIdleStrategy delegate) {
        this.delegate = Checks.notNull("delegate", delegate);
    }

    @Override
    public void idle(int workCount) {
        delegate.idle(workCount);
    }

    @Override
    public void idle() {
        delegate.idle();
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public String alias() {
        return "tpcbridge-wakeable";
    }

    @Override
    public String toString() {
        return "AgronaIdleStrategy{" + delegate + '}';
    }
}
