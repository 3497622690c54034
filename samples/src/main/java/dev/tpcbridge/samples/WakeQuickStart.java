package dev.tpcbridge.samples;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.WakingRing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README's waking-ring quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class WakeQuickStart {
    private WakeQuickStart() {
    }

    static List<String> run() throws InterruptedException {
        List<String> received = new ArrayList<>();
        // tag::quickstart[]
        WakingRing<String> ring = WakingRing.<String>builder()
            .capacity(1024)                                     // one producer thread, one consumer thread
            .backpressure(BackpressureConfig.defaults())        // NORMAL/THROTTLED/SUSPENDED on push and pop
            .build();

        Thread consumer = new Thread(() -> {
            try {
                String message;
                while ((message = ring.receive()) != null) {    // parks when empty; woken by the first offer only
                    received.add(message);
                }                                               // null: closed, and everything was taken
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();

        for (int i = 0; i < 3; i++) {
            String message = "message-" + i;
            if (ring.send(message, 1, TimeUnit.SECONDS) != OfferStatus.OK) {   // waits for room, up to a deadline
                throw new IllegalStateException(message + " not sent: still ours");
            }
        }
        ring.closeProducer();                                   // wakes the consumer, which drains, then sees null
        // end::quickstart[]
        consumer.join();
        return received;
    }
}
