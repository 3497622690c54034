package dev.tpcbridge.bench;

import dev.tpcbridge.multicast.MulticastBuffer;
import dev.tpcbridge.multicast.Subscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;
import org.agrona.concurrent.MessageHandler;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Lossy multicast, one producer to 1 or 3 subscribers, the producer never waiting: read {@code received} (elements
 * per µs each subscriber took; JMH sums it over the group's subscriber threads, so divide by the subscriber count) and
 * {@code laps} (times a subscriber found itself lapped). {@code tpcbridge}: {@code MulticastBuffer.lossy} of object
 * references, subscribers {@code poll} one at a time; {@code Agrona}: {@code BroadcastTransmitter} of 8-byte records
 * and one {@code CopyBroadcastReceiver} per subscriber (which throws when lapped: counted as a lap). 4096 slots; the
 * Agrona buffer holds 4096 such records. Agrona needs {@code --add-exports java.base/jdk.internal.misc}, passed below.
 *
 * <p>On the 2-vCPU machines the 1+3 group runs 4 busy threads on 2 CPUs: compare within one run only.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class MulticastLossyThroughputBenchmark {
    private static final Object ELEMENT = Integer.valueOf(1);
    private static final int CAPACITY = 4096;

    /** The implementation under test. */
    @Param({"tpcbridge", "Agrona"})
    public String impl;

    MulticastBuffer<Object> buffer;
    BroadcastTransmitter transmitter;
    UnsafeBuffer agronaBuffer;
    final UnsafeBuffer record = new UnsafeBuffer(new byte[8]);

    /** Creates the structure, once per group. */
    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("tpcbridge")) {
            buffer = MulticastBuffer.lossy(CAPACITY);
        } else if (impl.equals("Agrona")) {
            // 16 bytes per record: an 8-byte header and an 8-byte payload
            agronaBuffer = new UnsafeBuffer(
                ByteBuffer.allocateDirect(CAPACITY * 16 + BroadcastBufferDescriptor.TRAILER_LENGTH));
            transmitter = new BroadcastTransmitter(agronaBuffer);
        } else {
            throw new IllegalArgumentException("impl=" + impl);
        }
    }

    /** One subscriber thread's endpoint and counts. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Receiver {
        /** Elements taken. */
        public long received;
        /** Times this subscriber was lapped. */
        public long laps;
        Subscriber<Object> subscriber;
        CopyBroadcastReceiver copy;
        long sink;
        final MessageHandler handler = (type, buffer, index, length) -> sink += buffer.getLong(index);

        /**
         * Subscribes, once per thread.
         *
         * @param group the group's structure
         */
        @Setup(Level.Trial)
        public void setUp(MulticastLossyThroughputBenchmark group) {
            if (group.buffer != null) {
                subscriber = group.buffer.subscribe();
            } else {
                copy = new CopyBroadcastReceiver(new BroadcastReceiver(group.agronaBuffer));
            }
        }

        /** Resets before each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            received = 0;
            laps = 0;
        }
    }

    /** The producer: one element per operation, never waiting. */
    private void publish() {
        if (buffer != null) {
            buffer.offer(ELEMENT);
        } else {
            record.putLong(0, 1L);
            transmitter.transmit(1, record, 0, 8);
        }
    }

    /** One receive attempt of a subscriber. */
    private static void receive(Receiver r) {
        if (r.subscriber != null) {
            long lost = r.subscriber.lost();
            if (r.subscriber.poll() != null) {
                r.received++;
            }
            if (r.subscriber.lost() != lost) {
                r.laps++;
            }
        } else {
            try {
                r.received += r.copy.receive(r.handler);
            } catch (IllegalStateException lapped) {
                r.laps++;
            }
        }
    }

    /** Producer of the 1+1 group. */
    @Benchmark
    @Group("oneSubscriber")
    @GroupThreads(1)
    public void publishToOne() {
        publish();
    }

    /**
     * Subscriber of the 1+1 group.
     *
     * @param r its endpoint and counts
     */
    @Benchmark
    @Group("oneSubscriber")
    @GroupThreads(1)
    public void receiveOne(Receiver r) {
        receive(r);
    }

    /** Producer of the 1+3 group. */
    @Benchmark
    @Group("threeSubscribers")
    @GroupThreads(1)
    public void publishToThree() {
        publish();
    }

    /**
     * A subscriber of the 1+3 group.
     *
     * @param r its endpoint and counts
     */
    @Benchmark
    @Group("threeSubscribers")
    @GroupThreads(3)
    public void receiveThree(Receiver r) {
        receive(r);
    }
}
