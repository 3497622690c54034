package dev.tpcbridge.bench;

import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.wake.WaitPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake-up latency of a parked waiter: a round trip between the benchmark thread and an echo thread in which each side
 * parks until the other wakes it, so one operation is two park-to-wake hand-offs. {@code Unpark} is the bare peer: a
 * volatile sequence number plus {@code LockSupport.unpark}/{@code park}, the least any parking hand-off can do.
 * {@code WakingRing} passes the element through two waking rings whose blocking {@code take} parks at once
 * ({@code spinTries=0, yieldTries=0}), so every hand-off goes through the armed-waiter protocol and a real park.
 * {@code WakingRingDefault} uses the default spin-then-yield-then-park policy (it rarely parks here; shown for scale).
 * Goals: {@code WakingRing} p50 at most 1.2 x and p99 at most 2 x {@code Unpark}, from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 5, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class WakeLatencyBenchmark {
    /** The hand-off under test. */
    @Param({"Unpark", "WakingRing", "WakingRingDefault"})
    public String impl;

    private PingPong pingPong;

    /** Starts the echo thread. */
    @Setup(Level.Trial)
    public void setUp() {
        switch (impl) {
            case "Unpark" -> pingPong = new UnparkPingPong();
            case "WakingRing" -> pingPong = new RingPingPong(0, 0);
            case "WakingRingDefault" -> pingPong = new RingPingPong(128, 8);
            default -> throw new IllegalArgumentException("impl=" + impl + " is not known");
        }
    }

    /** Stops the echo thread. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        pingPong.close();
    }

    /**
     * One round trip.
     *
     * @return the echoed value, so the JIT cannot drop it
     * @throws InterruptedException never, in practice
     */
    @Benchmark
    public long roundTrip() throws InterruptedException {
        return pingPong.roundTrip();
    }

    abstract static class PingPong {
        abstract long roundTrip() throws InterruptedException;

        abstract void close() throws InterruptedException;
    }

    /** The bare peer: sequence numbers in volatiles, park until the other side moves it, unpark the other side. */
    static final class UnparkPingPong extends PingPong {
        private final Thread caller = Thread.currentThread();
        private final Thread echo;
        private volatile long ping;
        private volatile long pong;
        private volatile boolean running = true;
        private long sequence;

        UnparkPingPong() {
            echo = new Thread(() -> {
                long seen = 0;
                while (running) {
                    long p = ping;
                    if (p == seen) {
                        LockSupport.park(this);
                        continue;
                    }
                    seen = p;
                    pong = p;
                    LockSupport.unpark(caller);
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
        }

        @Override
        long roundTrip() {
            final long next = ++sequence;
            ping = next;
            LockSupport.unpark(echo);
            while (pong != next) {
                LockSupport.park(this);
            }
            return next;
        }

        @Override
        void close() throws InterruptedException {
            running = false;
            LockSupport.unpark(echo);
            echo.join();
        }
    }

    /** Two waking rings: the caller offers into one and takes from the other; the echo thread does the opposite. */
    static final class RingPingPong extends PingPong {
        private final WakingRing<Long> ping;
        private final WakingRing<Long> pong;
        private final Thread echo;
        private final Long[] boxes = new Long[1024];
        private int sequence;

        RingPingPong(int spinTries, int yieldTries) {
            ping = WakingRing.<Long>builder().capacity(16).waitPolicy(WaitPolicy.of(spinTries, yieldTries)).build();
            pong = WakingRing.<Long>builder().capacity(16).waitPolicy(WaitPolicy.of(spinTries, yieldTries)).build();
            for (int i = 0; i < boxes.length; i++) {
                boxes[i] = (long) i; // preboxed: the hand-off allocates nothing
            }
            echo = new Thread(() -> {
                try {
                    Long e;
                    while ((e = ping.receive()) != null) {
                        pong.offer(e);
                    }
                } catch (InterruptedException ignored) {
                    // closing
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
        }

        @Override
        long roundTrip() throws InterruptedException {
            final Long element = boxes[sequence++ & (boxes.length - 1)];
            ping.offer(element);
            return pong.receive();
        }

        @Override
        void close() throws InterruptedException {
            ping.closeProducer();
            echo.join();
        }
    }
}
