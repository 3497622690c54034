package dev.tpcbridge.wfq;

import dev.tpcbridge.backpressure.PressureState;

/**
 * Receives one tenant's metrics from {@link FairIntake#forEachTenant}, on the calling thread. Each value is read
 * on its own (opaque), so a row is not one atomic snapshot; each counter only grows while the tenant lives.
 */
@FunctionalInterface
public interface TenantMetricsHandler {
    /**
     * One tenant.
     *
     * @param tenant       the tenant id
     * @param depth        requests admitted and not yet taken by the poll thread
     * @param served       requests taken by the poll thread
     * @param servedBytes  their payload bytes
     * @param throttles    entries into {@link PressureState#THROTTLED}
     * @param suspends     entries into {@link PressureState#SUSPENDED}
     * @param refused      offers refused ({@code SUSPENDED} or {@code FULL})
     * @param state        the admission state now
     */
    void onTenant(int tenant, int depth, long served, long servedBytes, long throttles, long suspends, long refused,
                  PressureState state);
}
