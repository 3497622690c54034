package dev.tpcbridge.jcstress;

import dev.tpcbridge.telemetry.MetricKind;
import dev.tpcbridge.telemetry.TelemetryBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The telemetry buffer's publication protocol (a core writes, an exporter drains): samples are never seen torn or
 * before they were written, and a slot is never refilled before the exporter finished reading it. A sample is read
 * as one signature, {@code metric * 1000 + value * 10 + timestamp / 100}, so a sample mixing words of two writes
 * shows as an unknown outcome.
 */
public final class TelemetryStress {
    private TelemetryStress() {
    }

    /** A buffer whose clock gives 100, 200, ... to successive writes; metric 0 a counter, metric 1 a gauge. */
    abstract static class Base {
        long now;
        final TelemetryBuffer buffer = TelemetryBuffer.create(capacity(), () -> now += 100);
        final int counter = buffer.register("c", MetricKind.COUNTER);
        final int gauge = buffer.register("g", MetricKind.GAUGE);
        int first = -1;
        int second = -1;

        abstract int capacity();

        /** A sample as one number; negative when its kind does not match its metric. */
        static int signature(int metric, MetricKind kind, long time, long value) {
            return (int) (metric * 1000 + value * 10 + time / 100)
                * (kind == (metric == 0 ? MetricKind.COUNTER : MetricKind.GAUGE) ? 1 : -1);
        }

        int drain(int limit) {
            first = -1;
            second = -1;
            return buffer.drain((metric, kind, time, value) -> {
                int signature = signature(metric, kind, time, value);
                if (first == -1) {
                    first = signature;
                } else {
                    second = signature;
                }
            }, limit);
        }
    }

    /**
     * Publication: the core writes a counter sample then a gauge sample; the exporter drains what it finds. It sees
     * none, the first, or both, each whole (counter 1 at 100: 11; gauge 2 at 200: 1022).
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "drained before the first write")
    @Outcome(id = "11, -1", expect = ACCEPTABLE, desc = "the first sample, whole")
    @Outcome(id = "11, 1022", expect = ACCEPTABLE, desc = "both samples, whole and in order")
    @Outcome(expect = FORBIDDEN, desc = "a torn sample, a sample out of order, or one seen before it was written")
    @State
    public static class Publication extends Base {
        @Override
        int capacity() {
            return 2;
        }

        @Actor
        public void core() {
            buffer.counter(counter, 1);
            buffer.gauge(gauge, 2);
        }

        @Actor
        public void exporter(II_Result r) {
            drain(2);
            r.r1 = first;
            r.r2 = second;
        }
    }

    /**
     * Reuse: a one-slot buffer holds a counter sample (1 at 100: 11); the exporter drains it while the core writes a
     * gauge sample (2 at 200). The core's write succeeds only if the exporter gave the slot back, and the exporter
     * always reads the first sample whole, never the refill. The arbiter checks the counts: each write was either
     * kept or counted as dropped.
     */
    @JCStressTest
    @Outcome(id = "0, 11, 1", expect = ACCEPTABLE, desc = "the core found the slot still full: dropped, counted")
    @Outcome(id = "1, 11, 0", expect = ACCEPTABLE, desc = "the exporter gave the slot back, then the core refilled it")
    @Outcome(expect = FORBIDDEN, desc = "the slot refilled under the exporter's read, or a drop not counted")
    @State
    public static class Reuse extends Base {
        int written;

        public Reuse() {
            buffer.counter(counter, 1);
        }

        @Override
        int capacity() {
            return 1;
        }

        @Actor
        public void core() {
            written = buffer.gauge(gauge, 2) ? 1 : 0;
        }

        @Actor
        public void exporter() {
            drain(1);
        }

        @Arbiter
        public void counts(III_Result r) {
            r.r1 = written;
            r.r2 = first;
            r.r3 = (int) buffer.dropped() + (buffer.written() == 1 + written ? 0 : 100);
        }
    }

    /**
     * Two exporters: a buffer holds two samples (counter 1 at 100: 11; gauge 2 at 200: 1022) and two exporters drain
     * one sample each at the same time, while the guard lets only one drain at a time (the other gets
     * {@code IllegalStateException}, shown as -2); the arbiter drains what is left. Every sample is read exactly once,
     * whole and in order: the read index is never raced.
     */
    @JCStressTest
    @Outcome(id = "11, 1022, -1", expect = ACCEPTABLE, desc = "one drained, then the other")
    @Outcome(id = "1022, 11, -1", expect = ACCEPTABLE, desc = "the second exporter drained first")
    @Outcome(id = "11, -2, 1022", expect = ACCEPTABLE, desc = "the second was refused while the first drained")
    @Outcome(id = "-2, 11, 1022", expect = ACCEPTABLE, desc = "the first was refused while the second drained")
    @Outcome(expect = FORBIDDEN, desc = "a sample read twice, lost, torn, or both exporters refused")
    @State
    public static class TwoExporters extends Base {
        public TwoExporters() {
            buffer.counter(counter, 1);
            buffer.gauge(gauge, 2);
        }

        @Override
        int capacity() {
            return 2;
        }

        private int drainOne() {
            final int[] seen = {-1};
            try {
                buffer.drain((metric, kind, time, value) -> seen[0] = signature(metric, kind, time, value), 1);
            } catch (IllegalStateException refused) {
                return -2;
            }
            return seen[0];
        }

        @Actor
        public void exporter1(III_Result r) {
            r.r1 = drainOne();
        }

        @Actor
        public void exporter2(III_Result r) {
            r.r2 = drainOne();
        }

        @Arbiter
        public void rest(III_Result r) {
            drain(2);
            r.r3 = second == -1 ? first : 100_000; // at most one sample can be left
        }
    }
}
