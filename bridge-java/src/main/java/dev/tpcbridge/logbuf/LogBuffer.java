package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.wake.WaitPolicy;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A bounded ring of variable-length byte records in one flat buffer (heap, or a direct {@link java.nio.ByteBuffer}),
 * written in place through a {@link WriteClaim} and read in place through a
 * {@link ReadClaim} or a batch {@link #read(RecordHandler, int)}. Created by {@link #spsc(int)}, {@link #mpsc(int)} or
 * {@link #builder()}; the layout is {@link LogBufferDescriptor}'s.
 *
 * <p><b>Threads.</b> Producer side: {@code tryClaim}, {@code tryWrite}, {@code closeProducer} and the claim's
 * {@code commit}/{@code abort}; one thread at a time for an SPSC buffer, any number of threads for an MPSC buffer.
 * Consumer side: {@code tryRead}, {@code read}, {@code isClosedForRead} and the read claim's {@code release}; one
 * thread at a time. {@code closeConsumer}, {@code used}, {@code available}, {@code utilization}, {@code capacity},
 * {@code isClosedForWrite} and {@code stalledClaims}: any thread. An SPSC buffer's {@code closeProducer} must come
 * from the producer thread (or after the producer stopped claiming), because the producer publishes its position
 * with a plain release store.
 *
 * <p><b>Visibility.</b> Every byte written into a claim before its {@code commit()} happens-before the consumer's
 * reads of that record: the record's header word is published last (release store, or CAS on an MPSC buffer) and
 * read first by the consumer (acquire load). Records are read in claim order.
 *
 * <p><b>Progress.</b> SPSC: claim, commit, read and release are wait-free. MPSC: a claim is lock-free (a CAS loop on
 * the tail), commit and abort are one CAS; the consumer cannot pass a claimed but uncommitted record (head-of-line
 * blocking), which is bounded by the stall timeout: after it the consumer revokes the claim (see
 * {@link Builder#stallTimeout}). Nothing here waits; {@link WakingLogBuffer} adds waking and waiting.
 *
 * <p><b>Normal outcomes.</b> Full, too large, closed and empty are values ({@link ClaimStatus},
 * {@link ReadStatus}), never exceptions; a record longer than {@link #maxPayloadLength()} is
 * {@link ClaimStatus#TOO_LARGE} at once (it could never fit). Exceptions are for contract violations: a length below
 * 1, a second commit or release, a claim reused while active, a handler that reads from its own batch.
 *
 * <p><b>Closing.</b> {@code closeProducer()}: no new claim succeeds; claims already granted may still commit; the
 * consumer reads every record claimed before the close and only then gets {@link ReadStatus#CLOSED}. A claim that
 * never ends (abandoned) is revoked after the stall timeout, on an SPSC buffer too once its producer has closed, so
 * the consumer does reach {@code CLOSED}.
 * {@code closeConsumer()}: producers get {@code CLOSED} at once; records still buffered are dropped (they are bytes in
 * a buffer that nobody will read; nothing needs handing back). Both are idempotent.
 *
 * <p><b>Algorithm.</b> Free-running byte positions, consumer zeroing (the consumer zeroes each record before it frees
 * the space, so free space always reads 0 and a zero header word means "not committed"), padding records at the wrap,
 * producer and consumer fields padded by inheritance (JCTools). The choice of consumer zeroing over lap-stamped
 * headers is measured in {@code benchmarks/results/logbuf-*}. Guarded by {@code LogBufferContractTest},
 * {@code LogBufferLincheckTest}, {@code LogBufferSoakTest} and jcstress {@code LogBufferStress}.
 */
public interface LogBuffer {
    /** The default stall timeout of an MPSC buffer: one second. */
    long DEFAULT_STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * A single-producer, single-consumer heap buffer of {@code capacity} bytes.
     *
     * @param capacity a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]} of {@link LogBufferDescriptor}
     * @return a new, open, empty buffer
     * @throws IllegalArgumentException if {@code capacity} is not such a power of two
     */
    static LogBuffer spsc(int capacity) {
        return builder().capacity(capacity).build();
    }

    /**
     * A multi-producer, single-consumer heap buffer of {@code capacity} bytes, with the default stall timeout.
     *
     * @param capacity a power of two in {@code [MIN_CAPACITY, MAX_CAPACITY]} of {@link LogBufferDescriptor}
     * @return a new, open, empty buffer
     * @throws IllegalArgumentException if {@code capacity} is not such a power of two
     */
    static LogBuffer mpsc(int capacity) {
        return builder().capacity(capacity).multiProducer(true).build();
    }

    /**
     * A builder for the other settings: direct memory, stall timeout, clock, and the waiting side's policy.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Claims space for a record of {@code length} payload bytes. On {@link ClaimStatus#OK} the caller writes into
     * {@code claim} and must then {@link WriteClaim#commit()} or {@link WriteClaim#abort()} it (see the idiom in
     * {@link WriteClaim}); an MPSC consumer cannot pass the claim until then (or until the stall timeout).
     *
     * @param length the payload length, {@code >= 1}
     * @param claim  an inactive claim owned by the caller; filled on {@code OK}
     * @return {@code OK}; {@code TOO_LARGE} if {@code length > maxPayloadLength()} (checked first); {@code CLOSED};
     *         or {@code FULL}
     * @throws IllegalArgumentException if {@code length < 1} or {@code claim} is null
     * @throws IllegalStateException    if {@code claim} is active
     */
    ClaimStatus tryClaim(int length, WriteClaim claim);

    /**
     * Copies {@code src[offset, offset + length)} into a new record and commits it: a claim, a copy and a commit,
     * without a claim object.
     *
     * @param src    the payload source
     * @param offset the first byte
     * @param length the payload length, {@code >= 1}
     * @return as for {@link #tryClaim}; on {@code OK} the record is committed
     * @throws IllegalArgumentException  if {@code length < 1} or {@code src} is null
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalStateException     if an MPSC consumer revoked the claim because the copy took longer than the
     *                                   stall timeout (the record is lost)
     */
    ClaimStatus tryWrite(byte[] src, int offset, int length);

    /**
     * Closes the producer side (see the class comment). Idempotent.
     *
     * <p>End every open claim first (commit or abort it: see the {@link WriteClaim} idiom). The consumer reads in
     * order and a claim is a promise of a record, so it never reports {@code CLOSED} past one: on SPSC a claim never
     * ended holds the consumer at it for good; on MPSC it is revoked after the stall timeout. An MPSC producer thread
     * that dies in the instant between winning its space and marking it claimed leaves a header the consumer
     * cannot size, so the records behind it are never read: the one case revocation cannot recover.
     */
    void closeProducer();

    /**
     * Whether either side closed: no claim will succeed. Any thread.
     *
     * @return {@code true} once closed
     */
    boolean isClosedForWrite();

    // ---------------------------------------------------------------- consumer side

    /**
     * Takes the oldest committed record into {@code claim}, skipping padding; release the claim to consume it.
     *
     * @param claim an inactive read claim owned by the consumer; filled on {@code OK}
     * @return {@code OK}, {@code EMPTY}, or {@code CLOSED} (producer closed and all read, or consumer closed)
     * @throws IllegalArgumentException if {@code claim} is null
     * @throws IllegalStateException    if {@code claim} is active, another read claim is still unreleased, or the
     *                                  call comes from a batch handler of this buffer
     */
    ReadStatus tryRead(ReadClaim claim);

    /**
     * Hands up to {@code limit} committed records to {@code handler}, in order, then frees their space at once (one
     * zeroing pass and one position publication per batch).
     *
     * @param handler receives each record (see {@link RecordHandler} for what it may do)
     * @param limit   the most records to hand over, {@code >= 1}
     * @return how many records were handed over (0 when empty or closed)
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     * @throws IllegalStateException    if a read claim is unreleased or the call comes from a batch handler
     */
    int read(RecordHandler handler, int limit);

    /**
     * Closes the consumer side: producers get {@code CLOSED}, reads return {@code CLOSED}, buffered records are
     * dropped. Any thread; idempotent.
     */
    void closeConsumer();

    /**
     * Whether the consumer will never read another record: the consumer side closed, or the producer side closed
     * and every record claimed before the close was consumed. After a producer-side close alone, never {@code true}
     * while a committed record is unread; after {@link #closeConsumer()}, {@code true} at once, with the records
     * still buffered dropped unread. Consumer thread.
     *
     * @return {@code true} once closed for read
     */
    boolean isClosedForRead();

    // ---------------------------------------------------------------- any thread

    /**
     * Bytes between the consumer and the producers: committed, claimed and padding records. Any thread; a snapshot.
     *
     * @return in {@code [0, capacity()]}
     */
    int used();

    /**
     * Free bytes: {@code capacity() - used()}. Any thread; a snapshot. A record of aligned length {@code n} may need
     * up to {@code 2n - 8} of them at the wrap.
     *
     * @return in {@code [0, capacity()]}
     */
    default int available() {
        return capacity() - used();
    }

    /**
     * The capacity in bytes.
     *
     * @return a power of two
     */
    int capacity();

    /**
     * {@code used() / capacity()}, for backpressure. Any thread; a snapshot.
     *
     * @return in {@code [0.0, 1.0]}
     */
    default double utilization() {
        return (double) used() / capacity();
    }

    /**
     * The largest payload a claim accepts: {@link LogBufferDescriptor#maxPayloadLength(int)} of the capacity.
     *
     * @return in bytes
     */
    int maxPayloadLength();

    /**
     * Whether the memory is a direct {@link java.nio.ByteBuffer}; else it is on the heap: a {@code byte[]} on JDK 17
     * to 21, a {@code long[]} on JDK 22+ (whose byte-array views have no atomic access modes), same layout.
     *
     * @return {@code true} for direct memory
     */
    boolean isDirect();

    /**
     * Whether many producer threads may claim at once.
     *
     * @return {@code true} for an MPSC buffer
     */
    boolean isMultiProducer();

    /**
     * How many MPSC claims the consumer revoked because they stayed uncommitted past the stall timeout (always 0 for
     * SPSC). Any thread; a snapshot. A non-zero count means a producer stalled or died inside a claim: a bug or an
     * overload to look into.
     *
     * @return the revoked-claim count
     */
    long stalledClaims();

    /**
     * The stall timeout: how long the consumer waits behind an uncommitted claim before it revokes it (MPSC claims,
     * and SPSC claims still open when the producer closed).
     *
     * @return nanoseconds
     */
    long stallTimeoutNanos();

    /**
     * Settings of a {@link LogBuffer} or {@link WakingLogBuffer}; one thread at a time.
     */
    final class Builder {
        int capacity = -1;
        boolean multiProducer;
        boolean direct;
        long stallTimeoutNanos = DEFAULT_STALL_TIMEOUT_NANOS;
        LongSupplier nanoClock = System::nanoTime;
        WaitPolicy policy = WaitPolicy.DEFAULT;
        /** Tests only: another memory (Lincheck's model checker does not support byte-array view VarHandles). */
        java.util.function.IntFunction<LogMemory> memoryFactory;

        Builder() {
        }

        /**
         * The capacity in bytes (required): a power of two, not rounded up (see
         * {@link LogBufferDescriptor#checkCapacity(int)}).
         *
         * @param capacity in {@code [MIN_CAPACITY, MAX_CAPACITY]}
         * @return this builder
         * @throws IllegalArgumentException naming the value, if it is not a power of two in range
         */
        public Builder capacity(int capacity) {
            this.capacity = LogBufferDescriptor.checkCapacity(capacity);
            return this;
        }

        /**
         * Whether many producer threads may claim at once; default {@code false}.
         *
         * @param multiProducer {@code true} for MPSC
         * @return this builder
         */
        public Builder multiProducer(boolean multiProducer) {
            this.multiProducer = multiProducer;
            return this;
        }

        /**
         * Whether the memory is a direct {@link java.nio.ByteBuffer} (off-heap) rather than a {@code byte[]};
         * default {@code false}.
         *
         * @param direct {@code true} for direct memory
         * @return this builder
         */
        public Builder direct(boolean direct) {
            this.direct = direct;
            return this;
        }

        /**
         * MPSC claims, and SPSC claims still open when the producer closes (an SPSC claim is never revoked before):
         * how long the consumer waits behind a claim that is not committed, measured from the moment it
         * first finds that claim at its position, before it revokes it (turns it into padding, counts it in
         * {@link LogBuffer#stalledClaims()}, and makes its late {@code commit}/{@code abort} throw). This bounds
         * head-of-line blocking. Set it well above any legitimate claim-to-commit time (GC pauses and preemption
         * included): bytes a revoked producer still writes land in space that later records may own, and can corrupt
         * their payload or pose as header words (phantom records, skipped records, "corrupt header word"); see
         * "Revocation" in {@link WriteClaim}. Default {@link #DEFAULT_STALL_TIMEOUT_NANOS}.
         *
         * @param timeout the timeout, at least 1 ns
         * @param unit    its unit
         * @return this builder
         * @throws IllegalArgumentException if the timeout is below 1 ns or {@code unit} is null
         */
        public Builder stallTimeout(long timeout, TimeUnit unit) {
            Checks.notNull("unit", unit);
            this.stallTimeoutNanos = LogBufferDescriptor.checkStallTimeout(unit.toNanos(timeout));
            return this;
        }

        /**
         * The clock that stall timeouts and channel deadlines read; default {@link System#nanoTime()}.
         *
         * @param nanoClock a monotonic clock in nanoseconds
         * @return this builder
         * @throws IllegalArgumentException if {@code nanoClock} is null
         */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Checks.notNull("nanoClock", nanoClock);
            return this;
        }

        /**
         * {@link WakingLogBuffer} only: how its waiting calls back off before they park; default
         * {@link WaitPolicy#DEFAULT}.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is null
         */
        public Builder waitPolicy(WaitPolicy policy) {
            this.policy = Checks.notNull("policy", policy);
            return this;
        }

        /**
         * Creates a buffer that neither wakes nor waits: a commit costs no fence.
         *
         * @return a new, open, empty buffer
         * @throws IllegalStateException if no capacity was set
         */
        public LogBuffer build() {
            return create();
        }

        /**
         * Creates a buffer whose commits and releases wake its waiting receiver and senders.
         *
         * @return a new, open, empty buffer
         * @throws IllegalStateException if no capacity was set
         */
        public WakingLogBuffer buildWaking() {
            return new WakingLogBuffer(create(), policy, nanoClock);
        }

        private AbstractLogBuffer create() {
            if (capacity < 0) {
                throw new IllegalStateException("capacity is not set: call capacity(int) before build()");
            }
            return multiProducer ? new MpscLogBuffer(this) : new SpscLogBuffer(this);
        }
    }
}
