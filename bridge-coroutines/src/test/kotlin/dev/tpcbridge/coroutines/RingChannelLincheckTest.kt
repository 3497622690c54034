package dev.tpcbridge.coroutines

import dev.tpcbridge.ring.WakingRing
import dev.tpcbridge.wake.WaitPolicy
import kotlinx.coroutines.channels.Channel
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Options
import org.jetbrains.lincheck.datastructures.StressOptions
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import java.util.concurrent.TimeUnit

/**
 * Linearizability of suspending send/receive over an SPSC ring of capacity 2, cancellation included
 * (`cancellableOnSuspension`), against a kotlinx `Channel(2)` as the sequential specification, with Lincheck's model
 * checking and stress strategies, as kotlinx.coroutines tests its own channels. Receives run on one scenario thread
 * and sends on one other (one consumer, one producer). Several senders are left out on purpose: suspended senders
 * are not served first come, first served here (a freed slot goes to whichever sender offers first), where kotlinx
 * hands a freed slot to the oldest suspended sender, so no FIFO channel is their sequential specification;
 * `RingChannelStressSpec` checks several senders with exact accounting and per-sender order.
 */
@OptIn(ExperimentalBridgeApi::class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RingChannelLincheckTest {
    // No spin phase: Lincheck's model checker reads a bounded poll loop of 128 rounds as a livelock when the other
    // threads cannot move. The spin phase is a performance policy, checked by RingChannelSpec and the stress spec.
    private val channel = RingChannel.of(WakingRing.builder<Int>().capacity(2).waitPolicy(WaitPolicy.PARK))

    @Operation(nonParallelGroup = "producer", cancellableOnSuspension = true)
    suspend fun send(value: Int) = channel.send(value)

    @Operation(nonParallelGroup = "consumer", cancellableOnSuspension = true)
    suspend fun receive(): Int = channel.receive()

    @Operation(nonParallelGroup = "producer")
    fun trySend(value: Int): Boolean = channel.trySend(value).isSuccess

    @Operation(nonParallelGroup = "consumer")
    fun tryReceive(): Int? = channel.tryReceive().getOrNull()

    /** The sequential specification: kotlinx's own buffered channel. */
    class SequentialSpec {
        private val channel = Channel<Int>(2)

        suspend fun send(value: Int) = channel.send(value)

        suspend fun receive(): Int = channel.receive()

        fun trySend(value: Int): Boolean = channel.trySend(value).isSuccess

        fun tryReceive(): Int? = channel.tryReceive().getOrNull()
    }

    private fun <O : Options<O, *>> O.sized(iterations: Int, invocations: Int): O = iterations(iterations)
        .invocationsPerIteration(invocations)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(2)
        .actorsAfter(0) // a send left suspended in the post part fails inside Lincheck's stress runner itself
        .sequentialSpecification(SequentialSpec::class.java)

    @Test
    fun modelChecking() = ModelCheckingOptions().sized(10, 200).check(this::class.java)

    @Test
    fun stress() = StressOptions().sized(20, 1_000).check(this::class.java)
}
