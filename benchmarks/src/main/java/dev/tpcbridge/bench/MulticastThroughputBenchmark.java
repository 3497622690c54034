package dev.tpcbridge.bench;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.tpcbridge.multicast.MulticastBuffer;
import dev.tpcbridge.multicast.Subscriber;
import dev.tpcbridge.multicast.PublishStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lossless multicast, one producer to 1 or 3 subscribers: the JMH thread publishes one element per operation,
 * waiting while the slowest subscriber holds the slot; each subscriber is a dedicated thread that busy-spins on
 * batches. The score (ops/µs) is elements per µs that every subscriber receives (the producer is gated by the slowest,
 * within one buffer). {@code tpcbridge}: {@code MulticastBuffer.lossless}, the producer in {@code send} (its default
 * wait policy: a few spins, then park until a subscriber's drain wakes it), subscribers {@code drain(handler, 256)};
 * {@code tpcbridgeParkNanos}: the same, but a producer that finds the buffer full parks 1 ns and retries, exactly as
 * the Disruptor's {@code next()} does (on Linux such a park lasts tens of µs: the subscribers get the CPU);
 * {@code tpcbridgeBusySpin}: as {@code tpcbridgeParkNanos}, on a buffer built {@code busySpin()}, which has no wake
 * protocol and no fence per publication (no waiter of it parks), as the Disruptor's busy-spin strategy wakes nobody;
 * {@code tpcbridgeBusySpinYield}: the same, with subscribers that yield once the wait policy's spins are spent after
 * an empty drain, as the library's busy-spin waits do; {@code Disruptor}: a single-producer {@code RingBuffer} with
 * one {@code BatchEventProcessor} per subscriber, busy-spin wait strategy, all gating the producer;
 * {@code DisruptorYield}: the same with the yielding wait strategy. 4096 slots.
 *
 * <p>With 3 subscribers this runs 4 busy threads on however many CPUs the machine has: on the 2-vCPU machines the
 * threads are oversubscribed and the figure measures scheduling as much as the structure. Compare the two
 * implementations only within one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MulticastThroughputBenchmark {
    private static final Object ELEMENT = Integer.valueOf(1);
    private static final int CAPACITY = 4096;

    /** The implementation under test. */
    @Param({"tpcbridge", "tpcbridgeParkNanos", "tpcbridgeBusySpin", "tpcbridgeBusySpinYield", "Disruptor",
        "DisruptorYield"})
    public String impl;

    /** How many subscribers receive every element. */
    @Param({"1", "3"})
    public int subscribers;

    private MulticastBuffer<Object> buffer;
    private RingBuffer<Holder> ring;
    private final List<Thread> threads = new ArrayList<>();
    private final List<BatchEventProcessor<Holder>> processors = new ArrayList<>();
    private volatile boolean running;
    private boolean parkNanos;
    private final java.util.function.Supplier<Object> supplier = () -> ELEMENT;

    /** The Disruptor's pre-allocated event. */
    static final class Holder {
        Object value;
    }

    /** A subscriber's count, padded from its neighbours by being its own object. */
    static final class Count {
        long seen;
    }

    /** Starts the subscriber threads, once per fork. */
    @Setup(Level.Trial)
    public void setUp() {
        running = true;
        if (impl.startsWith("tpcbridge")) {
            final boolean busySpin = impl.startsWith("tpcbridgeBusySpin");
            final boolean yieldingSubscribers = impl.equals("tpcbridgeBusySpinYield");
            buffer = busySpin ? MulticastBuffer.builder().capacity(CAPACITY).busySpin().build()
                : MulticastBuffer.lossless(CAPACITY);
            parkNanos = busySpin || impl.equals("tpcbridgeParkNanos");
            for (int i = 0; i < subscribers; i++) {
                Subscriber<Object> subscriber = buffer.subscribe();
                Count count = new Count();
                final int spins = yieldingSubscribers ? buffer.waitPolicy().spins() : Integer.MAX_VALUE;
                threads.add(new Thread(() -> {
                    int idle = 0;
                    while (running) {
                        if (subscriber.drain(e -> count.seen++, 256) > 0) {
                            idle = 0;
                        } else if (idle++ < spins) {
                            Thread.onSpinWait();
                        } else {
                            Thread.yield(); // as the library's busy-spin waits do once the policy's spins are spent
                        }
                    }
                    subscriber.close();
                }, "subscriber-" + i));
            }
        } else if (impl.startsWith("Disruptor")) {
            ring = RingBuffer.createSingleProducer(Holder::new, CAPACITY,
                impl.equals("Disruptor") ? new BusySpinWaitStrategy() : new YieldingWaitStrategy());
            Sequence[] gating = new Sequence[subscribers];
            for (int i = 0; i < subscribers; i++) {
                Count count = new Count();
                EventHandler<Holder> handler = (event, sequence, endOfBatch) -> count.seen++;
                BatchEventProcessor<Holder> processor =
                    new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
                gating[i] = processor.getSequence();
                processors.add(processor);
                threads.add(new Thread(processor, "processor-" + i));
            }
            ring.addGatingSequences(gating);
        } else {
            throw new IllegalArgumentException("impl=" + impl);
        }
        threads.forEach(Thread::start);
    }

    /** Stops the subscriber threads. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        running = false;
        processors.forEach(BatchEventProcessor::halt);
        if (buffer != null) {
            buffer.close();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    /**
     * Publishes one element to every subscriber, waiting while full.
     *
     * @return the published sequence (tpcbridge: a status), so that nothing is optimised away
     * @throws InterruptedException never (send's contract)
     */
    @Benchmark
    public long publish() throws InterruptedException {
        if (buffer != null) {
            if (!parkNanos) {
                return buffer.send(ELEMENT).ordinal(); // the library's wait: spin, then park until woken by a drain
            }
            while (buffer.offer(ELEMENT) != PublishStatus.OK) {
                LockSupport.parkNanos(1L); // what the Disruptor's single-producer next() does while full
            }
            return 0;
        }
        long sequence = ring.next(); // parkNanos(1) in a loop while the slowest processor holds the slot
        ring.get(sequence).value = ELEMENT;
        ring.publish(sequence);
        return sequence;
    }

    /**
     * Publishes a batch of 64 elements, one wake check (tpcbridge {@code fill}) or one claim and one publication of
     * the range (Disruptor {@code next(64)}/{@code publish(lo, hi)}) per batch; the score is per element.
     *
     * @return a count or sequence, so that nothing is optimised away
     * @throws InterruptedException never (send's contract)
     */
    @Benchmark
    @OperationsPerInvocation(64)
    public long publish64() throws InterruptedException {
        if (buffer != null) {
            int left = 64;
            while (left > 0) {
                int filled = buffer.fill(supplier, left);
                left -= filled;
                if (filled == 0) {
                    if (parkNanos) {
                        LockSupport.parkNanos(1L);
                    } else if (buffer.send(ELEMENT) == PublishStatus.OK) {
                        left--; // waits as send does, publishing one
                    }
                }
            }
            return left;
        }
        long hi = ring.next(64);
        for (long s = hi - 63; s <= hi; s++) {
            ring.get(s).value = ELEMENT;
        }
        ring.publish(hi - 63, hi);
        return hi;
    }
}
