package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.wake.WaitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.logbuf.LogBufferDescriptor.MIN_CAPACITY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract suite, run against every {@link LogBufferKind} (SPSC and MPSC, heap and direct, bare and
 * {@link WakingLogBuffer}) at the minimum capacity, so that wrap-around, padding and full/empty edges come every few
 * records.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogBufferContractTest {
    static final int CAPACITY = MIN_CAPACITY; // 256 bytes: the largest payload is 24, eight records fill it

    // ---------------------------------------------------------------- bad input

    @Test
    void rejectsBadCapacitiesNamingTheValue() {
        for (int bad : new int[] {0, -1, 8, 128, 255, 300, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogBuffer.spsc(bad));
            assertTrue(e.getMessage().contains("capacity=" + bad), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LogBuffer.mpsc(bad));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogBuffer.spsc(300));
        assertTrue(e.getMessage().contains("512"), "names the next power of two: " + e.getMessage());
        assertThrows(IllegalStateException.class, () -> LogBuffer.builder().build(), "capacity is required");
        e = assertThrows(IllegalArgumentException.class,
            () -> LogBuffer.builder().stallTimeout(0, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("stallTimeoutNanos=0"), e.getMessage());
        // the spins and yields are a WaitPolicy now: its factory names the bad count, the builder a null policy
        e = assertThrows(IllegalArgumentException.class,
            () -> LogBuffer.builder().waitPolicy(WaitPolicy.of(-2, 0)));
        assertTrue(e.getMessage().contains("spins=-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogBuffer.builder().waitPolicy(null));
        assertTrue(e.getMessage().contains("policy=null"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogBuffer.builder().nanoClock(null));
    }

    /** The claimed header word is unique per lap at an index (review finding 2) and never mistaken for a record. */
    @Test
    void claimedWordsAreLapStampedAndTellApartFromRecordWords() {
        long lap0 = LogBufferDescriptor.claimedWord(16, 0, 256);
        long lap1 = LogBufferDescriptor.claimedWord(16, 256, 256);
        long lap1Later = LogBufferDescriptor.claimedWord(16, 256 + 64, 256);
        assertTrue(lap0 != lap1, "same length, same index, next lap: a different word");
        assertEquals(lap1, lap1Later, "the stamp is the lap, whatever the index");
        assertEquals(-16, LogBufferDescriptor.length(lap1));
        assertEquals(LogBufferDescriptor.CLAIMED | 1, LogBufferDescriptor.type(lap1));
        for (long claimed : new long[] {lap0, lap1, LogBufferDescriptor.claimedWord(1, Long.MAX_VALUE, 1 << 30)}) {
            assertTrue(LogBufferDescriptor.isClaimed(claimed), Long.toHexString(claimed));
            assertTrue(claimed != 0);
        }
        for (int type : new int[] {LogBufferDescriptor.TYPE_DATA, LogBufferDescriptor.TYPE_PADDING,
            LogBufferDescriptor.TYPE_REVOKED}) {
            assertFalse(LogBufferDescriptor.isClaimed(LogBufferDescriptor.headerWord(16, type)));
            assertFalse(LogBufferDescriptor.isClaimed(LogBufferDescriptor.headerWord(-16, type)));
        }
        assertFalse(LogBufferDescriptor.isClaimed(0));
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void acceptsPowersOfTwoAsGiven(LogBufferKind kind) {
        for (int capacity : new int[] {256, 512, 4096, 1 << 20}) {
            LogBuffer buffer = kind.create(capacity);
            assertEquals(capacity, buffer.capacity(), "never rounded");
            assertEquals(capacity / 8 - 8, buffer.maxPayloadLength());
            assertEquals(kind.direct, buffer.isDirect());
            assertEquals(kind.multiProducer, buffer.isMultiProducer());
        }
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void zeroOrNegativeLengthIsAContractViolation(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        WriteClaim claim = new WriteClaim();
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> buffer.tryClaim(bad, claim));
            assertTrue(e.getMessage().contains("length=" + bad), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> buffer.tryWrite(new byte[4], 0, bad));
            assertTrue(e.getMessage().contains("length=" + bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> buffer.tryClaim(4, null));
        assertThrows(IllegalArgumentException.class, () -> buffer.tryWrite(null, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.tryWrite(new byte[4], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> buffer.tryRead(null));
        assertThrows(IllegalArgumentException.class, () -> buffer.read(null, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buffer.read(r -> { }, 0));
        assertTrue(e.getMessage().contains("limit=0"), e.getMessage());
        assertEquals(0, buffer.used(), "nothing was claimed by a rejected call");
    }

    /** Seed defect: a record that can never fit was reported as "full" forever. */
    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void aRecordThatCanNeverFitIsTooLargeFirstNotFull(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        int max = buffer.maxPayloadLength();
        WriteClaim claim = new WriteClaim();
        assertEquals(ClaimStatus.TOO_LARGE, buffer.tryClaim(max + 1, claim));
        assertEquals(ClaimStatus.TOO_LARGE, buffer.tryWrite(new byte[max + 1], 0, max + 1));
        assertEquals(ClaimStatus.TOO_LARGE, buffer.tryClaim(Integer.MAX_VALUE, claim));
        assertFalse(claim.isActive());
        while (buffer.tryWrite(new byte[max], 0, max) == ClaimStatus.OK) {
            // fill
        }
        assertEquals(ClaimStatus.FULL, buffer.tryWrite(new byte[1], 0, 1));
        assertEquals(ClaimStatus.TOO_LARGE, buffer.tryClaim(max + 1, claim), "too large before full");
        buffer.closeProducer();
        assertEquals(ClaimStatus.TOO_LARGE, buffer.tryClaim(max + 1, claim), "too large before closed");
        assertEquals(ClaimStatus.CLOSED, buffer.tryClaim(max, claim));
    }

    // ---------------------------------------------------------------- claim, commit, read

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void keepsOrderAndContentAcrossManyWrapsWithPadding(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        Random random = new Random(42);
        WriteClaim claim = new WriteClaim();
        ReadClaim record = new ReadClaim();
        List<byte[]> inFlight = new ArrayList<>();
        long written = 0;
        long read = 0;
        for (int round = 0; round < 2_000; round++) {
            int burst = 1 + random.nextInt(8);
            for (int i = 0; i < burst; i++) {
                byte[] payload = new byte[1 + random.nextInt(buffer.maxPayloadLength())];
                random.nextBytes(payload);
                ClaimStatus status = (written & 1) == 0 ? buffer.tryWrite(payload, 0, payload.length)
                    : claimAndCommit(buffer, claim, payload);
                if (status == ClaimStatus.FULL) {
                    break;
                }
                assertEquals(ClaimStatus.OK, status);
                inFlight.add(payload);
                written++;
            }
            assertTrue(buffer.used() > 0 && buffer.used() <= CAPACITY);
            int drain = random.nextInt(inFlight.size() + 1);
            for (int i = 0; i < drain; i++) {
                byte[] expected = inFlight.remove(0);
                assertEquals(ReadStatus.OK, buffer.tryRead(record));
                long index = record.position() & (CAPACITY - 1);
                assertTrue(index + LogBufferDescriptor.recordLength(record.length()) <= CAPACITY,
                    "a record never splits: index=" + index + " length=" + record.length());
                assertEquals(0, record.position() % LogBufferDescriptor.ALIGNMENT);
                byte[] actual = new byte[record.length()];
                record.getBytes(0, actual, 0, actual.length);
                assertArrayEquals(expected, actual, "record " + read);
                record.release();
                read++;
            }
        }
        List<byte[]> rest = new ArrayList<>();
        buffer.read(r -> {
            byte[] actual = new byte[r.length()];
            r.getBytes(0, actual, 0, actual.length);
            rest.add(actual);
        }, Integer.MAX_VALUE);
        assertEquals(inFlight.size(), rest.size());
        for (int i = 0; i < rest.size(); i++) {
            assertArrayEquals(inFlight.get(i), rest.get(i));
        }
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record));
        assertEquals(0, buffer.used(), "padding is consumed too");
        assertTrue(written > 5_000, "wrapped many times: " + written);
    }

    private static ClaimStatus claimAndCommit(LogBuffer buffer, WriteClaim claim, byte[] payload) {
        ClaimStatus status = buffer.tryClaim(payload.length, claim);
        if (status == ClaimStatus.OK) {
            assertEquals(payload.length, claim.length());
            claim.putBytes(0, payload, 0, payload.length).commit();
        }
        return status;
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void fullAndRoomAgainAfterARead(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        assertEquals(0, buffer.used());
        assertEquals(CAPACITY, buffer.available());
        assertEquals(0.0, buffer.utilization());
        int records = 0;
        while (buffer.tryWrite(new byte[24], 0, 24) == ClaimStatus.OK) {
            records++;
        }
        assertEquals(8, records, "eight 32-byte records fill 256 bytes");
        assertEquals(CAPACITY, buffer.used());
        assertEquals(0, buffer.available());
        assertEquals(1.0, buffer.utilization());
        assertEquals(ClaimStatus.FULL, buffer.tryWrite(new byte[1], 0, 1));
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(CAPACITY, buffer.used(), "held, not yet released");
        record.release();
        assertEquals(CAPACITY - 32, buffer.used());
        assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[24], 0, 24), "the released space is reused");
        assertEquals(7 + 1, buffer.read(r -> { }, 100));
        assertEquals(0, buffer.used());
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void paddingAtTheWrapIsSkippedAndCountsAsUsedUntilRead(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        for (int i = 0; i < 7; i++) {
            assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[24], 0, 24)); // 7 x 32 = 224 bytes
        }
        assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[8], 0, 8)); // 16 bytes: 240
        assertEquals(8, buffer.read(r -> { }, 100));
        // 16 bytes left before the end; a 17-byte payload takes 32, so a 16-byte padding record comes first
        WriteClaim claim = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(17, claim));
        assertEquals(256, claim.position(), "padded to the start of the next lap");
        assertEquals(16 + 32, buffer.used(), "the padding and the record");
        claim.putByte(16, (byte) 7).commit();
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(256, record.position());
        assertEquals(7, record.getByte(16));
        record.release();
        assertEquals(0, buffer.used());
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void abortTurnsTheSpaceIntoPaddingThatTheConsumerSkips(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        WriteClaim first = new WriteClaim();
        WriteClaim second = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(16, first));
        first.putLong(0, 1);
        assertEquals(ClaimStatus.OK, buffer.tryClaim(8, second));
        second.putLong(0, 2);
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "the first claim holds the head");
        first.abort();
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "the aborted space is skipped; the second is open");
        assertEquals(16, buffer.used(), "the padding was consumed; the open 8-byte claim (16 bytes) is left");
        second.commit();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(2, record.getLong(0));
        record.release();
        assertEquals(0, buffer.used());
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void claimMisuseThrowsIllegalState(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        WriteClaim claim = new WriteClaim();
        assertThrows(IllegalStateException.class, claim::commit, "never granted");
        assertThrows(IllegalStateException.class, claim::abort, "never granted");
        assertThrows(IllegalStateException.class, () -> claim.putLong(0, 1), "not active");
        assertEquals(ClaimStatus.OK, buffer.tryClaim(12, claim));
        assertTrue(claim.isActive());
        IllegalStateException reuse = assertThrows(IllegalStateException.class, () -> buffer.tryClaim(4, claim));
        assertTrue(reuse.getMessage().contains("claim="), reuse.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> claim.putLong(8, 1), "past the payload");
        assertThrows(IndexOutOfBoundsException.class, () -> claim.putInt(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> claim.putBytes(10, new byte[4], 0, 4));
        claim.putLong(0, 5).putInt(8, 6);
        claim.commit();
        assertFalse(claim.isActive());
        assertThrows(IllegalStateException.class, claim::commit, "second commit");
        assertThrows(IllegalStateException.class, claim::abort, "abort after commit");
        assertEquals(ClaimStatus.OK, buffer.tryClaim(4, claim), "reusable once done");
        claim.abort();
        assertThrows(IllegalStateException.class, claim::abort, "second abort");
        assertThrows(IllegalStateException.class, claim::commit, "commit after abort");

        ReadClaim record = new ReadClaim();
        assertThrows(IllegalStateException.class, record::release, "never granted");
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(5, record.getLong(0));
        assertEquals(6, record.getInt(8));
        assertThrows(IndexOutOfBoundsException.class, () -> record.getLong(5));
        assertThrows(IllegalStateException.class, () -> buffer.tryRead(record), "still active");
        assertThrows(IllegalStateException.class, () -> buffer.tryRead(new ReadClaim()), "another claim is held");
        assertThrows(IllegalStateException.class, () -> buffer.read(r -> { }, 1), "a claim is held");
        record.release();
        assertThrows(IllegalStateException.class, record::release, "second release");
        assertThrows(IllegalStateException.class, () -> record.getLong(0), "not active");
        assertEquals(16, buffer.used(), "the aborted claim's padding, until the consumer passes it");
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record));
        assertEquals(0, buffer.used());
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void batchReadRespectsItsLimitAndGuardsItsHandler(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        for (int i = 0; i < 6; i++) {
            buffer.tryWrite(new byte[] {(byte) i}, 0, 1);
        }
        List<Integer> seen = new ArrayList<>();
        assertEquals(3, buffer.read(r -> seen.add((int) r.getByte(0)), 3));
        assertEquals(List.of(0, 1, 2), seen);
        assertEquals(3 * 16, buffer.used(), "three records freed at the end of the batch");
        assertThrows(IllegalStateException.class, () -> buffer.read(ReadClaim::release, 1),
            "a handler must not release its view");
        // the record the handler threw on is consumed
        assertEquals(List.of(0, 1, 2), seen);
        assertThrows(IllegalStateException.class, () -> buffer.read(r -> buffer.read(x -> { }, 1), 1),
            "a handler must not read from its own buffer");
        assertThrows(IllegalStateException.class, () -> buffer.read(r -> buffer.tryRead(new ReadClaim()), 1));
        assertEquals(0, buffer.read(r -> { }, 10), "every record a handler threw on was consumed");
        assertEquals(0, buffer.used());
        RuntimeException boom = new RuntimeException("boom");
        buffer.tryWrite(new byte[] {1}, 0, 1);
        buffer.tryWrite(new byte[] {2}, 0, 1);
        assertThrows(RuntimeException.class, () -> buffer.read(r -> {
            throw boom;
        }, 10));
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.OK, buffer.tryRead(record), "the batch ended at the throw; the next record stays");
        assertEquals(2, record.getByte(0));
        record.release();
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void byteBufferAndArrayAccessorsRoundTrip(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        WriteClaim claim = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(20, claim));
        ByteBuffer src = ByteBuffer.allocate(8);
        src.putLong(0, 0x0102030405060708L);
        claim.putBytes(0, src, 0, 8).putBytes(8, new byte[] {9, 10, 11, 12}, 0, 4).putInt(12, -5).putByte(16, (byte) 3)
            .commit();
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        ByteBuffer dst = ByteBuffer.allocateDirect(8);
        record.getBytes(0, dst, 0, 8);
        assertEquals(0x0102030405060708L, dst.getLong(0));
        byte[] four = new byte[4];
        record.getBytes(8, four, 0, 4);
        assertArrayEquals(new byte[] {9, 10, 11, 12}, four);
        assertEquals(-5, record.getInt(12));
        assertEquals(3, record.getByte(16));
        assertEquals(0, record.getByte(19), "unwritten payload bytes read 0 (consumer zeroing)");
        record.release();
    }

    /** Issue 23 item 4: a buffer whose limit is below the range failed mid-copy, with a null message on JDK 25. */
    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void byteBufferRangesAreCheckedAgainstTheLimitBeforeAByteIsCopied(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        WriteClaim claim = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(16, claim));
        ByteBuffer src = ByteBuffer.allocateDirect(16).putLong(0, -1L).putLong(8, -1L).limit(4);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> claim.putBytes(0, src, 0, 8));
        assertEquals("srcIndex=0, length=8 is outside [0, src.limit()=4)", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> claim.putBytes(0, src, -1, 2));
        assertTrue(e.getMessage().contains("srcIndex=-1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> claim.putBytes(12, src.limit(16), 0, 8),
            "a payload range past the claim is refused too");
        claim.putBytes(12, src, 0, 4).commit();
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(0L, record.getLong(0), "nothing written by the refused copies");
        assertEquals(-1, record.getInt(12));
        ByteBuffer dst = ByteBuffer.allocate(16).putLong(0, 7L).limit(4);
        e = assertThrows(IndexOutOfBoundsException.class, () -> record.getBytes(0, dst, 0, 8));
        assertEquals("dstIndex=0, length=8 is outside [0, dst.limit()=4)", e.getMessage());
        assertEquals(7L, dst.limit(16).getLong(0), "nothing written to dst");
        assertThrows(java.nio.ReadOnlyBufferException.class,
            () -> record.getBytes(0, ByteBuffer.allocateDirect(8).asReadOnlyBuffer(), 0, 8));
        record.getBytes(12, dst.limit(4), 0, 4);
        assertEquals(0, dst.position(), "the position is not used or changed");
        assertEquals(-1, dst.getInt(0));
        record.release();
    }

    // ---------------------------------------------------------------- closing

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void producerCloseLetsTheConsumerReadEverythingClaimedBeforeIt(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        buffer.tryWrite(new byte[] {1}, 0, 1);
        WriteClaim late = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(1, late));
        buffer.closeProducer();
        buffer.closeProducer(); // idempotent
        assertTrue(buffer.isClosedForWrite());
        assertEquals(ClaimStatus.CLOSED, buffer.tryWrite(new byte[1], 0, 1));
        assertEquals(ClaimStatus.CLOSED, buffer.tryClaim(1, new WriteClaim()));
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        record.release();
        assertFalse(buffer.isClosedForRead(), "a claim granted before the close is still pending");
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "not CLOSED while a claim may still commit");
        late.putByte(0, (byte) 2).commit();
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(2, record.getByte(0));
        record.release();
        assertTrue(buffer.isClosedForRead());
        assertEquals(ReadStatus.CLOSED, buffer.tryRead(record));
        assertEquals(0, buffer.read(r -> { }, 10));
    }

    /**
     * Issue 23: an SPSC claim abandoned (never committed nor aborted) before closeProducer() held the consumer at
     * EMPTY for ever. Now every kind revokes it after the stall timeout and the consumer reaches CLOSED; the records
     * claimed after it are read, and a claim still open at the close can still commit within the timeout.
     */
    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void aClaimAbandonedBeforeTheProducerClosesIsRevokedAfterTheStallTimeoutAndTheConsumerReachesClosed(
        LogBufferKind kind) {
        Threads.ManualClock clock = new Threads.ManualClock();
        LogBuffer buffer = kind.create(CAPACITY, clock, 1_000);
        WriteClaim abandoned = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(8, abandoned));
        WriteClaim late = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(1, late));
        assertEquals(ClaimStatus.OK, buffer.tryWrite(new byte[] {3}, 0, 1));
        buffer.closeProducer();
        late.putByte(0, (byte) 2).commit(); // within the timeout: still commits after the close
        ReadClaim record = new ReadClaim();
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "waits behind the open claim: starts its stall clock");
        clock.advance(999);
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(record), "not before the stall timeout");
        clock.advance(1);
        assertEquals(ReadStatus.OK, buffer.tryRead(record), "the abandoned claim revoked, the next record read");
        assertEquals(2, record.getByte(0));
        record.release();
        assertEquals(1, buffer.stalledClaims());
        assertEquals(ReadStatus.OK, buffer.tryRead(record));
        assertEquals(3, record.getByte(0));
        record.release();
        assertEquals(ReadStatus.CLOSED, buffer.tryRead(record), "every claim before the close is accounted for");
        assertTrue(buffer.isClosedForRead());
        IllegalStateException e = assertThrows(IllegalStateException.class, abandoned::commit);
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(LogBufferKind.class)
    void consumerCloseRefusesProducersAndDropsWhatIsBuffered(LogBufferKind kind) {
        LogBuffer buffer = kind.create(CAPACITY);
        buffer.tryWrite(new byte[] {1}, 0, 1);
        WriteClaim open = new WriteClaim();
        assertEquals(ClaimStatus.OK, buffer.tryClaim(1, open));
        buffer.closeConsumer();
        buffer.closeConsumer(); // idempotent
        assertTrue(buffer.isClosedForWrite());
        assertTrue(buffer.isClosedForRead());
        assertEquals(ClaimStatus.CLOSED, buffer.tryWrite(new byte[1], 0, 1));
        open.commit(); // a claim granted before the close may still end normally
        assertEquals(ReadStatus.CLOSED, buffer.tryRead(new ReadClaim()));
        assertEquals(0, buffer.read(r -> { }, 10));
    }
}
