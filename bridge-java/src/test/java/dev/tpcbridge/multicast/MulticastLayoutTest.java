package dev.tpcbridge.multicast;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;

import java.util.List;

import static dev.tpcbridge.internal.FieldLayouts.assertFarFromEnd;
import static dev.tpcbridge.internal.FieldLayouts.assertGroupsApart;

/**
 * Checks with JOL that the producer's fields and each subscriber's owner-written fields are at least 128 bytes from
 * the read-mostly fields and from the object's end, and the producer's from the floor (written by whichever thread
 * clears passed slots), so that subscribers polling their own sequences and the producer publishing do not share a
 * cache line.
 */
class MulticastLayoutTest {
    @Test
    void theProducerFieldsAreTwoCacheLinesFromTheColdFieldsAndTheEnd() {
        ClassLayout layout = ClassLayout.parseClass(MulticastBuffer.class);
        List<String> cold = List.of("elements", "sequences", "mask", "capacity", "lossy", "refreshStep", "waitPolicy",
            "nanoClock", "readers", "writers", "subscribers", "closed", "nextId");
        List<String> producer = List.of("cursor", "producerLimit");
        List<String> floor = List.of("floor");
        assertGroupsApart(layout, cold, producer);
        assertGroupsApart(layout, producer, floor);
        assertGroupsApart(layout, floor, List.of("writable"));
        assertFarFromEnd(layout, floor);
    }

    @Test
    void aSubscribersOwnerFieldsAreTwoCacheLinesFromItsColdFieldsAndTheEnd() {
        ClassLayout layout = ClassLayout.parseClass(Subscriber.class);
        List<String> cold = List.of("buffer", "id", "closed");
        List<String> owner = List.of("sequence", "cachedCursor", "lost", "draining", "foundAt");
        assertGroupsApart(layout, cold, owner);
        assertGroupsApart(layout, owner, List.of("readable"));
        assertFarFromEnd(layout, owner);
    }
}
