package dev.tpcbridge.telemetry;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of the telemetry buffer against {@link SequentialSpec}, a bounded FIFO that refuses when full,
 * written independently of the buffer, with Lincheck's model checking and stress strategies. Writes run
 * on one scenario thread (the buffer has one writer) and drains on one other (one exporter at a time).
 * {@code dropped()} and {@code size()} are not operations here: from a third thread both are snapshots (the writer
 * counts a drop a moment after it decided on it, and a size reads two indexes one after the other), which a first
 * version of this test showed as a non-linearizable history; {@code TelemetryBufferTest} checks them where they
 * are exact (the writer's drop count, the exporter's size, the totals once quiet). A drain here takes one sample
 * and returns its value encoded with its metric, so a torn or misordered sample would not match.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TelemetryLincheckTest {
    static final int CAPACITY = 2;

    /** The buffer under test: metric 0 a counter, metric 1 a gauge. */
    public static class Buffer {
        private final TelemetryBuffer buffer = TelemetryBuffer.create(CAPACITY, () -> 7L);
        private final int counter = buffer.register("c", MetricKind.COUNTER);
        private final int gauge = buffer.register("g", MetricKind.GAUGE);
        private long taken;

        @Operation(nonParallelGroup = "writer")
        public boolean counter(long value) {
            return buffer.counter(counter, value);
        }

        @Operation(nonParallelGroup = "writer")
        public boolean gauge(long value) {
            return buffer.gauge(gauge, value);
        }

        @Operation(nonParallelGroup = "exporter")
        public long drainOne() {
            taken = Long.MIN_VALUE;
            buffer.drain((metric, kind, time, value) -> taken = (metric * 1000L + kind.ordinal() * 100L + value)
                * (time == 7L ? 1 : -1), 1);
            return taken;
        }

    }

    /** The sequential specification: a bounded FIFO of encoded samples that refuses when full. */
    public static class SequentialSpec {
        private final ArrayDeque<Long> queue = new ArrayDeque<>();

        public SequentialSpec() {
        }

        public boolean counter(long value) {
            return add(value);
        }

        public boolean gauge(long value) {
            return add(1000L + 100L + value);
        }

        private boolean add(long encoded) {
            if (queue.size() == CAPACITY) {
                return false;
            }
            queue.addLast(encoded);
            return true;
        }

        public long drainOne() {
            Long next = queue.pollFirst();
            return next == null ? Long.MIN_VALUE : next;
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(SequentialSpec.class);
    }

    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 20, 500).check(Buffer.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 20, 1_000).check(Buffer.class);
    }
}
