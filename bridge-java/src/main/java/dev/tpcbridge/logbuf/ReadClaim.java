package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Checks;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The consumer's hold on one committed record: obtained from {@link LogBuffer#tryRead(ReadClaim)} (or given to a
 * {@link RecordHandler} by a batch read), read in place with the {@code get} methods, then {@link #release()}d to
 * consume it and free its space.
 *
 * <p><b>Threads.</b> Belongs to the consumer thread; reusable, so that reading allocates nothing.
 *
 * <p><b>Visibility.</b> Every byte the producer wrote before its {@code commit()} is visible through the {@code get}
 * methods (the header word's release store or CAS pairs with the consumer's acquire load of it).
 *
 * <p><b>Progress.</b> Wait-free.
 *
 * <p><b>Misuse.</b> {@code release()} on a claim that is not active (never granted, released already, or the view
 * handed to a batch handler) throws {@link IllegalStateException}; a {@code get} outside {@code [0, length())} throws
 * {@link IndexOutOfBoundsException}. Until it is released, the consumer cannot read another record with
 * {@code tryRead} or {@code read}.
 *
 * <pre>{@code
 * ReadClaim record = new ReadClaim();               // once, on the consumer thread
 * if (buffer.tryRead(record) == ReadStatus.OK) {
 *     try {
 *         long id = record.getLong(0);
 *     } finally {
 *         record.release();                         // consumed: the space is zeroed and freed
 *     }
 * }
 * }</pre>
 */
public final class ReadClaim {
    /** The buffer that granted the claim; {@code null} while not active. */
    ClaimOwner owner;
    LogMemory memory;
    int headerIndex;
    int length;
    long position;
    /** Set on the view a batch read hands to its handler, which must not release it. */
    final boolean batchView;

    /** Creates an inactive claim, to pass to {@link LogBuffer#tryRead(ReadClaim)}. */
    public ReadClaim() {
        this(false);
    }

    ReadClaim(boolean batchView) {
        this.batchView = batchView;
    }

    void activate(ClaimOwner owner, LogMemory memory, int headerIndex, int length, long position) {
        this.memory = memory;
        this.headerIndex = headerIndex;
        this.length = length;
        this.position = position;
        this.owner = owner;
    }

    void deactivate() {
        this.owner = null;
    }

    /**
     * Whether the claim holds a record.
     *
     * @return {@code true} while active
     */
    public boolean isActive() {
        return owner != null;
    }

    /**
     * The payload length.
     *
     * @return the length in bytes, valid while active
     */
    public int length() {
        return length;
    }

    /**
     * The record's free-running position in the buffer.
     *
     * @return the position, valid while active
     */
    public long position() {
        return position;
    }

    /**
     * Reads a little-endian {@code long} at {@code index} of the payload.
     *
     * @param index the payload index, {@code [0, length() - 8]}
     * @return the value
     * @throws IndexOutOfBoundsException if it does not fit in the payload
     * @throws IllegalStateException     if the claim is not active
     */
    public long getLong(int index) {
        return memory().getLong(payloadIndex(index, Long.BYTES));
    }

    /**
     * Reads a little-endian {@code int} at {@code index} of the payload.
     *
     * @param index the payload index, {@code [0, length() - 4]}
     * @return the value
     * @throws IndexOutOfBoundsException if it does not fit in the payload
     * @throws IllegalStateException     if the claim is not active
     */
    public int getInt(int index) {
        return memory().getInt(payloadIndex(index, Integer.BYTES));
    }

    /**
     * Reads the byte at {@code index} of the payload.
     *
     * @param index the payload index, {@code [0, length() - 1]}
     * @return the value
     * @throws IndexOutOfBoundsException if it is outside the payload
     * @throws IllegalStateException     if the claim is not active
     */
    public byte getByte(int index) {
        return memory().getByte(payloadIndex(index, 1));
    }

    /**
     * Copies {@code length} payload bytes from {@code index} to {@code dst[offset, offset + length)}.
     *
     * @param index  the payload index
     * @param dst    the destination array
     * @param offset the first destination byte
     * @param length how many bytes
     * @throws IllegalArgumentException  if {@code dst} is null
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException     if the claim is not active
     */
    public void getBytes(int index, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Checks.notNull("dst", dst).length);
        memory().getBytes(payloadIndex(index, length), dst, offset, length);
    }

    /**
     * Copies {@code length} payload bytes from {@code index} into {@code dst}'s {@code [dstIndex, dstIndex + length)},
     * as {@link ByteBuffer#put(int, byte[], int, int)} does: the range must lie below {@code dst}'s limit; its
     * position is not used, and neither is changed. Everything is checked before a byte is copied.
     *
     * @param index    the payload index
     * @param dst      the destination buffer
     * @param dstIndex the first destination byte
     * @param length   how many bytes
     * @throws IllegalArgumentException          if {@code dst} is null
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only; nothing is written
     * @throws IndexOutOfBoundsException         if the destination range is not below {@code dst.limit()} or the
     *                                           payload range is out of bounds (the message names the values);
     *                                           nothing is written
     * @throws IllegalStateException             if the claim is not active
     */
    public void getBytes(int index, ByteBuffer dst, int dstIndex, int length) {
        Checks.range("dstIndex", dstIndex, length, "dst.limit()", Checks.notNull("dst", dst).limit());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        memory().getBytes(payloadIndex(index, length), dst, dstIndex, length);
    }

    /**
     * Consumes the record: its space is zeroed and freed for the producers (who are woken if they wait for room).
     *
     * @throws IllegalStateException if the claim is not active, or is the view given to a batch handler
     */
    public void release() {
        final ClaimOwner owner = this.owner;
        if (owner == null || batchView) {
            throw new IllegalStateException(batchView
                ? "a batch handler's record is consumed when the batch ends: do not release it"
                : "the claim is not active: it was never granted, or already released");
        }
        this.owner = null;
        owner.releaseRead(this);
    }

    private LogMemory memory() {
        if (owner == null) {
            throw new IllegalStateException("the claim is not active: read only between tryRead and release");
        }
        return memory;
    }

    private int payloadIndex(int index, int size) {
        Objects.checkFromIndexSize(index, size, length);
        return headerIndex + LogBufferDescriptor.PAYLOAD_OFFSET + index;
    }

    @Override
    public String toString() {
        return owner == null ? "ReadClaim{inactive}" : "ReadClaim{position=" + position + ", length=" + length + '}';
    }
}
