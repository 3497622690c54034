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
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The commit-marker protocol of {@link LogBuffer}: one scenario per property and variant. A committed record is never
 * seen with a partial payload; an aborted claim is never seen; "closed" is never reported while a record committed
 * before the close is unread; a stalled MPSC claim, or an SPSC claim open at its producer's close, is either committed
 * or revoked, never both or neither.
 */
public final class LogBufferStress {
    private LogBufferStress() {
    }

    static void produce(LogBuffer buffer, WriteClaim claim, long a, long b) {
        if (buffer.tryClaim(16, claim) == ClaimStatus.OK) {
            claim.putLong(0, a).putLong(8, b).commit();
        }
    }

    static void consume(LogBuffer buffer, ReadClaim record, II_Result r) {
        if (buffer.tryRead(record) == ReadStatus.OK) {
            r.r1 = (int) record.getLong(0);
            r.r2 = (int) record.getLong(8);
            record.release();
        } else {
            r.r1 = -1;
            r.r2 = -1;
        }
    }

    /** SPSC, heap: the payload written before the commit is seen whole with the record. */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "read before the commit: empty")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the record with its whole payload")
    @Outcome(expect = FORBIDDEN, desc = "a committed record seen with a partial payload")
    @State
    public static class SpscHeapCommitVisibility {
        final LogBuffer buffer = LogBuffer.spsc(256);
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            produce(buffer, claim, 1, 2);
        }

        @Actor
        public void consumer(II_Result r) {
            consume(buffer, record, r);
        }
    }

    /** SPSC, direct memory: as above. */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "read before the commit: empty")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the record with its whole payload")
    @Outcome(expect = FORBIDDEN, desc = "a committed record seen with a partial payload")
    @State
    public static class SpscDirectCommitVisibility {
        final LogBuffer buffer = LogBuffer.builder().capacity(256).direct(true).build();
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            produce(buffer, claim, 1, 2);
        }

        @Actor
        public void consumer(II_Result r) {
            consume(buffer, record, r);
        }
    }

    /**
     * MPSC, two producers (claims by CAS on the tail), the second of which then reads as the consumer: the first
     * record it sees is one of the two, whole. Two actors only, so that jcstress can schedule it on 2 CPUs.
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "the first producer claimed first and has not committed yet")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the first producer's record, whole")
    @Outcome(id = "3, 4", expect = ACCEPTABLE, desc = "the second producer's own record, whole")
    @Outcome(expect = FORBIDDEN, desc = "a partial or mixed payload")
    @State
    public static class MpscCommitVisibility {
        final LogBuffer buffer = LogBuffer.mpsc(256);
        final WriteClaim claim1 = new WriteClaim();
        final WriteClaim claim2 = new WriteClaim();
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            produce(buffer, claim1, 1, 2);
        }

        @Actor
        public void producerThenConsumer(II_Result r) {
            produce(buffer, claim2, 3, 4);
            consume(buffer, record, r);
        }
    }

    /** SPSC: an aborted claim becomes padding; the consumer skips it and never sees its bytes. */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "read before the second record's commit")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the aborted claim skipped, the next record whole")
    @Outcome(expect = FORBIDDEN, desc = "the aborted claim's bytes seen, or a partial record")
    @State
    public static class SpscAbortIsSkipped {
        final LogBuffer buffer = LogBuffer.spsc(256);
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            if (buffer.tryClaim(16, claim) == ClaimStatus.OK) {
                claim.putLong(0, 7).putLong(8, 7).abort();
            }
            produce(buffer, claim, 1, 2);
        }

        @Actor
        public void consumer(II_Result r) {
            consume(buffer, record, r);
        }
    }

    /** MPSC: as above, the abort by CAS from the claimed state. */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "read before the second record's commit")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the aborted claim skipped, the next record whole")
    @Outcome(expect = FORBIDDEN, desc = "the aborted claim's bytes seen, or a partial record")
    @State
    public static class MpscAbortIsSkipped {
        final LogBuffer buffer = LogBuffer.mpsc(256);
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            if (buffer.tryClaim(16, claim) == ClaimStatus.OK) {
                claim.putLong(0, 7).putLong(8, 7).abort();
            }
            produce(buffer, claim, 1, 2);
        }

        @Actor
        public void consumer(II_Result r) {
            consume(buffer, record, r);
        }
    }

    /**
     * SPSC: commit, then producer-side close. The consumer reads twice; "closed" before the record was read is
     * forbidden. Results are {@link ReadStatus} ordinals (OK 0, EMPTY 1, CLOSED 2); -1: second read not made.
     */
    @JCStressTest
    @Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "first read before the commit: empty")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the record, then empty (close not yet seen)")
    @Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "the record, then closed")
    @Outcome(expect = FORBIDDEN, desc = "closed reported while a record committed before the close is unread")
    @State
    public static class SpscCloseAfterCommit {
        final LogBuffer buffer = LogBuffer.spsc(256);
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            buffer.tryWrite(new byte[] {1}, 0, 1);
            buffer.closeProducer();
        }

        @Actor
        public void consumer(II_Result r) {
            closeCheck(buffer, record, r);
        }
    }

    /** MPSC: as above, the close on the tail's sign bit. */
    @JCStressTest
    @Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "first read before the commit: empty")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the record, then empty (close not yet seen)")
    @Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "the record, then closed")
    @Outcome(expect = FORBIDDEN, desc = "closed reported while a record committed before the close is unread")
    @State
    public static class MpscCloseAfterCommit {
        final LogBuffer buffer = LogBuffer.mpsc(256);
        final ReadClaim record = new ReadClaim();

        @Actor
        public void producer() {
            buffer.tryWrite(new byte[] {1}, 0, 1);
            buffer.closeProducer();
        }

        @Actor
        public void consumer(II_Result r) {
            closeCheck(buffer, record, r);
        }
    }

    static void closeCheck(LogBuffer buffer, ReadClaim record, II_Result r) {
        ReadStatus first = buffer.tryRead(record);
        r.r1 = first.ordinal();
        r.r2 = -1;
        if (first == ReadStatus.OK) {
            record.release();
            r.r2 = buffer.tryRead(record).ordinal();
        }
    }

    /**
     * MPSC: a claim made before the actors, committed by the producer while the consumer, whose clock passes the stall
     * timeout between its two reads, may revoke it. Exactly one side wins: committed and read once, or revoked (the
     * commit throws) and never read. Results: commit succeeded (1/0), records read, stalled-claim count.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "committed in time and read once")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "revoked: the late commit threw, nothing read, counted")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won, or the record was read partially or twice")
    @State
    public static class MpscRevokeVersusCommit {
        final AtomicLong clock = new AtomicLong();
        final LogBuffer buffer = LogBuffer.builder().capacity(256).multiProducer(true)
            .nanoClock(() -> clock.addAndGet(10)).stallTimeout(1, TimeUnit.NANOSECONDS).build();
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();
        int read;

        public MpscRevokeVersusCommit() {
            buffer.tryClaim(8, claim);
            claim.putLong(0, 5);
        }

        @Actor
        public void producer(III_Result r) {
            try {
                claim.commit();
                r.r1 = 1;
            } catch (IllegalStateException revoked) {
                r.r1 = 0;
            }
        }

        @Actor
        public void consumer() {
            for (int i = 0; i < 2; i++) {
                readOnce();
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            readOnce();
            r.r2 = read;
            r.r3 = (int) buffer.stalledClaims();
        }

        private void readOnce() {
            if (buffer.tryRead(record) == ReadStatus.OK) {
                read += record.getLong(0) == 5 ? 1 : 100;
                record.release();
            }
        }
    }

    /**
     * SPSC (issue 23): a claim still open when its producer closes becomes revocable. The producer closes, then commits
     * late, while the consumer, whose clock passes the stall timeout between its two reads, may revoke it. Exactly one
     * side wins, as on MPSC. Results: commit succeeded (1/0), records read, stalled-claim count.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "committed in time and read once")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "revoked: the late commit threw, nothing read, counted")
    @Outcome(expect = FORBIDDEN, desc = "both or neither won, or the record was read partially or twice")
    @State
    public static class SpscCloseThenRevokeVersusCommit {
        final AtomicLong clock = new AtomicLong();
        final LogBuffer buffer = LogBuffer.builder().capacity(256)
            .nanoClock(() -> clock.addAndGet(10)).stallTimeout(1, TimeUnit.NANOSECONDS).build();
        final WriteClaim claim = new WriteClaim();
        final ReadClaim record = new ReadClaim();
        int read;

        public SpscCloseThenRevokeVersusCommit() {
            buffer.tryClaim(8, claim);
            claim.putLong(0, 5);
        }

        @Actor
        public void producer(III_Result r) {
            buffer.closeProducer(); // the claim is open: the close makes it revocable
            try {
                claim.commit();
                r.r1 = 1;
            } catch (IllegalStateException revoked) {
                r.r1 = 0;
            }
        }

        @Actor
        public void consumer() {
            for (int i = 0; i < 2; i++) {
                readOnce();
            }
        }

        @Arbiter
        public void arbiter(III_Result r) {
            readOnce();
            r.r2 = read;
            r.r3 = (int) buffer.stalledClaims();
        }

        private void readOnce() {
            if (buffer.tryRead(record) == ReadStatus.OK) {
                read += record.getLong(0) == 5 ? 1 : 100;
                record.release();
            }
        }
    }
}
