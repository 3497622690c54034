package dev.tpcbridge.logbuf;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertFarFromEnd;
import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;

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
}
