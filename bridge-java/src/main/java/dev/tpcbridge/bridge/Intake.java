package dev.tpcbridge.bridge;

import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.ring.WakingRing;

import java.util.concurrent.TimeUnit;

/**
 * The queue in front of a {@link BridgeClient}'s single-producer request ring: many caller threads offer calls, the
 * client's completion thread takes them in the order the policy decides. {@link #fifo(int)} is first come, first
 * served; a weighted-fair policy across tenants implements the same interface (reading {@link BridgeCall#tenant()}
 * and {@link BridgeCall#payloadLength()}).
 *
 * <p><b>Threads.</b> {@code offer}, {@code send}, {@code writable}, {@code close} and {@code size}: any thread.
 * {@code poll}, {@code readable} and {@code isClosedForPoll}: the completion thread only.
 *
 * <p><b>Contract.</b> Bounded; a full intake makes {@code offer} return {@code FULL} and {@code send} wait (through
 * {@link dev.tpcbridge.wake.Waiter}, honouring interrupts and deadlines), never drop. After
 * {@link #close()} offers return {@code CLOSED}, and {@code poll} still returns every call accepted before, then
 * {@code null} with {@link #isClosedForPoll()} true. {@link #readable()} follows the project's wake protocol
 * ({@link Wakeable}): the completion thread parks on it and is woken by the first offer into an empty intake or by
 * the close.
 */
public interface Intake {
    /**
     * A first-come, first-served intake: a multi-producer {@link WakingRing} of at least {@code capacity} calls.
     *
     * @param capacity the least number of calls it holds (rounded up to a power of two)
     * @return a new intake
     * @throws IllegalArgumentException if {@code capacity} is out of the ring's range
     */
    static Intake fifo(int capacity) {
        return new FifoIntake(capacity, dev.tpcbridge.wake.WaitPolicy.DEFAULT, System::nanoTime);
    }

    /**
     * Takes a call if there is room, without waiting. Any thread; lock-free.
     *
     * @param call the call
     * @return {@code OK}, {@code FULL} or {@code CLOSED}
     */
    OfferStatus offer(BridgeCall<?> call);

    /**
     * Takes a call, waiting for room up to {@code timeout}. Any thread.
     *
     * @param call    the call
     * @param timeout how long to wait at most; {@code Long.MAX_VALUE} nanoseconds or more: as long as it takes
     * @param unit    its unit
     * @return {@code OK}, {@code FULL} once the time ran out, or {@code CLOSED}
     * @throws InterruptedException if interrupted before or while waiting (the call was not taken)
     */
    OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * The next call by the policy's order. Completion thread only.
     *
     * @return the call, or {@code null} if none is waiting
     */
    BridgeCall<?> poll();

    /**
     * Hands up to {@code limit} calls, in the policy's order, to {@code handler}: the batch form of {@link #poll()},
     * which a ring-based intake frees with one publication. Completion thread only.
     *
     * @param handler receives each call, on the calling thread
     * @param limit   the most calls, at least 1
     * @return how many calls were handed over
     */
    int drain(ElementHandler<? super BridgeCall<?>> handler, int limit);

    /**
     * The condition "a call is waiting, or the intake is closed". Completion thread only.
     *
     * @return the condition
     */
    Wakeable readable();

    /**
     * The condition "a call can be offered now, or the intake is closed", for a caller that waits for room without
     * blocking a thread (a suspended coroutine) and offers when woken. Any thread may arm it. It may wake only as many
     * waiters as there is room for ({@code Intake.fifo} does, in arrival order): a waiter woken that gives up without
     * offering must {@link Wakeable#abandon abandon} its waker, which passes the wake on.
     *
     * @return the condition
     */
    Wakeable writable();

    /** Refuses further calls and wakes every waiter. Idempotent; any thread. */
    void close();

    /**
     * Whether the intake is closed and every call accepted was polled. Completion thread only.
     *
     * @return {@code true} once closed and empty
     */
    boolean isClosedForPoll();

    /**
     * How many calls are waiting; a snapshot. Any thread.
     *
     * @return the count
     */
    int size();
}
