package dev.tpcbridge.bench;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.ControlHandle;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.bridge.ResponseDecoder;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.wake.WaitPolicy;
import org.jctools.queues.SpscArrayQueue;
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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One request/response round trip between the benchmark thread (the control side) and an echo thread (the data
 * side), with its peer in the same run.
 *
 * <ul>
 *   <li>Both sides spinning: {@code BridgeSpin} (the channel's handles: {@code send}, then {@code poll} until the
 *   answer is there; the echo thread {@code drain}s) against {@code JCToolsSpin}, two JCTools {@code SpscArrayQueue}s
 *   in a ping-pong. Goal: p50 at most 1.2 x the peer, per fork.</li>
 *   <li>Both sides parked: {@code BridgeParked} (the caller's {@code take()} and the core's idle strategy park at
 *   once, so every hand-off goes through the wake protocol and a real park) against {@code UnparkParked}, a bare
 *   volatile-and-{@code LockSupport.unpark} ping-pong. Goal: p50 at most 1.2 x the peer. {@code CoreParked} is the
 *   same trip to a {@code DataPlane} core (its duty cycle: channels, tasks, telemetry; idle backoff set to park at
 *   once): a parked core's wake-up latency, against the same peer.</li>
 *   <li>The future-based client with one caller: {@code ClientSpin} (the caller spins on {@code isDone()}) and
 *   {@code ClientJoin} (the caller {@code join()}s, parking), beside {@code ExecutorJoin}, a
 *   {@code CompletableFuture.supplyAsync} onto a one-thread executor, what a caller would otherwise write. The client's
 *   trip has three threads: caller, completion thread, core.</li>
 * </ul>
 *
 * Run with {@code -prof dev.tpcbridge.bench.SpinRoundTripProfiler} to record each fork's vCPU placement class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BridgeRoundTripBenchmark {
    /** The round trip under test. */
    @Param({"JCToolsSpin", "BridgeSpin", "UnparkParked", "BridgeParked", "CoreParked", "ClientSpin", "ClientJoin",
        "ExecutorJoin"})
    public String impl;

    private RoundTrip roundTrip;

    /** Starts the echo side. */
    @Setup(Level.Trial)
    public void setUp() {
        switch (impl) {
            case "JCToolsSpin" -> roundTrip = new JCToolsSpin();
            case "BridgeSpin" -> roundTrip = new BridgeSpin();
            case "UnparkParked" -> roundTrip = new UnparkParked();
            case "BridgeParked" -> roundTrip = new BridgeParked();
            case "CoreParked" -> roundTrip = new CoreParked();
            case "ClientSpin" -> roundTrip = new ClientRoundTrip(true);
            case "ClientJoin" -> roundTrip = new ClientRoundTrip(false);
            case "ExecutorJoin" -> roundTrip = new ExecutorJoin();
            default -> throw new IllegalArgumentException("impl=" + impl + " is not known");
        }
    }

    /** Stops the echo side. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        roundTrip.close();
    }

    /**
     * One round trip.
     *
     * @return what came back, so the JIT cannot drop it
     * @throws Exception never, in practice
     */
    @Benchmark
    public Object roundTrip() throws Exception {
        return roundTrip.run();
    }

    abstract static class RoundTrip {
        abstract Object run() throws Exception;

        abstract void close() throws InterruptedException;
    }

    /** Two JCTools SPSC queues; both sides busy-spin. */
    static final class JCToolsSpin extends RoundTrip {
        private final SpscArrayQueue<Object> ping = new SpscArrayQueue<>(1024);
        private final SpscArrayQueue<Object> pong = new SpscArrayQueue<>(1024);
        private final Object token = new Object();
        private final Thread echo;
        private volatile boolean running = true;

        JCToolsSpin() {
            echo = new Thread(() -> {
                while (running) {
                    final Object e = ping.poll();
                    if (e == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    while (!pong.offer(e)) {
                        Thread.onSpinWait();
                    }
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
        }

        @Override
        Object run() {
            ping.offer(token);
            Object e;
            while ((e = pong.poll()) == null) {
                Thread.onSpinWait();
            }
            return e;
        }

        @Override
        void close() throws InterruptedException {
            running = false;
            echo.join();
        }
    }

    /** The channel's handles; both sides busy-spin. */
    static final class BridgeSpin extends RoundTrip {
        private final BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(1024)
            .responseCapacity(1024).build();
        private final Request request = Request.create().id(1);
        private final Thread echo;

        BridgeSpin() {
            echo = EchoCore.start(channel.data(), Integer.MAX_VALUE, 0); // spins, never parks
        }

        @Override
        Object run() {
            final ControlHandle<Request, Response> control = channel.control();
            control.trySend(request);
            Response response;
            while ((response = control.poll()) == null) {
                Thread.onSpinWait();
            }
            return response;
        }

        @Override
        void close() throws InterruptedException {
            channel.control().close();
            echo.join();
        }
    }

    /** The bare parked peer: {@link WakeLatencyBenchmark}'s volatile-and-unpark ping-pong, the same code. */
    static final class UnparkParked extends RoundTrip {
        private final WakeLatencyBenchmark.UnparkPingPong pingPong = new WakeLatencyBenchmark.UnparkPingPong();

        @Override
        Object run() {
            pingPong.roundTrip();
            return pingPong;
        }

        @Override
        void close() throws InterruptedException {
            pingPong.close();
        }
    }

    /** The channel's handles; the caller's receive() and the core's idle strategy park at once. */
    static final class BridgeParked extends RoundTrip {
        private final BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(1024)
            .responseCapacity(1024).waitPolicy(WaitPolicy.PARK).build();
        private final Request request = Request.create().id(1);
        private final Thread echo;

        BridgeParked() {
            echo = EchoCore.start(channel.data(), 0, 0); // parks at once
        }

        @Override
        Object run() throws InterruptedException {
            channel.control().trySend(request);
            return channel.control().receive();
        }

        @Override
        void close() throws InterruptedException {
            channel.control().close();
            echo.join();
        }
    }

    /** The channel's handles to a DataPlane core that parks at once; the caller's receive() parks at once too. */
    static final class CoreParked extends RoundTrip {
        private final BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(1024)
            .responseCapacity(1024).waitPolicy(WaitPolicy.PARK).build();
        private final Request request = Request.create().id(1);
        private final DataPlane plane = DataPlane.builder().idle(WaitPolicy.PARK).build();

        CoreParked() {
            plane.core(0).attach(channel, EchoCore.ECHO);
            plane.start();
        }

        @Override
        Object run() throws InterruptedException {
            channel.control().trySend(request);
            return channel.control().receive();
        }

        @Override
        void close() {
            plane.close();
        }
    }

    /** The future-based client; the core spins briefly, then parks. */
    static final class ClientRoundTrip extends RoundTrip {
        private static final Object ANSWER = new Object();
        private static final ResponseDecoder<Object> DECODE = response -> ANSWER; // a constant: allocates nothing
        private final BridgeClient client = BridgeClient.builder().build();
        private final Request request = Request.create().id(1);
        private final boolean spin;
        private final Thread core;

        ClientRoundTrip(boolean spin) {
            this.spin = spin;
            core = EchoCore.start(client.channel().data(), 100, 10);
        }

        @Override
        Object run() throws InterruptedException {
            final BridgeCall<Object> call = client.call(request, DECODE);
            if (spin) {
                while (!call.isDone()) {
                    Thread.onSpinWait();
                }
                return call.getNow(null);
            }
            return call.join();
        }

        @Override
        void close() throws InterruptedException {
            client.close();
            core.join();
        }
    }

    /** The peer of the client: CompletableFuture.supplyAsync onto a one-thread executor, then join(). */
    static final class ExecutorJoin extends RoundTrip {
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final Object answer = new Object();
        private final Supplier<Object> task = () -> answer;

        @Override
        Object run() {
            return CompletableFuture.supplyAsync(task, executor).join();
        }

        @Override
        void close() throws InterruptedException {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
