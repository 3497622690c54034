/**
 * The bridge between the control plane and one data-plane core: a {@link dev.tpcbridge.bridge.BridgeChannel} (a
 * request ring and a response ring, each a {@code WakingRing}), its two ends {@link dev.tpcbridge.bridge.ControlHandle}
 * and {@link dev.tpcbridge.bridge.DataHandle}, the reusable {@link dev.tpcbridge.bridge.Request} /
 * {@link dev.tpcbridge.bridge.Response} envelopes, and {@link dev.tpcbridge.bridge.BridgeClient}, the thread-safe
 * client that many caller threads use through {@link dev.tpcbridge.bridge.BridgeCall} futures.
 *
 * <h2>Thread model</h2>
 * The control end sends from one thread at a time and receives on one thread at a time; a client confines it to its
 * completion thread. The data end belongs to one data-plane thread, enforced once {@code pin()}ned. Each end closes
 * itself from its own thread (a ring's ends are confined to their threads); a supervisor may close or fail the data
 * end once its thread is gone. A client takes calls from any thread and completes them on its completion thread,
 * never on the core.
 *
 * <h2>Flow control</h2>
 * Requests: {@code offer} is refused {@code FULL}, {@code trySend} also {@code BACK_PRESSURED} while the request
 * ring's backpressure is {@code SUSPENDED}; the request stays with its caller; {@code send} waits for room. Responses:
 * the data side takes a request only with response credit (a free response slot reserved for its answer), so an answer
 * never finds the ring full, and a control side that stops taking answers pushes back on the requests instead of
 * losing answers or deadlocking.
 *
 * <h2>Batches</h2>
 * Each publication costs the wake protocol's fence, so the paths publish per batch: the data side sends the answers of
 * one {@code drain} together; a client moves calls intake to request ring in batches ({@code Intake.drain},
 * {@code ControlHandle.fill}) and takes answers in batches ({@code ControlHandle.drain}).
 *
 * <h2>Draining</h2>
 * A data plane that stops calls {@code DataHandle.beginDrain()}; a client answers by refusing new calls, sending those
 * it accepted and closing its requests, so they are answered before the core lets the channel go
 * ({@code DataHandle.isDrained()}). The handshake itself is package-private ({@code Handshake}).
 *
 * <h2>Memory-ordering legend</h2>
 * Envelopes and what is written into them travel under the rings' release/acquire hand-over. {@code BridgeCounters}:
 * single-writer counters, a plain read and an opaque store by their writer, opaque loads by snapshots.
 * {@code BridgeCall.decided}: one CAS decides between the caller giving up and the client delivering the answer; the
 * data side reads it through {@code Request.isCancelled()}. {@code Request}'s link to its call: set and cleared with
 * release stores (the clear before the completion's CAS), read with acquire loads. Confinement owners: set once by CAS,
 * read volatile by every checked call.
 *
 * <p>Proof: {@code BridgeChannelTest}, {@code BridgeClientTest}, {@code BridgeClientConcurrentTest},
 * {@code BridgeCallLincheckTest}, and the ring and wake proofs underneath.
 */
package dev.tpcbridge.bridge;
