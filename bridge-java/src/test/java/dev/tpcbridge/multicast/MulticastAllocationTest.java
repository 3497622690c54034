package dev.tpcbridge.multicast;

import dev.tpcbridge.ring.ElementHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths allocate nothing: offer, fill, poll and drain (lossy laps included), measured with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} around a loop on this thread, after a warm-up. The
 * elements are made before the loop, so that only the buffer's own allocation is counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MulticastAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Integer[] ELEMENTS = new Integer[64];

    static {
        for (int i = 0; i < ELEMENTS.length; i++) {
            ELEMENTS[i] = 1000 + i;
        }
    }

    private long sink;
    private int next;
    private final ElementHandler<Integer> handler = e -> sink += e;
    private final Supplier<Integer> supplier = () -> ELEMENTS[next++ & 63];

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void publishPollAndDrainAllocateNothing(SlowSubscriberPolicy policy) {
        MulticastBuffer<Integer> buffer = MulticastBuffer.<Integer>builder().capacity(64).policy(policy).build();
        Subscriber<Integer> polled = buffer.subscribe();
        Subscriber<Integer> drained = buffer.subscribe();
        Subscriber<Integer> lapped = buffer.subscribe(); // lossy: lapped every round; lossless: gates
        for (int i = 0; i < 5; i++) {
            loop(buffer, polled, drained, lapped, 20_000); // warm-up, so that the JIT has compiled what it will
        }
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
            long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            loop(buffer, polled, drained, lapped, 20_000);
            long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before);
        }
        assertEquals(0, least, "bytes allocated by 20 000 rounds of offer, fill, poll and drain");
        if (policy == SlowSubscriberPolicy.LOSSY) {
            assertTrue(lapped.lost() > 0, "the lapped subscriber's path ran");
        }
    }

    private void loop(MulticastBuffer<Integer> buffer, Subscriber<Integer> polled,
                      Subscriber<Integer> drained, Subscriber<Integer> lapped,
                      int rounds) {
        for (int i = 0; i < rounds; i++) {
            buffer.offer(ELEMENTS[i & 63]);
            buffer.fill(supplier, 3);
            Integer e;
            while ((e = polled.poll()) != null) {
                sink += e;
            }
            drained.drain(handler, 16);
            if ((i & 31) == 0) {
                lapped.drain(handler, 64);
            }
        }
    }

    /** A busy-spin buffer's waits: send and receive that find room or an element, and a send that spins to its
     * deadline (its {@link SpinWait} must not be allocated). */
    @Test
    void busySpinSendAndReceiveAllocateNothing() throws InterruptedException {
        MulticastBuffer<Integer> buffer = MulticastBuffer.<Integer>builder().capacity(64).busySpin().build();
        Subscriber<Integer> subscriber = buffer.subscribe();
        for (int i = 0; i < 5; i++) {
            spinLoop(buffer, subscriber, 20_000);
        }
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
            long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            spinLoop(buffer, subscriber, 20_000);
            long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before);
        }
        assertEquals(0, least, "bytes allocated by 20 000 rounds of busy-spin send, receive and a timed-out send");
    }

    private void spinLoop(MulticastBuffer<Integer> buffer, Subscriber<Integer> subscriber, int rounds)
        throws InterruptedException {
        for (int i = 0; i < rounds; i++) {
            buffer.send(ELEMENTS[i & 63]);
            sink += subscriber.receive();
            if ((i & 63) == 0) {
                while (buffer.offer(ELEMENTS[0]) == PublishStatus.OK) {
                    sink++; // fill it up
                }
                if (buffer.send(ELEMENTS[1], 1, TimeUnit.NANOSECONDS) != PublishStatus.FULL) {
                    throw new AssertionError("a full buffer took a timed send");
                }
                subscriber.drain(handler, 64);
            }
        }
    }

    private Object kept;

    /** The control: the measurement does see allocation, so the test above can fail. */
    @Test
    void theMeasurementSeesAllocation() {
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1_000; i++) {
            kept = new byte[64 + (i & 7)];
        }
        long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        assertTrue(after - before >= 64_000, "saw " + (after - before) + " bytes");
    }
}
