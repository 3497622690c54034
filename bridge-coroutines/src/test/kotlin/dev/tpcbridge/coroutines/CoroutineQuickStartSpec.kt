package dev.tpcbridge.coroutines

import dev.tpcbridge.bridge.BridgeChannel
import dev.tpcbridge.bridge.BridgeClient
import dev.tpcbridge.bridge.Request
import dev.tpcbridge.runtime.DataPlane
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.nio.file.Files
import java.nio.file.Path

/** The README's coroutine quick start, run here, and a check that the README quotes it verbatim. */
@OptIn(ExperimentalBridgeApi::class)
class CoroutineQuickStartSpec : FunSpec({
    test("the quick start answers every call and reads the core's state on the core") {
        quickStart() shouldContainExactly listOf(0L, 2L, 4L, 6L, 8L, 20L)
    }

    test("the README quotes the quick start verbatim") {
        val source = Files.readString(Path.of("src/test/kotlin/dev/tpcbridge/coroutines/CoroutineQuickStartSpec.kt"))
        val region = source.substring(source.lastIndexOf("// tag::quickstart[]"), source.lastIndexOf("// end::"))
        val snippet = region.substringAfter('\n').trimIndent()
        Files.readString(Path.of("../README.md")).contains(snippet) shouldBe true
    }
})

@OptIn(ExperimentalBridgeApi::class)
private suspend fun quickStart(): List<Long> {
    // tag::quickstart[]
    DataPlane.builder().build().start().use { plane ->
        val core = plane.core(0)
        var served = 0L                                        // core-owned: only the core touches it
        val client = CoroutineBridgeClient(BridgeClient.builder(BridgeChannel.forEnvelopes()).build())
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
