package dev.tpcbridge.ring;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.CountingWaker;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.internal.Threads.SteppingClock;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Waker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waking ring's transitions, closes, interrupts and deadlines. Blocking calls run with no spins and no yields,
 * so that they really park; {@link Running#untilParked} makes sure they did before the other side acts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakingRingTest {

    private static WakingRing<Integer> parkingRing(int capacity, boolean multiProducer) {
        return WakingRing.<Integer>builder().capacity(capacity).multiProducer(multiProducer)
            .waitPolicy(WaitPolicy.PARK).build();
    }

    /** Starts {@code n} producers that each send one element (1 to n) into the full ring, and waits until all park. */
    private static List<Running<OfferStatus>> parkedSenders(WakingRing<Integer> ring, int n) {
        List<Running<OfferStatus>> puts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int value = i + 1;
            puts.add(Threads.run("producer-" + i, () -> ring.send(value)).untilParked());
        }
        return puts;
    }

    // ---------------------------------------------------------------- wake on transitions

    @Test
    void aParkedTakeIsWokenByTheOfferThatMakesTheRingNonEmpty() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingRing<Integer> ring = parkingRing(4, mpsc);
            Running<Integer> taken = Threads.run("consumer", ring::receive).untilParked();
            assertEquals(OfferStatus.OK, ring.offer(42));
            assertEquals(42, taken.result.get(10, TimeUnit.SECONDS));
            assertEquals(1, ring.consumerWakeups());
            assertEquals(0, ring.producerWakeups());
        }
    }

    @Test
    void aParkedPutIsWokenByThePollThatFreesASlot() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingRing<Integer> ring = parkingRing(1, mpsc);
            assertEquals(OfferStatus.OK, ring.offer(1));
            Running<OfferStatus> put = Threads.run("producer", () -> ring.send(2)).untilParked();
            assertEquals(1, ring.poll());
            assertEquals(OfferStatus.OK, put.result.get(10, TimeUnit.SECONDS));
            assertEquals(2, ring.poll());
            assertEquals(1, ring.producerWakeups());
        }
    }

    @Test
    void aParkedPutIsWokenByADrainBatch() throws Exception {
        WakingRing<Integer> ring = parkingRing(2, false);
        ring.offer(1);
        ring.offer(2);
        Running<OfferStatus> put = Threads.run("producer", () -> ring.send(3)).untilParked();
        List<Integer> out = new ArrayList<>();
        assertEquals(2, ring.drain(out::add, 8));
        assertEquals(OfferStatus.OK, put.result.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2), out);
        assertEquals(3, ring.poll());
    }

    @Test
    void nobodyWaitingMeansNoWakeCallWhateverPasses() {
        WakingRing<Integer> ring = WakingRing.spsc(8);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(OfferStatus.OK, ring.offer(i));
            assertEquals(i, ring.poll());
        }
        int[] next = {0};
        ring.fill(() -> next[0]++, 8);
        ring.drain(x -> { }, 8);
        assertEquals(0, ring.consumerWakeups());
        assertEquals(0, ring.producerWakeups());
    }

    @Test
    void anArmedWakerIsWokenOncePerArmHoweverManyElementsFollow() {
        WakingRing<Integer> ring = WakingRing.spsc(8);
        CountingWaker waker = new CountingWaker();
        assertTrue(ring.readable().arm(waker));
        for (int i = 0; i < 5; i++) {
            ring.offer(i);
        }
        assertEquals(1, waker.calls.get());
        ring.readable().disarm(waker);
        ring.drain(x -> { }, 8);
        ring.offer(9);
        assertEquals(1, waker.calls.get(), "a disarmed waker is not called again");
    }

    @Test
    void armingAReadyConditionReturnsFalseAndLeavesNothingArmed() {
        WakingRing<Integer> ring = WakingRing.spsc(2);
        CountingWaker waker = new CountingWaker();
        ring.offer(1);
        assertFalse(ring.readable().arm(waker), "an element is buffered: do not sleep");
        assertFalse(ring.writable().arm(waker), "one slot of two is free: the producer must not sleep");
        ring.offer(2);
        assertTrue(ring.writable().arm(waker), "full: the producer may sleep");
        assertEquals(1, ring.poll());
        assertEquals(1, waker.calls.get(), "the freed slot woke the armed producer waker");
        ring.poll();
        ring.offer(3);
        ring.poll();
        assertEquals(1, waker.calls.get(), "not armed any more");
        ring.closeProducer();
        assertFalse(ring.readable().arm(waker), "closed and drained: do not sleep");
        assertFalse(ring.writable().arm(waker), "closed for offer: do not sleep");
    }

    @Test
    void wakeablesRejectNullWakers() {
        WakingRing<Integer> ring = WakingRing.spsc(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.readable().arm(null));
        assertTrue(e.getMessage().contains("waker=null"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ring.writable().disarm(null));
    }

    // ---------------------------------------------------------------- closing wakes every waiter

    @Test
    void closingTheProducerSideWakesAParkedTakeAfterTheBufferedElements() throws Exception {
        WakingRing<Integer> ring = parkingRing(4, false);
        Running<List<Integer>> taken = Threads.run("consumer", () -> {
            List<Integer> out = new ArrayList<>();
            Integer e;
            while ((e = ring.receive()) != null) {
                out.add(e);
            }
            return out;
        }).untilParked();
        ring.offer(1);
        ring.offer(2);
        ring.closeProducer();
        assertEquals(List.of(1, 2), taken.result.get(10, TimeUnit.SECONDS));
        assertTrue(ring.isClosedForPoll());
    }

    @Test
    void closingTheConsumerSideWakesAParkedPutWhichKeepsItsElement() throws Exception {
        List<Integer> undelivered = new ArrayList<>();
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(1).onUndelivered(undelivered::add)
            .waitPolicy(WaitPolicy.PARK).build();
        ring.offer(1);
        Running<OfferStatus> put = Threads.run("producer", () -> ring.send(2)).untilParked();
        ring.closeConsumer();
        assertEquals(OfferStatus.CLOSED, put.result.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1), undelivered, "the buffered element was handed over; the refused one stayed");
    }

    @Test
    void oneProducerClosingWakesTheOtherParkedProducers() throws Exception {
        WakingRing<Integer> ring = parkingRing(1, true);
        ring.offer(0);
        List<Running<OfferStatus>> puts = parkedSenders(ring, 3);
        ring.closeProducer();
        for (Running<OfferStatus> put : puts) {
            assertEquals(OfferStatus.CLOSED, put.result.get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, ring.poll());
        assertNull(ring.poll());
        assertTrue(ring.isClosedForPoll());
    }

    @Test
    void eachCloseWakesTheWakersArmedOnBothSides() {
        for (boolean consumerSide : new boolean[] {false, true}) {
            WakingRing<Integer> empty = WakingRing.spsc(1);
            WakingRing<Integer> full = WakingRing.spsc(1);
            full.offer(1);
            CountingWaker reader = new CountingWaker();
            CountingWaker writer = new CountingWaker();
            assertTrue(empty.readable().arm(reader));
            assertTrue(full.writable().arm(writer));
            if (consumerSide) {
                empty.closeConsumer();
                full.closeConsumer();
            } else {
                empty.closeProducer();
                full.closeProducer();
            }
            assertEquals(1, reader.calls.get(), "reader woken, consumerSide=" + consumerSide);
            assertEquals(1, writer.calls.get(), "writer woken, consumerSide=" + consumerSide);
        }
    }

    @Test
    void anMpscFillThatStopsEarlyWakesAProducerWaitingForTheSlotsItHandsBack() throws Exception {
        WakingRing<Integer> ring = parkingRing(4, true);
        CompletableFuture<Void> supplierEntered = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        // The filler claims all four slots, then its supplier waits and gives nothing: the slots are handed back.
        Running<Integer> filled = Threads.run("filler", () -> ring.fill(() -> {
            supplierEntered.complete(null);
            release.join();
            return null;
        }, 4));
        supplierEntered.get(10, TimeUnit.SECONDS);
        // the ring looks full: every slot is claimed
        Running<OfferStatus> put = Threads.run("producer", () -> ring.send(1)).untilParked();
        release.complete(null);
        assertEquals(0, filled.result.get(10, TimeUnit.SECONDS));
        assertEquals(OfferStatus.OK, put.result.get(10, TimeUnit.SECONDS), "woken by the hand-back, not left asleep");
        assertEquals(1, ring.poll());
    }

    @Test
    void aCloseWakesEveryWaiterEvenWhenTheUndeliveredHandlerThrows() throws Exception {
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(1).waitPolicy(WaitPolicy.PARK)
            .onUndelivered(e -> {
                throw new IllegalStateException("handler failed on " + e);
            }).build();
        ring.offer(1);
        Running<OfferStatus> put = Threads.run("producer", () -> ring.send(2)).untilParked();
        IllegalStateException e = assertThrows(IllegalStateException.class, ring::closeConsumer);
        assertEquals("handler failed on 1", e.getMessage());
        assertEquals(OfferStatus.CLOSED, put.result.get(10, TimeUnit.SECONDS));
    }

    /**
     * Issue 23 item 5: every freed slot of an MPSC ring woke every blocked sender (16 senders, one slot: 16 + 15 + ...
     * + 1 = 136 wakes); now one sender per free slot, the oldest first.
     */
    @Test
    void sendersBlockedOnAnMpscRingAreWokenOnePerFreedSlotOldestFirst() throws Exception {
        WakingRing<Integer> ring = parkingRing(1, true);
        ring.offer(0);
        List<Running<OfferStatus>> puts = parkedSenders(ring, 16); // parked in order: 1 first
        assertEquals(0, ring.receive());
        assertEquals(1, ring.receive(), "the oldest sender is woken first");
        for (int i = 2; i <= 16; i++) {
            assertTrue(ring.receive() >= 2);
        }
        for (Running<OfferStatus> put : puts) {
            assertEquals(OfferStatus.OK, put.result.get(10, TimeUnit.SECONDS));
        }
        assertTrue(ring.producerWakeups() <= 2 * 16, "about one wake per freed slot, not a herd: "
            + ring.producerWakeups());
    }

    /**
     * The case: two thousand virtual-thread senders parked on a ring of 16 slots wake about once each, not
     * each of them per slot freed (about two million wakes before).
     */
    @Test
    void twoThousandVirtualThreadSendersOnSixteenSlotsWakeAboutOnceEach() throws Exception {
        java.util.concurrent.ThreadFactory virtual = Threads.virtualThreadFactoryOrAbort();
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(16).multiProducer(true).build();
        final int senders = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            final int value = i;
            Thread thread = virtual.newThread(() -> {
                try {
                    ring.send(value);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        Threads.await(() -> ring.size() == ring.capacity() && threads.stream().allMatch(
            t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TERMINATED),
            "the ring full and every other sender parked");
        boolean[] seen = new boolean[senders];
        for (int i = 0; i < senders; i++) {
            Integer value = ring.receive(10, TimeUnit.SECONDS);
            assertTrue(value != null && !seen[value], "each sent once, none lost: " + value);
            seen[value] = true;
        }
        for (Thread thread : threads) {
            Threads.joinOrFail(thread);
        }
        assertTrue(ring.producerWakeups() <= 2 * senders, "about one wake per sender that slept, not per slot and "
            + "sender: " + ring.producerWakeups());
    }

    @Test
    void aTimedOutProducerDoesNotStartAWakeStormAmongTheOthers() throws Exception {
        WakingRing<Integer> ring = parkingRing(1, true);
        ring.offer(0);
        List<Running<OfferStatus>> puts = parkedSenders(ring, 4);
        assertEquals(OfferStatus.FULL, ring.send(9, 1, TimeUnit.MILLISECONDS));
        Thread.sleep(200);
        // The timed-out producer's withdrawals (one per park, and a park may return early) leave the four others
        // armed and asleep: nothing frees a slot, so nobody is woken. Before, a withdrawal woke the others, and a
        // timed waiter that parked twice woke them twice (CI saw 8).
        assertEquals(0, ring.producerWakeups(), "producerWakeups");
        ring.closeConsumer();
        for (Running<OfferStatus> put : puts) {
            assertEquals(OfferStatus.CLOSED, put.result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aConfiguredControllerIsReEvaluatedOnPushAndOnPopSoSuspendedNeverSticks() {
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(20)
            .backpressure(dev.tpcbridge.backpressure.BackpressureConfig.defaults()).build();
        assertEquals(32, ring.capacity());
        var pressure = ring.backpressure();
        int[] next = {0};
        assertEquals(27, ring.fill(() -> next[0]++, 27)); // 27/32 = 84 %: still NORMAL
        assertEquals(dev.tpcbridge.backpressure.PressureState.NORMAL, pressure.pressure());
        ring.offer(99); // 28/32 = 87.5 %: throttle
        assertEquals(dev.tpcbridge.backpressure.PressureState.THROTTLED, pressure.pressure());
        ring.offer(99);
        ring.offer(99);
        ring.offer(99); // 31/32 = 96.9 %: suspend
        assertTrue(pressure.shouldSuspend());
        ring.drain(x -> { }, 5); // 26/32 = 81 %: below exitSuspend, above exitThrottle
        assertEquals(dev.tpcbridge.backpressure.PressureState.THROTTLED, pressure.pressure());
        while (ring.poll() != null) {
            // the pops alone bring it back: the seed updated only on push, so SUSPENDED stuck after a drain
        }
        assertEquals(dev.tpcbridge.backpressure.PressureState.NORMAL, pressure.pressure());
        assertEquals(4, pressure.transitions()); // to THROTTLED, to SUSPENDED, back to THROTTLED, to NORMAL
        assertNull(WakingRing.spsc(4).backpressure(), "none unless configured");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> WakingRing.<Integer>builder().backpressure(null));
        assertTrue(e.getMessage().contains("backpressure=null"), e.getMessage());
    }

    @Test
    void racingPushesAndPopsLeaveAStateThatFitsTheFinalSize() throws Exception {
        // The SPSC ring skips the settle on a push below the throttle threshold (its own push count bounds the size)
        // and on a pop while NORMAL; whatever the interleaving, once both sides stop the state must fit the size.
        for (int round = 0; round < 300; round++) {
            WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(32)
                .backpressure(dev.tpcbridge.backpressure.BackpressureConfig.defaults()).build();
            java.util.SplittableRandom seeds = new java.util.SplittableRandom(round);
            long producerSeed = seeds.nextLong();
            long consumerSeed = seeds.nextLong();
            Thread producer = new Thread(() -> {
                java.util.SplittableRandom random = new java.util.SplittableRandom(producerSeed);
                for (int i = 0; i < 200; i++) {
                    if (random.nextBoolean()) {
                        ring.offer(i);
                    } else {
                        int[] n = {0};
                        int burst = random.nextInt(1, 12);
                        ring.fill(() -> n[0]++ < burst ? 1 : null, burst);
                    }
                }
            }, "producer");
            Thread consumer = new Thread(() -> {
                java.util.SplittableRandom random = new java.util.SplittableRandom(consumerSeed);
                for (int i = 0; i < 200; i++) {
                    if (random.nextBoolean()) {
                        ring.poll();
                    } else {
                        ring.drain(x -> { }, random.nextInt(1, 12));
                    }
                }
            }, "consumer");
            producer.start();
            consumer.start();
            producer.join();
            consumer.join();
            var pressure = ring.backpressure();
            int size = ring.size();
            var config = pressure.config();
            double u = (double) size / ring.capacity();
            switch (pressure.pressure()) {
                case NORMAL:
                    assertTrue(u < config.enterThrottle(), "NORMAL at size " + size + " (round " + round + ")");
                    break;
                case THROTTLED:
                    assertTrue(u >= config.exitThrottle() && u < config.enterSuspend(),
                        "THROTTLED at size " + size + " (round " + round + ")");
                    break;
                default:
                    assertTrue(u >= config.exitSuspend(), "SUSPENDED at size " + size + " (round " + round + ")");
                    break;
            }
        }
    }

    @Test
    void aFillWhoseSupplierThrowsStillSettlesAndKeepsThePushBound() {
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(32)
            .backpressure(dev.tpcbridge.backpressure.BackpressureConfig.defaults()).build();
        int[] given = {0};
        assertThrows(IllegalStateException.class, () -> ring.fill(() -> {
            if (given[0] == 30) {
                throw new IllegalStateException("supplier bug");
            }
            return given[0]++;
        }, 32));
        assertEquals(30, ring.size(), "the ring published what the supplier gave before it threw");
        assertEquals(dev.tpcbridge.backpressure.PressureState.THROTTLED, ring.backpressure().pressure(),
            "30/32 must throttle although the fill threw");
        ring.offer(99); // 31/32: suspend, so the uncounted 30 must not hide the size from the push bound
        assertEquals(dev.tpcbridge.backpressure.PressureState.SUSPENDED, ring.backpressure().pressure());
    }

    // ---------------------------------------------------------------- interrupts and deadlines

    @Test
    void anInterruptedTakeThrowsAndAnInterruptedPutKeepsItsElement() throws Exception {
        WakingRing<Integer> ring = parkingRing(1, false);
        Running<Integer> take = Threads.run("consumer", ring::receive).untilParked();
        take.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> take.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());

        ring.offer(1);
        Running<OfferStatus> put = Threads.run("producer", () -> ring.send(2)).untilParked();
        put.thread.interrupt();
        e = assertThrows(ExecutionException.class, () -> put.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(1, ring.poll());
        assertNull(ring.poll(), "the interrupted put published nothing");

        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, ring::receive, "interrupted on entry");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> ring.send(3));
        assertTrue(ring.isEmpty());
    }

    @Test
    void deadlinesReadTheInjectedClockAndGiveUpWithoutSleeping() throws Exception {
        SteppingClock clock = new SteppingClock(TimeUnit.MINUTES.toNanos(2));
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(1).waitPolicy(WaitPolicy.PARK)
            .nanoClock(clock).build();
        // Each clock read moves 2 minutes on: a 1-minute deadline has passed at the first check after it was set, so
        // the calls return without parking (a real park here would hold the test for a minute).
        assertNull(ring.receive(1, TimeUnit.MINUTES));
        assertFalse(ring.isClosedForPoll(), "null meant the deadline, not a close");
        ring.offer(1);
        assertEquals(OfferStatus.FULL, ring.send(2, 1, TimeUnit.MINUTES));
        assertEquals(4, clock.reads(), "the deadline came from the injected clock");
        assertEquals(1, ring.poll());
        assertNull(ring.poll(), "the refused element stayed with the caller");
        assertNull(ring.receive(0, TimeUnit.SECONDS), "a zero timeout does not wait");
        assertEquals(OfferStatus.OK, ring.send(3, 0, TimeUnit.SECONDS));
        assertEquals(OfferStatus.FULL, ring.send(4, -1, TimeUnit.SECONDS));
    }

    @Test
    void aRealDeadlineEndsATimedWait() throws Exception {
        WakingRing<Integer> ring = parkingRing(1, false);
        long start = System.nanoTime();
        assertNull(ring.receive(20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
        ring.offer(1);
        start = System.nanoTime();
        assertEquals(OfferStatus.FULL, ring.send(2, 20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        WakingRing<Integer> ring = WakingRing.spsc(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.send(null));
        assertTrue(e.getMessage().contains("element=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ring.receive(1, null));
        assertTrue(e.getMessage().contains("unit=null"), e.getMessage());
        // the spins and yields are a WaitPolicy now: its factory names the bad count, the builder a null policy
        e = assertThrows(IllegalArgumentException.class,
            () -> WakingRing.<Integer>builder().waitPolicy(WaitPolicy.of(-1, 0)));
        assertTrue(e.getMessage().contains("spins=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> WakingRing.<Integer>builder().waitPolicy(WaitPolicy.of(0, -2)));
        assertTrue(e.getMessage().contains("yields=-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakingRing.<Integer>builder().waitPolicy(null));
        assertTrue(e.getMessage().contains("policy=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakingRing.<Integer>builder().nanoClock(null));
        assertTrue(e.getMessage().contains("nanoClock=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WakingRing.<Integer>builder().capacity(0));
        assertTrue(e.getMessage().contains("capacity=0"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
            () -> WakingRing.<Integer>builder().build());
        assertTrue(s.getMessage().contains("capacity"), s.getMessage());
    }

    // ---------------------------------------------------------------- other waiters

    @Test
    void aSelectorBlockedInSelectIsWokenByAnOffer() throws Exception {
        WakingRing<Integer> ring = WakingRing.spsc(4);
        try (Selector selector = Selector.open()) {
            Waker waker = Waker.of(selector);
            Running<Integer> got = Threads.run("nio-loop", () -> {
                while (true) {
                    Integer e = ring.poll();
                    if (e != null) {
                        return e;
                    }
                    if (ring.readable().arm(waker)) {
                        selector.select(); // no timeout: only the waker can end it
                        ring.readable().disarm(waker);
                    }
                }
            });
            // A thread blocked in select() is RUNNABLE (in native code): wait until it armed instead.
            while (ring.consumerWakeups() == 0 && !got.result.isDone()) {
                ring.offer(7);
                Thread.sleep(1);
            }
            assertEquals(7, got.result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aVirtualThreadParksInTakeWithoutPinningAndIsWoken() throws Exception {
        java.util.concurrent.ThreadFactory virtual = Threads.virtualThreadFactoryOrAbort();
        WakingRing<Integer> ring = parkingRing(4, false);
        Running<Integer> taken = Threads.run(virtual, ring::receive).untilParked();
        ring.offer(5);
        assertEquals(5, taken.result.get(10, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- across threads, parking on every step

    @Test
    void blockingHandOffsPassASequenceWithNoLostWakeup() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingRing<Integer> ring = parkingRing(2, mpsc);
            final int count = 30_000;
            Running<Void> sent = Threads.run("producer", () -> {
                for (int i = 0; i < count; i++) {
                    assertEquals(OfferStatus.OK, ring.send(i));
                }
                ring.closeProducer();
                return null;
            });
            int expected = 0;
            Integer e;
            while ((e = ring.receive()) != null) {
                assertEquals(expected++, e);
            }
            sent.result.get(10, TimeUnit.SECONDS);
            assertEquals(count, expected, "mpsc=" + mpsc);
        }
    }
}
