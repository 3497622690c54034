/**
 * Waking and waiting: the ground floor of every blocking and idle path in the library. A sleeping side is woken only
 * on the transitions that matter to it (empty to non-empty, full to not-full, closed), never per message, and every
 * waiting call waits the same way.
 *
 * <ul>
 *   <li>{@link dev.tpcbridge.wake.Waker} wakes one waiter of any kind: a parked thread, a NIO selector, a suspended
 *   coroutine (through {@code bridge-coroutines}). {@link dev.tpcbridge.wake.Wakeable} is a condition a waker can be
 *   armed on without losing a wake-up; {@link dev.tpcbridge.wake.WaiterList} is the building block that implements
 *   one, here and in the structures that wake ({@code ring.WakingRing}, {@code logbuf.WakingLogBuffer}, the
 *   bridge). {@link dev.tpcbridge.wake.WaiterQueue} is its twin for a condition that many waiters share and that frees
 *   a counted number of units (the free slots of a ring with many producers): it wakes the oldest waiters, only as many
 *   as can make progress, where a {@code WaiterList} wakes them all; a woken waiter that gives up
 *   {@linkplain dev.tpcbridge.wake.Wakeable#abandon abandons} its waker, which passes the unit on.</li>
 *   <li>{@link dev.tpcbridge.wake.Waiter} is the one blocking wait: spin, yield, then park on a {@code Wakeable}, with
 *   a deadline on an injectable clock and interrupts, as a {@link dev.tpcbridge.wake.WaitPolicy} says. Every waiting
 *   method of the library ({@code send}, {@code receive}, {@code take}, a timed form of each) and a core's idle step
 *   go through it, so interrupts, deadlines and backoff behave the same everywhere.</li>
 *   <li>{@link dev.tpcbridge.wake.WakeSignal} has eventfd counter semantics; {@link
 *   dev.tpcbridge.wake.WakeableIdleStrategy} is a duty cycle's idle step over several sources.</li>
 * </ul>
 *
 * <h2>Vocabulary</h2>
 * {@code offer}, {@code poll}, {@code fill}, {@code drain} and {@code try...} never wait; {@code send},
 * {@code receive}, {@code take} and {@code claim} wait as long as it takes; the same name with a timeout waits up to
 * it. A waiting call honours interrupts ({@code InterruptedException}, the caller keeps what it was handing over) and
 * parks with {@link java.util.concurrent.locks.LockSupport}, never {@code synchronized}, so virtual threads keep their
 * carrier.
 *
 * <h2>The armed-waiter protocol</h2>
 * A Dekker-style pair of "store, full fence, load" halves. The waiter announces its waker (a CAS onto a
 * {@code WaiterList}, then a full fence), re-checks its condition, and sleeps only if it still fails. The notifier
 * publishes (an element, a freed slot, a close), issues a full fence, and reads the list head; only if it is non-null
 * does it take the list and wake every waker on it. One of the two sees the other's store, so no wake-up is lost; with
 * nobody waiting the notifier pays one fence and one read per published batch, and no wake call. The notifier's fence
 * is the protocol's floor: without it the notifier's read of the head may pass its own publication (store buffering),
 * and both sides may miss each other. Batch publications ({@code fill}, {@code drain}, a batch read) pay it once.
 *
 * <h2>Memory-ordering legend</h2>
 * CAS and {@code getAndSet} on the waiter list and the signal's word: volatile read-modify-writes.
 * {@code VarHandle.fullFence()}: the StoreLoad barrier of each half. {@code getOpaque} of the head after the
 * notifier's fence: ordered by the fence, never hoisted. A notifier whose publication was itself a volatile
 * read-modify-write may skip the fence and read the head or the armed count with {@code getVolatile} instead
 * ({@code ...AfterVolatileWrite}): both are synchronization actions, so their order is the program's. Each call site
 * names its counterpart.
 *
 * <p>Proof: {@code WaiterTest}, {@code WaiterQueueTest}, {@code WakeableAnyOfTest}, {@code WakeSignalTest},
 * {@code WakeableIdleStrategyTest}, {@code WakeLincheckTest}, jcstress {@code WakeStress}.
 */
package dev.tpcbridge.wake;
