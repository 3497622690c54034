/**
 * Bounded rings of object references that carry envelopes between threads: {@link dev.tpcbridge.ring.SpscRing}
 * (one producer, one consumer) and {@link dev.tpcbridge.ring.MpscRing} (many producers, one consumer), both behind
 * the {@link dev.tpcbridge.ring.Ring} contract.
 *
 * <h2>Thread model</h2>
 * Each ring has a producer side ({@code offer}, {@code fill}, {@code closeProducer}) and a consumer side
 * ({@code poll}, {@code drain}, {@code closeConsumer}, {@code isClosedForPoll}). An {@code Spsc} ring admits one
 * producer thread and one consumer thread at a time; an {@code Mpsc} ring admits any number of producer threads and
 * one consumer thread. "One thread at a time" means the calls of a side must be ordered by happens-before (the
 * same thread, or a hand-over through a lock, a volatile or a thread start). {@code size}, {@code capacity},
 * {@code utilization} and {@code isClosedForOffer} may be called from any thread.
 *
 * <h2>Outcomes</h2>
 * Full and closed are normal outcomes, reported as {@link dev.tpcbridge.ring.OfferStatus} values; a failed offer
 * leaves the element with the caller. Exceptions are for contract violations only (null element, bad capacity,
 * limit &lt; 1), with a message naming the bad value.
 *
 * <h2>Memory-ordering legend</h2>
 * Every VarHandle access goes through an accessor named for its mode:
 * <ul>
 *   <li>{@code xxxAcquire()} — {@code getAcquire}: later reads and writes stay after it;</li>
 *   <li>{@code xxxRelease(v)} — {@code setRelease}: earlier reads and writes stay before it;</li>
 *   <li>{@code casXxx(expect, update)} — {@code compareAndSet}: volatile (sequentially consistent);</li>
 *   <li>{@code xxxOpaque()} — {@code getOpaque}: no ordering, but never hoisted out of a loop;</li>
 *   <li>plain field access — by the field's owner thread, or under a happens-before edge named at the line (after
 *   a consumer-side close, {@code SpscRing}'s producer may write the consumer index while it holds the sweep).</li>
 * </ul>
 * Pairing rule: each release store names the acquire load it pairs with, at the line. An element becomes visible
 * to the consumer through the release store of the element into its slot, which the consumer reads with an
 * acquire load (both rings). {@code SpscRing}'s consumer frees a slot by clearing it with a release, which the
 * producer's look-ahead reads with an acquire; {@code MpscRing}'s consumer clears the slot and then releases the
 * consumer index, which producers acquire before reusing the slot. {@code SpscRing} expresses its slot accesses as a
 * plain array access beside {@code VarHandle.acquireFence()}/{@code releaseFence()}: the same ordering as
 * {@code getAcquire}/{@code setRelease} in practice (and as JCTools' {@code Unsafe} accessors), though fences sit
 * outside the formal happens-before rules of the Java memory model; jcstress checks the outcome.
 *
 * <h2>Proof</h2>
 * {@code RingContractTest} runs one contract suite against both rings at tiny capacities; {@code
 * RingLincheckTest} checks linearizability (model checking and stress); the {@code bridge-jcstress} module's
 * {@code SpscRingStress} and {@code MpscRingStress} check element publication and close visibility;
 * {@code RingLayoutTest} checks the padding.
 */
package dev.tpcbridge.ring;
