package dev.tpcbridge.samples;

import dev.tpcbridge.multicast.MulticastBuffer;
import dev.tpcbridge.multicast.Subscriber;

import java.util.ArrayList;
import java.util.List;

/** The README's multicast quick start, compiled and run by MulticastQuickStartTest so that it cannot rot. */
final class MulticastQuickStart {
    private MulticastQuickStart() {
    }

    static List<List<String>> run() throws InterruptedException {
        List<List<String>> received = List.of(new ArrayList<>(), new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        // tag::quickstart[]
        MulticastBuffer<String> feed = MulticastBuffer.lossless(1024);  // one producer; every subscriber sees all

        for (List<String> out : received) {
            Subscriber<String> subscriber = feed.subscribe(); // starts at the next publication
            Thread reader = new Thread(() -> {
                try (subscriber) {                                       // close() unsubscribes: no longer gates
                    String message;
                    while ((message = subscriber.receive()) != null) {   // waits; null once closed and drained
                        out.add(message);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            reader.start();
            readers.add(reader);
        }

        for (int i = 0; i < 3; i++) {
            feed.send("message-" + i);   // waits while the slowest subscriber holds the slot (offer: FULL instead)
        }
        feed.close();                    // subscribers take what was published, then see the end
        // end::quickstart[]
        for (Thread reader : readers) {
            reader.join();
        }
        return received;
    }
}
