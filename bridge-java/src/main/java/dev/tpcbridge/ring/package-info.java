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
 *   <li>plain field access — only by the field's single writer, or under a happens-before edge named at the line.</li>
 * </ul>
 * Pairing rule: each release store names the acquire load it pairs with, at the line. An element becomes
 * visible to the consumer through exactly one release: the producer index ({@code SpscRing}) or the slot itself
 * ({@code MpscRing}); the consumer frees a slot by clearing it before the release of the consumer index, which the
 * producer acquires before reusing the slot.
 *
 * <h2>Proof</h2>
 * {@code RingContractTest} runs one contract suite against both rings at tiny capacities; {@code
 * RingLincheckTest} checks linearizability (model checking and stress); the {@code bridge-jcstress} module's
 * {@code SpscRingStress} and {@code MpscRingStress} check element publication and close visibility;
 * {@code RingLayoutTest} checks the padding.
 */
package dev.tpcbridge.ring;
