package dev.tpcbridge.runtime;

import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.telemetry.MetricKind;
import dev.tpcbridge.telemetry.TelemetryBuffer;

import java.util.function.LongSupplier;

/**
 * What a core publishes into its {@link TelemetryBuffer}: counter increments and changed gauges, every interval while
 * it works, and, before it parks, whatever it has not published yet (so an idle core's telemetry is never left
 * behind). Core thread only: plain fields.
 */
final class CoreTelemetry {
    private static final System.Logger LOGGER = System.getLogger(DataPlane.class.getName());

    private final Core core;
    private final TelemetryBuffer buffer;
    private final SlabPool slabPool;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final int requests;
    private final int failures;
    private final int tasks;
    private final int parks;
    private final int channels;
    private final int unanswered;
    private final int slabAvailable;
    private long sentRequests;
    private long sentFailures;
    private long sentTasks;
    private long sentParks;
    private long sentChannels = -1;
    private long sentUnanswered = -1;
    private long sentSlab = -1;
    /** A cycle did work since the last publication: counters may have moved. */
    private boolean worked;
    /** The publication in progress had a sample refused. */
    private boolean dropped;
    private long next;

    CoreTelemetry(Core core, long intervalNanos, LongSupplier nanoClock) {
        this.core = core;
        this.buffer = core.telemetry;
        this.slabPool = core.slabPool;
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        this.requests = buffer.register("core.requests", MetricKind.COUNTER);
        this.failures = buffer.register("core.handler_failures", MetricKind.COUNTER);
        this.tasks = buffer.register("core.tasks", MetricKind.COUNTER);
        this.parks = buffer.register("core.parks", MetricKind.COUNTER);
        this.channels = buffer.register("core.channels", MetricKind.GAUGE);
        this.unanswered = buffer.register("core.outstanding", MetricKind.GAUGE);
        this.slabAvailable = slabPool == null ? -1 : buffer.register("core.slab_available", MetricKind.GAUGE);
    }

    /** On the core thread, as it starts: binds the buffer's writer and starts the first interval. */
    void start() {
        buffer.bindWriter();
        next = nanoClock.getAsLong() + intervalNanos;
    }

    /** After a cycle: notes work, and publishes every 64 cycles if the interval passed. */
    void afterCycle(int work, long cycles) {
        if (work > 0) {
            worked = true;
        }
        if ((cycles & 63) == 0 && nanoClock.getAsLong() - next >= 0) {
            publish();
            next = nanoClock.getAsLong() + intervalNanos;
        }
    }

    /**
     * Just before a park: publishes what is pending if its interval passed, and says whether something is still
     * pending (then the core parks only until the next interval). The clock is read here, once per park.
     */
    boolean pendingBeforePark() {
        if (!hasUnpublished()) {
            return false;
        }
        final long now = nanoClock.getAsLong();
        if (now - next >= 0) {
            try {
                publish();
            } catch (RuntimeException e) { // logged; the last publication at the close retries
                LOGGER.log(System.Logger.Level.WARNING, "core " + core.index + ": publishing telemetry failed", e);
            }
            next = now + intervalNanos;
        }
        return hasUnpublished();
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /**
     * Whether a sample is unpublished: work was done or a gauge changed since the last publication. Parks do not
     * count (every timed park would call for another; they go with the next publication), nor does anything while the
     * buffer is full (with no exporter draining, waking to publish would only count drops).
     */
    private boolean hasUnpublished() {
        if (buffer.size() >= buffer.capacity()) {
            return false;
        }
        return worked || core.loop.channelCount() != sentChannels || core.loop.unanswered() != sentUnanswered
            || (slabPool != null && slabPool.available() != sentSlab);
    }

    /** Writes the increments and changed levels since the last publication. Allocates one snapshot per channel. */
    void publish() {
        final Channels attached = core.loop.channels();
        sentRequests = counter(requests, attached.requests(), sentRequests);
        sentFailures = counter(failures, attached.failures(), sentFailures);
        sentTasks = counter(tasks, core.counters.tasksRun(), sentTasks);
        sentParks = counter(parks, core.runner.parks(), sentParks);
        sentChannels = gauge(channels, attached.size(), sentChannels);
        sentUnanswered = gauge(unanswered, core.loop.unanswered(), sentUnanswered);
        if (slabPool != null) {
            sentSlab = gauge(slabAvailable, slabPool.available(), sentSlab);
        }
        worked = dropped; // a sample the full buffer refused is still pending
        dropped = false;
    }

    /** Writes the increment since the last sample written, if any; returns the total the exporter now has. */
    private long counter(int metric, long total, long sent) {
        if (total == sent) {
            return sent;
        }
        if (buffer.counter(metric, total - sent)) {
            return total;
        }
        dropped = true;
        return sent; // a dropped increment goes with the next one
    }

    /** Writes the level if it changed since the last sample written; returns the level the exporter now has. */
    private long gauge(int metric, long level, long sent) {
        if (level == sent) {
            return sent;
        }
        if (buffer.gauge(metric, level)) {
            return level;
        }
        dropped = true;
        return sent;
    }
}
