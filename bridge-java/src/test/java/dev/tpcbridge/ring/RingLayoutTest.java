package dev.tpcbridge.ring;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks with JOL that fields written by different threads are at least 128 bytes apart (two cache lines, against
 * adjacent-line prefetch), and that the hot fields are 128 bytes from the object's ends.
 */
class RingLayoutTest {
    private static final int MIN_DISTANCE = 128;

    @Test
    void spscProducerAndConsumerFieldsAreTwoCacheLinesApart() {
        ClassLayout layout = ClassLayout.parseClass(SpscRing.class);
        long cold = offset(layout, "reclaimState");
        long producer = offset(layout, "producerIndex");
        long producerCache = offset(layout, "producerLimit");
        long consumer = offset(layout, "consumerIndex");
        long consumerFlag = offset(layout, "consumerClosed");
        assertApart(layout, "state/reclaimState", cold, "producerIndex", producer);
        assertApart(layout, "producerLimit", producerCache, "consumerIndex", consumer);
        assertApart(layout, "producerIndex", producer, "consumerClosed", consumerFlag);
        assertApart(layout, "consumerClosed", consumerFlag, "end of object", layout.instanceSize());
        assertApart(layout, "consumerIndex", consumer, "end of object", layout.instanceSize());
    }

    @Test
    void mpscProducerIndexLimitAndConsumerIndexAreTwoCacheLinesApart() {
        ClassLayout layout = ClassLayout.parseClass(MpscRing.class);
        long cold = offset(layout, "state");
        long producer = offset(layout, "producerIndex");
        long limit = offset(layout, "producerLimit");
        long consumer = offset(layout, "consumerIndex");
        assertApart(layout, "state", cold, "producerIndex", producer);
        assertApart(layout, "producerIndex", producer, "producerLimit", limit);
        assertApart(layout, "producerLimit", limit, "consumerIndex", consumer);
        assertApart(layout, "consumerIndex", consumer, "end of object", layout.instanceSize());
    }

    private static long offset(ClassLayout layout, String name) {
        return layout.fields().stream()
            .filter(f -> f.name().equals(name))
            .mapToLong(FieldLayout::offset)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no field " + name + " in\n" + layout.toPrintable()));
    }

    private static void assertApart(ClassLayout layout, String a, long offsetA, String b, long offsetB) {
        long distance = Math.abs(offsetB - offsetA);
        assertTrue(distance >= MIN_DISTANCE,
            a + "@" + offsetA + " and " + b + "@" + offsetB + " are " + distance + " bytes apart\n" + layout.toPrintable());
    }
}
