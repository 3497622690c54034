package dev.tpcbridge.logbuf;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Linearizability of both log buffers (heap, minimum capacity) with Lincheck's model checking and stress strategies,
 * against their own sequential behaviour. Each scenario starts near the end of the region with four records buffered,
 * so that padding at the wrap, FULL and TOO_LARGE (sizes up to 30, the largest payload is 24) all come within a few
 * operations. SPSC producer and consumer operations are confined to one thread each ({@code nonParallelGroup}); MPSC
 * producers run on every thread. Model checking runs over {@link LongArrayMemory} (same access modes; Lincheck's
 * model checker rejects byte-array view VarHandles), stress over the real heap memory. The MPSC stall clock is
 * frozen, so no claim is revoked (a revocation depends on time, not on interleaving; {@code WakingLogBufferTest} and
 * jcstress cover it). {@code tryRead} and {@code release} are separate operations, as in the API: the first frees
 * the padding it skips, the second the record. {@code used()} is left out: it reads the head and the tail one after
 * the other, a snapshot that is not linearizable and does not claim to be.
 *
 * <p>The default tier runs CI-sized checks; {@link LogBufferLincheckStressTest} runs larger ones under
 * {@code -Pstress}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LogBufferLincheckTest {

    /** The shared scenario: a buffer near the end of its region, four records in it. */
    abstract static class Model {
        final LogBuffer buffer;
        final ReadClaim record = new ReadClaim();

        Model(boolean multiProducer, boolean modelChecked) {
            LogBuffer.Builder builder = LogBuffer.builder().capacity(256).multiProducer(multiProducer)
                .nanoClock(() -> 0L);
            if (modelChecked) {
                builder.memoryFactory = LongArrayMemory::new;
            }
            buffer = builder.build();
            for (int i = 0; i < 7; i++) {
                buffer.tryWrite(payload(24), 0, 24);
            }
            buffer.tryWrite(payload(1), 0, 1);
            buffer.read(r -> { }, 100); // head = tail = 240: 16 bytes before the end
            for (int size = 21; size <= 24; size++) {
                buffer.tryWrite(payload(size), 0, size); // the first one pads; used = 16 + 4 * 32
            }
        }

        static byte[] payload(int size) {
            byte[] bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) (size * 7 + i);
            }
            return bytes;
        }

        ClaimStatus writeRecord(int size) {
            return buffer.tryWrite(payload(size), 0, size);
        }

        ClaimStatus claimAndCommit(int size) {
            WriteClaim claim = new WriteClaim();
            ClaimStatus status = buffer.tryClaim(size, claim);
            if (status == ClaimStatus.OK) {
                claim.putBytes(0, payload(size), 0, size).commit();
            }
            return status;
        }

        ClaimStatus claimAndAbort(int size) {
            WriteClaim claim = new WriteClaim();
            ClaimStatus status = buffer.tryClaim(size, claim);
            if (status == ClaimStatus.OK) {
                claim.putByte(0, (byte) 99).abort();
            }
            return status;
        }

        /** tryRead: skips padding (freeing it) and holds the record; its space is freed by release(). */
        String readRecord() {
            if (record.isActive()) {
                return "HELD";
            }
            ReadStatus status = buffer.tryRead(record);
            return status == ReadStatus.OK ? describe(record) : status.name();
        }

        String releaseRecord() {
            if (!record.isActive()) {
                return "NONE";
            }
            String described = describe(record);
            record.release();
            return described;
        }

        String readBatchUnlessHeld() {
            return record.isActive() ? "HELD" : readBatch();
        }

        String readBatch() {
            StringBuilder out = new StringBuilder();
            int n = buffer.read(r -> out.append(describe(r)), 1);
            return n + ":" + out;
        }

        static String describe(ReadClaim r) {
            int sum = 0;
            for (int i = 0; i < r.length(); i++) {
                sum += r.getByte(i);
            }
            return r.length() + "/" + sum;
        }
    }

    /** SPSC: one producer thread, one consumer thread; the real heap memory. */
    @Param(name = "size", gen = IntGen.class, conf = "1:30")
    public static class Spsc extends Model {
        public Spsc() {
            this(false);
        }

        Spsc(boolean modelChecked) {
            super(false, modelChecked);
        }

        @Operation(nonParallelGroup = "producer")
        public ClaimStatus write(@Param(name = "size") int size) {
            return writeRecord(size);
        }

        @Operation(nonParallelGroup = "producer")
        public ClaimStatus claimCommit(@Param(name = "size") int size) {
            return claimAndCommit(size);
        }

        @Operation(nonParallelGroup = "producer")
        public ClaimStatus claimAbort(@Param(name = "size") int size) {
            return claimAndAbort(size);
        }

        @Operation(nonParallelGroup = "producer")
        public void closeProducer() {
            buffer.closeProducer();
        }

        @Operation(nonParallelGroup = "consumer")
        public String read() {
            return readRecord();
        }

        @Operation(nonParallelGroup = "consumer")
        public String release() {
            return releaseRecord();
        }

        @Operation(nonParallelGroup = "consumer")
        public String batch() {
            return readBatchUnlessHeld();
        }

        @Operation(nonParallelGroup = "consumer")
        public boolean isClosedForRead() {
            return buffer.isClosedForRead();
        }

        @Operation
        public boolean isClosedForWrite() {
            return buffer.isClosedForWrite();
        }
    }

    /** SPSC over {@link LongArrayMemory}, for the model checker. */
    public static class SpscModel extends Spsc {
        public SpscModel() {
            super(true);
        }
    }

    /** MPSC: producers on every thread, one consumer thread; the real heap memory. */
    @Param(name = "size", gen = IntGen.class, conf = "1:30")
    public static class Mpsc extends Model {
        public Mpsc() {
            this(false);
        }

        Mpsc(boolean modelChecked) {
            super(true, modelChecked);
        }

        @Operation
        public ClaimStatus write(@Param(name = "size") int size) {
            return writeRecord(size);
        }

        @Operation
        public ClaimStatus claimCommit(@Param(name = "size") int size) {
            return claimAndCommit(size);
        }

        @Operation
        public ClaimStatus claimAbort(@Param(name = "size") int size) {
            return claimAndAbort(size);
        }

        @Operation
        public void closeProducer() {
            buffer.closeProducer();
        }

        @Operation(nonParallelGroup = "consumer")
        public String read() {
            return readRecord();
        }

        @Operation(nonParallelGroup = "consumer")
        public String release() {
            return releaseRecord();
        }

        @Operation(nonParallelGroup = "consumer")
        public String batch() {
            return readBatchUnlessHeld();
        }

        @Operation(nonParallelGroup = "consumer")
        public boolean isClosedForRead() {
            return buffer.isClosedForRead();
        }

        @Operation
        public boolean isClosedForWrite() {
            return buffer.isClosedForWrite();
        }
    }

    /** MPSC over {@link LongArrayMemory}, for the model checker. */
    public static class MpscModel extends Mpsc {
        public MpscModel() {
            super(true);
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2);
    }

    @Test
    void spscModelChecking() {
        sized(new ModelCheckingOptions(), 6, 250).check(SpscModel.class);
    }

    @Test
    void spscStress() {
        sized(new StressOptions(), 5, 400).check(Spsc.class);
    }

    @Test
    void mpscModelChecking() {
        sized(new ModelCheckingOptions(), 6, 250).threads(3).check(MpscModel.class);
    }

    @Test
    void mpscStress() {
        sized(new StressOptions(), 5, 400).threads(3).check(Mpsc.class);
    }
}
