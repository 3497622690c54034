package dev.tpcbridge.slab;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that the free-stack head (written by every alloc and release, from any thread) is at least 128
 * bytes (two cache lines, against adjacent-line prefetch) from the read-only fields every call reads and from the
 * counters only allocating threads write, so that releasing threads never contend for the allocators' counter line.
 */
class SlabLayoutTest {
    private static final int MIN_DISTANCE = 128;

    @Test
    void hotFieldsAreTwoCacheLinesFromColdAndFailureFields() {
        ClassLayout layout = ClassLayout.parseClass(SlabPool.class);
        List<String> hot = List.of("head");
        List<String> others = List.of("poolId", "pageSize", "pageCount", "pageWords", "writeBuffers", "readBuffers",
            "allocations", "highWaterMark", "exhausted", "oversize", "closed");
        for (String x : hot) {
            for (String y : others) {
                long distance = Math.abs(offset(layout, x) - offset(layout, y));
                assertTrue(distance >= MIN_DISTANCE,
                    x + " and " + y + " are " + distance + " bytes apart\n" + layout.toPrintable());
            }
        }
    }

    private static long offset(ClassLayout layout, String name) {
        return layout.fields().stream()
            .filter(f -> f.name().equals(name))
            .mapToLong(FieldLayout::offset)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no field " + name + " in\n" + layout.toPrintable()));
    }
}
