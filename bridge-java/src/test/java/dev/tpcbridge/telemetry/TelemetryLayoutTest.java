package dev.tpcbridge.telemetry;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;

/**
 * Checks with JOL that the core's line (write index, cached read index, dropped count) and the exporter's line (read
 * index, drain guard) are at least 128 bytes (two cache lines, against adjacent-line prefetch) apart and from the
 * fields every call reads, so that a draining exporter never invalidates the line the core writes on every sample.
 */
class TelemetryLayoutTest {
    @Test
    void theWritersAndTheExportersFieldsAreTwoCacheLinesApart() {
        ClassLayout layout = ClassLayout.parseClass(TelemetryBuffer.class);
        List<String> writer = List.of("head", "tailCache", "dropped");
        List<String> exporter = List.of("tail", "draining");
        List<String> shared = List.of("slots", "capacity", "mask", "nanoClock", "metrics", "writer");
        assertGroupsApart(layout, writer, exporter);
        assertGroupsApart(layout, writer, shared);
        assertGroupsApart(layout, exporter, shared);
    }
}
