package dev.tpcbridge.telemetry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tpcbridge.internal.Threads.joinOrFail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The telemetry buffer: samples come out whole and in order, a full buffer drops the newest and counts it (never
 * overwriting an unread one), metric names and kinds are checked, one writer and one exporter at a time, and a
 * writer racing an exporter loses nothing it did not count.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TelemetryBufferTest {
    record Sample(int metric, MetricKind kind, long time, long value) {
    }

    static List<Sample> drainAll(TelemetryBuffer buffer) {
        List<Sample> out = new ArrayList<>();
        buffer.drain((metric, kind, time, value) -> out.add(new Sample(metric, kind, time, value)), Integer.MAX_VALUE);
        return out;
    }

    @Test
    void samplesComeOutWholeInOrderWithTheirKindAndTime() {
        AtomicLong clock = new AtomicLong(100);
        TelemetryBuffer buffer = TelemetryBuffer.create(8, clock::incrementAndGet);
        int requests = buffer.register("requests", MetricKind.COUNTER);
        int depth = buffer.register("depth", MetricKind.GAUGE);
        int latency = buffer.register("latency", MetricKind.HISTOGRAM);
        assertEquals(requests, buffer.register("requests", MetricKind.COUNTER), "registering again finds it");
        assertTrue(buffer.counter(requests, 3));
        assertTrue(buffer.gauge(depth, 7));
        assertTrue(buffer.histogram(latency, -5));
        assertEquals(3, buffer.size());
        assertEquals(List.of(new Sample(requests, MetricKind.COUNTER, 101, 3),
            new Sample(depth, MetricKind.GAUGE, 102, 7),
            new Sample(latency, MetricKind.HISTOGRAM, 103, -5)), drainAll(buffer));
        assertEquals("depth", buffer.name(depth));
        assertEquals(MetricKind.HISTOGRAM, buffer.kind(latency));
        assertEquals(3, buffer.written());
        assertEquals(0, buffer.size());
    }

    @Test
    void aFullBufferDropsTheNewestSampleAndCountsItNeverOverwriting() {
        TelemetryBuffer buffer = TelemetryBuffer.create(4);
        int c = buffer.register("c", MetricKind.COUNTER);
        for (int i = 0; i < 4; i++) {
            assertTrue(buffer.counter(c, i));
        }
        assertFalse(buffer.counter(c, 99));
        assertFalse(buffer.counter(c, 100));
        assertEquals(2, buffer.dropped());
        List<Sample> first = new ArrayList<>();
        assertEquals(2, buffer.drain((m, k, t, v) -> first.add(new Sample(m, k, 0, v)), 2));
        assertTrue(buffer.counter(c, 4)); // room again: after the oldest ones were read
        assertTrue(buffer.counter(c, 5));
        List<Long> values = new ArrayList<>();
        first.forEach(s -> values.add(s.value()));
        drainAll(buffer).forEach(s -> values.add(s.value()));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), values);
        assertEquals(2, buffer.dropped());
    }

    @Test
    void aThrowingExporterLosesOnlyTheSampleItWasGiven() {
        TelemetryBuffer buffer = TelemetryBuffer.create(4);
        int g = buffer.register("g", MetricKind.GAUGE);
        buffer.gauge(g, 1);
        buffer.gauge(g, 2);
        assertThrows(IllegalStateException.class, () -> buffer.drain((m, k, t, v) -> {
            throw new IllegalStateException("exporter down");
        }, 10));
        assertEquals(List.of(2L), drainAll(buffer).stream().map(Sample::value).toList());
    }

    @Test
    void kindsNamesAndArgumentsAreChecked() {
        TelemetryBuffer buffer = TelemetryBuffer.create(2);
        int c = buffer.register("c", MetricKind.COUNTER);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer.register("c", MetricKind.GAUGE))
            .getMessage().contains("registered as a COUNTER"));
        assertThrows(IllegalArgumentException.class, () -> buffer.register(" ", MetricKind.GAUGE));
        assertThrows(IllegalArgumentException.class, () -> buffer.register(null, MetricKind.GAUGE));
        assertThrows(IllegalArgumentException.class, () -> buffer.register("x", null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer.gauge(c, 1)).getMessage()
            .contains("'c' is a COUNTER"));
        assertThrows(IllegalArgumentException.class, () -> buffer.counter(7, 1));
        assertThrows(IllegalArgumentException.class, () -> buffer.counter(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> buffer.name(1));
        assertThrows(IllegalArgumentException.class, () -> buffer.drain(null, 1));
        assertThrows(IllegalArgumentException.class, () -> buffer.drain((m, k, t, v) -> { }, 0));
        assertThrows(IllegalArgumentException.class, () -> TelemetryBuffer.create(0));
        assertThrows(IllegalArgumentException.class, () -> TelemetryBuffer.create(4, null));
        assertEquals(0, buffer.size());
    }

    @Test
    void onlyTheBoundWriterWritesAndOnlyOneExporterDrainsAtATime() throws Exception {
        TelemetryBuffer buffer = TelemetryBuffer.create(4);
        int c = buffer.register("c", MetricKind.COUNTER);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            buffer.bindWriter();
            buffer.counter(c, 1);
        });
        writer.start();
        joinOrFail(writer);
        assertTrue(assertThrows(IllegalStateException.class, () -> buffer.counter(c, 2)).getMessage()
            .contains("writer is thread"));
        assertThrows(IllegalStateException.class, buffer::bindWriter);

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread exporter = new Thread(() -> buffer.drain((m, k, t, v) -> {
            inside.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                failure.set(e);
            }
        }, 1));
        exporter.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        assertTrue(assertThrows(IllegalStateException.class, () -> buffer.drain((m, k, t, v) -> { }, 1))
            .getMessage().contains("one exporter at a time"));
        leave.countDown();
        joinOrFail(exporter);
        assertEquals(null, failure.get());
        assertEquals(0, buffer.size());
    }

    @Test
    void aWriterRacingAnExporterLosesOnlyWhatItCountedAndNeverShowsATornSample() throws Exception {
        TelemetryBuffer buffer = TelemetryBuffer.create(64, () -> 0L);
        int c = buffer.register("c", MetricKind.COUNTER);
        int g = buffer.register("g", MetricKind.GAUGE);
        final long total = 2_000_000;
        Thread writer = new Thread(() -> {
            buffer.bindWriter();
            for (long i = 0; i < total; i++) {
                if ((i & 1) == 0) { // the metric and kind follow the value, so a torn sample shows
                    buffer.counter(c, i);
                } else {
                    buffer.gauge(g, i);
                }
            }
        });
        writer.start();
        long[] last = {-1};
        long[] read = {0};
        String[] torn = {null};
        while (writer.isAlive() || buffer.size() > 0) {
            buffer.drain((metric, kind, time, value) -> {
                boolean even = (value & 1) == 0;
                if (value <= last[0] || metric != (even ? c : g)
                    || kind != (even ? MetricKind.COUNTER : MetricKind.GAUGE)) {
                    torn[0] = "after " + last[0] + ": metric " + metric + ", " + kind + ", " + value;
                }
                last[0] = value;
                read[0]++;
            }, 32);
        }
        joinOrFail(writer);
        assertEquals(null, torn[0], "a sample out of order or torn");
        assertEquals(total, read[0] + buffer.dropped(), "every sample was read or counted as dropped");
        assertEquals(read[0], buffer.written());
    }
}
