package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WaiterList;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;
import dev.tpcbridge.wake.Waiter;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link LogBuffer} that wakes its sleeping side on the transitions that matter, and waits: {@link #send} and
 * {@link #claim} wait for room, {@link #receive} for a record, each also with a deadline. The {@link #readable()} and
 * {@link #writable()} conditions let any other kind of waiter sleep on the buffer. The shape of
 * {@code dev.tpcbridge.ring.WakingRing}: the buffer is made inside, and every commit, release and close passes through
 * this class (a claim it grants reports back to it), so nothing can publish past the wakers.
 *
 * <p><b>Threads.</b> As for the buffer inside: senders are the producer side ({@code send}, {@code claim},
 * {@code writable()}), the receiver the consumer side ({@code receive}, {@code readable()}).
 *
 * <p><b>Progress.</b> The non-waiting methods keep the buffer's guarantees and add one full fence and one read of the
 * other side's waiter list per commit, release or batch read: no wake call and no allocation while nobody waits. The
 * waiting methods wait through {@link Waiter}; what a sender gives up on stays with it.
 *
 * <p><b>Normal outcomes.</b> {@link ClaimStatus#FULL} from a timed send or claim means its deadline passed,
 * {@link ReadStatus#EMPTY} from a timed receive likewise; {@code CLOSED} means disconnected, and the receiver gets it
 * only after every record committed before the producer-side close. On an MPSC buffer a receiver waiting behind an
 * uncommitted claim wakes by the claim's stall deadline at the latest, to revoke it ({@link #readable()} says so
 * through {@link Wakeable#parkLimitNanos()}).
 */
public final class WakingLogBuffer implements LogBuffer, ClaimOwner {
    private final AbstractLogBuffer buffer;
    private final WaitPolicy policy;
    private final LongSupplier nanoClock;
    /** Receivers waiting for a record (or a close): woken by commits and aborts. */
    private final WaiterList consumerWaiters = new WaiterList();
    /** Senders waiting for room (or a close): woken by releases and batch reads. */
    private final WaiterList producerWaiters = new WaiterList();
    private final Wakeable readable;
    private final Wakeable writable;
    /** The SPSC producer's room condition, reused across its waits; producer thread only. */
    private RoomFor spscRoom;

    WakingLogBuffer(AbstractLogBuffer buffer, WaitPolicy policy, LongSupplier nanoClock) {
        this.buffer = buffer;
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.readable = new Readable();
        this.writable = new Writable(); // after the buffer: it reads its largest record length
    }

    /**
     * An SPSC waking buffer over heap memory of {@code capacity} bytes.
     *
     * @param capacity a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]} of {@link LogBufferDescriptor}
     * @return a new, open, empty buffer
     * @throws IllegalArgumentException if {@code capacity} is not such a power of two
     */
    public static WakingLogBuffer spsc(int capacity) {
        return LogBuffer.builder().capacity(capacity).buildWaking();
    }

    /**
     * An MPSC waking buffer over heap memory of {@code capacity} bytes, with the default stall timeout.
     *
     * @param capacity a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]} of {@link LogBufferDescriptor}
     * @return a new, open, empty buffer
     * @throws IllegalArgumentException if {@code capacity} is not such a power of two
     */
    public static WakingLogBuffer mpsc(int capacity) {
        return LogBuffer.builder().capacity(capacity).multiProducer(true).buildWaking();
    }

    // ---------------------------------------------------------------- producer side

    @Override
    public ClaimStatus tryClaim(int length, WriteClaim claim) {
        final ClaimStatus status = buffer.tryClaim(length, claim);
        if (status == ClaimStatus.OK) {
            claim.owner = this; // its commit or abort comes here, and wakes the receiver
        }
        return status;
    }

    @Override
    public ClaimStatus tryWrite(byte[] src, int offset, int length) {
        final ClaimStatus status = buffer.tryWrite(src, offset, length);
        if (status == ClaimStatus.OK) {
            // fence, then read: the committed header word before the read of the receivers' list (StoreLoad); pairs
            // with WaiterList.add() followed by the re-check in Readable.arm().
            consumerWaiters.wakeAllIfArmed();
        }
        return status;
    }

    /**
     * Copies {@code src[offset, offset + length)} into a record and commits it, waiting for room as long as it takes.
     *
     * @param src    the payload
     * @param offset its first byte
     * @param length its length, {@code >= 1}
     * @return {@code OK}, {@code TOO_LARGE} (at once: it could never fit) or {@code CLOSED}
     * @throws InterruptedException      if interrupted before or while waiting (nothing was sent)
     * @throws IllegalArgumentException  if {@code length < 1} or {@code src} is null
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalStateException     as for {@link LogBuffer#tryWrite} (an MPSC copy revoked for taking too long)
     */
    public ClaimStatus send(byte[] src, int offset, int length) throws InterruptedException {
        return awaitRoom(src, offset, length, null, Waiter.NO_TIMEOUT);
    }

    /**
     * As {@link #send(byte[], int, int)}, waiting for room until the deadline.
     *
     * @param src     the payload
     * @param offset  its first byte
     * @param length  its length, {@code >= 1}
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return {@code OK}; {@code TOO_LARGE}; {@code CLOSED}; or {@code FULL} once the deadline has passed
     * @throws InterruptedException      if interrupted before or while waiting (nothing was sent)
     * @throws IllegalArgumentException  if {@code length < 1}, or {@code src} or {@code unit} is null
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalStateException     as for {@link LogBuffer#tryWrite}
     */
    public ClaimStatus send(byte[] src, int offset, int length, long timeout, TimeUnit unit)
        throws InterruptedException {
        Checks.notNull("unit", unit);
        return awaitRoom(src, offset, length, null, unit.toNanos(timeout));
    }

    /**
     * Claims space, waiting for room as long as it takes; then write into the claim and commit it.
     *
     * @param length the payload length, {@code >= 1}
     * @param claim  an inactive claim owned by the caller
     * @return {@code OK}, {@code TOO_LARGE} or {@code CLOSED}
     * @throws InterruptedException     if interrupted before or while waiting (nothing was claimed)
     * @throws IllegalArgumentException if {@code length < 1} or {@code claim} is null
     * @throws IllegalStateException    if {@code claim} is active
     */
    public ClaimStatus claim(int length, WriteClaim claim) throws InterruptedException {
        Checks.notNull("claim", claim);
        return awaitRoom(null, 0, length, claim, Waiter.NO_TIMEOUT);
    }

    /**
     * As {@link #claim(int, WriteClaim)}, waiting for room until the deadline.
     *
     * @param length  the payload length, {@code >= 1}
     * @param claim   an inactive claim owned by the caller
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return {@code OK}; {@code TOO_LARGE}; {@code CLOSED}; or {@code FULL} once the deadline has passed
     * @throws InterruptedException     if interrupted before or while waiting (nothing was claimed)
     * @throws IllegalArgumentException if {@code length < 1}, or {@code claim} or {@code unit} is null
     * @throws IllegalStateException    if {@code claim} is active
     */
    public ClaimStatus claim(int length, WriteClaim claim, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        Checks.notNull("claim", claim);
        return awaitRoom(null, 0, length, claim, unit.toNanos(timeout));
    }

    private ClaimStatus awaitRoom(byte[] src, int offset, int length, WriteClaim claim, long timeoutNanos)
        throws InterruptedException {
        final Waiter waiter = Waiter.start(policy, nanoClock, timeoutNanos);
        RoomFor room = null;
        ClaimStatus status;
        while ((status = claim == null ? tryWrite(src, offset, length) : tryClaim(length, claim)) == ClaimStatus.FULL) {
            if (room == null) {
                room = roomFor(LogBufferDescriptor.recordLength(length));
            }
            if (!waiter.await(room)) {
                break; // the deadline passed: FULL
            }
        }
        return status;
    }

    /** The condition "room for this record"; the SPSC producer's is reused, an MPSC sender gets its own. */
    private RoomFor roomFor(int recordLength) {
        RoomFor room = spscRoom;
        if (room == null || buffer.isMultiProducer()) {
            room = new RoomFor();
            if (!buffer.isMultiProducer()) {
                spscRoom = room; // the one producer thread's, reused by its later waits
            }
        }
        room.recordLength = recordLength;
        return room;
    }

    @Override
    public void closeProducer() {
        buffer.closeProducer();
        wakeBothSides();
    }

    @Override
    public boolean isClosedForWrite() {
        return buffer.isClosedForWrite();
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public ReadStatus tryRead(ReadClaim claim) {
        final long head = buffer.head();
        final ReadStatus status = buffer.tryRead(claim);
        if (status == ReadStatus.OK) {
            claim.owner = this; // its release comes here, and wakes the senders
        }
        if (buffer.head() != head) {
            producerWaiters.wakeAllIfArmed(); // padding was skipped: space freed
        }
        return status;
    }

    @Override
    public int read(RecordHandler handler, int limit) {
        final long head = buffer.head();
        try {
            return buffer.read(handler, limit);
        } finally {
            if (buffer.head() != head) {
                // fence, then read, once per batch: the released head before the read of the senders' list; pairs
                // with WaiterList.add() followed by the re-check in Writable.arm().
                producerWaiters.wakeAllIfArmed();
            }
        }
    }

    /**
     * Takes the oldest record, waiting for one as long as it takes (receiver side).
     *
     * @param claim an inactive read claim owned by the receiver
     * @return {@code OK}, or {@code CLOSED} once closed and drained
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code claim} is null
     * @throws IllegalStateException    as for {@link LogBuffer#tryRead}
     */
    public ReadStatus receive(ReadClaim claim) throws InterruptedException {
        return awaitRecord(claim, Waiter.NO_TIMEOUT);
    }

    /**
     * Takes the oldest record, waiting until the deadline (receiver side).
     *
     * @param claim   an inactive read claim owned by the receiver
     * @param timeout how long to wait at most; 0 or less does not wait
     * @param unit    the unit of {@code timeout}
     * @return {@code OK}; {@code CLOSED} once closed and drained; or {@code EMPTY} once the deadline has passed
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code claim} or {@code unit} is null
     * @throws IllegalStateException    as for {@link LogBuffer#tryRead}
     */
    public ReadStatus receive(ReadClaim claim, long timeout, TimeUnit unit) throws InterruptedException {
        Checks.notNull("unit", unit);
        return awaitRecord(claim, unit.toNanos(timeout));
    }

    private ReadStatus awaitRecord(ReadClaim claim, long timeoutNanos) throws InterruptedException {
        final Waiter waiter = Waiter.start(policy, nanoClock, timeoutNanos);
        ReadStatus status;
        while ((status = tryRead(claim)) == ReadStatus.EMPTY && waiter.await(readable)) {
            // one backoff step per try; a park behind a stalled MPSC claim ends by its stall deadline
        }
        return status;
    }

    @Override
    public void closeConsumer() {
        buffer.closeConsumer();
        wakeBothSides();
    }

    @Override
    public boolean isClosedForRead() {
        return buffer.isClosedForRead();
    }

    // ---------------------------------------------------------------- claims report back here

    @Override
    public void commit(WriteClaim claim) {
        buffer.commit(claim);
        consumerWaiters.wakeAllIfArmed(); // fence, then read: as in tryWrite()
    }

    @Override
    public void abort(WriteClaim claim) {
        buffer.abort(claim);
        consumerWaiters.wakeAllIfArmed(); // padding at the head lets a waiting receiver move on
    }

    @Override
    public void releaseRead(ReadClaim claim) {
        buffer.releaseRead(claim);
        producerWaiters.wakeAllIfArmed(); // fence, then read: as in read()
    }

    @Override
    public IllegalStateException revoked(long position, int length) {
        return buffer.revoked(position, length);
    }

    // ---------------------------------------------------------------- waiting conditions

    /**
     * The receiver's condition "a record (or padding) is at the head, or the buffer is closed for read". On an MPSC
     * buffer, a record whose claim stalls is not readable until the receiver revokes it by reading after the stall
     * deadline: arming starts the stall clock of an uncommitted claim it finds at the head, returns {@code false}
     * once that claim may be revoked, and bounds the sleep by its deadline ({@link Wakeable#parkLimitNanos()}).
     * Armed by the receiver.
     *
     * @return the readable condition (the same object on every call)
     */
    public Wakeable readable() {
        return readable;
    }

    /**
     * The senders' condition "a record of the largest size ({@link #maxPayloadLength()}) can be claimed now, or the
     * buffer is closed for write". Armed by senders.
     *
     * @return the writable condition (the same object on every call)
     */
    public Wakeable writable() {
        return writable;
    }

    /**
     * How many receiver-side waiters were woken. Any thread; a snapshot. Stays 0 while no receiver waits.
     *
     * @return the receiver wake-up count
     */
    public long consumerWakeups() {
        return consumerWaiters.wakeups();
    }

    /**
     * How many sender-side waiters were woken. Any thread; a snapshot.
     *
     * @return the sender wake-up count
     */
    public long producerWakeups() {
        return producerWaiters.wakeups();
    }

    // ---------------------------------------------------------------- any thread

    @Override
    public int used() {
        return buffer.used();
    }

    @Override
    public int capacity() {
        return buffer.capacity();
    }

    @Override
    public int maxPayloadLength() {
        return buffer.maxPayloadLength();
    }

    @Override
    public boolean isDirect() {
        return buffer.isDirect();
    }

    @Override
    public boolean isMultiProducer() {
        return buffer.isMultiProducer();
    }

    @Override
    public long stalledClaims() {
        return buffer.stalledClaims();
    }

    @Override
    public long stallTimeoutNanos() {
        return buffer.stallTimeoutNanos();
    }

    @Override
    public String toString() {
        return "WakingLogBuffer{" + buffer + ", consumerWakeups=" + consumerWakeups() + ", producerWakeups="
            + producerWakeups() + '}';
    }

    private void wakeBothSides() {
        // fence, then read: the close before the reads of both lists; pairs with the re-checks in arm() (the close's
        // volatile bit-set is already a full fence on x86 and AArch64).
        VarHandle.fullFence();
        consumerWaiters.wakeAllIfArmedAfterFence();
        producerWaiters.wakeAllIfArmedAfterFence();
    }

    /**
     * Ready when a record or padding is at the head, the buffer is closed for read, or a stalled claim is revocable.
     */
    private final class Readable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            consumerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with commit()'s fence
            if (buffer.isReadable()) {
                consumerWaiters.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            consumerWaiters.remove(waker);
        }

        /** Behind an uncommitted MPSC claim: until just after its stall deadline, so the re-check finds it passed. */
        @Override
        public long parkLimitNanos() {
            final long stallDeadline = buffer.stallDeadline();
            if (stallDeadline == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            return Math.max(1, stallDeadline - nanoClock.getAsLong() + 1);
        }
    }

    /** Ready when a record of {@code recordLength} bytes fits, or the buffer is closed for write. */
    private class RoomFor implements Wakeable {
        int recordLength;

        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            producerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with releaseRead()'s fence
            if (buffer.hasRoomFor(recordLength) || buffer.isClosedForWrite()) {
                producerWaiters.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            producerWaiters.remove(waker);
        }
    }

    /** Ready when a record of the largest size fits, or the buffer is closed for write. */
    private final class Writable extends RoomFor {
        Writable() {
            recordLength = buffer.maxRecordLength;
        }
    }
}
