package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Checks;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A producer's claim on the space of one record: obtained from {@link LogBuffer#tryClaim(int, WriteClaim)}, written
 * in place with the {@code put} methods, then published with {@link #commit()} or given up with {@link #abort()}.
 *
 * <p><b>Threads.</b> A claim object belongs to the thread that uses it (it is not thread-safe) and is reusable: keep
 * one per producer thread, so that claiming allocates nothing. Between {@code tryClaim} and {@code commit} it may be
 * handed to another thread only through a happens-before edge.
 *
 * <p><b>Visibility.</b> Every {@code put} made before {@code commit()} happens-before the consumer's read of the
 * record: the commit publishes the record's header word last, with a release store (SPSC) or a CAS (MPSC), and the
 * consumer reads it first, with an acquire load.
 *
 * <p><b>Progress.</b> Wait-free: {@code put}, {@code commit} and {@code abort} are a bounded number of stores.
 *
 * <p><b>Revocation</b> (MPSC claims, and SPSC claims still open when the producer closes: those end by CAS too, but
 * their puts are not checked, as no record can be claimed after the close). The consumer revokes a claim that stays
 * uncommitted past the stall timeout, then zeroes
 * its space and hands it to producers at once; it cannot know whether the producer is dead or only slow. Each
 * {@code put} therefore first checks (one load of the header word) that the claim still holds its claimed word, and
 * once it sees the revocation it ends the claim and throws {@link IllegalStateException} ("revoked") instead of
 * writing. The check is not atomic with the write: a put that checked just before the revocation still writes, and
 * a bulk {@code putBytes} checks once before it copies (as does {@link LogBuffer#tryWrite}, which does not check at
 * all). Such a stray write lands in space that later records may own: it can corrupt a later record's payload, and
 * where it hits a later header word the consumer may deliver a phantom record nobody committed, skip or never read
 * real records, or throw "corrupt header word"; stray bytes in free space break the invariant that free space reads
 * 0. Set the stall timeout well above the longest claim-to-commit time of a live producer (GC pauses and
 * preemption included): revocation is meant for producers that died or hung.
 *
 * <p><b>Normal outcomes and misuse.</b> {@code commit()} and {@code abort()} end the claim; a second call, or a call
 * on a claim never obtained, throws {@link IllegalStateException}. On an MPSC buffer, a claim left uncommitted for
 * longer than the stall timeout is revoked by the consumer (turned into padding and counted); its late
 * {@code commit()} or {@code abort()} throws {@link IllegalStateException}, and the producer must treat the record as
 * lost. A {@code put} outside {@code [0, length())} throws {@link IndexOutOfBoundsException}.
 *
 * <p>{@code commit()} and {@code abort()} end the claim even when they throw (revoked), so the idiom tests
 * {@link #isActive()} rather than a "committed" flag: after a revoked commit the claim is no longer active, the
 * {@code finally} does nothing, and the "revoked" exception reaches the caller (an {@code abort()} there would throw
 * "not active" and hide it).
 *
 * <pre>{@code
 * WriteClaim claim = new WriteClaim();              // once per producer thread
 * if (buffer.tryClaim(16, claim) == ClaimStatus.OK) {
 *     try {
 *         claim.putLong(0, id).putLong(8, value);
 *         claim.commit();                           // ends the claim, even if it throws "revoked"
 *     } finally {
 *         if (claim.isActive()) {                   // a put threw before the commit
 *             claim.abort();                        // the space becomes padding; nothing is published
 *         }
 *     }
 * }
 * }</pre>
 */
public final class WriteClaim {
    /** The buffer that granted the claim; {@code null} while the claim is not active. */
    ClaimOwner owner;
    LogMemory memory;
    /** Absolute index of the record's header word in {@code memory}. */
    int headerIndex;
    int length;
    long position;
    /**
     * The claimed header word this claim's commit or abort CASes from, and that each put checks is still in place
     * (MPSC; lap-stamped, unique to the claim); 0 on SPSC, where nothing is checked.
     */
    long claimedWord;

    /** Creates an inactive claim, to pass to {@link LogBuffer#tryClaim(int, WriteClaim)}. */
    public WriteClaim() {
    }

    void activate(ClaimOwner owner, LogMemory memory, int headerIndex, int length, long position,
                  long claimedWord) {
        this.memory = memory;
        this.claimedWord = claimedWord;
        this.headerIndex = headerIndex;
        this.length = length;
        this.position = position;
        this.owner = owner;
    }

    /**
     * Whether the claim holds space (granted and neither committed nor aborted yet).
     *
     * @return {@code true} while active
     */
    public boolean isActive() {
        return owner != null;
    }

    /**
     * The payload length that was claimed.
     *
     * @return the length in bytes, valid while active
     */
    public int length() {
        return length;
    }

    /**
     * The record's free-running position in the buffer (the position of its header).
     *
     * @return the position, valid while active
     */
    public long position() {
        return position;
    }

    /**
     * Writes a little-endian {@code long} at {@code index} of the payload.
     *
     * @param index the payload index, {@code [0, length() - 8]}
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if it does not fit in the payload
     * @throws IllegalStateException     if the claim is not active, or (MPSC) it is found revoked: then it ends
     */
    public WriteClaim putLong(int index, long value) {
        memory().putLong(payloadIndex(index, Long.BYTES), value);
        return this;
    }

    /**
     * Writes a little-endian {@code int} at {@code index} of the payload.
     *
     * @param index the payload index, {@code [0, length() - 4]}
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if it does not fit in the payload
     * @throws IllegalStateException     if the claim is not active, or (MPSC) it is found revoked: then it ends
     */
    public WriteClaim putInt(int index, int value) {
        memory().putInt(payloadIndex(index, Integer.BYTES), value);
        return this;
    }

    /**
     * Writes a byte at {@code index} of the payload.
     *
     * @param index the payload index, {@code [0, length() - 1]}
     * @param value the value
     * @return this claim
     * @throws IndexOutOfBoundsException if it is outside the payload
     * @throws IllegalStateException     if the claim is not active, or (MPSC) it is found revoked: then it ends
     */
    public WriteClaim putByte(int index, byte value) {
        memory().putByte(payloadIndex(index, 1), value);
        return this;
    }

    /**
     * Copies {@code src[offset, offset + length)} to the payload at {@code index}.
     *
     * @param index  the payload index
     * @param src    the source array
     * @param offset the first source byte
     * @param length how many bytes
     * @return this claim
     * @throws IllegalArgumentException  if {@code src} is null
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException     if the claim is not active, or (MPSC) it is found revoked: then it ends
     */
    public WriteClaim putBytes(int index, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Checks.notNull("src", src).length);
        memory().putBytes(payloadIndex(index, length), src, offset, length);
        return this;
    }

    /**
     * Copies {@code src}'s bytes {@code [srcIndex, srcIndex + length)} to the payload at {@code index}, as
     * {@link ByteBuffer#get(int, byte[], int, int)} does: the range must lie below {@code src}'s limit; its position
     * is not used, and neither is changed. Both ranges are checked before a byte is copied.
     *
     * @param index    the payload index
     * @param src      the source buffer
     * @param srcIndex the first source byte
     * @param length   how many bytes
     * @return this claim
     * @throws IllegalArgumentException  if {@code src} is null
     * @throws IndexOutOfBoundsException if the source range is not below {@code src.limit()} or the payload range is
     *                                   out of bounds (the message names the values); nothing is written
     * @throws IllegalStateException     if the claim is not active, or (MPSC) it is found revoked: then it ends
     */
    public WriteClaim putBytes(int index, ByteBuffer src, int srcIndex, int length) {
        Checks.range("srcIndex", srcIndex, length, "src.limit()", Checks.notNull("src", src).limit());
        memory().putBytes(payloadIndex(index, length), src, srcIndex, length);
        return this;
    }

    /**
     * Publishes the record: the consumer sees it, with every byte written before this call. Ends the claim, also when
     * it throws.
     *
     * @throws IllegalStateException if the claim is not active (never granted, already committed or aborted), or if
     *                               the consumer revoked it after the stall timeout (MPSC; the record is lost)
     */
    public void commit() {
        release().commit(this);
    }

    /**
     * Gives the space up: it becomes padding that the consumer skips; nothing is published. Ends the claim, also when
     * it throws.
     *
     * @throws IllegalStateException if the claim is not active (never granted, already committed or aborted), or if
     *                               the consumer revoked it after the stall timeout (MPSC)
     */
    public void abort() {
        release().abort(this);
    }

    private ClaimOwner release() {
        final ClaimOwner owner = this.owner;
        if (owner == null) {
            throw new IllegalStateException("the claim is not active: it was never granted, or already committed "
                + "or aborted");
        }
        this.owner = null;
        return owner;
    }

    private LogMemory memory() {
        final ClaimOwner owner = this.owner;
        if (owner == null) {
            throw new IllegalStateException("the claim is not active: write only between tryClaim and commit/abort");
        }
        final LogMemory memory = this.memory;
        final long claimedWord = this.claimedWord;
        // acquire: the put that follows stays after this check. It pairs with nothing: it only narrows the window in
        // which a revoked producer writes into space the consumer may have zeroed and handed on; a revocation right
        // after the check still lets this one put through (see "Revocation" in the class Javadoc).
        if (claimedWord != 0 && memory.getLongAcquire(headerIndex) != claimedWord) {
            this.owner = null; // ended: the idiom's finally does not abort, and the "revoked" below reaches the caller
            throw owner.revoked(position, length);
        }
        return memory;
    }

    private int payloadIndex(int index, int size) {
        Objects.checkFromIndexSize(index, size, length);
        return headerIndex + LogBufferDescriptor.PAYLOAD_OFFSET + index;
    }

    @Override
    public String toString() {
        return owner == null ? "WriteClaim{inactive}" : "WriteClaim{position=" + position + ", length=" + length + '}';
    }
}
