/**
 * Single-producer, multi-subscriber broadcast: {@link dev.tpcbridge.multicast.MulticastBuffer} carries one stream of
 * elements to any number of {@link dev.tpcbridge.multicast.Subscriber}s, each of which sees every
 * element in publication order. A data-plane core fans its results out to several control-plane consumers
 * (replication, change feeds), or one control-plane feed reaches several cores.
 *
 * <h2>Thread model</h2>
 * One producer thread at a time publishes ({@code offer}, {@code fill}, {@code send}) and closes the producer side.
 * Any thread subscribes; each subscriber has one owner thread at a time that consumes ({@code poll}, {@code drain},
 * {@code receive}); any thread may close a subscriber, which then no longer gates the producer. Gauges are snapshots
 * readable from any thread.
 *
 * <h2>Slow subscribers</h2>
 * Chosen per buffer ({@link dev.tpcbridge.multicast.SlowSubscriberPolicy}): {@code LOSSLESS} gates the producer on
 * the slowest subscriber ({@code FULL}, or a waiting {@code send}); {@code LOSSY} never makes the producer wait, and a
 * lapped subscriber skips to the oldest element still available and counts exactly how many it skipped.
 *
 * <h2>Waiting</h2>
 * {@code send} and {@code receive} wait through {@code wake.Waiter} on the buffer's
 * {@link dev.tpcbridge.multicast.MulticastBuffer#writable()} and each subscriber's
 * {@link dev.tpcbridge.multicast.Subscriber#readable()} conditions, woken only on transitions (a
 * publication, the floor moving, a close) with the armed-waiter protocol of {@code dev.tpcbridge.wake}. A buffer built
 * {@code busySpin()} has no such protocol: its waits spin, then yield, and never park, and its conditions refuse to
 * arm.
 *
 * <h2>Memory-ordering legend</h2>
 * Accessors and VarHandle calls are named for their mode: {@code xxxAcquire()} ({@code getAcquire}),
 * {@code xxxRelease(v)} / {@code setRelease} ({@code setRelease}), {@code xxxOpaque} (atomic, never hoisted),
 * {@code getAndSet}/{@code compareAndSet} (volatile read-modify-writes); plain accesses only by a field's owner or
 * under an edge named at the line. The pairs:
 * <ul>
 *   <li>Lossless publication: element store (plain), then {@code cursorRelease}; pairs with {@code cursorAcquire}
 *   in {@code poll}/{@code drain}, after which the subscriber reads the element.</li>
 *   <li>Lossless slot release: a subscriber's {@code setRelease} of its sequence after reading the slots below it;
 *   pairs with the clearer's {@code getAcquire} of that sequence in {@code advanceFloor}, after which it nulls those
 *   slots and publishes the floor with a volatile write; that pairs with the producer's volatile read of the floor,
 *   after which it overwrites the slots below it.</li>
 *   <li>The last subscriber to pass a slot clears it (Dekker): a subscriber's sequence release, full fence, read of the
 *   floor (and, holding it, of the other sequences); a clearer's volatile write of the floor, then its reads of the
 *   sequences. Of two subscribers passing the same slot at once, at least one sees the other's advance.</li>
 *   <li>One clearer at a time: a CAS sets the floor's busy bit before the clears, the volatile write of the new floor
 *   ends it; a thread that finds it busy leaves the work to the clearer's next look.</li>
 *   <li>Subscribe racing a clear (Dekker): registration CAS, full fence, floor read in {@code subscribe} (waiting out
 *   a busy floor; the start is never below the floor); the busy CAS, then the subscriber-array read in
 *   {@code advanceFloor}.</li>
 *   <li>Unsubscribe racing the gating minimum: a subscriber's close ({@code getAndSet}) precedes its removal (CAS);
 *   the owner reads each slot, then an {@code acquireFence}, then the close flag, and drops what it read if
 *   closed.</li>
 *   <li>Lossy publication (a seqlock per slot): mark word {@code index<<1|1} (opaque), {@code releaseFence}, element,
 *   word {@code index<<1} with a release, then {@code cursorRelease}; the reader acquires the cursor, acquires the
 *   word, reads the element, {@code acquireFence}, re-reads the word, and treats a word for a later index as a lap,
 *   resuming at the oldest index the cursor and the word leave available once that publication's cursor is out.</li>
 *   <li>Waking: a notifier's full fence after its publication (a cursor release, a sequence release, a new floor)
 *   pairs with the waiter's CAS and fence in {@code WaiterList.add} before its re-check.</li>
 * </ul>
 *
 * <p>Proof: {@code MulticastContractTest}, {@code MulticastBusySpinTest}, {@code MulticastLincheckTest} (and its
 * {@code -Pstress} size), {@code MulticastSoakTest} ({@code MulticastSoakStressTest}: 10^8 elements; lossless runs
 * end with every slot cleared), {@code MulticastAllocationTest}, {@code MulticastLayoutTest}, jcstress
 * {@code MulticastStress} and {@code MulticastFloorStress}; Kotlin {@code MulticastFlowsSpec}.
 */
package dev.tpcbridge.multicast;
