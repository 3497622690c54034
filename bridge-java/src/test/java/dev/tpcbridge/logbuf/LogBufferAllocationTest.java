package dev.tpcbridge.logbuf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hot paths allocate nothing: claim/put/commit, tryWrite, tryRead/get/release and batch reads, measured with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} around a loop on this thread, after a warm-up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogBufferAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final byte[] payload = new byte[40];
    private final WriteClaim claim = new WriteClaim();
    private final ReadClaim record = new ReadClaim();
    private long sink;
    private final RecordHandler handler = r -> sink += r.getByte(0);

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void claimsWritesAndReadsAllocateNothing(LogBufferKind kind) {
        LogBuffer buffer = kind.create(4096);
        for (int i = 0; i < 5; i++) {
            loop(buffer, 20_000); // warm-up, so that the JIT has compiled what it will
        }
        long least = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && least != 0; attempt++) {
            long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            loop(buffer, 20_000);
            long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
            least = Math.min(least, after - before);
        }
        assertEquals(0, least, "bytes allocated by 20 000 rounds of claim/commit, tryWrite, tryRead/release, read");
    }

    private Object kept;

    /** The control: the measurement does see allocation, so the test above can fail. */
    @org.junit.jupiter.api.Test
    void theMeasurementSeesAllocation() {
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1_000; i++) {
            kept = new byte[64 + (i & 7)];
        }
        long after = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        org.junit.jupiter.api.Assertions.assertTrue(after - before >= 64_000, "saw " + (after - before) + " bytes");
    }

    private void loop(LogBuffer buffer, int rounds) {
        for (int i = 0; i < rounds; i++) {
            if (buffer.tryClaim(16, claim) == ClaimStatus.OK) {
                claim.putLong(0, i).putLong(8, -i).commit();
            }
            buffer.tryWrite(payload, 0, 1 + (i & 31));
            if (buffer.tryRead(record) == ReadStatus.OK) {
                sink += record.getByte(0);
                record.release();
            }
            buffer.read(handler, 4);
        }
    }
}
