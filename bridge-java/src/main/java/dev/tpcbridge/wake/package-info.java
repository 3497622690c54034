/**
 * Eventfd-style cross-runtime wakers: the sleeping side of a ring, a signal or a data-plane core is woken only on the
 * transitions that matter to it (empty to non-empty, full to not-full, closed), never per message.
 *
 * <ul>
 *   <li>{@link dev.tpcbridge.wake.Waker} wakes one waiter of any kind: a parked thread, a NIO selector, an idle
 *   strategy, and (through {@code bridge-coroutines}) a suspended continuation. It is the extension point.</li>
 *   <li>{@link dev.tpcbridge.wake.Wakeable} is a condition a waker can be armed on without losing a wake-up.</li>
 *   <li>{@link dev.tpcbridge.wake.WakeSignal} has eventfd counter semantics: coalescing {@code signal()},
 *   {@code take()} of the count.</li>
 *   <li>{@link dev.tpcbridge.wake.WakingRing} is a ring that wakes its other side on transitions and blocks with
 *   deadlines and interrupts.</li>
 *   <li>{@link dev.tpcbridge.wake.WakeableIdleStrategy} spins, yields, then parks a core until a source is ready.</li>
 *   <li>{@code dev.tpcbridge.internal.WaiterList} (not exported) is the armed wakers of one condition: the building
 *   block with which the module's other packages implement {@code Wakeable} (the log channel of
 *   {@code dev.tpcbridge.logbuf} does) instead of writing a second wake protocol.</li>
 * </ul>
 *
 * <h2>Thread model</h2>
 * Notifiers (producers, consumers, closers, signallers) may be any thread; each waiter arms and disarms its own
 * waker. Blocking calls park with {@link java.util.concurrent.locks.LockSupport}, never {@code synchronized} or
 * {@code Object.wait}, so virtual threads do not pin their carriers; they honour interrupts and deadlines, and their
 * deadlines read an injectable nano clock.
 *
 * <h2>The armed-waiter protocol</h2>
 * A Dekker-style pair of "store, full fence, load" halves. The waiter announces its waker (a CAS onto a lock-free
 * list: a full fence), re-checks its condition, and sleeps only if the condition still fails. The notifier publishes
 * (a release store of an element, of a freed slot, a close), issues a full fence, and reads the list head; only if it
 * is non-null does it swap the list out and wake every waker on it. At least one of the two sees the other's store,
 * so no wake-up is lost; with nobody waiting the notifier pays one fence and one read per published batch and makes
 * no wake call. Woken waiters re-check and re-arm; a waker is woken at most once per arm.
 *
 * <h2>Memory-ordering legend</h2>
 * <ul>
 *   <li>CAS / {@code getAndSet} / {@code getAndAdd} on the waiter list, the counter and the closed flag — volatile
 *   read-modify-writes (full fences);</li>
 *   <li>{@code VarHandle.fullFence()} in {@code WaiterList.wakeAllIfArmed()} — the notifier's StoreLoad barrier, pairs
 *   with the waiter's CAS;</li>
 *   <li>{@code xxxOpaque()} — the read of the list head after that fence: ordered by the fence, free of further
 *   cost.</li>
 * </ul>
 * Each call site names its counterpart in a comment.
 *
 * <h2>Proof</h2>
 * jcstress {@code WakeStress} (module {@code bridge-jcstress}) shows that neither side's wake-up can be lost, for a
 * ring's consumer and producer, a signal and a close; {@code WakingRingTest}, {@code WakeSignalTest} and
 * {@code WakeableIdleStrategyTest} check every blocking call against closes, interrupts and deadlines;
 * {@code RingContractTest} runs the ring contract against {@code WakingRing} too; {@code WakeLincheckTest} checks
 * linearizability of the signal and of the waking ring's non-blocking operations.
 */
package dev.tpcbridge.wake;
