package dev.tpcbridge.slab;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;

/**
 * Checks with JOL that the free-stack head (written by every alloc and release, from any thread) is at least 128
 * bytes (two cache lines, against adjacent-line prefetch) from the read-only fields every call reads and from the
 * counters only allocating threads write, so that releasing threads never contend for the allocators' counter line.
 */
class SlabLayoutTest {
    @Test
    void hotFieldsAreTwoCacheLinesFromColdAndFailureFields() {
        ClassLayout layout = ClassLayout.parseClass(SlabPool.class);
        List<String> hot = List.of("head");
        List<String> others = List.of("poolId", "pageSize", "pageCount", "pageWords", "writeBuffers", "readBuffers",
            "allocations", "highWaterMark", "exhausted", "oversize", "closed");
        assertGroupsApart(layout, hot, others);
    }
}
