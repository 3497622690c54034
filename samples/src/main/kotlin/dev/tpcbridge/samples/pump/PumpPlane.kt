package dev.tpcbridge.samples.pump

import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.bridge.Response
import dev.tpcbridge.bridge.ResponseStatus
import dev.tpcbridge.runtime.Core
import dev.tpcbridge.runtime.DataPlane
import dev.tpcbridge.slab.SlabConfig
import dev.tpcbridge.slab.SlabView

/**
 * The data-plane side of the pump, shared by its control planes (coroutines in [BridgePump], plain threads in
 * `ThreadPump`): the plane, the per-core channel and handler, and the receiver's check of an answer.
 *
 * Stateless; [start] and [attach] from the thread that sets the run up, [checkAnswer] from a receiver.
 */
object PumpPlane {
    /** The error code of an answer whose request failed the core's check ([PumpMode.BOTH_WAYS]). */
    const val CHECK_FAILED = 17

    /** A started plane of [PumpConfig.cores] cores, each with a slab pool that holds its window. */
    @JvmStatic
    fun start(config: PumpConfig): DataPlane {
        val pagesPerCore = if (config.mode == PumpMode.BOTH_WAYS) 2 * config.window + 2 else config.window + 1
        return DataPlane.builder()
            .cores(config.cores)
            .idle(config.waitPolicy)
            .slabPools { core ->
                SlabConfig.builder().poolId(core + 1).pageSize(config.pageSize).pageCount(pagesPerCore).build()
            }
            .build().start()
    }

    /**
     * A channel attached to [core]: in [PumpMode.ONE_WAY] the core answers with the request's own page; in
     * [PumpMode.BOTH_WAYS] it checks every byte of the request's page, gives it back to its pool, and answers with a
     * page of its own, written from the response stream.
     */
    @JvmStatic
    fun attach(core: Core, config: PumpConfig): BridgeChannel<Request, Response> {
        val capacity = Integer.highestOneBit(config.window) shl 1 // holds the whole window: a send never waits
        val channel = BridgeChannel.forEnvelopes().requestCapacity(capacity).responseCapacity(capacity)
            .waitPolicy(config.waitPolicy).build()
        if (config.mode == PumpMode.ONE_WAY) {
            core.attach(channel) { request -> request.response().slabPayloadFromRequest() }
        } else {
            val pool = core.slabPool()
            val view = SlabView()                              // the core's own: only its thread touches it
            val responseSeed = PayloadCodec.responseSeed(config.seed)
            core.attach(channel) { request ->
                val handle = request.slabHandle()
                val wrong = PayloadCodec.mismatch(view.wrap(pool, handle), config.payload, config.seed, request.id())
                pool.release(handle)
                if (wrong != PayloadCodec.MATCH) {
                    request.response().error(CHECK_FAILED)
                } else {
                    val answer = pool.alloc(config.payload)
                    check(answer > 0) { "the core's pool ran out: $pool" }
                    PayloadCodec.write(pool.writable(answer), config.payload, responseSeed, request.id())
                    request.response().slabPayload(pool, answer)
                }
            }
        }
        return channel
    }

    /**
     * Checks the answer [response] of message [expected] on [core] (every byte of its page, read through [view] a long
     * at a time, against the bytes the sender wrote), releases the page and returns the request envelope for reuse.
     *
     * @throws PumpCheckFailed if the answer is not the expected message, whole
     * @throws IllegalStateException if the core's handler failed (not a check: the run failed)
     */
    @JvmStatic
    fun checkAnswer(config: PumpConfig, core: Core, view: SlabView, response: Response, expected: Long): Request {
        if (response.status() != ResponseStatus.OK) {
            val what = "core ${core.index()}: message ${response.id()} answered ${response.status()}"
            if (response.errorCode() == CHECK_FAILED) {
                throw PumpCheckFailed("$what (the core's check of the request failed)")
            }
            throw IllegalStateException("$what (error ${response.errorCode()}: the core's handler failed)")
        }
        val pool = core.slabPool()
        val handle = response.slabHandle()
        val seed = if (config.mode == PumpMode.BOTH_WAYS) PayloadCodec.responseSeed(config.seed) else config.seed
        val wrong = PayloadCodec.mismatch(view.wrap(pool, handle), config.payload, seed, expected)
        pool.release(handle)
        if (response.id() != expected || wrong != PayloadCodec.MATCH) {
            throw PumpCheckFailed("core ${core.index()}: expected message $expected, got id ${response.id()}; " +
                if (wrong == PayloadCodec.MATCH) "its page holds message $expected"
                else "its page differs from message $expected at byte $wrong")
        }
        return response.request()
    }
}
