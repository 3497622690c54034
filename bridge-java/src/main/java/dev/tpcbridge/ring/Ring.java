package dev.tpcbridge.ring;

import java.util.function.Supplier;

/**
 * A bounded, lock-free ring of object references: the contract shared by {@link SpscRing} and {@link MpscRing}.
 *
 * <p><b>Threads.</b> Producer methods ({@link #offer}, {@link #fill}, {@link #closeProducer}) are called by the
 * producer thread of an {@code Spsc} ring, or by any thread of an {@code Mpsc} ring. Consumer methods
 * ({@link #poll}, {@link #drain}, {@link #closeConsumer}, {@link #isClosedForPoll}) are called by one consumer
 * thread at a time. {@link #size}, {@link #isEmpty}, {@link #capacity}, {@link #utilization} and
 * {@link #isClosedForOffer} may be called by any thread; their answer may be stale by the time it is read.
 *
 * <p><b>Visibility.</b> Everything a producer wrote before a successful {@code offer} or {@code fill}
 * <i>happens-before</i> the consumer's {@code poll} or {@code drain} that returns the element. Elements are seen
 * in the order the producer index was claimed (FIFO per producer, and globally for an {@code Mpsc} ring).
 *
 * <p><b>Progress.</b> Offer and fill of an {@code Spsc} ring are wait-free; of an {@code Mpsc} ring, lock-free. Poll
 * and drain are wait-free, except that an {@code Mpsc} poll waits (spins) for a producer that has claimed a slot but
 * not yet stored into it; {@code size} is lock-free. Nothing blocks or parks: blocking and waking are layered above
 * the rings, by the packages that add wakers.
 *
 * <p><b>Normal outcomes, not errors.</b> A full ring and a closed ring are reported as {@link OfferStatus#FULL} and
 * {@link OfferStatus#CLOSED}, and the element stays with the caller; an empty ring polls {@code null}.
 *
 * <p><b>Callbacks.</b> A drain handler must not call {@code poll} or {@code drain} on the ring it drains (that throws
 * {@link IllegalStateException}); it may call {@code closeConsumer}, which then takes effect when the handler
 * returns. An exception thrown by the undelivered-element handler propagates from the call that ran the sweep,
 * after every element has been handed over.
 *
 * <p><b>Closing.</b> {@link #closeProducer()} says no more elements will come: later offers return
 * {@code CLOSED} at once, and the consumer still receives every element offered before, then sees
 * {@link #isClosedForPoll()} {@code true}. {@link #closeConsumer()} says no more elements will be taken: later
 * offers return {@code CLOSED}, and every element still buffered goes to the ring's undelivered-element handler
 * (or is dropped when the ring has none), so nothing vanishes silently: an element whose offer returned {@code OK}
 * is taken by the consumer or handed to the handler by the time both that offer and the close have returned, even if
 * the producer makes no further call. Both are idempotent.
 *
 * @param <E> the element type
 */
public interface Ring<E> {
    /**
     * Offers one element (producer side).
     *
     * @param element the element, not null
     * @return {@link OfferStatus#OK} if the ring took it; {@code FULL} or {@code CLOSED} if the caller keeps it
     * @throws IllegalArgumentException if {@code element} is null
     */
    OfferStatus offer(E element);

    /**
     * Offers up to {@code limit} elements taken from {@code supplier} (producer side). The supplier is asked only
     * for elements that have a free slot; it may return {@code null} to stop early. If it throws, the elements it
     * already gave are published and the exception propagates. The elements become visible to the consumer in
     * order, possibly one by one before the call returns; the producer index, which {@link #size()} and the close
     * protocol read, is updated once per batch. The supplier must be quick and must not block or touch this ring:
     * an {@code Mpsc} ring claims the batch's slots first, and its consumer waits for them.
     *
     * @param supplier gives the elements; {@code null} means "no more now"
     * @param limit    the most elements to take, at least 1
     * @return how many elements the ring took; 0 when it is full or closed ({@link #isClosedForOffer()} tells which)
     * @throws IllegalArgumentException if {@code supplier} is null or {@code limit < 1}
     */
    int fill(Supplier<? extends E> supplier, int limit);

    /**
     * Takes the oldest element (consumer side).
     *
     * @return the element, or {@code null} when the ring is empty
     */
    E poll();

    /**
     * Hands up to {@code limit} elements to {@code handler}, freeing each slot as it goes and updating the consumer
     * index once per batch (consumer side). If the handler throws, the elements handed so far (the throwing one
     * included) are consumed and the exception propagates. The handler must not call {@code poll} or {@code drain}
     * on this ring (that throws {@link IllegalStateException}); a {@code closeConsumer} from it takes effect when it
     * returns, and ends the drain.
     *
     * @param handler receives each element, on the calling thread
     * @param limit   the most elements to take, at least 1
     * @return how many elements were handed over
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     */
    int drain(ElementHandler<? super E> handler, int limit);

    /**
     * Closes the producer side: no element is taken after this call returns. Idempotent.
     */
    void closeProducer();

    /**
     * Closes the consumer side: offers fail with {@code CLOSED} and every buffered element goes to the ring's
     * undelivered-element handler. Idempotent.
     */
    void closeConsumer();

    /**
     * Whether offers now fail with {@code CLOSED} (either side closed). Any thread.
     *
     * @return {@code true} once either side has closed
     */
    boolean isClosedForOffer();

    /**
     * Whether the consumer has seen everything it ever will: the producer side is closed and every element
     * offered before that has been taken, or the consumer side is closed (consumer side).
     *
     * @return {@code true} when no element can be polled now or later
     */
    boolean isClosedForPoll();

    /**
     * The number of elements in the ring, between 0 and {@link #capacity()}. Any thread; a snapshot.
     *
     * @return the element count
     */
    int size();

    /**
     * Whether {@link #size()} is 0. Any thread; a snapshot.
     *
     * @return {@code true} when no element is buffered
     */
    boolean isEmpty();

    /**
     * The number of slots: the requested capacity rounded up to a power of two.
     *
     * @return the capacity
     */
    int capacity();

    /**
     * {@link #size()} divided by {@link #capacity()}, in {@code [0.0, 1.0]}. Any thread; a snapshot.
     *
     * @return the fill ratio
     */
    double utilization();
}
