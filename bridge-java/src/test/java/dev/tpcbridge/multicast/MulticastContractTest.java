package dev.tpcbridge.multicast;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.internal.Threads.SteppingClock;
import dev.tpcbridge.wake.WaitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multicast contract at tiny capacities that force wrap-around: every status, bad input, subscribe and
 * unsubscribe at run time, exact loss accounting, gauges, batches, closes from both sides and the waits they wake.
 * Blocking calls run with {@link WaitPolicy#PARK}, so that they really park before the other side acts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MulticastContractTest {

    private static MulticastBuffer<Integer> buffer(SlowSubscriberPolicy policy, int capacity) {
        return MulticastBuffer.<Integer>builder().capacity(capacity).policy(policy).waitPolicy(WaitPolicy.PARK)
            .build();
    }

    private static List<Integer> drainAll(Subscriber<Integer> subscriber) {
        List<Integer> out = new ArrayList<>();
        while (subscriber.drain(out::add, 3) > 0) {
            // batches of 3
        }
        return out;
    }

    // ---------------------------------------------------------------- bad input

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 6, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void aCapacityThatIsNotAPowerOfTwoInRangeIsRejectedByValue(int capacity) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> MulticastBuffer.builder().capacity(capacity));
        assertTrue(e.getMessage().contains("capacity=" + capacity), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MulticastBuffer.lossless(capacity));
        assertThrows(IllegalArgumentException.class, () -> MulticastBuffer.lossy(capacity));
    }

    @Test
    void nullsAndBadLimitsAreRejectedByName() {
        MulticastBuffer<Integer> buffer = MulticastBuffer.lossless(4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        assertMessage("element=null", () -> buffer.offer(null));
        assertMessage("element=null", () -> buffer.send(null));
        assertMessage("unit=null", () -> buffer.send(1, 1, null));
        assertMessage("supplier=null", () -> buffer.fill(null, 1));
        assertMessage("limit=0", () -> buffer.fill(() -> 1, 0));
        assertMessage("handler=null", () -> subscriber.drain(null, 1));
        assertMessage("limit=-2", () -> subscriber.drain(e -> { }, -2));
        assertMessage("unit=null", () -> subscriber.receive(1, null));
        assertMessage("policy=null", () -> MulticastBuffer.builder().policy(null));
        assertMessage("waitPolicy=null", () -> MulticastBuffer.builder().waitPolicy(null));
        assertMessage("nanoClock=null", () -> MulticastBuffer.builder().nanoClock(null));
        assertThrows(IllegalStateException.class, () -> MulticastBuffer.builder().build());
        assertEquals(0, buffer.published(), "nothing was published by the rejected calls");
    }

    @Test
    void aSupplierThatGivesNullIsRejectedAndWhatItGaveBeforeStaysPublished() {
        MulticastBuffer<Integer> buffer = MulticastBuffer.lossless(8);
        Subscriber<Integer> subscriber = buffer.subscribe();
        int[] next = {0};
        assertMessage("element=null at batch index 2", () -> buffer.fill(() -> next[0] < 2 ? next[0]++ : null, 5));
        assertEquals(List.of(0, 1), drainAll(subscriber));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void useOfAClosedSubscriberIsRejectedNamingIt(SlowSubscriberPolicy policy) {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        buffer.offer(1);
        subscriber.close();
        subscriber.close(); // idempotent
        String name = "subscriber id=" + subscriber.id() + " is closed";
        assertEquals(name, assertThrows(IllegalStateException.class, subscriber::poll).getMessage());
        assertEquals(name, assertThrows(IllegalStateException.class, () -> subscriber.drain(e -> { }, 4))
            .getMessage());
        assertEquals(name, assertThrows(IllegalStateException.class, subscriber::receive).getMessage());
        assertTrue(subscriber.isClosed());
        assertTrue(subscriber.isClosedForPoll());
        assertEquals(0, buffer.subscriberCount());
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void aDrainHandlerThatConsumesFromItsOwnSubscriberIsRejected(SlowSubscriberPolicy policy) {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        buffer.offer(1);
        buffer.offer(2);
        assertThrows(IllegalStateException.class, () -> subscriber.drain(e -> subscriber.poll(), 4));
        assertEquals(2, subscriber.poll(), "the element handed over before the handler threw counts as taken");
    }

    // ---------------------------------------------------------------- lossless statuses and order

    @Test
    void losslessReportsFullWhileTheSlowestSubscriberHoldsTheSlotAndTheElementStaysWithTheCaller() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 4);
        Subscriber<Integer> fast = buffer.subscribe();
        Subscriber<Integer> slow = buffer.subscribe();
        for (int i = 0; i < 4; i++) {
            assertEquals(PublishStatus.OK, buffer.offer(i));
            assertEquals(i, fast.poll());
        }
        assertEquals(PublishStatus.FULL, buffer.offer(4));
        assertEquals(4, buffer.published());
        assertEquals(0, slow.poll());
        assertEquals(PublishStatus.OK, buffer.offer(4));
        assertEquals(PublishStatus.FULL, buffer.offer(5));
        assertEquals(List.of(1, 2, 3, 4), drainAll(slow));
        assertEquals(List.of(4), drainAll(fast));
        assertEquals(PublishStatus.OK, buffer.offer(5));
        assertEquals(5, slow.poll());
        assertEquals(5, fast.poll());
        assertNull(slow.poll());
    }

    @Test
    void withNoSubscriberALosslessBufferIsNeverFull() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 2);
        for (int i = 0; i < 100; i++) {
            assertEquals(PublishStatus.OK, buffer.offer(i));
        }
        assertEquals(100, buffer.published());
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void everySubscriberSeesEveryElementInOrderAcrossManyWraps(SlowSubscriberPolicy policy) {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        List<Subscriber<Integer>> subscribers = List.of(buffer.subscribe(), buffer.subscribe(),
            buffer.subscribe());
        List<List<Integer>> seen = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int next = 0;
        for (int round = 0; round < 50; round++) {
            int batch = 1 + round % 4;
            for (int i = 0; i < batch; i++) {
                assertEquals(PublishStatus.OK, buffer.offer(next++));
            }
            for (int s = 0; s < 3; s++) {
                if (s == 0) {
                    Integer e;
                    while ((e = subscribers.get(s).poll()) != null) {
                        seen.get(s).add(e);
                    }
                } else {
                    seen.get(s).addAll(drainAll(subscribers.get(s)));
                }
            }
        }
        for (int s = 0; s < 3; s++) {
            assertEquals(next, seen.get(s).size());
            for (int i = 0; i < next; i++) {
                assertEquals(i, seen.get(s).get(i));
            }
            assertEquals(0, subscribers.get(s).lost());
            assertEquals(next, subscribers.get(s).position());
        }
    }

    @Test
    void fillPublishesAsManyAsThereIsRoomForAndAsksOnlyForThose() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        int[] asked = {0};
        assertEquals(4, buffer.fill(() -> asked[0]++, 10));
        assertEquals(4, asked[0]);
        assertEquals(0, buffer.fill(() -> asked[0]++, 10));
        assertEquals(4, asked[0]);
        assertEquals(0, subscriber.poll());
        assertEquals(1, buffer.fill(() -> asked[0]++, 10));
        assertEquals(List.of(1, 2, 3, 4), drainAll(subscriber));
    }

    @Test
    void batchesAndSingleTakesInterleavedAtRandomDeliverEveryElementIntactAcrossManyRefreshes() {
        java.util.Random random = new java.util.Random(20);
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 16); // a refresh every 4 publications
        Subscriber<Integer> a = buffer.subscribe();
        Subscriber<Integer> b = buffer.subscribe();
        int[] next = {0};
        int[] expected = {0, 0};
        for (int round = 0; round < 20_000; round++) {
            if (random.nextBoolean()) {
                buffer.fill(() -> next[0]++, 1 + random.nextInt(20));
            } else if (buffer.offer(next[0]) == PublishStatus.OK) {
                next[0]++;
            }
            for (int s = 0; s < 2; s++) {
                Subscriber<Integer> subscriber = s == 0 ? a : b;
                final int which = s;
                int wanted = random.nextInt(s == 0 ? 24 : 12);
                if (random.nextBoolean()) {
                    subscriber.drain(e -> assertEquals(expected[which]++, e), 1 + wanted);
                } else {
                    for (int i = 0; i < wanted; i++) {
                        Integer e = subscriber.poll();
                        if (e == null) {
                            break;
                        }
                        assertEquals(expected[which]++, e);
                    }
                }
            }
        }
        assertTrue(next[0] > 50_000, "published " + next[0]);
    }

    @Test
    void aDrainPublishesItsProgressOnceForTheBatchAndStopsAtItsLimit() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 8);
        Subscriber<Integer> subscriber = buffer.subscribe();
        for (int i = 0; i < 6; i++) {
            buffer.offer(i);
        }
        List<Long> positionsSeenByHandler = new ArrayList<>();
        assertEquals(4, subscriber.drain(e -> positionsSeenByHandler.add(subscriber.position()), 4));
        assertEquals(List.of(0L, 0L, 0L, 0L), positionsSeenByHandler, "the sequence moves once, after the batch");
        assertEquals(4, subscriber.position());
        assertEquals(2, subscriber.lag());
        assertEquals(2, subscriber.drain(e -> { }, 100));
        assertEquals(0, subscriber.drain(e -> { }, 100));
        assertEquals(0, subscriber.lag());
    }

    @Test
    void aDrainHandlerThatThrowsStillConsumesWhatItWasGiven() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        buffer.offer(1);
        buffer.offer(2);
        assertThrows(ArithmeticException.class, () -> subscriber.drain(e -> {
            throw new ArithmeticException("boom");
        }, 4));
        assertEquals(1, subscriber.position());
        assertEquals(2, subscriber.poll());
    }

    @Test
    void aDrainHandlerMayCloseItsSubscriberAndTheDrainStops() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        assertEquals(4, buffer.fill(counter(), 4));
        List<Integer> got = new ArrayList<>();
        assertEquals(2, subscriber.drain(e -> {
            got.add(e);
            if (e == 1) {
                subscriber.close();
            }
        }, 4));
        assertEquals(List.of(0, 1), got);
        assertEquals(PublishStatus.OK, buffer.offer(9), "the closed subscriber no longer gates");
    }

    private static java.util.function.Supplier<Integer> counter() {
        int[] next = {0};
        return () -> next[0]++;
    }

    // ---------------------------------------------------------------- references

    @Test
    void aLosslessSlotIsClearedByTheLastSubscriberToPassItWithoutTheProducer() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 16);
        Subscriber<Integer> a = buffer.subscribe();
        Subscriber<Integer> b = buffer.subscribe();
        for (int i = 0; i < 4; i++) {
            buffer.offer(1000 + i);
        }
        drainAll(a);
        for (int i = 0; i < 4; i++) {
            assertEquals(1000 + i, buffer.elements[buffer.offset(i)], "b has not passed index " + i);
        }
        assertEquals(1000, b.poll()); // b was the last to pass index 0: it clears it
        assertNull(buffer.elements[buffer.offset(0)]);
        assertEquals(1001, buffer.elements[buffer.offset(1)]);
        assertEquals(1, b.drain(e -> { }, 1));
        assertNull(buffer.elements[buffer.offset(1)]);
        assertEquals(1002, buffer.elements[buffer.offset(2)], "b has not passed index 2");
        b.close(); // b held the floor: its close clears what a alone has passed
        assertNull(buffer.elements[buffer.offset(2)]);
        assertNull(buffer.elements[buffer.offset(3)]);
        buffer.offer(2000);
        assertEquals(2000, buffer.elements[buffer.offset(4)]);
        assertEquals(2000, a.poll()); // a alone: the last to pass
        assertNull(buffer.elements[buffer.offset(4)]);
        assertEquals(5L << 1, buffer.floor);
    }

    @Test
    void withNoSubscriberWhatIsPublishedIsNotKept() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 16);
        assertEquals(PublishStatus.OK, buffer.offer(1000));
        assertNull(buffer.elements[buffer.offset(0)], "offer");
        assertEquals(3, buffer.fill(() -> 2000, 3));
        for (int i = 1; i < 4; i++) {
            assertNull(buffer.elements[buffer.offset(i)], "fill, index " + i);
        }
        Subscriber<Integer> late = buffer.subscribe(); // starts at the next publication: it misses nothing kept
        buffer.offer(3000);
        assertEquals(3000, buffer.elements[buffer.offset(4)], "kept for the subscriber");
        assertEquals(3000, late.poll());
        assertNull(buffer.elements[buffer.offset(4)], "its only subscriber passed it");
        assertEquals(5L << 1, buffer.floor);
    }

    // ---------------------------------------------------------------- subscribe and unsubscribe at run time

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void aNewSubscriberStartsAtTheNextPublishedElement(SlowSubscriberPolicy policy) {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> first = buffer.subscribe();
        buffer.offer(0);
        buffer.offer(1);
        Subscriber<Integer> late = buffer.subscribe();
        assertEquals(2, late.position());
        assertEquals(0, late.lag());
        assertNull(late.poll());
        buffer.offer(2);
        assertEquals(2, late.poll());
        assertEquals(List.of(0, 1, 2), drainAll(first));
        assertEquals(2, buffer.subscriberCount());
        assertTrue(late.id() != first.id());
    }

    @Test
    void unsubscribingTheSlowestReleasesTheProducer() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 2);
        Subscriber<Integer> fast = buffer.subscribe();
        Subscriber<Integer> slow = buffer.subscribe();
        buffer.offer(0);
        buffer.offer(1);
        drainAll(fast);
        assertEquals(PublishStatus.FULL, buffer.offer(2));
        assertEquals(2, slow.lag());
        slow.close();
        assertEquals(PublishStatus.OK, buffer.offer(2));
        assertEquals(PublishStatus.OK, buffer.offer(3));
        assertEquals(List.of(2, 3), drainAll(fast));
    }

    @Test
    void aSubscriberClosedFromAnotherThreadNoLongerGates() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 2);
        Subscriber<Integer> orphan = buffer.subscribe();
        buffer.offer(0);
        buffer.offer(1);
        assertEquals(PublishStatus.FULL, buffer.offer(2));
        Thread closer = new Thread(orphan::close, "closer");
        closer.start();
        closer.join();
        assertEquals(PublishStatus.OK, buffer.offer(2));
    }

    // ---------------------------------------------------------------- lossy

    @Test
    void lossyNeverReportsFullAndALappedSubscriberCountsExactlyWhatItLost() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSY, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        for (int i = 0; i < 10; i++) {
            assertEquals(PublishStatus.OK, buffer.offer(i));
        }
        assertEquals(10, subscriber.lag());
        assertEquals(6, subscriber.poll(), "resumes at the oldest element still available");
        assertEquals(6, subscriber.lost());
        assertEquals(List.of(7, 8, 9), drainAll(subscriber));
        for (int i = 10; i < 19; i++) {
            buffer.offer(i);
        }
        assertEquals(List.of(15, 16, 17, 18), drainAll(subscriber));
        assertEquals(11, subscriber.lost());
        assertEquals(19, subscriber.position());
        assertEquals(19, 8 + subscriber.lost(), "received + lost = published");
        assertEquals(3, buffer.fill(counter(), 3));
        assertEquals(List.of(0, 1, 2), drainAll(subscriber));
        assertEquals(11, subscriber.lost());
    }

    @Test
    void aLossyReaderThatFindsItsSlotBeingOverwrittenWaitsForThatPublicationThenCountsTheLoss() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSY, 2);
        Subscriber<Integer> subscriber = buffer.subscribe();
        buffer.offer(0);
        buffer.offer(1);
        // the producer has begun writing index 2 into slot 0: index 0 is gone, but the cursor does not show it yet
        buffer.sequences[buffer.sequenceOffset(2)] = 2L << 1 | 1;
        Running<Integer> poll = Threads.run("subscriber", subscriber::poll);
        Thread.sleep(20); // lets the poll find the mark (the outcome is the same if it comes later)
        assertFalse(poll.result.isDone(), "the poll waits for the publication that laps it");
        assertEquals(PublishStatus.OK, buffer.offer(2));
        assertEquals(1, poll.result.get(10, TimeUnit.SECONDS));
        assertEquals(1, subscriber.lost());
        assertEquals(2, subscriber.poll());
        assertEquals(3, subscriber.position());
    }

    // ---------------------------------------------------------------- closing

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void subscribersDrainAfterTheProducerClosesThenSeeClosed(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        buffer.offer(1);
        buffer.offer(2);
        buffer.close();
        buffer.close(); // idempotent
        assertTrue(buffer.isClosed());
        assertEquals(PublishStatus.CLOSED, buffer.offer(3));
        assertEquals(PublishStatus.CLOSED, buffer.send(3));
        assertEquals(0, buffer.fill(counter(), 2));
        assertFalse(subscriber.isClosedForPoll());
        assertEquals(1, subscriber.receive());
        assertEquals(2, subscriber.poll());
        assertTrue(subscriber.isClosedForPoll());
        assertNull(subscriber.receive());
        assertTrue(buffer.subscribe().isClosedForPoll(), "subscribing to a closed buffer");
    }

    // ---------------------------------------------------------------- waiting

    @Test
    void aParkedSendIsWokenWhenTheSlowestSubscriberAdvances() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 2);
        Subscriber<Integer> fast = buffer.subscribe();
        Subscriber<Integer> slow = buffer.subscribe();
        buffer.offer(0);
        buffer.offer(1);
        drainAll(fast);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(2)).untilParked();
        assertEquals(0, slow.poll());
        assertEquals(PublishStatus.OK, send.result.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2), drainAll(slow));
    }

    @Test
    void aParkedSendIsWokenByTheUnsubscribeOfTheSlowest() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> slow = buffer.subscribe();
        buffer.offer(0);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(1)).untilParked();
        slow.close();
        assertEquals(PublishStatus.OK, send.result.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closingWakesAParkedSendWhichKeepsItsElement() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> slow = buffer.subscribe();
        buffer.offer(0);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(1)).untilParked();
        buffer.close();
        assertEquals(PublishStatus.CLOSED, send.result.get(10, TimeUnit.SECONDS));
        assertEquals(0, slow.poll());
        assertTrue(slow.isClosedForPoll());
    }

    @Test
    void aTimedSendGivesUpAtItsDeadlineOnTheInjectedClock() throws Exception {
        SteppingClock clock = new SteppingClock(1_000_000);
        MulticastBuffer<Integer> buffer = MulticastBuffer.<Integer>builder().capacity(1).nanoClock(clock)
            .waitPolicy(WaitPolicy.PARK).build();
        buffer.subscribe();
        buffer.offer(0);
        assertEquals(PublishStatus.FULL, buffer.send(1, 0, TimeUnit.SECONDS));
        assertEquals(PublishStatus.FULL, buffer.send(1, 5, TimeUnit.MILLISECONDS));
        assertTrue(clock.now() >= 5_000_000, "not before the deadline: " + clock.now());
    }

    @Test
    void anInterruptedSendThrowsAndKeepsItsElement() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        buffer.subscribe();
        buffer.offer(0);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(1)).untilParked();
        send.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> send.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(1, buffer.published());
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void aParkedReceiveIsWokenByThePublication(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive).untilParked();
        buffer.offer(42);
        assertEquals(42, receive.result.get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void closingTheProducerWakesAParkedReceiveWithNull(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive).untilParked();
        buffer.close();
        assertNull(receive.result.get(10, TimeUnit.SECONDS));
        assertTrue(subscriber.isClosedForPoll());
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void closingTheSubscriberWakesItsParkedReceive(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive).untilParked();
        subscriber.close();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> receive.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void aTimedReceiveGivesUpAtItsDeadlineOnTheInjectedClock() throws Exception {
        SteppingClock clock = new SteppingClock(1_000_000);
        MulticastBuffer<Integer> buffer = MulticastBuffer.<Integer>builder().capacity(2).nanoClock(clock)
            .waitPolicy(WaitPolicy.PARK).build();
        Subscriber<Integer> subscriber = buffer.subscribe();
        assertNull(subscriber.receive(0, TimeUnit.SECONDS));
        assertNull(subscriber.receive(3, TimeUnit.MILLISECONDS));
        assertTrue(clock.now() >= 3_000_000);
        assertFalse(subscriber.isClosedForPoll());
        buffer.offer(7);
        assertEquals(7, subscriber.receive(1, TimeUnit.MILLISECONDS));
    }

    @Test
    void theConditionsDoNotArmWhenTheyHoldAlready() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Threads.CountingWaker waker = new Threads.CountingWaker();
        assertFalse(buffer.writable().arm(waker), "room: does not arm");
        assertTrue(subscriber.readable().arm(waker), "empty: arms");
        buffer.offer(1);
        assertEquals(1, waker.calls.get(), "the publication woke it");
        assertFalse(subscriber.readable().arm(waker), "an element is there: does not arm");
        assertTrue(buffer.writable().arm(waker), "full: arms");
        assertEquals(1, subscriber.poll());
        assertEquals(2, waker.calls.get(), "the advance of the only subscriber woke it");
        assertSame(buffer.writable(), buffer.writable());
        assertFalse(MulticastBuffer.lossy(1).writable().arm(waker), "lossy: always writable");
    }

    @Test
    void toStringsNameTheState() {
        MulticastBuffer<Integer> buffer = MulticastBuffer.lossy(2);
        Subscriber<Integer> subscriber = buffer.subscribe();
        assertEquals(SlowSubscriberPolicy.LOSSY, buffer.policy());
        assertEquals(2, buffer.capacity());
        assertTrue(buffer.toString().contains("LOSSY"), buffer.toString());
        assertTrue(subscriber.toString().contains("id=" + subscriber.id()), subscriber.toString());
    }
}
