/**
 * Weighted fair queuing across tenants: {@link dev.tpcbridge.wfq.FairIntake}, an {@link dev.tpcbridge.bridge.Intake}
 * that gives each tenant ({@code Request.tenant}) its own virtual queue and serves them in proportion to their weights,
 * in bytes (or a {@link dev.tpcbridge.wfq.RequestCost}), with a per-tenant admission share.
 *
 * <h2>Thread model</h2>
 * Many caller threads (platform, virtual, or coroutines through the client) offer; one poll thread (the client's
 * completion thread) polls. A caller runs the admission: it finds its tenant's record in a lock-free table (made under
 * a lock on first sight), evaluates the tenant's band, reserves one of the intake's slots (CAS on the size), admits the
 * call into the tenant's admitted count (CAS), and hands the call over through a multi-producer ring
 * ({@code MpscRing}), waking the poll thread if it waits. The poll thread alone runs the scheduler: it moves arrived
 * calls into their tenants' queues, tags them, picks the least finish tag from a radix heap of backlogged tenants,
 * counts the call served (a release store, no atomic instruction) and releases the slot, keeps the idle tenants in an
 * LRU list and reaps the oldest beyond the bound (trying the lock, never waiting for it). The scheduler's state
 * (queues, tags, virtual time, radix heap, idle list) is touched by the poll thread only, with plain accesses.
 *
 * <h2>Algorithm</h2>
 * Self-clocked fair queuing (SCFQ, Golestani 1994): finish tag {@code F = max(V, F_last) + cost / weight}, least
 * {@code F} first, {@code V} = the tag of the call last served. It is virtual-finish-time WFQ with the virtual time
 * read off the schedule instead of a simulated fluid system (whose exact {@code V(t)} costs O(tenants) per event): O(1)
 * per call for the clock, O(1) amortised for the flow queue (a radix heap: tags are monotone, so a tag's bucket is its
 * highest 8-bit digit of difference from {@code V} and its value there; each tenant's turn moves its entry at most 8
 * times, where a binary heap's sifts cost a chain of O(log active tenants) dependent comparisons), and the same
 * fairness bound between two backlogged tenants, {@code |S_i/w_i - S_j/w_j| <= Lmax_i/w_i + Lmax_j/w_j}. By default
 * the order compares each tag rounded down to a multiple of the largest power of two not above its own
 * {@code cost / weight} (as QFQ rounds its timestamps), and {@code V} is that rounded tag: calls of similar cost then
 * share their low digits, and the flow queue moves 2.1 entries per call instead of 3.0 at 10,000 tenants with mixed
 * sizes. A call can then go ahead of a lower tag by less than its own increment, so the proven bound at most doubles;
 * the fairness tests measure the exact bound held in both orders, and long-run shares are the same.
 * {@code FairIntakeBuilder.exactOrder(true)} keeps the exact order.
 * Its latency bound is looser than WF2Q+'s (it grows with the number of active tenants), which needs a second,
 * eligibility-ordered queue: not worth it at one core's intake, where the admission share already bounds each
 * tenant's queue.
 *
 * <h2>Admission</h2>
 * {@code share = (capacity - reserve) * w / W}, {@code W} the weight of the tenants holding calls; the reserve keeps a
 * lone tenant from locking a newcomer out, and the newcomer's calls get tags from the current {@code V}, so they go
 * ahead of the incumbent's backlog. Bands with hysteresis as in {@code backpressure} (85/75 %, 95/85 % of the share);
 * outcomes are {@link dev.tpcbridge.wfq.Admission} values, a refused call stays with the caller.
 *
 * <h2>Memory-ordering legend</h2>
 * Accessors named for their mode: {@code xxxAcquire()} ({@code getAcquire}), {@code casXxx} (volatile
 * {@code compareAndSet}), volatile {@code getAndAdd} on counters, opaque for the poll thread's own counters. A call is
 * published by the arrivals ring (release of its slot, acquire by the poll thread), then the offer fences and reads the
 * poll thread's waiter list (pairs with {@code readable().arm}); the poll thread's polls of the ring need no fence, as
 * no caller waits for the ring's room (each call reserved its slot first); everything its caller wrote before the offer
 * (the tenant record it may have made) is visible to the poll thread with it. The active weight {@code W} is the poll
 * thread's (release stores, read volatile by callers). A tenant record is published into the table with a release, read
 * with an acquire. A tenant's depth is {@code admitted - served}: callers CAS {@code admitted}, the poll thread alone
 * release-stores {@code served} (read with an acquire by callers, after {@code admitted}, so a caller's depth is never
 * below the true one at its CAS); the CAS on {@code admitted} decides between an admission and a reap
 * ({@code served -> DEAD}). The size's RMW after a served batch stands for the fence before the senders' list is read,
 * with a volatile read of its head ({@code WaiterList.wakeAllIfArmedAfterVolatileWrite}: the synchronization order
 * keeps it after the RMW); pairs with {@code WaiterList.add}'s CAS and fence and the re-check in
 * {@code writable().arm}.
 *
 * <p>Proof: {@code FairSchedulerTest}, {@code FairIntakeTest}, {@code FairIntakeConcurrentTest},
 * {@code FairIntakeLincheckTest}, {@code FairIntakeAllocationTest}, {@code RadixQueueTest},
 * {@code bridge.FairIntakeClientTest}, jcstress {@code WfqStress}.
 */
package dev.tpcbridge.wfq;
