package dev.tpcbridge.samples

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.coroutines.CoroutineBridgeClient
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.asCoroutineDispatcher
import dev.tpcbridge.runtime.DataPlane
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/**
 * The README's Kotlin quick start, compiled and run by `SamplesSmokeTest` (which also checks that the README quotes
 * the region between the `tag::quickstart[]` markers verbatim), so that it cannot rot.
 *
 * Threads: [run] from any thread that may block (it waits for the quick start with `runBlocking`); the calls run on
 * [Dispatchers.Default], the handler and the read of the core-owned total on the data-plane core's thread.
 */
object CoroutineQuickStart {
    /**
     * Runs the quick start: five calls answered with twice their id, then the core-owned total read on the core.
     *
     * @return the five answers, then the total: `[0, 2, 4, 6, 8, 20]`
     */
    @JvmStatic
    fun run(): List<Long> = runBlocking { quickStart() }
}

@OptIn(ExperimentalBridgeApi::class)
private suspend fun quickStart(): List<Long> {
    // tag::quickstart[]
    DataPlane.builder().build().start().use { plane ->
        val core = plane.core(0)
        var served = 0L                                        // core-owned: only the core touches it
        val client = CoroutineBridgeClient()                   // a BridgeClient with its channel
        core.attach(client.client.channel()) { request ->
            served += request.id()
            request.response().count(request.id() * 2)        // runs on the core's thread
        }
        val doubled = withTimeout(10_000) {                   // a timeout gives the calls up: CANCELLED, not run
            coroutineScope {
                (0L until 5L).map { id ->
                    async(Dispatchers.Default) { client.call(Request.create().id(id)) { it.count() } }
                }.awaitAll()                                  // suspends; no thread blocks
            }
        }
        val total = withContext(core.asCoroutineDispatcher()) { served * 2 }   // read on the core itself
        client.close()
        return doubled + total
    }
    // end::quickstart[]
}
