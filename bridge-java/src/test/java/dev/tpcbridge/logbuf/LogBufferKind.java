package dev.tpcbridge.logbuf;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** The log buffer variants, so that one contract suite runs against each (JCTools QueueSanityTest style). */
enum LogBufferKind {
    SPSC_HEAP(false, false, false),
    SPSC_DIRECT(false, true, false),
    MPSC_HEAP(true, false, false),
    MPSC_DIRECT(true, true, false),
    /** The channel's buffer: waking on, so the contract must hold with it too. */
    SPSC_CHANNEL(false, false, true),
    MPSC_CHANNEL_DIRECT(true, true, true),
    /** The heap memory of JDK 22+ (a long[]; byte-array views lost their atomic access modes), on every JDK. */
    SPSC_HEAP_LONGS(false, false, false),
    MPSC_HEAP_LONGS(true, false, false);

    final boolean multiProducer;
    final boolean direct;
    final boolean channel;

    LogBufferKind(boolean multiProducer, boolean direct, boolean channel) {
        this.multiProducer = multiProducer;
        this.direct = direct;
        this.channel = channel;
    }

    LogBuffer.Builder builder(int capacity) {
        return LogBuffer.builder().capacity(capacity).multiProducer(multiProducer).direct(direct);
    }

    LogBuffer create(int capacity) {
        return create(capacity, System::nanoTime, TimeUnit.SECONDS.toNanos(1));
    }

    LogBuffer create(int capacity, LongSupplier clock, long stallTimeoutNanos) {
        LogBuffer.Builder builder = builder(capacity).nanoClock(clock).stallTimeout(stallTimeoutNanos, TimeUnit.NANOSECONDS);
        if (this == SPSC_HEAP_LONGS || this == MPSC_HEAP_LONGS) {
            builder.memoryFactory = LogMemory.HeapLongs::new;
        }
        return channel ? builder.buildChannel().buffer() : builder.build();
    }
}
