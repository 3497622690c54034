package dev.tpcbridge.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passes sequence-numbered elements from producer threads to one consumer and checks that each producer's
 * sequence arrives complete, once, and in order. Producers alternate offer and fill, the consumer poll and drain,
 * so every path is used. Elements are {@code Long}s encoding (producer, sequence).
 */
final class RingSoak {
    private RingSoak() {
    }

    static void run(RingKind kind, int capacity, int producers, long perProducer) throws Exception {
        Ring<Long> ring = kind.create(capacity);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final long tag = (long) p << 48;
            Thread t = new Thread(() -> {
                long next = 0;
                long[] cursor = new long[1];
                while (next < perProducer && failure.get() == null) {
                    if ((next & 64) == 0) {
                        if (ring.offer(tag | next) == OfferStatus.OK) {
                            next++;
                        } else {
                            Thread.onSpinWait();
                        }
                    } else {
                        cursor[0] = next;
                        long end = Math.min(perProducer, (next | 63) + 1);
                        int filled = ring.fill(() -> cursor[0] < end ? tag | cursor[0]++ : null, 16);
                        next += filled;
                        if (filled == 0) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }, "soak-producer-" + p);
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            threads.add(t);
        }
        long[] expected = new long[producers];
        long total = perProducer * producers;
        long[] received = {0};
        ElementHandler<Long> check = value -> {
            int producer = (int) (value >>> 48);
            long sequence = value & ((1L << 48) - 1);
            if (sequence != expected[producer]) {
                throw new AssertionError("producer " + producer + ": expected " + expected[producer]
                    + " got " + sequence);
            }
            expected[producer]++;
            received[0]++;
        };
        threads.forEach(Thread::start);
        long idle = 0;
        while (received[0] < total && failure.get() == null) {
            int got;
            if ((received[0] & 1) == 0) {
                got = ring.drain(check, 32);
            } else {
                Long value = ring.poll();
                got = value == null ? 0 : 1;
                if (value != null) {
                    check.onElement(value);
                }
            }
            if (got == 0 && ++idle % 1024 == 0) {
                Thread.yield();
            }
        }
        for (Thread t : threads) {
            t.join(10_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        assertNull(failure.get(), () -> "producer failed: " + failure.get());
        assertEquals(total, received[0]);
        assertNull(ring.poll(), "nothing extra");
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, expected[p]);
        }
    }
}
