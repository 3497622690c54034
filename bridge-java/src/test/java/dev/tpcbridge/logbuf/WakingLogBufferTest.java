package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.ManualClock;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.internal.Threads.SteppingClock;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waking log buffer's wakes, closes, interrupts and deadlines, and one test per defect of the seed
 * ({@code nexus_logbuf}): manual notify and its lost wake-up, early timeouts, endless "full", the MPSC stalled-claim
 * wedge, and disconnects that did not wake. Blocking calls run with no spins and no yields, so that they really
 * park; the test waits until they did before the other side acts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakingLogBufferTest {
    private static WakingLogBuffer parking(boolean mpsc) {
        return LogBuffer.builder().capacity(256).multiProducer(mpsc).waitPolicy(WaitPolicy.PARK).buildWaking();
    }

    /** Writes records of the largest size until one no longer fits; returns such a record's payload. */
    private static byte[] filledWithLargestRecords(WakingLogBuffer buffer) {
        byte[] max = new byte[buffer.maxPayloadLength()];
        while (buffer.tryWrite(max, 0, max.length) == ClaimStatus.OK) {
            // fill
        }
        return max;
    }

    private static final byte[] ONE = {1};

    // ---------------------------------------------------------------- wake on transitions (seed: manual notify)

    /** Seed defect: the receiver was woken only by a manual notify(), and a notify could be lost. */
    @Test
    void aParkedReceiverIsWokenByTheCommitWithoutAnyNotify() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingLogBuffer buffer = parking(mpsc);
            ReadClaim record = new ReadClaim();
            Running<Long> receiver = Threads.run("receiver", () -> {
                assertEquals(ReadStatus.OK, buffer.receive(record));
                long value = record.getLong(0);
                record.release();
                return value;
            }).untilParked();
            WriteClaim claim = new WriteClaim();
            assertEquals(ClaimStatus.OK, buffer.tryClaim(8, claim));
            claim.putLong(0, 42L).commit();
            assertEquals(42L, receiver.result.get(10, TimeUnit.SECONDS));
            assertEquals(1, buffer.consumerWakeups());
            assertEquals(0, buffer.producerWakeups());
        }
    }

    @Test
    void aParkedSenderIsWokenByTheReleaseThatFreesRoom() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingLogBuffer buffer = parking(mpsc);
            byte[] max = filledWithLargestRecords(buffer);
            Running<ClaimStatus> sender = Threads.run("sender", () -> buffer.send(max, 0, max.length))
                .untilParked();
            ReadClaim record = new ReadClaim();
            assertEquals(ReadStatus.OK, buffer.tryRead(record));
            record.release();
            assertEquals(ClaimStatus.OK, sender.result.get(10, TimeUnit.SECONDS));
            assertEquals(1, buffer.producerWakeups());
        }
    }

    @Test
    void aParkedClaimIsWokenByABatchRead() throws Exception {
        for (boolean timed : new boolean[] {true, false}) {
            WakingLogBuffer buffer = parking(false);
            byte[] max = filledWithLargestRecords(buffer);
            WriteClaim claim = new WriteClaim();
            Running<ClaimStatus> sender = Threads.run("sender",
                () -> timed ? buffer.claim(8, claim, 30, TimeUnit.SECONDS) : buffer.claim(8, claim)).untilParked();
            assertEquals(8, buffer.read(r -> { }, 100));
            assertEquals(ClaimStatus.OK, sender.result.get(10, TimeUnit.SECONDS), "timed=" + timed);
            claim.putLong(0, 7).commit();
            assertEquals(1, buffer.read(r -> assertEquals(7, r.getLong(0)), 100), "timed=" + timed);
        }
    }

    @Test
    void nobodyWaitingMeansNoWakeCallWhateverPasses() {
        WakingLogBuffer buffer = WakingLogBuffer.spsc(1024);
        ReadClaim record = new ReadClaim();
        for (int i = 0; i < 10_000; i++) {
            assertEquals(ClaimStatus.OK, buffer.tryWrite(ONE, 0, 1));
            assertEquals(ReadStatus.OK, buffer.tryRead(record));
            record.release();
        }
        assertEquals(0, buffer.consumerWakeups());
        assertEquals(0, buffer.producerWakeups());
    }

    @Test
    void wakeablesArmOnlyWhenNotReadyAndWakeOnTheTransition() {
        WakingLogBuffer buffer = WakingLogBuffer.spsc(256);
        AtomicInteger calls = new AtomicInteger();
        Waker waker = calls::incrementAndGet;
        assertTrue(buffer.readable().arm(waker), "empty: the receiver may sleep");
        assertFalse(buffer.writable().arm(waker), "room for the largest record: the sender must not sleep");
        buffer.tryWrite(ONE, 0, 1);
        assertEquals(1, calls.get(), "the commit woke the armed receiver waker");
        assertFalse(buffer.readable().arm(waker), "a record is there");
        byte[] max = new byte[24];
        while (buffer.tryWrite(max, 0, 24) == ClaimStatus.OK) {
            // fill
        }
        assertTrue(buffer.writable().arm(waker), "full: the sender may sleep");
        buffer.read(r -> { }, 1);
        assertEquals(2, calls.get(), "the freed room woke the armed sender waker");
        buffer.readable().disarm(waker);
        buffer.writable().disarm(waker);
        assertThrows(IllegalArgumentException.class, () -> buffer.readable().arm(null));
        assertThrows(IllegalArgumentException.class, () -> buffer.writable().disarm(null));
    }

    // ---------------------------------------------------------------- closing wakes (seed: hung on disconnect)

    @Test
    void closingTheSenderSideWakesAParkedReceiverAfterTheBufferedRecords() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingLogBuffer buffer = parking(mpsc);
            Running<List<Byte>> receiver = Threads.run("receiver", () -> {
                List<Byte> out = new ArrayList<>();
                ReadClaim record = new ReadClaim();
                while (buffer.receive(record) == ReadStatus.OK) {
                    out.add(record.getByte(0));
                    record.release();
                }
                return out;
            }).untilParked();
            buffer.tryWrite(new byte[] {1}, 0, 1);
            buffer.tryWrite(new byte[] {2}, 0, 1);
            buffer.closeProducer();
            assertEquals(List.of((byte) 1, (byte) 2), receiver.result.get(10, TimeUnit.SECONDS),
                "never CLOSED while a committed record is unread");
            assertTrue(buffer.isClosedForRead());
        }
    }

    @Test
    void closingTheReceiverSideWakesAParkedSenderWhichGetsClosed() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingLogBuffer buffer = parking(mpsc);
            byte[] max = new byte[24];
            while (buffer.tryWrite(max, 0, 24) == ClaimStatus.OK) {
                // fill
            }
            Running<ClaimStatus> sender = Threads.run("sender",
                () -> buffer.send(max, 0, 24, 30, TimeUnit.SECONDS)).untilParked();
            buffer.closeConsumer();
            assertEquals(ClaimStatus.CLOSED, sender.result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void closingTheReceiverSideFromAnotherThreadWakesTheParkedReceiver() throws Exception {
        WakingLogBuffer buffer = parking(false);
        Running<ReadStatus> receiver = Threads.run("receiver", () -> buffer.receive(new ReadClaim()))
            .untilParked();
        buffer.closeConsumer();
        assertEquals(ReadStatus.CLOSED, receiver.result.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closingTheSenderSideWakesOtherParkedSenders() throws Exception {
        WakingLogBuffer buffer = parking(true);
        byte[] max = new byte[24];
        while (buffer.tryWrite(max, 0, 24) == ClaimStatus.OK) {
            // fill
        }
        List<Running<ClaimStatus>> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            senders.add(Threads.run("sender-" + i, () -> buffer.send(max, 0, 24)).untilParked());
        }
        buffer.closeProducer();
        for (Running<ClaimStatus> sender : senders) {
            assertEquals(ClaimStatus.CLOSED, sender.result.get(10, TimeUnit.SECONDS));
        }
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void interruptsEndBlockedCallsAndLeaveTheDataWithTheCaller() throws Exception {
        WakingLogBuffer buffer = parking(false);
        Running<ReadStatus> receiver = Threads.run("receiver", () -> buffer.receive(new ReadClaim()))
            .untilParked();
        receiver.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> receiver.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());

        byte[] max = new byte[24];
        while (buffer.tryWrite(max, 0, 24) == ClaimStatus.OK) {
            // fill
        }
        int used = buffer.used();
        Running<ClaimStatus> sender = Threads.run("sender", () -> buffer.send(max, 0, 24)).untilParked();
        sender.thread.interrupt();
        e = assertThrows(ExecutionException.class, () -> sender.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(used, buffer.used(), "nothing was sent");
        WriteClaim claim = new WriteClaim();
        Running<ClaimStatus> claimer = Threads.run("claimer", () -> buffer.claim(8, claim)).untilParked();
        claimer.thread.interrupt();
        e = assertThrows(ExecutionException.class, () -> claimer.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertFalse(claim.isActive(), "nothing was claimed");
        assertEquals(used, buffer.used());

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> buffer.receive(new ReadClaim(), 1, TimeUnit.SECONDS),
            "an interrupt before the call");
        assertFalse(Thread.currentThread().isInterrupted(), "cleared by the InterruptedException");
    }

    // ---------------------------------------------------------------- deadlines (seed: early timeouts)

    /**
     * Seed defect: timed receives returned before their deadline. With an injected clock the check is exact: the call
     * gives up at the first clock reading at or past its deadline, never before, and not a step later. (The calls
     * spin throughout: the fake clock moves only when read, so a park would sleep in real time for nothing.)
     */
    @Test
    void aTimedReceiveGivesUpExactlyAtItsDeadlineByTheClock() throws Exception {
        for (long step : new long[] {1, 7, 1_000, 333_333}) {
            for (boolean mpsc : new boolean[] {false, true}) {
                SteppingClock clock = new SteppingClock(step);
                WakingLogBuffer buffer = LogBuffer.builder().capacity(256).multiProducer(mpsc).nanoClock(clock)
                    .waitPolicy(WaitPolicy.of(Integer.MAX_VALUE / 2, 0)).buildWaking();
                long timeout = 1_000_000L;
                long before = clock.now();
                assertEquals(ReadStatus.EMPTY, buffer.receive(new ReadClaim(), timeout, TimeUnit.NANOSECONDS));
                long deadline = before + step + timeout; // the call's first clock read is the deadline's base
                long gaveUp = clock.now();
                assertTrue(gaveUp >= deadline, "step=" + step + ": gave up at " + gaveUp + " before " + deadline);
                assertTrue(gaveUp < deadline + step, "step=" + step + ": gave up late at " + gaveUp);
            }
        }
    }

    @Test
    void aTimedSendGivesUpExactlyAtItsDeadlineByTheClock() throws Exception {
        SteppingClock clock = new SteppingClock(1_000);
        WakingLogBuffer buffer = LogBuffer.builder().capacity(256).nanoClock(clock)
            .waitPolicy(WaitPolicy.of(Integer.MAX_VALUE / 2, 0)).buildWaking();
        byte[] max = new byte[24];
        while (buffer.tryWrite(max, 0, 24) == ClaimStatus.OK) {
            // fill
        }
        long before = clock.now();
        assertEquals(ClaimStatus.FULL, buffer.send(max, 0, 24, 5, TimeUnit.MILLISECONDS));
        long deadline = before + 1_000 + 5_000_000;
        assertTrue(clock.now() >= deadline, "gave up early at " + clock.now());
        assertTrue(clock.now() < deadline + 1_000, "gave up late at " + clock.now());
        before = clock.now();
        assertEquals(ClaimStatus.FULL, buffer.send(max, 0, 24, 0, TimeUnit.MILLISECONDS), "0 does not wait");
        assertEquals(ClaimStatus.FULL, buffer.claim(8, new WriteClaim(), -1, TimeUnit.SECONDS));
        assertEquals(before, clock.now(), "no wait, no clock read");
    }

    @Test
    void aTimedReceiveOnTheRealClockWaitsAtLeastItsTimeoutAndNotMuchMore() throws Exception {
        WakingLogBuffer buffer = parking(false);
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertEquals(ReadStatus.EMPTY, buffer.receive(new ReadClaim(), 20, TimeUnit.MILLISECONDS));
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= 20_000_000L, "early: " + elapsed + " ns");
            assertTrue(elapsed < 2_000_000_000L, "overshoot beyond the generous bound: " + elapsed + " ns");
        }
    }

    /** Seed defect: a record that could never fit was "full" forever; a blocking send would wait forever. */
    @Test
    void aBlockingSendOfARecordThatCanNeverFitReturnsTooLargeAtOnce() throws Exception {
        WakingLogBuffer buffer = parking(false);
        byte[] huge = new byte[buffer.maxPayloadLength() + 1];
        assertEquals(ClaimStatus.TOO_LARGE, buffer.send(huge, 0, huge.length));
        assertEquals(ClaimStatus.TOO_LARGE, buffer.claim(huge.length, new WriteClaim(), 1, TimeUnit.HOURS));
    }

    // ---------------------------------------------------------------- MPSC stalled claim (seed: silent wedge)

    /**
     * Seed defect: an MPSC producer that never committed its claim wedged the consumer for good. Here the consumer
     * revokes it after the stall timeout (by the injected clock), counts it, reads on, and the late commit throws.
     */
    @Test
    void aStalledMpscClaimIsRevokedCountedAndItsLateCommitThrows() {
        for (LogBufferKind kind : new LogBufferKind[] {LogBufferKind.MPSC_HEAP, LogBufferKind.MPSC_DIRECT,
            LogBufferKind.MPSC_WAKING_DIRECT}) {
            ManualClock clock = new ManualClock();
            LogBuffer buffer = kind.create(256, clock, 1_000_000);
            WriteClaim stalled = new WriteClaim();
            assertEquals(ClaimStatus.OK, buffer.tryClaim(16, stalled));
            stalled.putLong(0, -1);
            assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[] {5}, 0, 1), "a later producer's record");
            ReadClaim record = new ReadClaim();
            assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "head-of-line: behind the uncommitted claim");
            clock.advance(999_999);
            assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "still within the stall timeout");
            assertEquals(0, buffer.stalledClaims());
            clock.advance(1);
            assertEquals(ReadStatus.OK, buffer.tryRead(record), "revoked: the consumer reads on");
            assertEquals(5, record.getByte(0));
            record.release();
            assertEquals(1, buffer.stalledClaims());
            IllegalStateException e = assertThrows(IllegalStateException.class, stalled::commit);
            assertTrue(e.getMessage().contains("revoked") && e.getMessage().contains("stallTimeoutNanos=1000000"),
                e.getMessage());
            assertFalse(stalled.isActive());
            assertEquals(0, buffer.used(), "the revoked space was zeroed and freed");
            assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[] {6}, 0, 1));
            assertEquals(1, buffer.read(r -> assertEquals(6, r.getByte(0)), 10));
        }
    }

    /**
     * Review finding 2 (ABA): a revoked claim's late commit must not succeed on a later claim of the same length at
     * the same index, a lap later, whose claimed header word used to be identical; the later claim's record must be
     * neither delivered before its own commit nor lost.
     */
    @Test
    void aRevokedClaimsLateCommitCannotHitALaterClaimAtTheSameIndex() {
        for (LogBufferKind kind : new LogBufferKind[] {LogBufferKind.MPSC_HEAP, LogBufferKind.MPSC_DIRECT,
            LogBufferKind.MPSC_WAKING_DIRECT}) {
            for (boolean lateAbort : new boolean[] {false, true}) {
                ManualClock clock = new ManualClock();
                LogBuffer buffer = kind.create(256, clock, 10);
                ReadClaim record = new ReadClaim();
                WriteClaim first = new WriteClaim();
                assertEquals(ClaimStatus.OK, buffer.tryClaim(16, first));
                assertEquals(0, first.position());
                first.putLong(0, 0xAAAAL);
                assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "the stall clock starts");
                clock.advance(10);
                assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "revoked, then nothing more to read");
                assertEquals(1, buffer.stalledClaims());
                byte[] filler = new byte[24];
                for (int i = 0; i < 7; i++) {
                    assertEquals(ClaimStatus.OK, buffer.tryWrite(filler, 0, filler.length)); // tail 24 -> 248
                }
                assertEquals(7, buffer.read(r -> { }, 100));
                WriteClaim second = new WriteClaim();
                assertEquals(ClaimStatus.OK, buffer.tryClaim(16, second));
                assertEquals(256, second.position(), "a lap later, at the revoked claim's index");
                IllegalStateException e = assertThrows(IllegalStateException.class,
                    lateAbort ? first::abort : first::commit);
                assertTrue(e.getMessage().contains("revoked") && e.getMessage().contains("position=0"),
                    e.getMessage());
                assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "the second claim is not committed yet");
                second.putLong(0, 0xC0FFEEL).putLong(8, 0xBEEFL);
                second.commit();
                assertEquals(ReadStatus.OK, buffer.tryRead(record));
                assertEquals(256, record.position());
                assertEquals(16, record.length());
                assertEquals(0xC0FFEEL, record.getLong(0));
                assertEquals(0xBEEFL, record.getLong(8));
                record.release();
                assertEquals(1, buffer.stalledClaims(), "only the first claim was revoked");
                assertEquals(0, buffer.used());
            }
        }
    }

    /**
     * Review finding 3 (partly): a revoked producer's put after the revocation is refused (the claim ends, "revoked"),
     * so it cannot overwrite a later record that now owns the space; here a record a lap later at the same index.
     */
    @Test
    void aPutOnARevokedClaimIsRefusedAndLeavesTheLaterRecordIntact() {
        for (LogBufferKind kind : new LogBufferKind[] {LogBufferKind.MPSC_HEAP, LogBufferKind.MPSC_DIRECT,
            LogBufferKind.MPSC_HEAP_LONGS, LogBufferKind.MPSC_WAKING_DIRECT}) {
            ManualClock clock = new ManualClock();
            LogBuffer buffer = kind.create(256, clock, 10);
            ReadClaim record = new ReadClaim();
            WriteClaim stalled = new WriteClaim();
            assertEquals(ClaimStatus.OK, buffer.tryClaim(16, stalled));
            stalled.putLong(0, 1);
            assertEquals(ReadStatus.EMPTY, buffer.tryRead(record));
            clock.advance(10);
            assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "revoked");
            byte[] filler = new byte[24];
            for (int i = 0; i < 7; i++) {
                assertEquals(ClaimStatus.OK, buffer.tryWrite(filler, 0, filler.length));
            }
            assertEquals(7, buffer.read(r -> { }, 100));
            byte[] later = new byte[16];
            for (int i = 0; i < later.length; i++) {
                later[i] = (byte) (0x40 + i);
            }
            assertEquals(ClaimStatus.OK, buffer.tryWrite(later, 0, later.length), "at position 256, index 0");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stalled.putLong(8, 0xBADBADBADL));
            assertTrue(e.getMessage().contains("revoked"), e.getMessage());
            assertFalse(stalled.isActive(), "a put that finds the claim revoked ends it");
            assertThrows(IllegalStateException.class, () -> stalled.putBytes(0, new byte[16], 0, 16));
            assertEquals(ReadStatus.OK, buffer.tryRead(record));
            assertEquals(256, record.position());
            byte[] got = new byte[16];
            record.getBytes(0, got, 0, 16);
            assertArrayEquals(later, got, "the later record is intact");
            record.release();
            assertEquals(1, buffer.stalledClaims());
        }
    }

    /** WriteClaim's documented try/finally idiom, verbatim but for the payload. */
    private static void writeWithTheDocumentedIdiom(WriteClaim claim, long id, long value) {
        try {
            claim.putLong(0, id).putLong(8, value);
            claim.commit();                           // ends the claim, even if it throws "revoked"
        } finally {
            if (claim.isActive()) {                   // a put threw before the commit
                claim.abort();                        // the space becomes padding; nothing is published
            }
        }
    }

    /**
     * Review finding 9: the documented try/finally idiom must let a revoked commit's "revoked" exception reach the
     * caller (the old idiom's finally called abort() on the ended claim, whose "not active" hid it), and must still
     * abort when a put throws.
     */
    @Test
    void theDocumentedIdiomReportsARevokedCommitAndAbortsWhenAPutThrows() {
        ManualClock clock = new ManualClock();
        LogBuffer buffer = LogBufferKind.MPSC_HEAP.create(256, clock, 10);
        WriteClaim claim = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(16, claim));
        assertEquals(0, buffer.read(r -> { }, 10));
        clock.advance(10);
        assertEquals(0, buffer.read(r -> { }, 10), "revoked");
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> writeWithTheDocumentedIdiom(claim, 1, 2));
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());
        assertFalse(claim.isActive());

        assertEquals(ClaimStatus.OK, buffer.tryClaim(8, claim)); // room for one long only: the second put throws
        assertThrows(IndexOutOfBoundsException.class, () -> writeWithTheDocumentedIdiom(claim, 1, 2));
        assertFalse(claim.isActive(), "aborted by the finally");
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(new ReadClaim()), "the aborted space is padding, skipped");
        assertEquals(0, buffer.used());
    }

    @Test
    void aLateAbortOfARevokedClaimThrowsToo() {
        ManualClock clock = new ManualClock();
        LogBuffer buffer = LogBufferKind.MPSC_HEAP.create(256, clock, 10);
        WriteClaim stalled = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(8, stalled));
        assertEquals(0, buffer.read(r -> { }, 10));
        clock.advance(10);
        assertEquals(0, buffer.read(r -> { }, 10), "the batch read revokes it too");
        assertEquals(1, buffer.stalledClaims());
        assertThrows(IllegalStateException.class, stalled::abort);
        assertEquals(0, buffer.used());
    }

    @Test
    void aClaimCommittedWithinTheTimeoutIsNeverRevoked() {
        ManualClock clock = new ManualClock();
        LogBuffer buffer = LogBufferKind.MPSC_HEAP.create(256, clock, 1_000);
        WriteClaim claim = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(8, claim));
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(new ReadClaim()));
        clock.advance(999);
        claim.putLong(0, 3).commit();
        clock.advance(1_000_000);
        assertEquals(1, buffer.read(r -> assertEquals(3, r.getLong(0)), 10));
        assertEquals(0, buffer.stalledClaims());
    }

    /**
     * Review finding 4: a waiter on readable() (an idle strategy, a selector) behind a stalled MPSC claim must not be
     * told it may sleep once the claim's stall deadline has passed: nothing will ever wake it, yet a read would revoke
     * the claim and deliver the record behind it. arm() also starts the stall clock of a claim no read has met yet.
     */
    @Test
    void readableArmSaysDoNotSleepOnceTheHeadClaimsStallDeadlinePassed() {
        for (boolean clockStartedByARead : new boolean[] {true, false}) {
            ManualClock clock = new ManualClock();
            WakingLogBuffer buffer = LogBuffer.builder().capacity(256).multiProducer(true).nanoClock(clock)
                .stallTimeout(10, TimeUnit.NANOSECONDS).waitPolicy(WaitPolicy.PARK).buildWaking();
            ReadClaim record = new ReadClaim();
            if (!clockStartedByARead) {
                assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "empty: no claim met yet");
            }
            WriteClaim stalled = new WriteClaim();
            assertEquals(ClaimStatus.OK, buffer.tryClaim(8, stalled));
            assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[] {9}, 0, 1));
            if (clockStartedByARead) {
                assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "behind the claim: its stall clock starts");
            }
            AtomicInteger woken = new AtomicInteger();
            Waker waker = woken::incrementAndGet;
            assertTrue(buffer.readable().arm(waker), "within the stall timeout the waiter may sleep");
            assertEquals(11, buffer.readable().parkLimitNanos(), "the sleep ends just after the stall deadline");
            buffer.readable().disarm(waker);
            clock.advance(9);
            assertTrue(buffer.readable().arm(waker), "still within the stall timeout");
            assertEquals(2, buffer.readable().parkLimitNanos(), "the bound follows the clock");
            buffer.readable().disarm(waker);
            clock.advance(1);
            assertFalse(buffer.readable().arm(waker), "past the stall deadline: do not sleep, read (and revoke)");
            assertEquals(0, woken.get());
            assertEquals(ReadStatus.OK, buffer.tryRead(record), "the read revokes the claim and reads on");
            assertEquals(9, record.getByte(0));
            record.release();
            assertEquals(1, buffer.stalledClaims());
            assertTrue(buffer.readable().arm(waker), "empty again: the waiter may sleep");
            assertEquals(Long.MAX_VALUE, buffer.readable().parkLimitNanos(), "no claim at the head: no bound");
            buffer.readable().disarm(waker);
            assertThrows(IllegalStateException.class, stalled::commit);
        }
    }

    /** A receiver parked behind a stalled claim wakes by the stall deadline, revokes it and gets the next record. */
    @Test
    void aParkedMpscReceiverBehindAStalledClaimWakesByTheStallDeadline() throws Exception {
        WakingLogBuffer buffer = LogBuffer.builder().capacity(256).multiProducer(true)
            .stallTimeout(50, TimeUnit.MILLISECONDS).waitPolicy(WaitPolicy.PARK).buildWaking();
        WriteClaim stalled = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(8, stalled));
        buffer.tryWrite(new byte[] {9}, 0, 1);
        AtomicLong waited = new AtomicLong();
        Running<Byte> receiver = Threads.run("receiver", () -> {
            long start = System.nanoTime();
            ReadClaim record = new ReadClaim();
            assertEquals(ReadStatus.OK, buffer.receive(record, 30, TimeUnit.SECONDS));
            waited.set(System.nanoTime() - start);
            byte b = record.getByte(0);
            record.release();
            return b;
        });
        assertEquals((byte) 9, receiver.result.get(20, TimeUnit.SECONDS));
        assertTrue(waited.get() >= 50_000_000L, "not before the stall timeout: " + waited.get());
        assertEquals(1, buffer.stalledClaims());
        assertThrows(IllegalStateException.class, stalled::commit);
    }
}
