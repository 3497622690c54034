package dev.tpcbridge.compat

import dev.tpcbridge.bridge.Request
import dev.tpcbridge.coroutines.CoroutineBridgeClient
import dev.tpcbridge.coroutines.ExperimentalBridgeApi
import dev.tpcbridge.coroutines.RingChannel
import dev.tpcbridge.coroutines.asCoroutineDispatcher
import dev.tpcbridge.coroutines.consumeEach
import dev.tpcbridge.coroutines.getOrElse
import dev.tpcbridge.coroutines.onSuccess
import dev.tpcbridge.coroutines.receiveAsFlow
import dev.tpcbridge.runtime.DataPlane
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlin.system.exitProcess

/**
 * A user's program on the oldest supported Kotlin compiler: the README's quick start (a data-plane core answering
 * suspending calls), a ring channel's suspending send and receive, its inline helpers (compiled into this program, so
 * their bytecode must suit this compiler too) and its Flow adapter. Prints what it got; exits 1 if anything differs.
 */
@OptIn(ExperimentalBridgeApi::class)
fun main() {
    val calls = runBlocking { withTimeout(30_000) { quickStart() } }
    val channel = runBlocking { withTimeout(30_000) { channelRoundTrip() } }
    val expectedCalls = listOf(0L, 2L, 4L, 6L, 8L, 20L)
    val expectedChannel = listOf(1, 2, 3, 4, 5, 6, 7)
    println("consumer (kotlin-stdlib ${KotlinVersion.CURRENT} at run time): calls=$calls channel=$channel")
    if (calls != expectedCalls || channel != expectedChannel) {
        System.err.println("expected calls=$expectedCalls channel=$expectedChannel")
        exitProcess(1)
    }
}

@OptIn(ExperimentalBridgeApi::class)
private suspend fun quickStart(): List<Long> = DataPlane.builder().build().start().use { plane ->
    val core = plane.core(0)
    var served = 0L // core-owned: only the core touches it
    val client = CoroutineBridgeClient()
    core.attach(client.client.channel()) { request ->
        served += request.id()
        request.response().count(request.id() * 2)
    }
    val doubled = coroutineScope {
        (0L until 5L).map { id ->
            async(Dispatchers.Default) { client.call(Request.create().id(id)) { it.count() } }
        }.awaitAll()
    }
    val total = withContext(core.asCoroutineDispatcher()) { served * 2 }
    client.close()
    doubled + total
}

@OptIn(ExperimentalBridgeApi::class)
private suspend fun channelRoundTrip(): List<Int> = coroutineScope {
    val got = ArrayList<Int>()
    val ring = RingChannel.spsc<Int>(2)
    launch(Dispatchers.Default) {
        for (i in 1..3) ring.send(i) // suspends while the ring is full
        ring.close()
    }
    ring.consumeEach { got += it }
    val flowRing = RingChannel.mpsc<Int>(8)
    flowRing.trySend(4).onSuccess { }.getOrElse { error("a free ring refused an element: $it") }
    for (i in 5..7) flowRing.send(i)
    flowRing.close()
    got += flowRing.receiveAsFlow().toList()
    got
}
