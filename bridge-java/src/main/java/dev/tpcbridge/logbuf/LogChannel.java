package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A {@link LogBuffer} with blocking: {@code send}/{@code claim} wait for room, {@code receive} waits for a record,
 * with deadlines, interrupts and disconnect detection; a commit wakes a parked receiver and a release wakes a parked
 * sender, through the project's armed-waiter protocol ({@code dev.tpcbridge.internal.WaiterList}), with no manual
 * notify. Created by {@link #spsc(int)}, {@link #mpsc(int)} or {@link LogBuffer.Builder#buildChannel()}.
 *
 * <p><b>Threads.</b> As for the {@link #buffer()} inside: senders are the producer side ({@code trySend},
 * {@code send}, {@code tryClaim}, {@code claim}, {@code closeProducer}, {@link #writable()}), receivers the consumer
 * side ({@code tryReceive}, {@code receive}, {@code read}, {@link #readable()}); {@code closeConsumer} and the
 * occupancy methods from any thread. The buffer is created inside and wakes on every commit and release, so using
 * {@link #buffer()} directly cannot bypass the waking.
 *
 * <p><b>Visibility.</b> As for {@link LogBuffer}: what a sender wrote before its commit happens-before the receiver's
 * reads of that record, whether the receiver spun, parked, or was woken by another waker.
 *
 * <p><b>Progress.</b> The {@code try} methods keep the buffer's guarantees and add, per commit and per release (or
 * batch read), one full fence and one read of the other side's waiter list: no wake call and no allocation while
 * nobody waits. The blocking methods spin, then yield, then park with {@link LockSupport} (never
 * {@code synchronized}, so virtual threads do not pin their carriers). They honour interrupts
 * ({@link InterruptedException}, and the data stays with the caller) and deadlines read from an injectable nano clock:
 * a timed call never gives up before its deadline by that clock.
 *
 * <p><b>Normal outcomes.</b> {@link ClaimStatus#FULL} from a timed send means its deadline passed;
 * {@link ReadStatus#EMPTY} from a timed receive likewise; {@code CLOSED} means disconnected. A receiver gets
 * {@code CLOSED} only after every record committed before the producer-side close (the seed could time out or report
 * a disconnect early). On an MPSC channel a receiver parked behind an uncommitted claim wakes by the stall deadline at
 * the latest, to revoke it.
 *
 * <p><b>Algorithm.</b> The Dekker-style armed-waiter protocol of {@link Wakeable}: the waiter adds its waker to the
 * side's {@code WaiterList} (a CAS and a fence), re-checks, and parks only if nothing changed; the committer or
 * releaser publishes, fences and reads the list head. Guarded by {@code LogChannelTest} and jcstress
 * {@code LogBufferStress}.
 */
public final class LogChannel {
    private final AbstractLogBuffer buffer;
    private final int spinTries;
    private final int yieldTries;
    private final LongSupplier nanoClock;
    private final Wakeable readable = new Readable();
    private final Wakeable writable = new Writable();

    LogChannel(AbstractLogBuffer buffer, int spinTries, int yieldTries, LongSupplier nanoClock) {
        this.buffer = buffer;
        this.spinTries = spinTries;
        this.yieldTries = yieldTries;
        this.nanoClock = nanoClock;
    }

    /**
     * An SPSC channel over a heap buffer of {@code capacity} bytes.
     *
     * @param capacity a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]} of {@link LogBufferDescriptor}
     * @return a new, open, empty channel
     * @throws IllegalArgumentException if {@code capacity} is not such a power of two
     */
    public static LogChannel spsc(int capacity) {
        return LogBuffer.builder().capacity(capacity).buildChannel();
    }

    /**
     * An MPSC channel over a heap buffer of {@code capacity} bytes, with the default stall timeout.
     *
     * @param capacity a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]} of {@link LogBufferDescriptor}
     * @return a new, open, empty channel
     * @throws IllegalArgumentException if {@code capacity} is not such a power of two
     */
    public static LogChannel mpsc(int capacity) {
        return LogBuffer.builder().capacity(capacity).multiProducer(true).buildChannel();
    }

    /**
     * The buffer inside, for its claim API and occupancy; its commits and releases wake this channel's waiters.
     *
     * @return the buffer (the same object on every call)
     */
    public LogBuffer buffer() {
        return buffer;
    }

    // ---------------------------------------------------------------- sender side

    /**
     * Copies {@code src[offset, offset + length)} into a record and commits it, without waiting (sender side).
     *
     * @param src    the payload
     * @param offset its first byte
     * @param length its length, {@code >= 1}
     * @return {@code OK}, {@code TOO_LARGE}, {@code CLOSED} or {@code FULL} (see {@link LogBuffer#tryWrite})
     * @throws IllegalArgumentException  if {@code length < 1} or {@code src} is null
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalStateException     as for {@link LogBuffer#tryWrite} (an MPSC copy revoked for taking too long)
     */
    public ClaimStatus trySend(byte[] src, int offset, int length) {
        return buffer.tryWrite(src, offset, length);
    }

    /**
     * Sends like {@link #trySend}, waiting for room as long as it takes (sender side).
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
        return awaitWrite(src, offset, length, null, false, 0L);
    }

    /**
     * Sends like {@link #trySend}, waiting for room until the deadline (sender side).
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
     * @throws IllegalStateException     as for {@link LogBuffer#tryWrite} (an MPSC copy revoked for taking too long)
     */
    public ClaimStatus send(byte[] src, int offset, int length, long timeout, TimeUnit unit)
        throws InterruptedException {
        Checks.notNull("unit", unit);
        return awaitWrite(src, offset, length, null, true, unit.toNanos(timeout));
    }

    /**
     * Claims space without waiting (sender side); see {@link LogBuffer#tryClaim}.
     *
     * @param length the payload length, {@code >= 1}
     * @param claim  an inactive claim owned by the caller
     * @return as for {@link LogBuffer#tryClaim}
     * @throws IllegalArgumentException if {@code length < 1} or {@code claim} is null
     * @throws IllegalStateException    if {@code claim} is active
     */
    public ClaimStatus tryClaim(int length, WriteClaim claim) {
        return buffer.tryClaim(length, claim);
    }

    /**
     * Claims space, waiting for room until the deadline (sender side); then write into the claim and commit it.
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
        return awaitWrite(null, 0, length, claim, true, unit.toNanos(timeout));
    }

    private ClaimStatus awaitWrite(byte[] src, int offset, int length, WriteClaim claim, boolean timed,
                                   long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ClaimStatus status = claim == null ? buffer.tryWrite(src, offset, length) : buffer.tryClaim(length, claim);
        if (status != ClaimStatus.FULL || timed && timeoutNanos <= 0) {
            return status;
        }
        final int recordLength = LogBufferDescriptor.recordLength(length);
        final long deadline = timed ? nanoClock.getAsLong() + timeoutNanos : 0L;
        Waker waker = null;
        for (int attempt = 0; ; attempt++) {
            long remaining = Long.MAX_VALUE;
            if (timed && (remaining = deadline - nanoClock.getAsLong()) <= 0) {
                return ClaimStatus.FULL; // never early: the deadline has passed by the clock
            }
            if (attempt < spinTries) {
                Thread.onSpinWait();
            } else if (attempt < spinTries + yieldTries) {
                Thread.yield();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } else {
                attempt = spinTries + yieldTries; // stays in the parking phase; never overflows
                if (waker == null) {
                    waker = Waker.of(Thread.currentThread());
                }
                buffer.producerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with wakeProducers()
                if (!buffer.hasRoomFor(recordLength) && !buffer.isClosedForWrite()) {
                    park(timed, remaining);
                }
                buffer.producerWaiters.remove(waker);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            status = claim == null ? buffer.tryWrite(src, offset, length) : buffer.tryClaim(length, claim);
            if (status != ClaimStatus.FULL) {
                return status;
            }
        }
    }

    /**
     * Closes the sender side (see {@link LogBuffer#closeProducer()}) and wakes every waiter: a parked receiver reads
     * what is left and then gets {@code CLOSED}.
     */
    public void closeProducer() {
        buffer.closeProducer();
    }

    // ---------------------------------------------------------------- receiver side

    /**
     * Takes the oldest record without waiting (receiver side); see {@link LogBuffer#tryRead}.
     *
     * @param claim an inactive read claim owned by the receiver
     * @return {@code OK}, {@code EMPTY} or {@code CLOSED}
     * @throws IllegalArgumentException if {@code claim} is null
     * @throws IllegalStateException    as for {@link LogBuffer#tryRead}
     */
    public ReadStatus tryReceive(ReadClaim claim) {
        return buffer.tryRead(claim);
    }

    /**
     * Takes the oldest record, waiting as long as it takes (receiver side).
     *
     * @param claim an inactive read claim owned by the receiver
     * @return {@code OK}, or {@code CLOSED} once closed and drained
     * @throws InterruptedException     if interrupted before or while waiting
     * @throws IllegalArgumentException if {@code claim} is null
     * @throws IllegalStateException    as for {@link LogBuffer#tryRead}
     */
    public ReadStatus receive(ReadClaim claim) throws InterruptedException {
        return awaitRead(claim, false, 0L);
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
        return awaitRead(claim, true, unit.toNanos(timeout));
    }

    private ReadStatus awaitRead(ReadClaim claim, boolean timed, long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ReadStatus status = buffer.tryRead(claim);
        if (status != ReadStatus.EMPTY || timed && timeoutNanos <= 0) {
            return status;
        }
        final long deadline = timed ? nanoClock.getAsLong() + timeoutNanos : 0L;
        Waker waker = null;
        for (int attempt = 0; ; attempt++) {
            final long now = nanoClock.getAsLong();
            long remaining = Long.MAX_VALUE;
            if (timed && (remaining = deadline - now) <= 0) {
                return ReadStatus.EMPTY; // never early: the deadline has passed by the clock
            }
            if (attempt < spinTries) {
                Thread.onSpinWait();
            } else if (attempt < spinTries + yieldTries) {
                Thread.yield();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } else {
                attempt = spinTries + yieldTries; // stays in the parking phase; never overflows
                if (waker == null) {
                    waker = Waker.of(Thread.currentThread());
                }
                buffer.consumerWaiters.add(waker); // a CAS and a fence before the re-check; pairs with wakeConsumers()
                // The re-check starts the stall clock of an uncommitted MPSC claim it finds at the head (one that
                // appeared after the last tryRead: a claim wakes nobody), and is true once that claim may be revoked.
                if (!buffer.isReadable()) {
                    final long stallDeadline = buffer.stallDeadline();
                    boolean bounded = timed;
                    if (stallDeadline != Long.MAX_VALUE) {
                        // behind an uncommitted MPSC claim: wake by its stall deadline to revoke it (plus 1 ns, so
                        // that the re-check finds the timeout passed)
                        remaining = Math.min(remaining, Math.max(stallDeadline - now + 1, 0));
                        bounded = true;
                    }
                    if (remaining > 0) {
                        park(bounded, remaining);
                    }
                }
                buffer.consumerWaiters.remove(waker);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            status = buffer.tryRead(claim);
            if (status != ReadStatus.EMPTY) {
                return status;
            }
        }
    }

    /**
     * Reads a batch without waiting (receiver side); see {@link LogBuffer#read}. Frees the space once and wakes a
     * parked sender once per batch.
     *
     * @param handler receives each record
     * @param limit   the most records, {@code >= 1}
     * @return how many records were handed over
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     * @throws IllegalStateException    as for {@link LogBuffer#read}
     */
    public int read(RecordHandler handler, int limit) {
        return buffer.read(handler, limit);
    }

    /**
     * Closes the receiver side (see {@link LogBuffer#closeConsumer()}) and wakes every waiter: a parked sender gets
     * {@code CLOSED} and keeps its data. Any thread.
     */
    public void closeConsumer() {
        buffer.closeConsumer();
    }

    /**
     * Whether the receiver will never get another record (see {@link LogBuffer#isClosedForRead()}). Receiver side.
     *
     * @return {@code true} once closed for read
     */
    public boolean isClosedForRead() {
        return buffer.isClosedForRead();
    }

    /**
     * Whether either side closed. Any thread.
     *
     * @return {@code true} once closed for write
     */
    public boolean isClosedForWrite() {
        return buffer.isClosedForWrite();
    }

    // ---------------------------------------------------------------- waiting conditions

    /**
     * The receiver's condition "a record (or padding) is at the head, or the channel is closed for read", for waiters
     * other than the blocking methods (an idle strategy, a selector, a coroutine). Armed by the receiver side only.
     * On an MPSC channel, a record whose claim stalls is not readable until the receiver revokes it by reading after
     * the stall deadline. {@code arm} starts the stall clock of an uncommitted claim it finds at the head, and returns
     * {@code false} (do not sleep: call {@code tryReceive}, which revokes it) once that claim's stall deadline has
     * passed. Nothing wakes a waiter when a claim stalls or its deadline passes, so on an MPSC channel a waiter must
     * bound each sleep by the stall timeout ({@link LogBuffer#stallTimeoutNanos()}) and then re-arm; an unbounded
     * park (such as a {@code WakeableIdleStrategy} with no timeout) sleeps for as long as a producer stalls, and
     * forever if it never commits.
     *
     * @return the readable condition (the same object on every call)
     */
    public Wakeable readable() {
        return readable;
    }

    /**
     * The senders' condition "a record of the largest size ({@link LogBuffer#maxPayloadLength()}) can be claimed now,
     * or the channel is closed for write", for waiters other than the blocking methods. Armed by senders only.
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
        return buffer.consumerWaiters.wakeups();
    }

    /**
     * How many sender-side waiters were woken. Any thread; a snapshot.
     *
     * @return the sender wake-up count
     */
    public long producerWakeups() {
        return buffer.producerWaiters.wakeups();
    }

    @Override
    public String toString() {
        return "LogChannel{" + buffer + ", consumerWakeups=" + consumerWakeups() + ", producerWakeups="
            + producerWakeups() + '}';
    }

    private void park(boolean timed, long remainingNanos) {
        if (timed) {
            LockSupport.parkNanos(this, remainingNanos);
        } else {
            LockSupport.park(this);
        }
    }

    /**
     * Ready when a record or padding is at the head, the channel is closed for read, or an uncommitted MPSC claim at
     * the head is past its stall deadline (a read now revokes it; review finding 4).
     */
    private final class Readable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            buffer.consumerWaiters.add(waker); // a CAS, so a full fence before the re-check; pairs with wakeConsumers()
            if (buffer.isReadable()) {
                buffer.consumerWaiters.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            buffer.consumerWaiters.remove(waker);
        }
    }

    /** Ready when a record of the largest size fits, or the channel is closed for write. */
    private final class Writable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            Checks.notNull("waker", waker);
            buffer.producerWaiters.add(waker); // a CAS, so a full fence before the re-check; pairs with wakeProducers()
            if (buffer.hasRoomFor(buffer.maxRecordLength) || buffer.isClosedForWrite()) {
                buffer.producerWaiters.remove(waker);
                return false;
            }
            return true;
        }

        @Override
        public void disarm(Waker waker) {
            Checks.notNull("waker", waker);
            buffer.producerWaiters.remove(waker);
        }
    }
}
