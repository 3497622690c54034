package dev.tpcbridge.logbuf;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that the producer-written and consumer-written fields of both log buffers are at least 128 bytes
 * apart (two cache lines, against adjacent-line prefetch), from the read-mostly fields too, and 128 bytes from the
 * object's end. Every field of a group is checked, so a small field slipped into an alignment gap is caught.
 */
class LogBufferLayoutTest {
    private static final int MIN_DISTANCE = 128;

    @Test
    void producerAndConsumerFieldsAreTwoCacheLinesApart() {
        for (Class<?> type : List.of(SpscLogBuffer.class, MpscLogBuffer.class)) {
            ClassLayout layout = ClassLayout.parseClass(type);
            List<String> cold = List.of("memory", "base", "capacity", "mask", "maxPayloadLength", "maxRecordLength",
                "consumerWaiters", "producerWaiters", "nanoClock", "stallTimeoutNanos", "batchView", "state");
            List<String> producer = List.of("tail", "headCache");
            List<String> consumer = List.of("head", "consumerFlags", "stallPosition", "stallSince", "stalledClaims");
            assertGroupsApart(layout, cold, producer);
            assertGroupsApart(layout, producer, consumer);
            assertGroupsApart(layout, cold, consumer);
            assertFarFromEnd(layout, consumer);
        }
    }

    private static void assertGroupsApart(ClassLayout layout, List<String> a, List<String> b) {
        for (String x : a) {
            for (String y : b) {
                long distance = Math.abs(offset(layout, x) - offset(layout, y));
                assertTrue(distance >= MIN_DISTANCE,
                    x + " and " + y + " are " + distance + " bytes apart\n" + layout.toPrintable());
            }
        }
    }

    private static void assertFarFromEnd(ClassLayout layout, List<String> fields) {
        for (String x : fields) {
            long distance = layout.instanceSize() - offset(layout, x);
            assertTrue(distance >= MIN_DISTANCE,
                x + " is " + distance + " bytes from the end of the object\n" + layout.toPrintable());
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
