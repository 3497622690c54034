package dev.tpcbridge.samples;

import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.SpscRing;

import java.util.ArrayList;
import java.util.List;

/** The README's Java quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class RingQuickStart {
    private RingQuickStart() {
    }

    static List<String> run() throws InterruptedException {
        List<String> received = new ArrayList<>();
        // tag::quickstart[]
        SpscRing<String> ring = SpscRing.create(1024);          // one producer thread, one consumer thread

        Thread producer = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                String message = "message-" + i;
                while (ring.offer(message) == OfferStatus.FULL) {  // FULL and CLOSED are values, never exceptions;
                    Thread.onSpinWait();                           // the element stays with the caller
                }
            }
            ring.closeProducer();                               // the consumer drains, then sees closed
        });
        producer.start();

        while (!ring.isClosedForPoll()) {
            if (ring.drain(received::add, 64) == 0) {           // one index update per batch
                Thread.onSpinWait();
            }
        }
        // end::quickstart[]
        producer.join();
        return received;
    }
}
