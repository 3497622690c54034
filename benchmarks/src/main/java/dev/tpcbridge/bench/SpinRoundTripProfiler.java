package dev.tpcbridge.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records, after each measurement iteration, the spin ping-pong round trip between two fresh threads in the same
 * JVM: the placement class of the two vCPUs for that fork ("near" tens of ns, "far" hundreds). Reported as the
 * secondary result {@code ·spin.rtt} (ns), one value per fork in the JSON's raw data, so that each fork's result
 * can be compared with its peers in the same placement class. Use:
 * {@code -prof dev.tpcbridge.bench.SpinRoundTripProfiler}.
 */
public final class SpinRoundTripProfiler implements InternalProfiler {
    private static final int ROUND_TRIPS = 20_000;
    private static final int BATCHES = 9;

    /** Public no-argument constructor, as JMH requires. */
    public SpinRoundTripProfiler() {
    }

    @Override
    public String getDescription() {
        return "spin ping-pong round trip between two threads of this fork (vCPU placement class)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        if (iterationParams.getType() != IterationType.MEASUREMENT) {
            return List.of();
        }
        return List.of(new ScalarResult("spin.rtt", measureNanos(), "ns", AggregationPolicy.AVG));
    }

    /** Median over batches of the mean round trip of a ping-pong on one AtomicLong. */
    static double measureNanos() {
        final AtomicLong ball = new AtomicLong();
        final int total = ROUND_TRIPS * (BATCHES + 1);
        Thread echo = new Thread(() -> {
            for (long i = 1; i <= total; i++) {
                final long serve = 2 * i - 1;
                while (ball.get() != serve) {
                    Thread.onSpinWait();
                }
                ball.set(serve + 1);
            }
        }, "spin-rtt-echo");
        echo.setDaemon(true);
        echo.start();
        double[] means = new double[BATCHES];
        long value = 0;
        for (int batch = -1; batch < BATCHES; batch++) { // batch -1 warms up
            long start = System.nanoTime();
            for (int i = 0; i < ROUND_TRIPS; i++) {
                ball.set(++value);
                ++value;
                while (ball.get() != value) {
                    Thread.onSpinWait();
                }
            }
            if (batch >= 0) {
                means[batch] = (System.nanoTime() - start) / (double) ROUND_TRIPS;
            }
        }
        try {
            echo.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Arrays.sort(means);
        return means[BATCHES / 2];
    }
}
