package dev.tpcbridge.bench;

import dev.tpcbridge.logbuf.ClaimStatus;
import dev.tpcbridge.logbuf.LogBuffer;
import dev.tpcbridge.logbuf.RecordHandler;
import dev.tpcbridge.logbuf.WriteClaim;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * One byte log buffer behind a common shape, so that every implementation runs the same benchmark code: the producer
 * copies a record of {@code recordSize} bytes from a {@code byte[]} (claim, copy, commit in one call), the consumer
 * reads batches and touches the first payload long of each record. Each JMH fork uses one implementation only.
 */
abstract class LogBufferUnderTest {
    final byte[] source;
    final int recordSize;

    LogBufferUnderTest(int recordSize) {
        this.recordSize = recordSize;
        this.source = new byte[recordSize];
        for (int i = 0; i < recordSize; i++) {
            source[i] = (byte) i;
        }
    }

    /** Writes one record; false when full. */
    abstract boolean write();

    /** Reads up to {@code limit} records; returns how many. */
    abstract int read(int limit);

    /** Capacity for a record size: at least 64 KiB, and at least 16 records of the largest size. */
    static int capacityFor(int recordSize) {
        return Math.max(1 << 16, Integer.highestOneBit(recordSize * 16 - 1) << 1);
    }

    static LogBufferUnderTest create(String impl, int recordSize) {
        final int capacity = capacityFor(recordSize);
        switch (impl) {
            case "SpscLogBuffer": return new Ours(LogBuffer.builder().capacity(capacity).build(), recordSize);
            case "SpscLogBufferClaim":
                return new OursClaiming(LogBuffer.builder().capacity(capacity).build(), recordSize);
            case "SpscLogBufferDirect":
                return new Ours(LogBuffer.builder().capacity(capacity).direct(true).build(), recordSize);
            case "MpscLogBuffer":
                return new Ours(LogBuffer.builder().capacity(capacity).multiProducer(true).build(), recordSize);
            case "LapStampedSpscLogBuffer": return new LapStamped(new LapStampedSpscLogBuffer(capacity), recordSize);
            case "AgronaOneToOneRingBuffer":
                return new Agrona(new OneToOneRingBuffer(agronaBuffer(capacity)), recordSize);
            case "AgronaOneToOneRingBufferClaim":
                return new AgronaClaiming(new OneToOneRingBuffer(agronaBuffer(capacity)), recordSize);
            case "AgronaManyToOneRingBuffer":
                return new Agrona(new ManyToOneRingBuffer(agronaBuffer(capacity)), recordSize);
            default: throw new IllegalArgumentException("impl=" + impl + " is not known");
        }
    }

    private static UnsafeBuffer agronaBuffer(int capacity) {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
    }

    /** tpcbridge's {@link LogBuffer}: {@code tryWrite} and a batch {@code read}. */
    static final class Ours extends LogBufferUnderTest {
        private final LogBuffer buffer;
        private final RecordHandler handler;
        long sink;

        Ours(LogBuffer buffer, int recordSize) {
            super(recordSize);
            this.buffer = buffer;
            this.handler = record -> sink += record.getLong(0);
        }

        @Override
        boolean write() {
            return buffer.tryWrite(source, 0, recordSize) == ClaimStatus.OK;
        }

        @Override
        int read(int limit) {
            return buffer.read(handler, limit);
        }
    }

    /** tpcbridge's {@link LogBuffer} through its claim API: {@code tryClaim}, {@code putBytes}, {@code commit}. */
    static final class OursClaiming extends LogBufferUnderTest {
        private final LogBuffer buffer;
        private final WriteClaim claim = new WriteClaim();
        private final RecordHandler handler;
        long sink;

        OursClaiming(LogBuffer buffer, int recordSize) {
            super(recordSize);
            this.buffer = buffer;
            this.handler = record -> sink += record.getLong(0);
        }

        @Override
        boolean write() {
            if (buffer.tryClaim(recordSize, claim) != ClaimStatus.OK) {
                return false;
            }
            claim.putBytes(0, source, 0, recordSize).commit();
            return true;
        }

        @Override
        int read(int limit) {
            return buffer.read(handler, limit);
        }
    }

    /** Agrona's {@code OneToOneRingBuffer} through its claim API: {@code tryClaim}, a copy, {@code commit}. */
    static final class AgronaClaiming extends LogBufferUnderTest {
        private final RingBuffer ring;
        private final MessageHandler handler;
        long sink;

        AgronaClaiming(RingBuffer ring, int recordSize) {
            super(recordSize);
            this.ring = ring;
            this.handler = (msgTypeId, buffer, index, length) -> sink += buffer.getLong(index);
        }

        @Override
        boolean write() {
            final int index = ring.tryClaim(1, recordSize);
            if (index <= 0) {
                return false;
            }
            ring.buffer().putBytes(index, source, 0, recordSize);
            ring.commit(index);
            return true;
        }

        @Override
        int read(int limit) {
            return ring.read(handler, limit);
        }
    }

    /** The lap-stamped design not taken. */
    static final class LapStamped extends LogBufferUnderTest {
        private final LapStampedSpscLogBuffer buffer;

        LapStamped(LapStampedSpscLogBuffer buffer, int recordSize) {
            super(recordSize);
            this.buffer = buffer;
        }

        @Override
        boolean write() {
            return buffer.write(source, recordSize);
        }

        @Override
        int read(int limit) {
            return buffer.read(limit);
        }
    }

    /**
     * Agrona's {@code OneToOneRingBuffer} or {@code ManyToOneRingBuffer}: {@code write} and
     * {@code read(handler, limit)}.
     */
    static final class Agrona extends LogBufferUnderTest {
        private final RingBuffer ring;
        private final UnsafeBuffer src;
        private final MessageHandler handler;
        long sink;

        Agrona(RingBuffer ring, int recordSize) {
            super(recordSize);
            this.ring = ring;
            this.src = new UnsafeBuffer(source);
            this.handler = (msgTypeId, buffer, index, length) -> sink += buffer.getLong(index);
        }

        @Override
        boolean write() {
            return ring.write(1, src, 0, recordSize);
        }

        @Override
        int read(int limit) {
            return ring.read(handler, limit);
        }
    }
}
