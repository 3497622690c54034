package dev.tpcbridge.runtime;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertFarFromEnd;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that the counters a core writes on every cycle sit at least 128 bytes (two cache lines) from the
 * end of their object, so that whatever the heap puts next cannot share (or prefetch) their line; the padding before
 * them keeps them as far from the object header.
 */
class CoreCountersLayoutTest {
    @Test
    void theCoresCountersHaveTheirLinesToThemselves() {
        ClassLayout layout = ClassLayout.parseClass(CoreCounters.class);
        assertFarFromEnd(layout, List.of("cycles", "tasksRun", "taskFailures"));
    }

    @Test
    void theCoreKeepsNoRequestCountOfItsOwnSoNothingIsCountedTwice() {
        // a core's requests and handler failures are its channels' counts (BridgeChannel.metrics()), read through
        // Channels: a second count here could only drift from them
        ClassLayout layout = ClassLayout.parseClass(CoreCounters.class);
        for (String field : List.of("requests", "handlerFailures")) {
            assertTrue(layout.fields().stream().noneMatch(f -> f.name().equals(field)),
                "CoreCounters counts " + field + " again\n" + layout.toPrintable());
        }
    }
}
