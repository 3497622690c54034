package dev.tpcbridge.multicast;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.internal.Threads.SteppingClock;
import dev.tpcbridge.wake.WaitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A busy-spin buffer ({@code Builder.busySpin()}): no waiter parks and no fence is paid for waking one, so every wait
 * must end by its own re-checks. Each test starts a wait on another thread, checks that it is still waiting, then
 * acts from this thread (publish, consume, close either side, interrupt) and expects the wait to end; a wait that
 * missed the change would hang to the test's timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MulticastBusySpinTest {

    private static MulticastBuffer<Integer> buffer(SlowSubscriberPolicy policy, int capacity) {
        return MulticastBuffer.<Integer>builder().capacity(capacity).policy(policy).waitPolicy(WaitPolicy.of(4, 0))
            .busySpin().build();
    }

    /** Lets a started wait get going, then checks that it is still waiting. */
    private static void stillWaiting(Running<?> running) throws InterruptedException {
        Thread.sleep(30);
        assertFalse(running.result.isDone(), "returned before the other side acted: " + running.result);
    }

    @Test
    void everySubscriberReceivesEveryElementInOrderFromASpinningProducer() throws Exception {
        final int count = 200_000;
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 8);
        assertTrue(buffer.isBusySpin());
        Subscriber<Integer> first = buffer.subscribe();
        Subscriber<Integer> second = buffer.subscribe();
        Running<Integer> a = Threads.run("first", () -> expectSequence(first, count));
        Running<Integer> b = Threads.run("second", () -> expectSequence(second, count));
        for (int i = 0; i < count; i++) {
            assertEquals(PublishStatus.OK, buffer.send(i));
        }
        buffer.close();
        assertEquals(count, a.result.get(30, TimeUnit.SECONDS));
        assertEquals(count, b.result.get(30, TimeUnit.SECONDS));
    }

    /** Receives until the buffer is closed for poll, checking that element i is i; returns how many came. */
    private static int expectSequence(Subscriber<Integer> subscriber, int count) throws InterruptedException {
        int next = 0;
        Integer e;
        while ((e = subscriber.receive()) != null) {
            if (e != next) {
                throw new AssertionError("expected " + next + ", received " + e);
            }
            next++;
        }
        if (!subscriber.isClosedForPoll() || next != count) {
            throw new AssertionError("ended after " + next + " of " + count);
        }
        return next;
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void aSpinningReceiveTakesThePublication(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive);
        stillWaiting(receive);
        buffer.offer(42);
        assertEquals(42, receive.result.get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void closingTheProducerEndsASpinningReceiveWithNull(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive);
        stillWaiting(receive);
        buffer.close();
        assertNull(receive.result.get(10, TimeUnit.SECONDS));
        assertTrue(subscriber.isClosedForPoll());
    }

    @ParameterizedTest
    @EnumSource(SlowSubscriberPolicy.class)
    void closingTheSubscriberEndsItsSpinningReceive(SlowSubscriberPolicy policy) throws Exception {
        MulticastBuffer<Integer> buffer = buffer(policy, 4);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive);
        stillWaiting(receive);
        subscriber.close();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> receive.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void aSpinningSendGoesThroughWhenTheSlowestAdvancesOrLeaves() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> slow = buffer.subscribe();
        buffer.offer(0);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(1));
        stillWaiting(send);
        assertEquals(0, slow.poll());
        assertEquals(PublishStatus.OK, send.result.get(10, TimeUnit.SECONDS));
        Running<PublishStatus> next = Threads.run("producer", () -> buffer.send(2));
        stillWaiting(next);
        slow.close();
        assertEquals(PublishStatus.OK, next.result.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closingEndsASpinningSendWhichKeepsItsElement() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> slow = buffer.subscribe();
        buffer.offer(0);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(1));
        stillWaiting(send);
        buffer.close();
        assertEquals(PublishStatus.CLOSED, send.result.get(10, TimeUnit.SECONDS));
        assertEquals(0, slow.poll());
        assertNull(slow.poll());
        assertTrue(slow.isClosedForPoll());
    }

    @Test
    void timedWaitsGiveUpAtTheirDeadlinesOnTheInjectedClock() throws Exception {
        SteppingClock clock = new SteppingClock(1_000_000);
        MulticastBuffer<Integer> buffer = MulticastBuffer.<Integer>builder().capacity(1).nanoClock(clock).busySpin()
            .build();
        Subscriber<Integer> subscriber = buffer.subscribe();
        assertNull(subscriber.receive(0, TimeUnit.SECONDS));
        assertNull(subscriber.receive(3, TimeUnit.MILLISECONDS));
        assertTrue(clock.now() >= 3_000_000, "not before the deadline: " + clock.now());
        buffer.offer(0);
        assertEquals(PublishStatus.FULL, buffer.send(1, 0, TimeUnit.SECONDS));
        final long before = clock.now();
        assertEquals(PublishStatus.FULL, buffer.send(1, 5, TimeUnit.MILLISECONDS));
        assertTrue(clock.now() - before >= 5_000_000, "not before the deadline: " + (clock.now() - before));
        assertEquals(0, subscriber.receive(1, TimeUnit.MILLISECONDS));
    }

    @Test
    void interruptedWaitsThrowAndTheElementStaysWithTheCaller() throws Exception {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> subscriber = buffer.subscribe();
        buffer.offer(0);
        Running<PublishStatus> send = Threads.run("producer", () -> buffer.send(1));
        stillWaiting(send);
        send.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> send.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(1, buffer.published());
        assertEquals(0, subscriber.poll());
        Running<Integer> receive = Threads.run("subscriber", subscriber::receive);
        stillWaiting(receive);
        receive.thread.interrupt();
        e = assertThrows(ExecutionException.class, () -> receive.result.get(10, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
    }

    @Test
    void theConditionsRefuseToArmAndSayWhy() {
        MulticastBuffer<Integer> buffer = buffer(SlowSubscriberPolicy.LOSSLESS, 1);
        Subscriber<Integer> subscriber = buffer.subscribe();
        Threads.CountingWaker waker = new Threads.CountingWaker();
        IllegalStateException readable = assertThrows(IllegalStateException.class,
            () -> subscriber.readable().arm(waker));
        assertTrue(readable.getMessage().startsWith("readable() of a busy-spin buffer cannot be armed"),
            readable.getMessage());
        IllegalStateException writable = assertThrows(IllegalStateException.class,
            () -> buffer.writable().arm(waker));
        assertTrue(writable.getMessage().startsWith("writable() of a busy-spin buffer cannot be armed"),
            writable.getMessage());
        assertFalse(MulticastBuffer.lossless(1).isBusySpin(), "not busy-spin unless asked");
    }
}
