/**
 * Variable-length byte log buffers: {@link dev.tpcbridge.logbuf.LogBuffer} (SPSC and MPSC rings of byte records in
 * one flat heap or direct buffer, written and read in place through claims) and {@link
 * dev.tpcbridge.logbuf.WakingLogBuffer} (one that wakes its other side and waits, with deadlines). The layout is in
 * {@link dev.tpcbridge.logbuf.LogBufferDescriptor}.
 *
 * <h2>Thread model</h2>
 * A producer side ({@code tryClaim}, {@code tryWrite}, a {@link dev.tpcbridge.logbuf.WriteClaim}'s
 * {@code commit}/{@code abort}, {@code closeProducer}; waiting {@code send}/{@code claim}) and a consumer side
 * ({@code tryRead}, {@code read}, a {@link dev.tpcbridge.logbuf.ReadClaim}'s {@code release}; waiting
 * {@code receive}). SPSC: one producer thread and one consumer thread at a time; MPSC: any producer threads and one
 * consumer thread. Claim objects belong to the thread that uses them and are reused, so the hot paths allocate
 * nothing. A {@code WakingLogBuffer} wraps a buffer the way a {@code WakingRing} wraps a ring: every commit, release
 * and close passes through it (a claim it grants reports back to it), so it wakes the other side on transitions, and
 * its waiting calls go through {@link dev.tpcbridge.wake.Waiter}.
 *
 * <h2>Outcomes</h2>
 * Full, too large, closed and empty are values ({@link dev.tpcbridge.logbuf.ClaimStatus},
 * {@link dev.tpcbridge.logbuf.ReadStatus}). Exceptions are contract violations (a length below 1, a second commit,
 * release or abort, a claim reused while active, an out-of-bounds put/get) or a revoked MPSC claim's late commit.
 *
 * <h2>Commit-marker protocol</h2>
 * Each record's 64-bit header word is its commit marker: the producer writes the payload with plain stores and
 * publishes the header word last (release store on SPSC, CAS from the claimed state on MPSC); the consumer reads the
 * header word first (acquire) and then the payload. The consumer zeroes each record before it releases the space
 * (release store of its head, acquired by producers before they reuse the space), so free space reads 0 and 0 means
 * "not committed". Consumer zeroing was chosen over lap-stamped headers: MPSC needs it (between a producer's tail CAS
 * and its header write, a stale word of an earlier lap, payload bytes included, could pose as a header, and a
 * producer cannot write the terminator lap stamps need). The benchmark comparing both on SPSC
 * ({@code benchmarks/results/logbuf-2026-11-27.md}) found lap stamps faster for large records (1.34x at 1 KiB, 1.73x
 * at 64 KiB: zeroing is a second write pass over every consumed byte) and not at 32 bytes; one protocol for both
 * topologies was kept, and a lap-stamped SPSC variant for large records is left open.
 *
 * <h2>Head-of-line blocking (MPSC)</h2>
 * The consumer reads in claim order, so an uncommitted claim holds back the records claimed after it. The bound is
 * the stall timeout ({@link dev.tpcbridge.logbuf.LogBuffer.Builder#stallTimeout}, default 1 s) counted from when the
 * consumer first finds the claim at its head: the consumer then revokes it (a CAS to a {@code REVOKED} padding
 * record, counted in {@link dev.tpcbridge.logbuf.LogBuffer#stalledClaims()}), and the producer's late
 * {@code commit}/{@code abort} throws {@link java.lang.IllegalStateException}. The revoked space is zeroed and handed
 * to producers at once, so a revoked producer that is still running must not write into its claim any more: the
 * space may already belong to a later record. Each {@code WriteClaim} put checks the header word first and throws
 * once it sees the revocation, but a put racing with it (and any bulk copy under way) still writes, and can corrupt
 * a later record's payload, or, hitting a later header word, make the consumer deliver a phantom record, skip real
 * records or throw "corrupt header word" ({@link dev.tpcbridge.logbuf.WriteClaim}, "Revocation"). The stall timeout
 * must therefore exceed any live producer's claim-to-commit time; revocation is for producers that died or hung.
 *
 * <h2>Memory-ordering legend</h2>
 * Every VarHandle access goes through an accessor named for its mode:
 * <ul>
 *   <li>{@code xxxAcquire()} / {@code getLongAcquire} — {@code getAcquire}: later reads and writes stay after
 *   it;</li>
 *   <li>{@code xxxRelease(v)} / {@code putLongRelease} — {@code setRelease}: earlier reads and writes stay before
 *   it;</li>
 *   <li>{@code casXxx} / {@code casLong} — {@code compareAndSet}: volatile;</li>
 *   <li>{@code xxxOpaque()} / {@code putLongOpaque} — no ordering, but atomic and never hoisted out of a loop;</li>
 *   <li>plain accesses — payload bytes (ordered by the header word), and fields owned by one thread.</li>
 * </ul>
 * Pairing rule: each release store or CAS names, at its line, the acquire load it pairs with. Header word: the
 * commit's release/CAS pairs with the consumer's acquire. Head: the consumer's release (after zeroing) pairs with the
 * producers' acquire before reuse. Tail: the producers' release pairs with the acquire in {@code used()} and the
 * consumer's close check. State: the closes' volatile bit-sets pair with the consumer's acquire before it reads the
 * final tail.
 *
 * <p>Proof: {@code LogBufferContractTest}, {@code WakingLogBufferTest}, {@code WakingLogBufferRaceTest},
 * {@code LogBufferLincheckTest}, {@code LogBufferSoakTest}, {@code LogBufferLayoutTest}, jcstress
 * {@code LogBufferStress}, {@code LogBufferReuseStress}, {@code WakeStress}.
 */
package dev.tpcbridge.logbuf;
