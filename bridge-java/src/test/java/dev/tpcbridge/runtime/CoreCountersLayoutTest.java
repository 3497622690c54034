package dev.tpcbridge.runtime;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertFarFromEnd;

/**
 * Checks with JOL that the counters a core writes on every cycle sit at least 128 bytes (two cache lines) from the
 * end of their object, so that whatever the heap puts next cannot share (or prefetch) their line; the padding before
 * them keeps them as far from the object header.
 */
class CoreCountersLayoutTest {
    @Test
    void theCoresCountersHaveTheirLinesToThemselves() {
        ClassLayout layout = ClassLayout.parseClass(CoreCounters.class);
        assertFarFromEnd(layout, List.of("cycles", "requests", "handlerFailures", "tasksRun", "taskFailures"));
    }
}
