/**
 * A bounded offload pool: slow, best-effort work handed off a data-plane core (or any hot path) to background
 * workers, never blocking the submitter. Entry type: {@link dev.tpcbridge.offload.OffloadPool}.
 *
 * <h2>Thread model</h2>
 * Any thread submits ({@code submit} never waits; {@code send} waits for room and is for threads that may block);
 * the pool's workers (threads of its factory, or long-running tasks of its executor: virtual threads on JDK 21+) run
 * the injected {@link dev.tpcbridge.offload.TaskHandler}. The dropped-task handler runs on the thread that drops the
 * task. Counters are readable from any thread without locks.
 *
 * <h2>Structure</h2>
 * A bounded MPMC array queue (a sequence word per slot, Vyukov's design; submitters CAS the tail, workers and
 * evicting submitters CAS the head). A lone worker takes up to 16 published tasks with one CAS of the head into
 * its hand, so that behind a busy queue the head's line moves between the cores once per batch (and, having caught
 * up, lets tasks gather for about a microsecond before it looks again, rather than take each as it is published, in
 * lock-step with the submitter's writes beside it); tasks in a hand count in the depth, are not evicted (they are no
 * longer queued), and are abandoned by a stop like queued ones.
 * {@code DROP_OLDEST} evicts by polling the head itself; {@code COALESCE_BY_KEY} queues keys and keeps the newest task
 * per key in a concurrent map, which a submit replaces in place. A pool built with {@code lanes(n)} splits its
 * capacity over n such queues, a submitting thread's lane chosen by its id, so that submitters on different threads
 * CAS different words (the overflow policy then acts per lane). Idle workers park in a {@code wake.WaiterQueue}: a
 * submit pays one read when nobody sleeps, and wakes one worker per queued task when some do.
 *
 * <h2>Memory-ordering legend</h2>
 * <ul>
 *   <li>slot sequences: acquire loads, release stores; the element is a plain store before the release (offer) and a
 *   plain load after the acquire (poll);</li>
 *   <li>head and tail: volatile CAS, but for a full queue's evicting offer, which CASes the head to claim the oldest
 *   element and then, the slot being its own, stores the tail with a volatile write (the oldest's slot keeps its
 *   "published" sequence until the new element is in: a poll reaching it waits rather than says "empty"); the
 *   lifecycle state and the live-worker count: volatile (CAS, getAndSet, getAndAdd);</li>
 *   <li>after each offer's CAS (or volatile store of the tail), volatile reads of the idle workers' count, the state
 *   and the live-worker count (the synchronization order keeps them after the CAS, so no fence): pairs with the
 *   workers' arm (a volatile write of the count, then the re-check's volatile reads of the indexes), with a close (its
 *   getAndSet of the state, then its drain) and with the last worker's leave (its getAndAdd, then its drain), so
 *   that a task offered while the pool closes is either seen by the closer or abandoned by its own submitter;</li>
 *   <li>after each worker's poll CAS, a volatile read of the waiting senders' count: pairs with the senders' arm;</li>
 *   <li>a worker takes a batch (up to 16 tasks when it is the only one, one otherwise) with one CAS of the head, after
 *   acquire loads of the slots' sequences; its look reads the head's slots and not the tail, so an idle worker's spin
 *   leaves the submitters' tail alone; a strict poll confirms "empty" before it parks or stops, and the arm's
 *   re-check reads head and tail (the queue's size);</li>
 *   <li>a worker's hand (the batch it has not started): it announces the fill (an opaque store) before the CAS of
 *   the head that takes the batch, fills the hand with plain stores and clears the flag (release); a stopper writes
 *   the state, drains the queue (volatile reads of every head, which the CAS's write synchronizes with), waits while
 *   the flag is set (acquire), then takes the entries back; the worker and the stopper take each entry with a
 *   getAndSet, so each entry is run or abandoned once.</li>
 * </ul>
 *
 * <p>Proof: {@code OffloadPoolTest}, {@code OffloadChaosTest}, {@code OffloadLincheckTest}, {@code MpmcQueueTest},
 * jcstress {@code OffloadStress} and {@code MpmcQueueStress} (its {@code BatchVersusEvict} and
 * {@code HandFillVersusStop} for the batches).
 */
package dev.tpcbridge.offload;
