package dev.tpcbridge.bench;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.tpcbridge.multicast.MulticastBuffer;
import dev.tpcbridge.multicast.Subscriber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Single-thread cost per element (ns/op), which vCPU placement cannot disturb: {@code publish} alone (a lossless
 * buffer with one subscriber that the same thread drains once per 1024 publications, so the gating refresh is in the
 * figure), {@code publishPoll} (one publication and one poll by the one subscriber: consume = this - publish), and
 * {@code fillDrain64} (a batch of 64 published and drained, per element). The Disruptor peer does the same with a
 * single-producer {@code RingBuffer} and one gating {@code Sequence} that the thread reads and advances itself.
 * {@code tpcbridgeBusySpin}: a buffer built {@code busySpin()}, without the wake protocol's fence per publication
 * and per consumption.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MulticastCostBenchmark {
    private static final Object ELEMENT = Integer.valueOf(1);
    private static final int CAPACITY = 4096;

    /** The implementation under test. */
    @Param({"tpcbridge", "tpcbridgeBusySpin", "Disruptor"})
    public String impl;

    private MulticastBuffer<Object> buffer;
    private Subscriber<Object> subscriber;
    private RingBuffer<MulticastThroughputBenchmark.Holder> ring;
    private final Sequence consumed = new Sequence();
    private int published;
    private long sink;
    private final java.util.function.Supplier<Object> supplier = () -> ELEMENT;
    private final dev.tpcbridge.ring.ElementHandler<Object> handler = e -> sink++;

    /** Creates the structure once per fork. */
    @Setup
    public void setUp() {
        if (impl.startsWith("tpcbridge")) {
            buffer = impl.equals("tpcbridgeBusySpin") ? MulticastBuffer.builder().capacity(CAPACITY).busySpin().build()
                : MulticastBuffer.lossless(CAPACITY);
            subscriber = buffer.subscribe();
        } else {
            ring = RingBuffer.createSingleProducer(MulticastThroughputBenchmark.Holder::new, CAPACITY,
                new YieldingWaitStrategy());
            ring.addGatingSequences(consumed);
        }
    }

    private void publishOne() {
        if (buffer != null) {
            buffer.offer(ELEMENT);
        } else {
            long sequence = ring.next();
            ring.get(sequence).value = ELEMENT;
            ring.publish(sequence);
        }
    }

    private Object pollOne() {
        if (buffer != null) {
            return subscriber.poll();
        }
        long next = consumed.get() + 1;
        if (next > ring.getCursor()) {
            return null;
        }
        Object value = ring.get(next).value;
        consumed.set(next); // a release store, as the subscriber's sequence update
        return value;
    }

    /**
     * One publication; every 1024th also drains what the subscriber holds (amortised in the figure).
     *
     * @return a counter, so that nothing is optimised away
     */
    @Benchmark
    public long publish() {
        publishOne();
        if ((++published & 1023) == 0) {
            if (buffer != null) {
                subscriber.drain(handler, 1024);
            } else {
                consumed.set(ring.getCursor());
            }
        }
        return sink;
    }

    /**
     * One publication and one poll.
     *
     * @return the polled element
     */
    @Benchmark
    public Object publishPoll() {
        publishOne();
        return pollOne();
    }

    /**
     * 64 publications as one batch, then one batch read of 64, per element.
     *
     * @return a counter
     */
    @Benchmark
    @OperationsPerInvocation(64)
    public long fillDrain64() {
        if (buffer != null) {
            buffer.fill(supplier, 64);
            subscriber.drain(handler, 64);
        } else {
            long hi = ring.next(64);
            for (long s = hi - 63; s <= hi; s++) {
                ring.get(s).value = ELEMENT;
            }
            ring.publish(hi - 63, hi);
            long available = ring.getCursor();
            for (long s = consumed.get() + 1; s <= available; s++) {
                sink += ring.get(s).value == ELEMENT ? 1 : 0;
            }
            consumed.set(available);
        }
        return sink;
    }
}
