package dev.tpcbridge.micrometer;

import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.telemetry.MetricKind;
import dev.tpcbridge.telemetry.TelemetryBuffer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains every core's {@link TelemetryBuffer} into Micrometer meters, tagged {@code core}: a counter sample adds to
 * a {@link Counter}, a gauge sample sets a {@link Gauge}, a histogram sample is recorded by a
 * {@link DistributionSummary}, each named {@code tpcbridge.telemetry.} plus the metric's registered name (the core's
 * own {@code core.requests}, {@code core.parks}..., and whatever the application registers on a core's buffer).
 *
 * <pre>{@code
 * TelemetryExporter exporter = new TelemetryExporter(plane, registry).start(Duration.ofSeconds(1));
 * ...
 * exporter.close(); // a last drain, then the thread ends
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #drain()} from one thread at a time (a buffer has one drainer); {@link #start} runs it on
 * a daemon thread of its own. A drain allocates a meter the first time it meets a metric, and a sample handler per
 * core per drain; the cores allocate nothing for it.
 */
public final class TelemetryExporter implements AutoCloseable {
    /** Samples taken per buffer per drain, at most: a drain never runs for ever behind a busy core. */
    private static final int LIMIT = 65_536;

    private final List<Core> cores;
    private final MeterRegistry registry;
    private final Tags tags;
    /** Per core: the meter (or gauge level) of each metric id met so far. The drainer's. */
    private final List<Map<Integer, Object>> meters;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Thread thread;
    private volatile boolean closed;

    /**
     * An exporter of {@code plane}'s telemetry into {@code registry}.
     *
     * @param plane    the plane
     * @param registry the registry
     * @throws NullPointerException if an argument is null
     */
    public TelemetryExporter(DataPlane plane, MeterRegistry registry) {
        this(plane, registry, Tags.empty());
    }

    /**
     * An exporter whose meters carry {@code tags} too.
     *
     * @param plane    the plane
     * @param registry the registry
     * @param tags     tags for every meter
     * @throws NullPointerException if an argument is null
     */
    public TelemetryExporter(DataPlane plane, MeterRegistry registry, Tags tags) {
        this.cores = Objects.requireNonNull(plane, "plane").cores();
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Objects.requireNonNull(tags, "tags");
        this.meters = cores.stream().map(c -> (Map<Integer, Object>) new HashMap<Integer, Object>()).toList();
    }

    /**
     * Drains every core's buffer once.
     *
     * @return the samples turned into meter updates
     */
    public int drain() {
        int samples = 0;
        for (int i = 0; i < cores.size(); i++) {
            TelemetryBuffer buffer = cores.get(i).telemetry();
            Map<Integer, Object> known = meters.get(i);
            Tags coreTags = tags.and("core", Integer.toString(cores.get(i).index()));
            samples += buffer.drain((metric, kind, timestampNanos, value) -> {
                Object meter = known.computeIfAbsent(metric, m -> meterFor(buffer, m, kind, coreTags));
                switch (kind) {
                    case COUNTER -> ((Counter) meter).increment(value);
                    case GAUGE -> ((AtomicLong) meter).set(value);
                    default -> ((DistributionSummary) meter).record(value);
                }
            }, LIMIT);
        }
        return samples;
    }

    private Object meterFor(TelemetryBuffer buffer, int metric, MetricKind kind, Tags coreTags) {
        String name = "tpcbridge.telemetry." + buffer.name(metric);
        return switch (kind) {
            case COUNTER -> Counter.builder(name).tags(coreTags).register(registry);
            case GAUGE -> {
                AtomicLong level = new AtomicLong();
                Gauge.builder(name, level, AtomicLong::doubleValue).tags(coreTags).register(registry);
                yield level;
            }
            default -> DistributionSummary.builder(name).tags(coreTags).register(registry);
        };
    }

    /**
     * Drains every {@code period} on a daemon thread of its own until {@link #close()}.
     *
     * @param period the time between drains, positive
     * @return this
     * @throws IllegalArgumentException if {@code period} is not positive
     * @throws IllegalStateException    if already started or closed
     */
    public TelemetryExporter start(Duration period) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period=" + period + " must be positive");
        }
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("the exporter was " + (closed ? "closed" : "started already"));
        }
        long nanos = period.toNanos();
        Thread t = new Thread(() -> {
            while (!closed) {
                drain();
                java.util.concurrent.locks.LockSupport.parkNanos(nanos);
            }
        }, "tpcbridge-telemetry-exporter");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    /** Stops the drain thread (if started), then drains once more on the calling thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        drain();
    }
}
