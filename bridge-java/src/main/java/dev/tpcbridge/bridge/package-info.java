/**
 * The bridge between the control plane and one data-plane core: a {@link dev.tpcbridge.bridge.BridgeChannel} (a
 * request ring and a response ring, sized apart, each waking its other side on transitions only, backpressure driven
 * by the request ring, response credit, deadlines, cancellation, single-writer counters), the reusable
 * {@link dev.tpcbridge.bridge.Request}/{@link dev.tpcbridge.bridge.Response} envelopes, and
 * {@link dev.tpcbridge.bridge.BridgeClient}, the thread-safe client that many caller threads (platform or virtual) use
 * through {@link dev.tpcbridge.bridge.BridgeCall} futures.
 *
 * <h2>Thread model</h2>
 * A channel has two ends. The control end ({@code ControlHandle}) sends from one thread at a time and receives on one
 * thread at a time; a client binds it to its completion thread. The data end ({@code DataHandle}) belongs to one
 * data-plane thread, enforced once {@code pin()}ned. Each end closes itself from its own thread, since a ring's ends
 * are confined to their threads; the data end may also be closed by a supervisor once its thread is gone. A client
 * takes calls from any thread; it completes every call on its own completion thread, never on the core.
 *
 * <h2>Flow control</h2>
 * Requests: a send is refused {@code FULL} or {@code BACK_PRESSURED} (request ring {@code SUSPENDED}) and the request
 * stays with its caller. Responses: the data side takes a request only while it holds response credit (a slot
 * reserved for the answer), so a response is never dropped for want of room and a control side that stops taking
 * answers pushes back on the requests instead of deadlocking.
 *
 * <h2>Memory-ordering legend</h2>
 * <ul>
 *   <li>envelopes and everything written into them travel under the rings' release/acquire hand-over
 *   ({@code WakingRing}, proven by jcstress {@code SpscRingStress}/{@code WakeStress});</li>
 *   <li>{@code BridgeCounters}: single-writer counters, a plain read and an opaque store by their writer, opaque loads
 *   by snapshot readers (no read-modify-write on the hot path, no ordering carried);</li>
 *   <li>{@code BridgeCall.decided}: one CAS decides between the caller giving up and the client delivering the answer;
 *   the data side's {@code Request.isCancelled()} reads it (volatile) to skip running a request nobody waits for;</li>
 *   <li>{@code DataHandle.owner}: set once by a CAS in {@code pin()}, read (volatile) by every data-side call;
 *   {@code ControlHandle.owner}: set by the client before its completion thread starts;</li>
 *   <li>the client's state: volatile, written by {@code close()} before its {@code unpark}, read by the completion
 *   thread after arming its wakers and before parking, so a close is never missed.</li>
 * </ul>
 *
 * <h2>Proof</h2>
 * {@code BridgeChannelTest} (round trip, credit, deadlines on an injected clock, confinement, closes waking every
 * blocked side, one test per seed defect), {@code BridgeClientTest} (statuses, giving up, pages, closes, interrupts),
 * {@code BridgeClientConcurrentTest} (cancel and deadline storms, closes racing traffic, cancels racing answers with
 * exact page accounting, thousands of virtual-thread callers, allocation per call on every thread, idle and
 * credit-stalled threads parking), {@code BridgeCallLincheckTest} (the claim between giving up and the answer). The
 * rings and the wake protocol underneath have their own jcstress and Lincheck proofs.
 */
package dev.tpcbridge.bridge;
