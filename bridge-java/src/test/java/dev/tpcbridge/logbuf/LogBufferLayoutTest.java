package dev.tpcbridge.logbuf;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertFarFromEnd;
import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that the producer-written and consumer-written fields of both log buffers are at least 128 bytes
 * apart (two cache lines, against adjacent-line prefetch), from the read-mostly fields too, and 128 bytes from the
 * object's end. Every field of a group is checked, so a small field slipped into an alignment gap is caught.
 */
class LogBufferLayoutTest {
    @Test
    void producerAndConsumerFieldsAreTwoCacheLinesApart() {
        for (Class<?> type : List.of(SpscLogBuffer.class, MpscLogBuffer.class)) {
            ClassLayout layout = ClassLayout.parseClass(type);
            // No waiter lists here any more: a plain buffer wakes nobody, the WakingLogBuffer decorator holds them.
            List<String> cold = List.of("memory", "base", "capacity", "mask", "maxPayloadLength", "maxRecordLength",
                "nanoClock", "stallTimeoutNanos", "batchView", "state");
            List<String> producer = List.of("tail", "headCache");
            List<String> consumer = List.of("head", "consumerFlags", "stallPosition", "stallSince", "stalledClaims");
            assertGroupsApart(layout, cold, producer);
            assertGroupsApart(layout, producer, consumer);
            assertGroupsApart(layout, cold, consumer);
            assertFarFromEnd(layout, consumer);
            assertTrue(layout.fields().stream().noneMatch(f -> f.name().endsWith("Waiters")),
                () -> "a plain buffer has no waiter fields:\n" + layout.toPrintable());
        }
    }
}
