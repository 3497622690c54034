package dev.tpcbridge.backpressure;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that the fields every update reads (thresholds, capacity, state) are at least 128 bytes (two
 * cache lines, against adjacent-line prefetch) from the fields a transition or a listener change writes (counters,
 * listener array), so that counting a transition does not evict the state line from the other plane's cache.
 */
class BackpressureLayoutTest {
    private static final int MIN_DISTANCE = 128;

    @Test
    void hotFieldsAreTwoCacheLinesFromTheCountersAndListeners() {
        ClassLayout layout = ClassLayout.parseClass(BackpressureController.class);
        List<String> hot = List.of("capacity", "enterThrottleSize", "exitThrottleSize", "enterSuspendSize",
            "exitSuspendSize", "state");
        List<String> written = List.of("listeners", "transitions", "transitionsToNormal", "transitionsToThrottled",
            "transitionsToSuspended", "listenerFailures");
        for (String x : hot) {
            for (String y : written) {
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
