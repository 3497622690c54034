/**
 * Bounded rings of object references that carry envelopes between threads: {@link dev.tpcbridge.ring.SpscRing}
 * (one producer, one consumer) and {@link dev.tpcbridge.ring.MpscRing} (many producers, one consumer) behind the
 * {@link dev.tpcbridge.ring.Ring} contract, and {@link dev.tpcbridge.ring.WakingRing}, a ring that wakes its sleeping
 * side on transitions and waits ({@code send}, {@code receive}).
 *
 * <h2>Thread model</h2>
 * Each ring has a producer side ({@code offer}, {@code fill}, {@code closeProducer}) and a consumer side
 * ({@code poll}, {@code drain}, {@code closeConsumer}, {@code isClosedForPoll}). An {@code Spsc} ring admits one
 * producer thread and one consumer thread at a time; an {@code Mpsc} ring any number of producer threads and one
 * consumer thread. "One thread at a time" means the calls of a side are ordered by happens-before (one thread, or a
 * hand-over through a lock, a volatile or a thread start). {@code size}, {@code capacity}, {@code utilization} and
 * {@code isClosedForOffer}: any thread.
 *
 * <h2>Outcomes</h2>
 * Full and closed are {@link dev.tpcbridge.ring.OfferStatus} values and a failed offer leaves the element with the
 * caller; an empty ring polls {@code null}. Exceptions are for contract violations only, with a message naming the
 * bad value.
 *
 * <h2>Backpressure</h2>
 * A {@code WakingRing} can carry a {@code BackpressureController}: every push and pop of the ring passes through it, so
 * it is the one place that can re-evaluate the watermark on both (a controller updated on pushes only stays
 * {@code SUSPENDED} after the consumer drained), and the settle after a pop rides on the fence the wake protocol pays
 * anyway. The bridge's request ring uses it.
 *
 * <h2>Memory-ordering legend</h2>
 * Every VarHandle access goes through an accessor named for its mode: {@code xxxAcquire()} ({@code getAcquire}),
 * {@code xxxRelease(v)} ({@code setRelease}), {@code casXxx} ({@code compareAndSet}, volatile), {@code xxxOpaque()}
 * (atomic, never hoisted); plain access only by a field's owner thread, or under an edge named at the line. Each
 * release names the acquire it pairs with. An element is published by the release store into its slot, read with an
 * acquire by the consumer. {@code SpscRing} frees a slot by clearing it with a release, read by the producer's
 * look-ahead with an acquire; {@code MpscRing} clears the slot, then releases the consumer index that producers
 * acquire. {@code SpscRing} writes its slot accesses as a plain array access beside {@code acquireFence()} /
 * {@code releaseFence()}: the same ordering in practice, checked by jcstress.
 *
 * <p>Proof: {@code RingContractTest}, {@code RingLincheckTest}, {@code WakingRingTest}, {@code RingLayoutTest},
 * jcstress {@code SpscRingStress}, {@code MpscRingStress}, {@code WakeStress}, {@code BackpressureStress}.
 */
package dev.tpcbridge.ring;
