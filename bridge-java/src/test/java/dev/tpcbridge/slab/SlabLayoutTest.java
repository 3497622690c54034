package dev.tpcbridge.slab;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that the free-stack head and the owned count (written by every alloc and release) are at least 128
 * bytes (two cache lines, against adjacent-line prefetch) from the read-only fields every call reads and from the
 * failure counters, so that a failed allocation storm or a stats reader does not evict the hot line. The closed flag
 * is read by every alloc and written once, so it may sit with the read-only fields.
 */
class SlabLayoutTest {
    private static final int MIN_DISTANCE = 128;

    @Test
    void hotFieldsAreTwoCacheLinesFromColdAndFailureFields() {
        ClassLayout layout = ClassLayout.parseClass(SlabPool.class);
        List<String> hot = List.of("head", "owned", "highWaterMark");
        List<String> others = List.of("poolId", "pageSize", "pageCount", "pageWords", "writeBuffers", "readBuffers",
            "exhausted", "oversize");
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
