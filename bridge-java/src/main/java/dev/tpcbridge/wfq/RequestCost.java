package dev.tpcbridge.wfq;

import dev.tpcbridge.bridge.BridgeCall;

/**
 * What a call costs a tenant in the fair order: by default its payload length in bytes (at least 1).
 *
 * <p>Called on the offering thread (whose offer fails with {@code IllegalArgumentException} for a cost outside
 * {@code [1, FairIntake.MAX_COST]}) and again on the poll thread, which orders by it: it must be a pure function of
 * the call, quick, and must not allocate.
 */
@FunctionalInterface
public interface RequestCost {
    /**
     * The cost of {@code call}.
     *
     * @param call the call (read its tenant, priority, payload length)
     * @return the cost, in {@code [1, FairIntake.MAX_COST]}
     */
    long cost(BridgeCall<?> call);
}
