package dev.tpcbridge.logbuf;

/**
 * The byte layout of a log buffer's records, its constants and validators (Agrona {@code RingBufferDescriptor}
 * style). Stateless; any thread.
 *
 * <p>The buffer is one flat region of {@code capacity} bytes (a power of two). Positions are free-running
 * {@code long} byte counts; a position's index in the region is {@code position & (capacity - 1)}. Every record
 * starts at a position that is a multiple of {@link #ALIGNMENT} and takes {@link #recordLength(int)} bytes: an
 * 8-byte header, then the payload, then up to 7 bytes of slack to the next multiple of 8. A record never splits: a
 * record that would cross the end of the region is preceded by a padding record that fills the rest of the region,
 * and starts at index 0.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |R|                 Length (payload bytes, int32)               |  LENGTH_OFFSET = 0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |C|       Type (DATA, PADDING, REVOKED; or C + lap; int32)      |  TYPE_OFFSET = 4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Payload (Length bytes)                       ...  PAYLOAD_OFFSET = 8
 * ...               then zero to 7 bytes to the next multiple of 8   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The two header fields form one little-endian 64-bit <b>header word</b> ({@link #headerWord(int, int)}), read and
 * written whole: the length in its low 32 bits, the type in its high 32 bits. The header word is the <b>commit
 * marker</b>: it is published last, with a release store (or a CAS), after the payload, and the consumer reads it
 * first, with an acquire load, before the payload. Its states:
 * <ul>
 *   <li>{@code 0} — free space or not yet committed. The consumer zeroes every record it consumes before it
 *   releases the space (consumer zeroing), so every byte of free space reads 0;</li>
 *   <li><b>claimed</b> ({@link #claimedWord(int, long, int)}) — a negative length ({@code R} set) and a type field
 *   whose sign bit is {@link #CLAIMED} ({@code C}) and whose other 31 bits are the claim's lap (its position divided
 *   by the capacity): claimed by a producer of an MPSC buffer, not yet committed. The length tells the consumer how
 *   far to skip if the claim is revoked; the lap makes the word unique to the claim, so that the late commit or abort
 *   of a revoked claim (a CAS from exactly this word) cannot succeed on a later claim of the same length at the same
 *   index (ABA), unless a multiple of 2^31 laps passed in between;</li>
 *   <li>{@code DATA} with a positive length — a committed record;</li>
 *   <li>{@code PADDING} — space to skip: the end of the region at a wrap, or an aborted claim;</li>
 *   <li>{@code REVOKED} — space to skip: an MPSC claim left uncommitted past the stall timeout, which the consumer
 *   revoked (a CAS from the claimed state); the claim's late commit or abort then throws.</li>
 * </ul>
 *
 * <p>The largest record is an eighth of the capacity ({@link #maxRecordLength(int)}), so that a record can always
 * fit after a padding record, and a full buffer still holds at least a few records.
 */
public final class LogBufferDescriptor {
    /** Records start at multiples of this many bytes, so that every header word is an aligned 64-bit access. */
    public static final int ALIGNMENT = 8;
    /** The header's size in bytes. */
    public static final int HEADER_LENGTH = 8;
    /** The offset of the length field (int32, little-endian) within a record. */
    public static final int LENGTH_OFFSET = 0;
    /** The offset of the type field (int32, little-endian) within a record. */
    public static final int TYPE_OFFSET = LENGTH_OFFSET + Integer.BYTES;
    /** The offset of the payload within a record. */
    public static final int PAYLOAD_OFFSET = TYPE_OFFSET + Integer.BYTES;

    /** Type of a record that carries a payload. */
    public static final int TYPE_DATA = 1;
    /** Type of a record to skip: the end of the region before a wrap, or an aborted claim. */
    public static final int TYPE_PADDING = 2;
    /** Type of a record to skip: an MPSC claim the consumer revoked after the stall timeout. */
    public static final int TYPE_REVOKED = 3;

    /**
     * The sign bit of the type field of a claimed (uncommitted MPSC) header word; the other 31 bits of that field
     * are the claim's lap stamp. No record type has it.
     */
    public static final int CLAIMED = 0x8000_0000;

    /** The smallest capacity, in bytes: room for eight records of the largest size, each 32 bytes. */
    public static final int MIN_CAPACITY = 256;
    /** The largest capacity, in bytes: 2^30 (an {@code int} index into one region). */
    public static final int MAX_CAPACITY = 1 << 30;

    static {
        // true by construction: the header is the two fields, and it keeps the payload aligned
        if (PAYLOAD_OFFSET != HEADER_LENGTH || HEADER_LENGTH % ALIGNMENT != 0) {
            throw new AssertionError("header layout");
        }
    }

    private LogBufferDescriptor() {
    }

    /**
     * The bytes a record takes with its header, rounded up to {@link #ALIGNMENT}.
     *
     * @param payloadLength the payload's length, {@code >= 0}
     * @return {@code align(HEADER_LENGTH + payloadLength)}
     */
    public static int recordLength(int payloadLength) {
        return (HEADER_LENGTH + payloadLength + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * The largest record, header included, that a buffer of {@code capacity} bytes accepts: {@code capacity / 8}.
     *
     * @param capacity a valid capacity
     * @return the largest aligned record length
     */
    public static int maxRecordLength(int capacity) {
        return capacity / 8;
    }

    /**
     * The largest payload that a buffer of {@code capacity} bytes accepts: {@code capacity / 8 - HEADER_LENGTH}.
     * A longer payload is reported as {@link ClaimStatus#TOO_LARGE}: it could never fit.
     *
     * @param capacity a valid capacity
     * @return the largest payload length
     */
    public static int maxPayloadLength(int capacity) {
        return maxRecordLength(capacity) - HEADER_LENGTH;
    }

    /**
     * The header word of a record: the length in the low 32 bits, the type in the high 32 bits.
     *
     * @param length the length field (negative while an MPSC claim is uncommitted)
     * @param type   the type field
     * @return the 64-bit header word, as stored little-endian at the record's start
     */
    public static long headerWord(int length, int type) {
        return ((long) type << 32) | (length & 0xFFFF_FFFFL);
    }

    /**
     * The claimed header word of an MPSC claim of {@code length} payload bytes at {@code position}: the length
     * negated, and the type field {@link #CLAIMED} with the claim's lap ({@code position / capacity}, low 31 bits).
     * Two claims at the same index get the same word only if their laps differ by a multiple of 2^31.
     *
     * @param length   the payload length, {@code >= 1}
     * @param position the claim's position (of its header)
     * @param capacity the buffer's capacity, a power of two
     * @return the claimed header word
     */
    public static long claimedWord(int length, long position, int capacity) {
        final int lap = (int) (position >>> Integer.numberOfTrailingZeros(capacity)) & ~CLAIMED;
        return headerWord(-length, CLAIMED | lap);
    }

    /**
     * Whether a header word is a claimed word ({@link #claimedWord(int, long, int)}): its type field has the
     * {@link #CLAIMED} bit and its length is negative.
     *
     * @param headerWord a header word
     * @return {@code true} for an uncommitted MPSC claim
     */
    public static boolean isClaimed(long headerWord) {
        return headerWord < 0 && (int) headerWord < 0;
    }

    /**
     * The length field of a header word.
     *
     * @param headerWord a header word
     * @return its length field
     */
    public static int length(long headerWord) {
        return (int) headerWord;
    }

    /**
     * The type field of a header word.
     *
     * @param headerWord a header word
     * @return its type field
     */
    public static int type(long headerWord) {
        return (int) (headerWord >>> 32);
    }

    /**
     * Checks a capacity: a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]}. Capacities are not rounded up: a
     * log buffer's memory is often sized to a budget, and doubling it silently would break that budget.
     *
     * @param capacity the capacity in bytes
     * @return {@code capacity}
     * @throws IllegalArgumentException naming the value, if it is not a power of two or out of range
     */
    public static int checkCapacity(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two in ["
                + MIN_CAPACITY + ", " + MAX_CAPACITY + "]");
        }
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two (the next one is "
                + (Integer.highestOneBit(capacity) << 1) + ")");
        }
        return capacity;
    }

    /**
     * Checks a payload length: at least 1 (a zero length is a contract violation: an empty record carries nothing,
     * and the zero header word means "not committed"). An upper bound is not a contract violation but an outcome,
     * {@link ClaimStatus#TOO_LARGE}.
     *
     * @param length the payload length
     * @return {@code length}
     * @throws IllegalArgumentException naming the value, if {@code length < 1}
     */
    public static int checkLength(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length=" + length + " must be >= 1");
        }
        return length;
    }

    /**
     * Checks the stall timeout of an MPSC buffer: at least 1 ns.
     *
     * @param stallTimeoutNanos the timeout in nanoseconds
     * @return {@code stallTimeoutNanos}
     * @throws IllegalArgumentException naming the value, if it is below 1
     */
    public static long checkStallTimeout(long stallTimeoutNanos) {
        if (stallTimeoutNanos < 1) {
            throw new IllegalArgumentException("stallTimeoutNanos=" + stallTimeoutNanos + " must be >= 1");
        }
        return stallTimeoutNanos;
    }
}
