package dev.tpcbridge.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract suite, run against every {@link RingKind} at tiny capacities that force wrap-around and the
 * full/empty edges on every few operations.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RingContractTest {

    // ---------------------------------------------------------------- bad input

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void rejectsBadCapacitiesNamingTheValue(RingKind kind) {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE, SpscRing.MAX_CAPACITY + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kind.create(bad));
            assertTrue(e.getMessage().contains("capacity=" + bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> kind.create(4, null));
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void roundsCapacityUpToAPowerOfTwo(RingKind kind) {
        assertEquals(1, kind.create(1).capacity());
        assertEquals(2, kind.create(2).capacity());
        assertEquals(4, kind.create(3).capacity());
        assertEquals(1024, kind.create(1000).capacity());
        assertEquals(1024, kind.create(1024).capacity());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void rejectsNullElementsHandlersAndBadLimits(RingKind kind) {
        Ring<Integer> ring = kind.create(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.offer(null));
        assertTrue(e.getMessage().contains("element=null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ring.drain(x -> { }, 0));
        assertTrue(e.getMessage().contains("limit=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ring.fill(() -> 1, -3));
        assertTrue(e.getMessage().contains("limit=-3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ring.drain(null, 1));
        assertThrows(IllegalArgumentException.class, () -> ring.fill(null, 1));
        assertTrue(ring.isEmpty(), "nothing was taken by a rejected call");
    }

    // ---------------------------------------------------------------- offer / poll

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void keepsFifoOrderAcrossManyWraps(RingKind kind) {
        for (int capacity : new int[] {1, 2, 4}) {
            Ring<Integer> ring = kind.create(capacity);
            int next = 0;
            int expected = 0;
            for (int round = 0; round < 100; round++) {
                int burst = 1 + round % capacity;
                for (int i = 0; i < burst; i++) {
                    assertEquals(OfferStatus.OK, ring.offer(next++));
                }
                assertEquals(burst, ring.size());
                for (int i = 0; i < burst; i++) {
                    assertEquals(expected++, ring.poll());
                }
                assertNull(ring.poll());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void fullRingRefusesAndLeavesTheElementWithTheCaller(RingKind kind) {
        Ring<String> ring = kind.create(2);
        assertEquals(OfferStatus.OK, ring.offer("a"));
        assertEquals(OfferStatus.OK, ring.offer("b"));
        String refused = "c";
        assertEquals(OfferStatus.FULL, ring.offer(refused));
        assertEquals(2, ring.size());
        assertEquals(1.0, ring.utilization());
        assertEquals("a", ring.poll());
        assertEquals(OfferStatus.OK, ring.offer(refused), "the caller still has it and can offer it again");
        assertEquals("b", ring.poll());
        assertSame(refused, ring.poll());
        assertNull(ring.poll());
        assertTrue(ring.isEmpty());
        assertEquals(0.0, ring.utilization());
    }

    // ---------------------------------------------------------------- fill / drain

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void fillTakesOnlyWhatFitsAndDrainRespectsItsLimit(RingKind kind) {
        Ring<Integer> ring = kind.create(4);
        AtomicInteger source = new AtomicInteger();
        assertEquals(4, ring.fill(source::getAndIncrement, 100));
        assertEquals(4, source.get(), "the supplier is asked only for elements that have a slot");
        assertEquals(0, ring.fill(source::getAndIncrement, 1));
        assertEquals(4, source.get());

        List<Integer> out = new ArrayList<>();
        assertEquals(3, ring.drain(out::add, 3));
        assertEquals(List.of(0, 1, 2), out);
        assertEquals(3, ring.fill(source::getAndIncrement, 3), "wraps around");
        assertEquals(4, ring.drain(out::add, 10));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), out);
        assertEquals(0, ring.drain(out::add, 10));
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void fillStopsAtANullFromTheSupplier(RingKind kind) {
        Ring<Integer> ring = kind.create(8);
        int[] given = {0};
        Supplier<Integer> twoThenNull = () -> given[0] < 2 ? given[0]++ : null;
        assertEquals(2, ring.fill(twoThenNull, 8));
        assertEquals(OfferStatus.OK, ring.offer(99));
        assertEquals(0, ring.poll());
        assertEquals(1, ring.poll());
        assertEquals(99, ring.poll(), "slots claimed but not filled are skipped, never seen");
        assertNull(ring.poll());
        assertTrue(ring.isEmpty());
        for (int i = 0; i < 8; i++) {
            assertEquals(OfferStatus.OK, ring.offer(i), "every slot is usable again");
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void fillPublishesWhatTheSupplierGaveBeforeItThrew(RingKind kind) {
        Ring<Integer> ring = kind.create(8);
        int[] given = {0};
        Supplier<Integer> throwsOnThird = () -> {
            if (given[0] == 2) {
                throw new IllegalStateException("boom");
            }
            return given[0]++;
        };
        assertThrows(IllegalStateException.class, () -> ring.fill(throwsOnThird, 8));
        List<Integer> out = new ArrayList<>();
        ring.drain(out::add, 8);
        assertEquals(List.of(0, 1), out);
        assertTrue(ring.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void drainConsumesUpToAndIncludingTheElementWhoseHandlerThrew(RingKind kind) {
        Ring<Integer> ring = kind.create(8);
        for (int i = 0; i < 5; i++) {
            ring.offer(i);
        }
        List<Integer> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> ring.drain(e -> {
            seen.add(e);
            if (e == 2) {
                throw new IllegalStateException("handler failed on " + e);
            }
        }, 8));
        assertEquals(List.of(0, 1, 2), seen);
        assertEquals(3, ring.poll());
        assertEquals(4, ring.poll());
        assertNull(ring.poll());
    }

    // ---------------------------------------------------------------- closing

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void producerCloseLetsTheConsumerDrainThenSeeClosed(RingKind kind) {
        Ring<Integer> ring = kind.create(4);
        ring.offer(1);
        ring.offer(2);
        assertFalse(ring.isClosedForOffer());
        ring.closeProducer();
        ring.closeProducer();
        assertTrue(ring.isClosedForOffer());
        assertEquals(OfferStatus.CLOSED, ring.offer(3), "the producer learns at once");
        assertEquals(0, ring.fill(() -> 4, 2));
        assertFalse(ring.isClosedForPoll(), "two elements still buffered");
        assertEquals(1, ring.poll());
        assertFalse(ring.isClosedForPoll());
        assertEquals(2, ring.poll());
        assertTrue(ring.isClosedForPoll(), "closed only once empty");
        assertNull(ring.poll());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void consumerCloseHandsEveryBufferedElementToTheUndeliveredHandler(RingKind kind) {
        List<Integer> undelivered = new ArrayList<>();
        Ring<Integer> ring = kind.create(4, undelivered::add);
        for (int i = 0; i < 7; i++) { // wrap first
            ring.offer(i);
            if (i < 4) {
                ring.poll();
            }
        }
        ring.closeConsumer();
        assertEquals(List.of(4, 5, 6), undelivered);
        assertEquals(OfferStatus.CLOSED, ring.offer(7));
        assertEquals(0, ring.fill(() -> 8, 1));
        assertNull(ring.poll());
        assertEquals(0, ring.drain(undelivered::add, 4));
        assertTrue(ring.isClosedForPoll());
        assertTrue(ring.isClosedForOffer());
        ring.closeConsumer();
        ring.closeProducer();
        assertEquals(List.of(4, 5, 6), undelivered, "each element is handed over exactly once");
        assertTrue(ring.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void consumerCloseWithoutHandlerReleasesTheElements(RingKind kind) {
        Ring<Object> ring = kind.create(2);
        ring.offer(new Object());
        ring.closeConsumer();
        assertTrue(ring.isEmpty());
        assertEquals(OfferStatus.CLOSED, ring.offer(new Object()));
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aThrowingUndeliveredHandlerStillSeesEveryElement(RingKind kind) {
        List<Integer> seen = new ArrayList<>();
        Ring<Integer> ring = kind.create(4, e -> {
            seen.add(e);
            throw new IllegalStateException("handler failed on " + e);
        });
        ring.offer(1);
        ring.offer(2);
        ring.offer(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, ring::closeConsumer);
        assertEquals("handler failed on 1", e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertEquals(List.of(1, 2, 3), seen);
        assertTrue(ring.isEmpty());
    }

    // ---------------------------------------------------------------- callbacks into the ring

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aDrainHandlerCallingPollOrDrainIsRejectedAndTheRingStaysConsistent(RingKind kind) {
        Ring<Integer> ring = kind.create(8);
        for (int i = 0; i < 4; i++) {
            ring.offer(i);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.drain(x -> ring.poll(), 8));
        assertTrue(e.getMessage().contains("drain handler"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ring.drain(x -> ring.drain(y -> { }, 1), 8));
        assertEquals(2, ring.size(), "each failed drain consumed the element its handler threw on");
        assertEquals(2, ring.poll());
        assertEquals(3, ring.poll());
        assertNull(ring.poll());
        for (int i = 0; i < 8; i++) {
            assertEquals(OfferStatus.OK, ring.offer(i), "every slot is free again");
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void aDrainHandlerMayCloseTheConsumerSideAndTheRestGoesToTheUndeliveredHandlerOnce(RingKind kind) {
        List<Integer> undelivered = new ArrayList<>();
        Ring<Integer> ring = kind.create(8, undelivered::add);
        for (int i = 0; i < 5; i++) {
            ring.offer(i);
        }
        List<Integer> drained = new ArrayList<>();
        int taken = ring.drain(x -> {
            drained.add(x);
            if (x == 1) {
                ring.closeConsumer();
                assertTrue(undelivered.isEmpty(), "the close takes effect when the handler returns");
            }
        }, 8);
        assertEquals(2, taken);
        assertEquals(List.of(0, 1), drained);
        assertEquals(List.of(2, 3, 4), undelivered);
        assertEquals(OfferStatus.CLOSED, ring.offer(9));
        assertNull(ring.poll());
        assertTrue(ring.isClosedForPoll());
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void anUndeliveredHandlerCallingCloseAgainNeitherHangsNorRepeats(RingKind kind) {
        List<Integer> undelivered = new ArrayList<>();
        AtomicReference<Ring<Integer>> holder = new AtomicReference<>();
        holder.set(kind.create(8, x -> {
            undelivered.add(x);
            holder.get().closeConsumer();
            holder.get().closeProducer();
            assertNull(holder.get().poll());
        }));
        for (int i = 0; i < 3; i++) {
            holder.get().offer(i);
        }
        holder.get().closeConsumer();
        assertEquals(List.of(0, 1, 2), undelivered);
    }

    // ---------------------------------------------------------------- across threads

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void passesASequenceAcrossThreadsWithNoLossDuplicationOrReordering(RingKind kind) throws Exception {
        RingSoak.run(kind, 8, 1, 1_000_000);
        RingSoak.run(kind, 1024, 1, 1_000_000);
    }

    /**
     * Issue 23 item 2: an offer racing a consumer-side close, by a producer that makes no further call. Every element
     * offered OK must be handed over by the time both calls return (before the fix, SPSC lost thousands in 10^5).
     * Two threads meet at a spin barrier per trial, so that the calls overlap.
     */
    @ParameterizedTest
    @EnumSource(RingKind.class)
    void anElementOfferedAsTheConsumerClosesIsHandedOverWithoutAnotherProducerCall(RingKind kind) throws Exception {
        final int trials = 20_000;
        final AtomicInteger handed = new AtomicInteger();
        final AtomicReference<Ring<Integer>> current = new AtomicReference<>();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        Thread consumer = new Thread(() -> {
            for (int trial = 1; trial <= trials; trial++) {
                while (started.get() < trial) {
                    Thread.onSpinWait();
                }
                current.get().closeConsumer();
                finished.incrementAndGet();
            }
        }, "closer");
        consumer.setDaemon(true); // a failed assertion must not leave it spinning
        consumer.start();
        int offeredOk = 0;
        for (int trial = 1; trial <= trials; trial++) {
            handed.set(0);
            Ring<Integer> ring = kind.create(4, x -> handed.incrementAndGet());
            current.set(ring);
            started.set(trial); // releases the closer
            if (ring.offer(trial) == OfferStatus.OK) {
                offeredOk++;
                while (finished.get() < trial) {
                    Thread.onSpinWait();
                }
                assertEquals(1, handed.get(), "trial " + trial + ": an element offered OK was not handed over");
            } else {
                while (finished.get() < trial) {
                    Thread.onSpinWait();
                }
                assertEquals(0, handed.get(), "trial " + trial + ": a refused element was handed over");
            }
        }
        consumer.join();
        assertTrue(offeredOk > 0, "some offers must win the race, else the test proves nothing");
    }

    @Test
    void mpscRelaxedPollTakesInOrderSkipsHandedBackSlotsAndReturnsNullWhenEmpty() {
        MpscRing<Integer> ring = MpscRing.create(4);
        assertNull(ring.relaxedPoll());
        ring.offer(1);
        ring.offer(2);
        assertEquals(1, ring.relaxedPoll());
        assertEquals(2, ring.relaxedPoll());
        assertNull(ring.relaxedPoll());
        for (int i = 0; i < 10; i++) { // wrap
            ring.offer(i);
            assertEquals(i, ring.relaxedPoll());
        }
        ring.closeProducer();
        assertNull(ring.relaxedPoll());
        assertTrue(ring.isClosedForPoll());
    }

    @Test
    void mpscKeepsEachProducersOrderAcrossThreads() throws Exception {
        RingSoak.run(RingKind.MPSC, 16, 2, 500_000);
        RingSoak.run(RingKind.MPSC, 2, 3, 100_000);
    }
}
