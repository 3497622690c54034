package dev.tpcbridge.micrometer;

import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.BridgeMetrics;
import dev.tpcbridge.offload.OffloadPool;
import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.CoreMetrics;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.slab.SlabPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for a {@link DataPlane}, in one line: {@code new TpcBridgeMetrics(plane).bindTo(registry)}.
 *
 * <p>Per core (tag {@code core}): {@code tpcbridge.core.cycles}, {@code .requests}, {@code .handler.failures},
 * {@code .tasks}, {@code .task.failures}, {@code .parks}, {@code .telemetry.dropped} (counters) and
 * {@code tpcbridge.core.channels} (gauge); and its slab pool, if it has one: {@code tpcbridge.slab.allocations},
 * {@code .exhausted}, {@code .oversize} (counters), {@code tpcbridge.slab.pages.available}, {@code .pages.owned},
 * {@code .high.water.mark} (gauges). Bridge channels and offload pools are added by name ({@link #channel},
 * {@link #offloadPool}: tag {@code channel} or {@code pool}). The cores' telemetry samples go to meters through a
 * {@link TelemetryExporter}.
 *
 * <p><b>Threads.</b> Build and bind from any thread. The meters read the library's counters when the registry polls
 * them, on the registry's thread: every counter read here is documented as "any thread; a snapshot". Reading takes
 * a snapshot object per read (a {@link CoreMetrics}, a {@link BridgeMetrics}): a scrape allocates, the data plane
 * does not.
 */
public final class TpcBridgeMetrics implements MeterBinder {
    private final DataPlane plane;
    private final Tags tags;
    private final List<Named<BridgeChannel<?, ?>>> channels = new ArrayList<>();
    private final List<Named<OffloadPool<?>>> pools = new ArrayList<>();

    private record Named<T>(String name, T value) {
    }

    /**
     * Meters for {@code plane}'s cores and slab pools.
     *
     * @param plane the plane
     * @throws NullPointerException if {@code plane} is null
     */
    public TpcBridgeMetrics(DataPlane plane) {
        this(plane, Tags.empty());
    }

    /**
     * Meters for {@code plane}'s cores and slab pools, each with {@code tags} too.
     *
     * @param plane the plane
     * @param tags  tags for every meter (the service's name, say)
     * @throws NullPointerException if an argument is null
     */
    public TpcBridgeMetrics(DataPlane plane, Iterable<Tag> tags) {
        this.plane = Objects.requireNonNull(plane, "plane");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Adds a bridge channel's counters, tagged {@code channel=name}.
     *
     * @param name    the channel's name in the tags
     * @param channel the channel
     * @return this
     * @throws NullPointerException if an argument is null
     */
    public TpcBridgeMetrics channel(String name, BridgeChannel<?, ?> channel) {
        channels.add(new Named<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(channel, "channel")));
        return this;
    }

    /**
     * Adds an offload pool's counters and levels, tagged {@code pool=name}.
     *
     * @param name the pool's name in the tags
     * @param pool the pool
     * @return this
     * @throws NullPointerException if an argument is null
     */
    public TpcBridgeMetrics offloadPool(String name, OffloadPool<?> pool) {
        pools.add(new Named<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(pool, "pool")));
        return this;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Core core : plane.cores()) {
            Tags coreTags = tags.and("core", Integer.toString(core.index()));
            counter(registry, "tpcbridge.core.cycles", coreTags, core, c -> c.metrics().cycles());
            counter(registry, "tpcbridge.core.requests", coreTags, core, c -> c.metrics().requests());
            counter(registry, "tpcbridge.core.handler.failures", coreTags, core, c -> c.metrics().handlerFailures());
            counter(registry, "tpcbridge.core.tasks", coreTags, core, c -> c.metrics().tasksRun());
            counter(registry, "tpcbridge.core.task.failures", coreTags, core, c -> c.metrics().taskFailures());
            counter(registry, "tpcbridge.core.parks", coreTags, core, c -> c.metrics().parks());
            counter(registry, "tpcbridge.core.telemetry.dropped", coreTags, core, c -> c.metrics().telemetryDropped());
            gauge(registry, "tpcbridge.core.channels", coreTags, core, c -> c.metrics().channels());
            SlabPool pool = core.slabPool();
            if (pool != null) {
                counter(registry, "tpcbridge.slab.allocations", coreTags, pool, SlabPool::allocations);
                counter(registry, "tpcbridge.slab.exhausted", coreTags, pool, SlabPool::exhaustedAllocations);
                counter(registry, "tpcbridge.slab.oversize", coreTags, pool, SlabPool::oversizeRequests);
                gauge(registry, "tpcbridge.slab.pages.available", coreTags, pool, SlabPool::available);
                gauge(registry, "tpcbridge.slab.pages.owned", coreTags, pool, SlabPool::owned);
                gauge(registry, "tpcbridge.slab.high.water.mark", coreTags, pool, SlabPool::highWaterMark);
            }
        }
        for (Named<BridgeChannel<?, ?>> named : channels) {
            Tags channelTags = tags.and("channel", named.name());
            BridgeChannel<?, ?> ch = named.value();
            counter(registry, "tpcbridge.bridge.requests.sent", channelTags, ch, c -> c.metrics().requestsSent());
            counter(registry, "tpcbridge.bridge.requests.refused.full", channelTags, ch,
                c -> c.metrics().requestsRefusedFull());
            counter(registry, "tpcbridge.bridge.requests.back.pressured", channelTags, ch,
                c -> c.metrics().requestsBackPressured());
            counter(registry, "tpcbridge.bridge.requests.received", channelTags, ch,
                c -> c.metrics().requestsReceived());
            counter(registry, "tpcbridge.bridge.requests.expired", channelTags, ch, c -> c.metrics().requestsExpired());
            counter(registry, "tpcbridge.bridge.requests.cancelled", channelTags, ch,
                c -> c.metrics().requestsCancelled());
            counter(registry, "tpcbridge.bridge.requests.failed", channelTags, ch, c -> c.metrics().requestsFailed());
            counter(registry, "tpcbridge.bridge.responses.sent", channelTags, ch, c -> c.metrics().responsesSent());
            counter(registry, "tpcbridge.bridge.responses.received", channelTags, ch,
                c -> c.metrics().responsesReceived());
            counter(registry, "tpcbridge.bridge.responses.dropped", channelTags, ch,
                c -> c.metrics().responsesDropped());
            counter(registry, "tpcbridge.bridge.credit.stalls", channelTags, ch, c -> c.metrics().creditStalls());
            counter(registry, "tpcbridge.bridge.pressure.transitions", channelTags, ch,
                c -> c.metrics().pressureTransitions());
        }
        for (Named<OffloadPool<?>> named : pools) {
            Tags poolTags = tags.and("pool", named.name());
            OffloadPool<?> p = named.value();
            counter(registry, "tpcbridge.offload.submitted", poolTags, p, OffloadPool::submitted);
            counter(registry, "tpcbridge.offload.completed", poolTags, p, OffloadPool::completed);
            counter(registry, "tpcbridge.offload.failed", poolTags, p, OffloadPool::failed);
            counter(registry, "tpcbridge.offload.rejected", poolTags, p, OffloadPool::rejected);
            counter(registry, "tpcbridge.offload.evicted", poolTags, p, OffloadPool::evicted);
            counter(registry, "tpcbridge.offload.coalesced", poolTags, p, OffloadPool::coalesced);
            counter(registry, "tpcbridge.offload.abandoned", poolTags, p, OffloadPool::abandoned);
            gauge(registry, "tpcbridge.offload.depth", poolTags, p, OffloadPool::depth);
            gauge(registry, "tpcbridge.offload.running", poolTags, p, OffloadPool::running);
            gauge(registry, "tpcbridge.offload.high.water.mark", poolTags, p, OffloadPool::highWaterMark);
        }
    }

    private static <T> void counter(MeterRegistry registry, String name, Tags tags, T source,
                                    ToDoubleFunction<T> read) {
        FunctionCounter.builder(name, source, read).tags(tags).register(registry);
    }

    private static <T> void gauge(MeterRegistry registry, String name, Tags tags, T source, ToDoubleFunction<T> read) {
        Gauge.builder(name, source, read).tags(tags).register(registry);
    }
}
