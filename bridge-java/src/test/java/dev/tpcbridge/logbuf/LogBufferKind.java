package dev.tpcbridge.logbuf;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** The log buffer variants, so that one contract suite runs against each (JCTools QueueSanityTest style). */
enum LogBufferKind {
    SPSC_HEAP(false, false, false),
    SPSC_DIRECT(false, true, false),
    MPSC_HEAP(true, false, false),
    MPSC_DIRECT(true, true, false),
    /** A {@link WakingLogBuffer} (the waking decorator is itself the LogBuffer): the contract must hold with it too. */
    SPSC_WAKING(false, false, true),
    MPSC_WAKING_DIRECT(true, true, true),
    /** The heap memory of JDK 22+ (a long[]; byte-array views lost their atomic access modes), on every JDK. */
    SPSC_HEAP_LONGS(false, false, false),
    MPSC_HEAP_LONGS(true, false, false);

    final boolean multiProducer;
    final boolean direct;
    final boolean waking;

    LogBufferKind(boolean multiProducer, boolean direct, boolean waking) {
        this.multiProducer = multiProducer;
        this.direct = direct;
        this.waking = waking;
    }

    LogBuffer.Builder builder(int capacity) {
        return LogBuffer.builder().capacity(capacity).multiProducer(multiProducer).direct(direct);
    }

    LogBuffer create(int capacity) {
        return create(capacity, System::nanoTime, TimeUnit.SECONDS.toNanos(1));
    }

    LogBuffer create(int capacity, LongSupplier clock, long stallTimeoutNanos) {
        LogBuffer.Builder builder =
            builder(capacity).nanoClock(clock).stallTimeout(stallTimeoutNanos, TimeUnit.NANOSECONDS);
        if (this == SPSC_HEAP_LONGS || this == MPSC_HEAP_LONGS) {
            builder.memoryFactory = LogMemory.HeapLongs::new;
        }
        return waking ? builder.buildWaking() : builder.build();
    }
}
