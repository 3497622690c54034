package dev.tpcbridge.backpressure;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;

/**
 * Checks with JOL that the fields every update reads (thresholds, capacity, state) are at least 128 bytes (two
 * cache lines, against adjacent-line prefetch) from the fields a transition or a listener change writes (counters,
 * listener array), so that counting a transition does not evict the state line from the other plane's cache.
 */
class BackpressureLayoutTest {
    @Test
    void hotFieldsAreTwoCacheLinesFromTheCountersAndListeners() {
        ClassLayout layout = ClassLayout.parseClass(BackpressureController.class);
        List<String> hot = List.of("capacity", "enterThrottleSize", "exitThrottleSize", "enterSuspendSize",
            "exitSuspendSize", "state");
        List<String> written = List.of("listeners", "transitions", "transitionsToNormal", "transitionsToThrottled",
            "transitionsToSuspended", "listenerFailures");
        assertGroupsApart(layout, hot, written);
    }
}
