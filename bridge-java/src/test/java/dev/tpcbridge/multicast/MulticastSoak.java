package dev.tpcbridge.multicast;

import dev.tpcbridge.wake.WaitPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One producer publishes {@code 0 .. n-1} (as {@code Long}s) to three subscriber threads, each of which checks the
 * sequence it sees. Lossless: every subscriber sees exactly {@code 0 .. n-1}, nothing lost, nothing duplicated.
 * Lossy: each sees a strictly increasing run whose gaps are exactly the losses it reports, and
 * {@code received + lost == published}. The three consume differently (poll, drain, receive), a fourth subscriber
 * joins and leaves mid-stream and must see a contiguous run from where it joined, and the producer mixes
 * {@code offer}, {@code fill} and {@code send}, so that every path and every wake runs.
 */
final class MulticastSoak {
    private MulticastSoak() {
    }

    static void run(SlowSubscriberPolicy policy, int capacity, long n) throws Exception {
        run(policy, capacity, n, false);
    }

    /**
     * As {@link #run(SlowSubscriberPolicy, int, long)}, on a busy-spin buffer if {@code busySpin}. Lossless, it also
     * checks at the end that the buffer holds no element: each was cleared by the last subscriber to pass it.
     */
    static void run(SlowSubscriberPolicy policy, int capacity, long n, boolean busySpin) throws Exception {
        MulticastBuffer.Builder<Long> builder = MulticastBuffer.<Long>builder().capacity(capacity).policy(policy)
            .waitPolicy(WaitPolicy.FEW_CORES);
        MulticastBuffer<Long> buffer = busySpin ? builder.busySpin().build() : builder.build();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long[] received = new long[3];
        long[] lost = new long[3];
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            final int mode = s;
            final Subscriber<Long> subscriber = buffer.subscribe();
            threads.add(start("subscriber-" + s, failures, () -> {
                Checker checker = new Checker(policy, subscriber, 0);
                consume(subscriber, mode, checker, Long.MAX_VALUE);
                received[mode] = checker.received;
                lost[mode] = subscriber.lost();
            }));
        }
        Thread producer = start("producer", failures, () -> {
            long next = 0;
            long[] cursor = {0};
            while (next < n) {
                if (policy == SlowSubscriberPolicy.LOSSY && (next & 31) == 0) {
                    Thread.yield(); // lets the subscribers keep up part of the time: both laps and reads happen
                }
                int mode = (int) (next >>> 10) % 3;
                if (mode == 0) {
                    if (buffer.offer(next) == PublishStatus.OK) {
                        next++;
                    } else {
                        Thread.yield();
                    }
                } else if (mode == 1) {
                    cursor[0] = next;
                    final long end = n;
                    next += buffer.fill(() -> cursor[0] < end ? cursor[0]++ : null, (int) Math.min(64, n - next));
                } else {
                    assertEquals(PublishStatus.OK, buffer.send(next));
                    next++;
                }
            }
            buffer.close();
        });
        // a late subscriber that joins and leaves while the stream runs
        Thread visitor = start("visitor", failures, () -> {
            while (buffer.published() < n / 3 && !buffer.isClosed()) {
                Thread.yield();
            }
            Subscriber<Long> late = buffer.subscribe();
            Checker checker = new Checker(policy, late, late.position());
            consume(late, 1, checker, Math.max(1, n / 10));
            late.close();
        });
        producer.join(TimeUnit.MINUTES.toMillis(15));
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(5));
        }
        visitor.join(TimeUnit.MINUTES.toMillis(5));
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("soak failed: " + failures.peek());
            failures.forEach(error::addSuppressed);
            throw error;
        }
        assertTrue(!producer.isAlive() && threads.stream().noneMatch(Thread::isAlive) && !visitor.isAlive(),
            "a soak thread hung");
        assertEquals(n, buffer.published());
        for (int s = 0; s < 3; s++) {
            if (policy == SlowSubscriberPolicy.LOSSLESS) {
                assertEquals(n, received[s], "subscriber " + s + " received");
                assertEquals(0, lost[s], "subscriber " + s + " lost");
            } else {
                assertEquals(n, received[s] + lost[s], "subscriber " + s + ": received + lost = published");
            }
        }
        if (policy == SlowSubscriberPolicy.LOSSLESS) { // every subscriber passed everything, none closed
            assertEquals(n << 1, buffer.floor, "the floor: cleared up to the end, not busy");
            for (int i = 0; i < capacity; i++) {
                assertNull(buffer.elements[buffer.offset(i)], "slot " + i + " still holds an element");
            }
        }
    }

    /** Consumes until closed for poll or {@code quota} elements were checked; mode 0 poll, 1 drain, 2 receive. */
    private static void consume(Subscriber<Long> subscriber, int mode, Checker checker, long quota)
        throws InterruptedException {
        while (checker.received < quota) {
            if (mode == 0) {
                long before = subscriber.lost();
                long position = subscriber.position();
                Long e = subscriber.poll();
                if (e != null) {
                    checker.exactly(e, position + subscriber.lost() - before);
                } else if (subscriber.isClosedForPoll()) {
                    return;
                } else {
                    Thread.yield();
                }
            } else if (mode == 1) {
                if (subscriber.drain(checker, 256) == 0) {
                    if (subscriber.isClosedForPoll()) {
                        return;
                    }
                    Thread.yield();
                }
            } else {
                Long e = subscriber.receive();
                if (e == null) {
                    return;
                }
                checker.onElement(e);
            }
        }
    }

    private static Thread start(String name, ConcurrentLinkedQueue<Throwable> failures, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Checks one subscriber's sequence: contiguous (lossless) or strictly increasing with exact gaps (lossy). */
    private static final class Checker implements dev.tpcbridge.ring.ElementHandler<Long> {
        final boolean lossy;
        final Subscriber<Long> subscriber;
        final long lostAtStart;
        long expected;
        long received;

        Checker(SlowSubscriberPolicy policy, Subscriber<Long> subscriber, long start) {
            this.lossy = policy == SlowSubscriberPolicy.LOSSY;
            this.subscriber = subscriber;
            this.lostAtStart = subscriber.lost();
            this.expected = start;
        }

        @Override
        public void onElement(Long element) {
            final long value = element;
            if (lossy ? value < expected : value != expected) {
                throw new AssertionError("subscriber " + subscriber.id() + " expected " + (lossy ? ">= " : "")
                    + expected + ", got " + value);
            }
            expected = value + 1;
            received++;
        }

        void exactly(long value, long index) {
            if (value != index) {
                throw new AssertionError("subscriber " + subscriber.id() + " at index " + index + " got " + value);
            }
            onElement(value);
        }
    }
}
