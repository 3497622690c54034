package dev.tpcbridge.samples;

import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.SpscRing;

import java.io.PrintStream;

/**
 * The ring demo: a producer thread hands sequence-numbered envelopes to a consumer thread through an
 * {@link SpscRing}, in batches, and the consumer checks that every one arrives once and in order. Prints the
 * element rate, and exits non-zero if the sequence check fails.
 *
 * <p>Usage: {@code ring [elements] [capacity]}; defaults 50,000,000 elements through 4096 slots.
 */
final class RingDemo {
    private RingDemo() {
    }

    /** A reusable envelope: allocated once, passed back and forth, never per message. */
    static final class Envelope {
        long sequence;
    }

    static int run(String[] args, PrintStream out) throws InterruptedException {
        final long elements = args.length > 0 ? parsePositive("elements", args[0]) : 50_000_000L;
        final long requested = args.length > 1 ? parsePositive("capacity", args[1]) : 4096;
        if (requested > SpscRing.MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + requested + " must be <= " + SpscRing.MAX_CAPACITY);
        }
        final int capacity = (int) requested;

        // Envelopes travel producer -> consumer on `requests` and come back on `returns`: zero allocation per message.
        final SpscRing<Envelope> requests = SpscRing.create(capacity);
        final SpscRing<Envelope> returns = SpscRing.create(capacity);
        for (int i = 0; i < capacity; i++) {
            returns.offer(new Envelope());
        }
        final long[] nextSequence = {0};
        Thread producer = new Thread(() -> {
            while (nextSequence[0] < elements) {
                int filled = requests.fill(() -> {
                    if (nextSequence[0] == elements) {
                        return null;
                    }
                    Envelope e = returns.poll();
                    if (e != null) {
                        e.sequence = nextSequence[0]++;
                    }
                    return e;
                }, 256);
                if (filled == 0) {
                    Thread.onSpinWait();
                }
            }
            requests.closeProducer();
        }, "ring-demo-producer");

        final long[] expected = {0};
        final boolean[] ok = {true};
        long start = System.nanoTime();
        producer.start();
        while (!requests.isClosedForPoll()) {
            int taken = requests.drain(e -> {
                if (e.sequence != expected[0]) {
                    ok[0] = false;
                }
                expected[0]++;
                if (returns.offer(e) != OfferStatus.OK) {
                    ok[0] = false; // cannot happen: there are exactly `capacity` envelopes
                }
            }, 256);
            if (taken == 0) {
                Thread.onSpinWait();
            }
        }
        producer.join();
        long nanos = System.nanoTime() - start;
        boolean complete = ok[0] && expected[0] == elements;
        out.printf("ring demo: %,d envelopes through an SpscRing(%d) in %.3f s = %.1f M envelopes/s, sequence %s%n",
            expected[0], capacity, nanos / 1e9, expected[0] * 1e3 / nanos, complete ? "ok" : "BROKEN");
        out.println("RESULT demo=ring elements=" + expected[0]
            + " mops=" + String.format("%.1f", expected[0] * 1e3 / nanos)
            + " sequence=" + (complete ? "ok" : "broken"));
        return complete ? 0 : 1;
    }

    private static long parsePositive(String name, String value) {
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed < 1) {
                throw new IllegalArgumentException(name + "=" + value + " must be >= 1");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a number", e);
        }
    }
}
