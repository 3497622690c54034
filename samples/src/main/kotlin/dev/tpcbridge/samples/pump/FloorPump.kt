package dev.tpcbridge.samples.pump

import org.jctools.queues.SpscArrayQueue
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.atomic.AtomicLongArray
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.locks.LockSupport

/**
 * The floor: the same traffic as [BridgePump] through the least machinery that can carry it, a minimal hand-rolled
 * pair of JCTools `SpscArrayQueue`s per core (to the core, back from it) and a third that returns free slots to the
 * sender; plain threads that spin, yield, then park for a microsecond when idle; plain direct buffers as pages, no
 * handles, no generations, no wakers, no backpressure, no close protocol. Its idle policy is the bridge run's: poll
 * `spins` times, yield 8 times, then park (the bridge's waiters suspend or park until woken; the floor's park for a
 * microsecond). What the bridge costs is its distance from this.
 *
 * Threads: per core, a sender, a core and a receiver thread, all started and joined by [run]. [done] as in
 * [BridgePump].
 */
class FloorPump(private val config: PumpConfig) {
    val done = AtomicLongArray(config.cores)
    private val failure = AtomicReference<Throwable?>(null)
    @Volatile private var stopped = false

    /** A message slot: its pages and header, owned by whichever thread took it off a queue. */
    private class Slot(payload: Int, both: Boolean) {
        // direct, as the slab pages are: the codec sees one kind of buffer in both runs
        val page: ByteBuffer = ByteBuffer.allocateDirect(payload).order(ByteOrder.LITTLE_ENDIAN)
        val answer: ByteBuffer? = if (both) ByteBuffer.allocateDirect(payload).order(ByteOrder.LITTLE_ENDIAN) else null
        var seq = 0L
    }

    /** Runs to the end; throws [PumpCheckFailed] if a message fails its check. */
    fun run() {
        val threads = (0 until config.cores).flatMap { lane(it) }
        threads.forEach { it.start() }
        threads.forEach { it.join() }
        failure.get()?.let { throw it }
    }

    private fun lane(core: Int): List<Thread> {
        val capacity = Integer.highestOneBit(config.window) shl 1
        val free = SpscArrayQueue<Slot>(capacity)
        val toCore = SpscArrayQueue<Slot>(capacity)
        val toReceiver = SpscArrayQueue<Slot>(capacity)
        val both = config.mode == PumpMode.BOTH_WAYS
        repeat(config.window) { free.offer(Slot(config.payload, both)) }
        val messages = config.messagesPerCore
        val responseSeed = PayloadCodec.responseSeed(config.seed)
        val sender = guarded("floor-sender-$core") {
            for (seq in 0 until messages) {
                val slot = take(free) ?: return@guarded
                slot.seq = seq
                PayloadCodec.write(slot.page, config.payload, config.seed, seq)
                put(toCore, slot)
            }
        }
        val forwarder = guarded("floor-core-$core") {
            for (n in 0 until messages) {
                val slot = take(toCore) ?: return@guarded
                if (both) {
                    val wrong = PayloadCodec.mismatch(slot.page, config.payload, config.seed, slot.seq)
                    if (wrong != PayloadCodec.MATCH) {
                        throw PumpCheckFailed("floor core $core: message ${slot.seq} failed the core's check")
                    }
                    PayloadCodec.write(slot.answer!!, config.payload, responseSeed, slot.seq)
                }
                put(toReceiver, slot)
            }
        }
        val receiver = guarded("floor-receiver-$core") {
            for (expected in 0 until messages) {
                val slot = take(toReceiver) ?: return@guarded
                val page = slot.answer ?: slot.page
                val seed = if (both) responseSeed else config.seed
                val wrong = PayloadCodec.mismatch(page, config.payload, seed, expected)
                if (slot.seq != expected || wrong != PayloadCodec.MATCH) {
                    throw PumpCheckFailed("floor core $core: expected message $expected, got ${slot.seq}")
                }
                done.lazySet(core, (expected + 1) * config.bytesPerMessage)
                put(free, slot)
            }
        }
        return listOf(sender, forwarder, receiver)
    }

    private fun guarded(name: String, body: () -> Unit): Thread = Thread({
        try {
            body()
        } catch (t: Throwable) {
            failure.compareAndSet(null, t)
            stopped = true
        }
    }, name)

    /** Takes from [queue], idling while it is empty; null once the run stopped. */
    private fun take(queue: SpscArrayQueue<Slot>): Slot? {
        var idle = 0
        while (true) {
            val slot = queue.relaxedPoll()
            if (slot != null) {
                return slot
            }
            if (stopped) {
                return null
            }
            idle = idle(idle)
        }
    }

    /** Puts into [queue] (never full: it holds the whole window). */
    private fun put(queue: SpscArrayQueue<Slot>, slot: Slot) {
        check(queue.relaxedOffer(slot)) { "the floor's queue holds the whole window" }
    }

    private fun idle(idle: Int): Int {
        when {
            idle < config.spins -> Thread.onSpinWait()
            idle < config.spins + YIELDS -> Thread.yield()
            else -> LockSupport.parkNanos(1_000)
        }
        return idle + 1
    }

    private companion object {
        const val YIELDS = 8
    }
}
