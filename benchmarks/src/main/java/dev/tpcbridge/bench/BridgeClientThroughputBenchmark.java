package dev.tpcbridge.bench;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.ControlHandle;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.BridgeStatus;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.RequestHandler;
import dev.tpcbridge.bridge.ResponseDecoder;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.wake.WaitPolicy;
import org.jctools.queues.MpscArrayQueue;
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
 * Calls per microsecond from one caller thread that keeps up to {@code window} calls in flight: one operation issues a
 * call after waiting (spinning on {@code isDone()}) for the call issued {@code window} operations earlier.
 * {@code Client} is the future-based {@link BridgeClient} over a channel to a hand-rolled core thread; its peer
 * {@code Executor} is {@code CompletableFuture.supplyAsync} onto a one-thread executor, in the same run.
 * {@code Plane} is the same client attached to a {@code DataPlane} core (the runtime's duty cycle), and its peer
 * {@code JCToolsLoop} the minimal hand-rolled equivalent: the caller offers each call's future to a JCTools
 * {@code SpscArrayQueue}, a loop thread answers it into a second one, and the caller completes the futures it finds
 * there itself (two threads where the client has three: caller, completion thread, core). {@code PlaneHandle} is that
 * same two-thread traffic through the library: the caller offers each future on a {@link BridgeChannel}'s control
 * handle, a {@code DataPlane} core's duty cycle answers it with the future itself, and the caller drains the answers
 * and completes them (no client, no completion thread). {@code JCToolsRelay} is the minimal hand-rolled equivalent
 * of the client's own shape, three threads: the caller offers each future to a JCTools {@code MpscArrayQueue} (the
 * intake) and waits on {@code isDone()} as a client caller does; a relay thread moves calls from it to the request
 * queue and completes the answers it finds in the response queue; the loop thread answers as in {@code JCToolsLoop}.
 * It measures what a third busy thread costs on the machine at hand. Every variant allocates the future per call
 * ({@code -prof gc} shows B/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BridgeClientThroughputBenchmark {
    private static final Object ANSWER = new Object();
    private static final ResponseDecoder<Object> DECODE = response -> ANSWER;

    /** The caller's path under test. */
    @Param({"Client", "Executor", "Plane", "PlaneHandle", "JCToolsLoop", "JCToolsRelay"})
    public String impl;

    /**
     * {@code Plane} only: the wait policy of the client's completion thread and of the core's idle loop.
     * {@code DEFAULT} is {@link WaitPolicy#DEFAULT} (which depends on the processors: {@code FEW_CORES} below 4);
     * {@code PARK} parks at once; {@code SPINSxYIELDS} (e.g. {@code 128x8}, {@code SPARE_CORES}) is
     * {@link WaitPolicy#of}.
     */
    @Param({"DEFAULT"})
    public String policy;

    /** The most calls in flight. */
    @Param({"256"})
    public int window;

    private CompletableFuture<?>[] inFlight;
    private int next;
    private BridgeClient client;
    private Thread core;
    private ExecutorService executor;
    private DataPlane plane;
    private SelfCompletingLoop loop;
    /** One request per window slot: a call borrows its request until answered, so slot i's is free again. */
    private Request[] requests;
    private final Supplier<Object> task = () -> ANSWER;

    /** Starts the client and its core, or the executor. */
    @Setup(Level.Trial)
    public void setUp() {
        inFlight = new CompletableFuture<?>[window];
        requests = new Request[window];
        for (int i = 0; i < window; i++) {
            inFlight[i] = CompletableFuture.completedFuture(ANSWER);
            requests[i] = Request.create().id(i);
        }
        switch (impl) {
            case "Client":
                client = BridgeClient.builder().build();
                core = EchoCore.start(client.channel().data(), 100, 10);
                break;
            case "Executor":
                executor = Executors.newSingleThreadExecutor();
                break;
            case "Plane":
                final WaitPolicy waitPolicy = waitPolicy();
                client = BridgeClient.builder().waitPolicy(waitPolicy).build();
                plane = DataPlane.builder().idle(waitPolicy).build();
                plane.core(0).attach(client.channel(), EchoCore.ECHO);
                plane.start();
                break;
            case "PlaneHandle":
                loop = new PlaneHandleLoop();
                break;
            case "JCToolsLoop":
                loop = new JCToolsLoop();
                break;
            case "JCToolsRelay":
                loop = new JCToolsRelay();
                break;
            default:
                throw new IllegalArgumentException("impl=" + impl + " is not known");
        }
    }

    private WaitPolicy waitPolicy() {
        switch (policy) {
            case "DEFAULT":
                return WaitPolicy.DEFAULT;
            case "PARK":
                return WaitPolicy.PARK;
            default:
                if (policy.matches("\\d+x\\d+")) { // SPINSxYIELDS: -p policy=128x8
                    final String[] counts = policy.split("x");
                    return WaitPolicy.of(Integer.parseInt(counts[0]), Integer.parseInt(counts[1]));
                }
                throw new IllegalArgumentException("policy=" + policy + " is not known");
        }
    }

    /** Waits for the calls in flight, then stops everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        for (int i = 0; i < window && loop == null; i++) {
            inFlight[i].join();
        }
        for (int i = 0; i < window && loop != null; i++) {
            while (!inFlight[i].isDone()) {
                loop.complete();
            }
        }
        if (client != null) {
            client.close();
        }
        if (core != null) {
            core.join();
        }
        if (plane != null) {
            plane.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (executor != null) {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Issues one call once the call {@code window} operations older has completed.
     *
     * @return the older call's value, so the JIT cannot drop it
     * @throws InterruptedException never, in practice
     */
    @Benchmark
    public Object call() throws InterruptedException {
        final int slot = next;
        next = slot + 1 == window ? 0 : slot + 1;
        final CompletableFuture<?> older = inFlight[slot];
        while (!older.isDone()) {
            if (loop != null) {
                loop.complete(); // the minimal loop's caller completes its own futures
            }
            Thread.onSpinWait();
        }
        if (loop != null) {
            inFlight[slot] = loop.call();
        } else if (client != null) {
            final BridgeCall<Object> call = client.call(requests[slot], DECODE);
            inFlight[slot] = call;
        } else {
            inFlight[slot] = CompletableFuture.supplyAsync(task, executor);
        }
        return older.getNow(null);
    }

    /** A caller-side loop whose caller thread sends each call's future and completes the answered ones itself. */
    interface SelfCompletingLoop {
        /** Sends a new call, completing answered ones while there is no room; the caller's thread only. */
        CompletableFuture<Object> call();

        /** Completes every answered call; the caller's thread only. */
        void complete();

        /** Stops the loop's other thread and waits for it. */
        void close() throws InterruptedException;
    }

    /**
     * {@code PlaneHandle}: a {@link BridgeChannel} of futures on core 0 of a {@link DataPlane}, answered by the core's
     * duty cycle with the future itself; the caller owns the control handle (sends with {@code offer}, which only room
     * refuses, as the JCTools loop's {@code offer}).
     */
    static final class PlaneHandleLoop implements SelfCompletingLoop {
        private final BridgeChannel<CompletableFuture<Object>, CompletableFuture<Object>> channel =
            BridgeChannel.<CompletableFuture<Object>, CompletableFuture<Object>>builder().build();
        private final ControlHandle<CompletableFuture<Object>, CompletableFuture<Object>> control =
            channel.control();
        private final ElementHandler<CompletableFuture<Object>> completer = answered -> answered.complete(ANSWER);
        private final DataPlane plane = DataPlane.builder().build();

        PlaneHandleLoop() {
            plane.core(0).attach(channel, new Echo());
            plane.start();
        }

        @Override
        public CompletableFuture<Object> call() {
            final CompletableFuture<Object> call = new CompletableFuture<>();
            BridgeStatus status;
            while ((status = control.offer(call)) != BridgeStatus.OK) {
                if (status == BridgeStatus.CLOSED) {
                    throw new IllegalStateException("the channel closed: " + channel.failure());
                }
                complete();
            }
            return call;
        }

        @Override
        public void complete() {
            control.drain(completer, 1024);
        }

        @Override
        public void close() {
            plane.close();
        }

        /** Answers each request with itself. */
        private static final class Echo
            implements RequestHandler<CompletableFuture<Object>, CompletableFuture<Object>> {
            @Override
            public CompletableFuture<Object> onRequest(CompletableFuture<Object> request) {
                return request;
            }

            @Override
            public CompletableFuture<Object> onExpired(CompletableFuture<Object> request) {
                return request;
            }

            @Override
            public CompletableFuture<Object> onCancelled(CompletableFuture<Object> request) {
                return request;
            }

            @Override
            public CompletableFuture<Object> onFailure(CompletableFuture<Object> request, RuntimeException failure) {
                return request;
            }
        }
    }

    /** The peer of {@code Plane}: two JCTools SPSC queues and a loop thread that spins, then yields. */
    static final class JCToolsLoop implements SelfCompletingLoop {
        private final SpscArrayQueue<CompletableFuture<Object>> requests = new SpscArrayQueue<>(1024);
        private final SpscArrayQueue<CompletableFuture<Object>> responses = new SpscArrayQueue<>(1024);
        private final Thread thread;
        private volatile boolean running = true;

        JCToolsLoop() {
            thread = new Thread(() -> {
                int idle = 0;
                while (running) {
                    final CompletableFuture<Object> call = requests.poll();
                    if (call == null) {
                        if (++idle < 128) {
                            Thread.onSpinWait();
                        } else {
                            Thread.yield();
                        }
                        continue;
                    }
                    idle = 0;
                    while (!responses.offer(call)) { // the answer is the future itself, as the echo core's
                        Thread.onSpinWait();
                    }
                }
            }, "jctools-loop");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public CompletableFuture<Object> call() {
            final CompletableFuture<Object> call = new CompletableFuture<>();
            while (!requests.offer(call)) {
                complete();
            }
            return call;
        }

        @Override
        public void complete() {
            CompletableFuture<Object> answered;
            while ((answered = responses.poll()) != null) {
                answered.complete(ANSWER);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /**
     * The peer of {@code Plane} with the client's thread shape: the caller offers to an MPSC intake and never completes
     * anything; a relay thread (the client's completion thread) moves intake to requests and completes the answers; the
     * loop thread echoes. Both background threads spin 128 times, then yield, when they find nothing to do.
     */
    static final class JCToolsRelay implements SelfCompletingLoop {
        private final MpscArrayQueue<CompletableFuture<Object>> intake = new MpscArrayQueue<>(4096);
        private final SpscArrayQueue<CompletableFuture<Object>> requests = new SpscArrayQueue<>(1024);
        private final SpscArrayQueue<CompletableFuture<Object>> responses = new SpscArrayQueue<>(1024);
        private final Thread relay;
        private final Thread core;
        private volatile boolean running = true;

        JCToolsRelay() {
            relay = daemon("jctools-relay", () -> {
                int idle = 0;
                while (running) {
                    int moved = 0;
                    CompletableFuture<Object> call;
                    while (moved < 256 && (call = intake.relaxedPeek()) != null && requests.offer(call)) {
                        intake.relaxedPoll();
                        moved++;
                    }
                    while ((call = responses.poll()) != null) {
                        call.complete(ANSWER);
                        moved++;
                    }
                    idle = moved > 0 ? 0 : backOff(idle);
                }
            });
            core = daemon("jctools-core", () -> {
                int idle = 0;
                while (running) {
                    final CompletableFuture<Object> call = requests.poll();
                    if (call == null) {
                        idle = backOff(idle);
                        continue;
                    }
                    idle = 0;
                    while (!responses.offer(call)) {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        private static Thread daemon(String name, Runnable body) {
            final Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private static int backOff(int idle) {
            if (idle < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            return idle + 1;
        }

        @Override
        public CompletableFuture<Object> call() {
            final CompletableFuture<Object> call = new CompletableFuture<>();
            while (!intake.offer(call)) {
                Thread.onSpinWait();
            }
            return call;
        }

        @Override
        public void complete() {
            // the relay thread completes the calls, as the client's completion thread does
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            relay.join();
            core.join();
        }
    }
}
