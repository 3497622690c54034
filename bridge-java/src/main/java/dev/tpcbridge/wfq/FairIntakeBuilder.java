package dev.tpcbridge.wfq;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.WaitPolicy;

import java.util.function.LongSupplier;

import static dev.tpcbridge.wfq.FairIntake.MAX_CAPACITY;
import static dev.tpcbridge.wfq.FairIntake.MAX_COST;
import static dev.tpcbridge.wfq.FairIntake.checkClass;
import static dev.tpcbridge.wfq.FairIntake.checkWeight;

/**
 * Builds a {@link FairIntake} ({@link FairIntake#builder()}): settings checked as they are given. One thread at a
 * time; {@link #build()} may be called more than once.
 */
public final class FairIntakeBuilder {
    int capacity = 4096;
    int reserve = -1;
    int maxIdleTenants = 1024;
    final int[] classWeights = {1, 2, 4};
    BackpressureConfig bands = BackpressureConfig.defaults();
    RequestCost cost = call -> Math.max(1, Math.min(MAX_COST, call.payloadLength()));
    WaitPolicy policy = WaitPolicy.DEFAULT;
    LongSupplier nanoClock = System::nanoTime;
    boolean exactOrder;

    FairIntakeBuilder() {
    }

    /**
     * The most calls the intake holds; default 4096.
     *
     * @param capacity in {@code [2, MAX_CAPACITY]}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public FairIntakeBuilder capacity(int capacity) {
        if (capacity < 2 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [2, " + MAX_CAPACITY + "]");
        }
        this.capacity = capacity;
        return this;
    }

    /**
     * Calls kept free for tenants that arrive while others use all their shares; default
     * {@code max(1, capacity / 16)}.
     *
     * @param reserve in {@code [1, capacity)} (checked by {@link #build})
     * @return this builder
     * @throws IllegalArgumentException if {@code reserve < 1}
     */
    public FairIntakeBuilder reserve(int reserve) {
        this.reserve = Checks.positive("reserve", reserve);
        return this;
    }

    /**
     * Idle tenants kept (their records and counters) before the oldest are reaped; default 1024.
     *
     * @param maxIdleTenants {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public FairIntakeBuilder maxIdleTenants(int maxIdleTenants) {
        if (maxIdleTenants < 0) {
            throw new IllegalArgumentException("maxIdleTenants=" + maxIdleTenants + " must be >= 0");
        }
        this.maxIdleTenants = maxIdleTenants;
        return this;
    }

    /**
     * The weight of a priority class; defaults CRITICAL 4, STANDARD 2, BULK 1.
     *
     * @param priorityClass {@link FairIntake#BULK}, {@link FairIntake#STANDARD} or {@link FairIntake#CRITICAL}
     * @param weight        in {@code [1, MAX_WEIGHT]}
     * @return this builder
     * @throws IllegalArgumentException if either is out of range
     */
    public FairIntakeBuilder classWeight(int priorityClass, int weight) {
        checkClass(priorityClass);
        classWeights[priorityClass] = checkWeight("weight", weight);
        return this;
    }

    /**
     * The throttle and suspend bands, as fractions of a tenant's share; default
     * {@link BackpressureConfig#defaults()} (85/75 %, 95/85 %).
     *
     * @param bands the bands, not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public FairIntakeBuilder bands(BackpressureConfig bands) {
        this.bands = Checks.notNull("bands", bands);
        return this;
    }

    /**
     * What a call costs; default its payload length (at least 1, at most {@link FairIntake#MAX_COST}).
     *
     * @param cost the cost function, not null (see {@link RequestCost})
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public FairIntakeBuilder cost(RequestCost cost) {
        this.cost = Checks.notNull("cost", cost);
        return this;
    }

    /**
     * How waiting senders back off; default {@link WaitPolicy#DEFAULT}.
     *
     * @param policy the policy, not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public FairIntakeBuilder waitPolicy(WaitPolicy policy) {
        this.policy = Checks.notNull("policy", policy);
        return this;
    }

    /**
     * Whether calls are served strictly by finish tag; default {@code false}: by finish tag rounded down to a multiple
     * of the largest power of two not above the call's own {@code cost / weight}. Exact order keeps self-clocked fair
     * queuing's bound (two backlogged tenants' service per unit weight differs by at most one maximal call of each);
     * rounded order at most doubles it (the fairness tests find the exact bound held in both), while its flow queue
     * does a third less work ({@code benchmarks/results/wfq-2026-12-08/rounding}). Long-run shares are the same.
     *
     * @param exactOrder {@code true} for exact order
     * @return this builder
     */
    public FairIntakeBuilder exactOrder(boolean exactOrder) {
        this.exactOrder = exactOrder;
        return this;
    }

    /**
     * The nano clock of timed sends (tests inject one).
     *
     * @param nanoClock the clock, not null
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public FairIntakeBuilder nanoClock(LongSupplier nanoClock) {
        this.nanoClock = Checks.notNull("nanoClock", nanoClock);
        return this;
    }

    /**
     * Builds the intake.
     *
     * @return the intake
     * @throws IllegalArgumentException if the reserve is not below the capacity
     */
    public FairIntake build() {
        return new FairIntake(this);
    }
}
