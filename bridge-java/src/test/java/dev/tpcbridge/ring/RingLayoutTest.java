package dev.tpcbridge.ring;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertFarFromEnd;
import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;

/**
 * Checks with JOL that fields written by different threads are at least 128 bytes apart (two cache lines, against
 * adjacent-line prefetch), from the read-mostly fields too, and 128 bytes from the object's end. Every field of a
 * group is checked, so a small field that HotSpot slips into an alignment gap of another group is caught.
 */
class RingLayoutTest {
    @Test
    void spscProducerAndConsumerFieldsAreTwoCacheLinesApart() {
        ClassLayout layout = ClassLayout.parseClass(SpscRing.class);
        List<String> cold = List.of("buffer", "mask", "capacity", "lookAheadStep", "state", "reclaimRequests");
        List<String> producer = List.of("producerIndex", "producerLimit", "producerReclaimed");
        List<String> consumer = List.of("consumerIndex", "consumerState");
        assertGroupsApart(layout, cold, producer);
        assertGroupsApart(layout, producer, consumer);
        assertGroupsApart(layout, cold, consumer);
        assertFarFromEnd(layout, consumer);
    }

    @Test
    void mpscProducerIndexLimitAndConsumerFieldsAreTwoCacheLinesApart() {
        ClassLayout layout = ClassLayout.parseClass(MpscRing.class);
        List<String> cold = List.of("buffer", "mask", "capacity", "state");
        List<String> producerIndex = List.of("producerIndex");
        List<String> producerLimit = List.of("producerLimit");
        List<String> consumer = List.of("consumerIndex", "consumerState");
        assertGroupsApart(layout, cold, producerIndex);
        assertGroupsApart(layout, producerIndex, producerLimit);
        assertGroupsApart(layout, producerLimit, consumer);
        assertGroupsApart(layout, producerIndex, consumer);
        assertFarFromEnd(layout, consumer);
    }
}
