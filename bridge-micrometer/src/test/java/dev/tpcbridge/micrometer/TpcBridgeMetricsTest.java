package dev.tpcbridge.micrometer;

import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.offload.OffloadPool;
import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.telemetry.MetricKind;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binder and the exporter against Micrometer's {@link SimpleMeterRegistry}: the meters follow the library's own
 * counters (requests served, slab pages, channel traffic, offloaded tasks), and telemetry samples written on a core
 * arrive as a counter, a gauge and a distribution summary.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TpcBridgeMetricsTest {
    @Test
    void theMetersFollowTheCountersOfCoresSlabsChannelsAndOffloadPools() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DataPlane plane = DataPlane.builder().cores(2)
                .slabPools(core -> SlabConfig.builder().poolId(core + 1).pageSize(64).pageCount(8).build())
                .build().start();
             OffloadPool<Runnable> pool = OffloadPool.<Runnable>builder(Runnable::run).capacity(8).build()) {
            BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().build();
            plane.core(1).attach(channel, request -> request.response().count(request.id()));
            new TpcBridgeMetrics(plane, Tags.of("service", "test")).channel("orders", channel)
                .offloadPool("snapshots", pool).bindTo(registry);
            for (int i = 0; i < 5; i++) {
                assertTrue(channel.control().send(Request.create().id(i)).name().equals("OK"));
                assertTrue(channel.control().receive() != null);
            }
            long handle = plane.core(0).slabPool().alloc(16);
            CountDownLatch ran = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                pool.offer(ran::countDown);
            }
            assertTrue(ran.await(10, TimeUnit.SECONDS));

            long served = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // the core counts after it answers
            while (plane.core(1).metrics().requests() < 5 && System.nanoTime() < served) {
                Thread.sleep(1);
            }
            assertEquals(5.0, registry.get("tpcbridge.core.requests").tags("core", "1", "service", "test")
                .functionCounter().count());
            assertEquals(0.0, registry.get("tpcbridge.core.requests").tag("core", "0").functionCounter().count());
            assertEquals(1.0, registry.get("tpcbridge.core.channels").tag("core", "1").gauge().value());
            assertEquals(1.0, registry.get("tpcbridge.slab.pages.owned").tag("core", "0").gauge().value());
            assertEquals(7.0, registry.get("tpcbridge.slab.pages.available").tag("core", "0").gauge().value());
            assertEquals(1.0, registry.get("tpcbridge.slab.allocations").tag("core", "0").functionCounter().count());
            assertEquals(5.0, registry.get("tpcbridge.bridge.requests.sent").tag("channel", "orders")
                .functionCounter().count());
            assertEquals(5.0, registry.get("tpcbridge.bridge.responses.received").tag("channel", "orders")
                .functionCounter().count());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.completed() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(3.0, registry.get("tpcbridge.offload.completed").tag("pool", "snapshots")
                .functionCounter().count());
            assertEquals(8.0 - 1, registry.get("tpcbridge.slab.pages.available").tag("core", "0").gauge().value());
            plane.core(0).slabPool().release(handle);
            assertEquals(8.0, registry.get("tpcbridge.slab.pages.available").tag("core", "0").gauge().value());
        }
    }

    @Test
    void telemetrySamplesBecomeACounterAGaugeAndASummary() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DataPlane plane = DataPlane.builder().cores(1).build().start();
             TelemetryExporter exporter = new TelemetryExporter(plane, registry)) {
            Core core = plane.core(0);
            int orders = core.telemetry().register("app.orders", MetricKind.COUNTER);
            int depth = core.telemetry().register("app.depth", MetricKind.GAUGE);
            int size = core.telemetry().register("app.size", MetricKind.HISTOGRAM);
            CountDownLatch written = new CountDownLatch(1);
            core.execute(() -> { // the buffer's writer is the core thread
                core.telemetry().counter(orders, 5);
                core.telemetry().counter(orders, 2);
                core.telemetry().gauge(depth, 41);
                core.telemetry().gauge(depth, 42);
                core.telemetry().histogram(size, 100);
                core.telemetry().histogram(size, 300);
                written.countDown();
            });
            assertTrue(written.await(10, TimeUnit.SECONDS));
            assertTrue(exporter.drain() >= 6);
            assertEquals(7.0, registry.get("tpcbridge.telemetry.app.orders").tag("core", "0").counter().count());
            assertEquals(42.0, registry.get("tpcbridge.telemetry.app.depth").tag("core", "0").gauge().value());
            assertEquals(2, registry.get("tpcbridge.telemetry.app.size").summary().count());
            assertEquals(400.0, registry.get("tpcbridge.telemetry.app.size").summary().totalAmount());
            assertEquals(0, exporter.drain(), "a drain takes each sample once");
        }
    }

    @Test
    void theExporterThreadDrainsUntilClosedAndBadInputIsRefused() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DataPlane plane = DataPlane.builder().cores(1).build().start()) {
            TelemetryExporter exporter = new TelemetryExporter(plane, registry).start(Duration.ofMillis(5));
            assertThrows(IllegalStateException.class, () -> exporter.start(Duration.ofMillis(5)));
            Core core = plane.core(0);
            int ticks = core.telemetry().register("app.ticks", MetricKind.COUNTER);
            core.execute(() -> core.telemetry().counter(ticks, 3));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // the drain thread registers the counter, then adds the sample to it: wait for the count, not the meter
            while (System.nanoTime() < deadline && (registry.find("tpcbridge.telemetry.app.ticks").counter() == null
                    || registry.get("tpcbridge.telemetry.app.ticks").counter().count() < 3)) {
                Thread.sleep(1);
            }
            assertEquals(3.0, registry.get("tpcbridge.telemetry.app.ticks").counter().count());
            exporter.close();
            exporter.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> exporter.start(Duration.ofMillis(5)));
            assertThrows(IllegalArgumentException.class,
                () -> new TelemetryExporter(plane, registry).start(Duration.ZERO));
            assertThrows(NullPointerException.class, () -> new TpcBridgeMetrics(null));
        }
    }
}
