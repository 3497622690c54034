/**
 * Zero-copy payload transport: a {@link dev.tpcbridge.slab.SlabPool} of fixed-size off-heap pages, each named by a
 * generation-checked {@code long} handle ({@link dev.tpcbridge.slab.SlabHandle}), written in place by its owner and
 * read by the receiver through a reusable {@link dev.tpcbridge.slab.SlabView}.
 *
 * <h2>Thread model</h2>
 * A pool is thread-safe: any thread allocates, any thread releases, so pages flow both ways (a data-plane core
 * allocates from its own pool for responses; a control-plane sender leases from the pool of the core it sends to, for
 * requests). Ownership travels with the handle: only its holder writes the page, and it releases the handle exactly
 * once. A {@code SlabView} is used by one thread at a time.
 *
 * <h2>Return path</h2>
 * A release validates the handle, flips the page's state (owned at generation g to free at g + 1; 43 bits, so a
 * stale handle aliases a live one only after 2^43 - 1 reuses of its page) with one CAS in
 * the releasing thread and pushes the page back on the pool's lock-free free stack at once. That stack is the bounded
 * MPSC return path: it holds each page at most once (so it can never be full or overwrite), the owner drains nothing,
 * and a released page is allocatable from the next instant.
 *
 * <h2>Memory-ordering legend</h2>
 * <ul>
 *   <li>{@code stateAcquire}/{@code stateRelease}/{@code casState}: a page's state word, read with acquire, set
 *   with release when allocated, flipped with a volatile CAS when released;</li>
 *   <li>{@code headVolatile}/{@code casHead}: the free stack's head, volatile read and CAS;</li>
 *   <li>{@code nextOpaqueStore}/{@code nextOpaque}: a page's free-stack link, stored (opaque) before the CAS on head
 *   that publishes it and read (opaque) after the volatile read of head;</li>
 *   <li>{@code addAllocation}/{@code addExhausted}/{@code addOversize}: {@code getAndAdd} on counters only
 *   allocating threads write; {@code highWaterMarkOpaque}: the high-water mark, raised by CAS;</li>
 *   <li>{@code VarHandle.loadLoadFence()} in {@code isCurrent}: a reader's page reads before its re-check of the
 *   state (seqlock);</li>
 *   <li>a page's payload length ({@code LENGTH} in its stride): plain, written by the owner at {@code alloc} and
 *   {@code resize}, read by whoever holds the handle: it travels with the page's bytes, under the hand-over's
 *   edge (jcstress {@code SlabStress.LengthHandover}).</li>
 * </ul>
 * Pairing: a release's CAS on the state and its CAS on head come after the releaser's reads of the page; the next
 * allocation of the page reads head (volatile) and CASes it before its owner writes, so a new owner's bytes never
 * show through an old owner's reads. The seqlock re-check of a {@code SlabView} relies on that order on the writer's
 * side: the new owner's writes come after the pop's CAS, which comes after the releasing CAS on the state that the
 * re-check reads. The payload itself travels under the hand-over's own edge (a ring's release/acquire).
 *
 * <p>Proof: {@code SlabPoolTest}, {@code SlabPoolConcurrentTest}, {@code SlabLincheckTest}, {@code SlabLayoutTest},
 * jcstress {@code SlabStress}.
 */
package dev.tpcbridge.slab;
