package dev.tpcbridge.jcstress;

import dev.tpcbridge.logbuf.ClaimStatus;
import dev.tpcbridge.logbuf.LogBuffer;
import dev.tpcbridge.logbuf.ReadClaim;
import dev.tpcbridge.logbuf.ReadStatus;
import dev.tpcbridge.logbuf.WriteClaim;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Space reuse in {@link LogBuffer}: the consumer zeroes a record's space and then releases it, and a producer may
 * claim that space the moment it is released. A record written into reused space is never damaged by the zeroing
 * (the release comes after it), and a record claimed across the wrap, behind a padding record, is seen whole or not
 * at all. 256-byte buffers: the largest record is 32 bytes (a 24-byte payload).
 */
public final class LogBufferReuseStress {
    private LogBufferReuseStress() {
    }

    /** Fills the buffer with eight 32-byte records (payload longs {@code i, i, i}). */
    static LogBuffer full(LogBuffer buffer) {
        WriteClaim claim = new WriteClaim();
        for (int i = 0; i < 8; i++) {
            if (buffer.tryClaim(24, claim) != ClaimStatus.OK) {
                throw new IllegalStateException("setup: record " + i + " did not fit");
            }
            claim.putLong(0, i).putLong(8, i).putLong(16, i).commit();
        }
        return buffer;
    }

    /** Producer: a record 7, 7, 7 into the space the consumer frees (FULL until it does). 1 if written, else 0. */
    static int produceSeven(LogBuffer buffer, WriteClaim claim) {
        if (buffer.tryClaim(24, claim) != ClaimStatus.OK) {
            return 0;
        }
        claim.putLong(0, 77).putLong(8, 77).putLong(16, 77).commit();
        return 1;
    }

    /** Consumer: takes the oldest record, which zeroes its space and releases it. */
    static void consumeOne(LogBuffer buffer, ReadClaim record) {
        if (buffer.tryRead(record) == ReadStatus.OK) {
            record.release();
        }
    }

    /** Arbiter: reads the rest; 1 if the last record is the whole 77, 77, 77; 0 if damaged; -1 if none. */
    static int lastIsWhole(LogBuffer buffer, ReadClaim record) {
        int last = -1;
        while (buffer.tryRead(record) == ReadStatus.OK) {
            long a = record.getLong(0);
            long b = record.getLong(8);
            long c = record.getLong(16);
            record.release();
            if (a == 77 || b == 77 || c == 77) {
                last = a == 77 && b == 77 && c == 77 ? 1 : 0;
            } else if (a != b || b != c) {
                last = 0; // an old record damaged
            }
        }
        return last;
    }

    /** SPSC: zeroing and release against a producer reusing the released space. */
    @JCStressTest
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the producer found the buffer still full")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "written into the released space, read back whole")
    @Outcome(expect = FORBIDDEN, desc = "a record written into reused space was damaged by the zeroing")
    @State
    public static class SpscZeroingVersusReuse {
        final LogBuffer buffer = full(LogBuffer.spsc(256));
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();
        int written;

        @Actor
        public void producer() {
            written = produceSeven(buffer, claim);
        }

        @Actor
        public void consumer() {
            consumeOne(buffer, record);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = written;
            r.r2 = lastIsWhole(buffer, record);
        }
    }

    /** MPSC: as above, with the producer claiming by CAS. */
    @JCStressTest
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the producer found the buffer still full")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "written into the released space, read back whole")
    @Outcome(expect = FORBIDDEN, desc = "a record written into reused space was damaged by the zeroing")
    @State
    public static class MpscZeroingVersusReuse {
        final LogBuffer buffer = full(LogBuffer.mpsc(256));
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();
        int written;

        @Actor
        public void producer() {
            written = produceSeven(buffer, claim);
        }

        @Actor
        public void consumer() {
            consumeOne(buffer, record);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = written;
            r.r2 = lastIsWhole(buffer, record);
        }
    }

    /**
     * MPSC across the wrap: 15 records of 16 bytes were written and read, so the tail sits 16 bytes before the end;
     * a 32-byte record then needs a padding record there and goes to the start. The consumer sees nothing yet (the
     * claim is not committed: -1) or the whole record, never a torn one or the padding's bytes.
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "read before the commit")
    @Outcome(id = "5, 6", expect = ACCEPTABLE, desc = "the record behind the padding, whole")
    @Outcome(expect = FORBIDDEN, desc = "a torn record, or padding read as data")
    @State
    public static class MpscPaddingThenClaim {
        final LogBuffer buffer = LogBuffer.mpsc(256);
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();

        public MpscPaddingThenClaim() {
            for (int i = 0; i < 15; i++) {
                if (buffer.tryClaim(8, claim) != ClaimStatus.OK) {
                    throw new IllegalStateException("setup: record " + i);
                }
                claim.putLong(0, i).commit();
                if (buffer.tryRead(record) != ReadStatus.OK) {
                    throw new IllegalStateException("setup: read " + i);
                }
                record.release();
            }
        }

        @Actor
        public void producer() {
            if (buffer.tryClaim(24, claim) == ClaimStatus.OK) {
                claim.putLong(0, 5).putLong(8, 6).putLong(16, 6).commit();
            }
        }

        @Actor
        public void consumer(II_Result r) {
            if (buffer.tryRead(record) == ReadStatus.OK) {
                long a = record.getLong(0);
                long b = record.getLong(8);
                long c = record.getLong(16);
                record.release();
                r.r1 = (int) a;
                r.r2 = b == c ? (int) b : -99;
            } else {
                r.r1 = -1;
                r.r2 = -1;
            }
        }
    }
}
