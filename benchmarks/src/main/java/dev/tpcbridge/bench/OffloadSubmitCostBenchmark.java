package dev.tpcbridge.bench;

import dev.tpcbridge.offload.OffloadPool;
import dev.tpcbridge.offload.OverflowPolicy;
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
import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of handing one task to a bounded, drop-oldest background pool from a hot path, with the pool's one worker
 * draining all along: {@code OffloadPool} ({@code submit}, {@code DROP_OLDEST}) against a
 * {@code ThreadPoolExecutor} on an {@code ArrayBlockingQueue} with {@code DiscardOldestPolicy}, and a kotlinx
 * {@code Channel(capacity, DROP_OLDEST)} drained by a worker coroutine ({@code trySend}). The task is one
 * pre-allocated {@code Runnable} that counts its runs, so the figure is the hand-off alone (and {@code -prof gc} shows
 * what each hand-off allocates beyond the task). Run with {@code -t 1} and {@code -t 2} for one and two submitting
 * threads; on 2 vCPUs two submitters and a worker oversubscribe the CPUs. Lower is better. At the end of each
 * iteration the number of tasks the worker ran is printed: the throughput to the worker (the rest were dropped as
 * oldest, as designed). {@code -p lanes=2} gives the pool two lanes (its per-thread-lane option). {@code -p work=50}
 * paces the submitters so that the worker keeps up and the queue has room (the common case), with
 * {@code impl=None} as the baseline to subtract.
 *
 * <p>Each submitting thread also prints, per iteration, the CPU time it was given and the submits it made
 * ({@link SubmitterClock}), and the iteration prints the whole process's CPU time: where the submitters and the worker
 * are more runnable threads than the CPUs, a submit's wall time includes the time its thread waited for a CPU, and
 * these lines tell that apart from the CPU time a submit costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OffloadSubmitCostBenchmark {
    /** The implementation under test. */
    @Param({"OffloadPool", "ThreadPoolExecutor", "KotlinChannel"})
    public String impl;

    /**
     * CPU work the submitter does before each submit, in {@code Blackhole.consumeCPU} tokens: 0 (the default) submits
     * flat out, so the queue is full and most submits evict; with enough work the worker keeps up and the queue has
     * room, the regime of a data path that hands off now and then. Read the cost of a submit as the figure less that
     * of {@code impl=None} (the work alone) with the same {@code work}.
     */
    @Param({"0"})
    public int work;

    /** Queue capacity. */
    @Param({"1024"})
    public int capacity;

    /**
     * {@code OffloadPool} only: lanes splitting its capacity (its builder's {@code lanes}); the peers have one queue
     * whatever this says. With 2, submitting threads made one after the other (as JMH's are) get a lane each.
     */
    @Param({"1"})
    public int lanes;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AtomicLong ran = new AtomicLong();
    private long processCpuAtStart;
    private long wallAtStart;
    private final Runnable task = ran::incrementAndGet;
    private int kind;
    private OffloadPool<Runnable> pool;
    private ThreadPoolExecutor executor;
    private OffloadPeer channel;

    /** Builds the pool with one worker. */
    @Setup(Level.Trial)
    public void setUp() {
        switch (impl) {
            case "OffloadPool":
                kind = 0;
                pool = OffloadPool.<Runnable>builder(Runnable::run).capacity(capacity).lanes(lanes).workers(1)
                    .overflow(OverflowPolicy.DROP_OLDEST).onDropped((t, reason) -> { }).build();
                break;
            case "ThreadPoolExecutor":
                kind = 1;
                executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity),
                    new ThreadPoolExecutor.DiscardOldestPolicy());
                executor.prestartAllCoreThreads();
                break;
            case "None":
                kind = 3;
                break;
            case "KotlinChannel":
                kind = 2;
                channel = OffloadPeer.create("dev.tpcbridge.bench.offload.KotlinDropOldestPool", capacity, 1);
                break;
            default:
                throw new IllegalArgumentException("impl=" + impl);
        }
    }

    /** Notes the process's CPU time and the wall clock at the start of an iteration. */
    @Setup(Level.Iteration)
    public void startIteration() {
        processCpuAtStart = processCpuNanos();
        wallAtStart = System.nanoTime();
    }

    /**
     * Prints how many tasks the worker ran in the iteration (the throughput to the worker), and the CPU time the whole
     * process used in it, as CPUs busy on average.
     */
    @TearDown(Level.Iteration)
    public void report() {
        final long cpu = processCpuNanos() - processCpuAtStart;
        final long wall = System.nanoTime() - wallAtStart;
        System.out.printf("%n[%s] ran %d tasks in the iteration; process cpus busy %.2f%n", impl, ran.getAndSet(0),
            (double) cpu / wall);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /**
     * One submitting thread's submits and the CPU time its thread was given over an iteration, printed at its end as
     * {@code [cpu] submits=N cpu_ns=C wall_ns=W}: {@code C / N} is the CPU cost of a submit, {@code W / N} its wall
     * time (what the benchmark's score reports), and {@code C / W} the share of a CPU the thread had.
     */
    @State(Scope.Thread)
    public static class SubmitterClock {
        long submits;
        private long cpuAtStart;
        private long wallAtStart;

        /** Notes this thread's CPU time and the wall clock. */
        @Setup(Level.Iteration)
        public void start() {
            submits = 0;
            cpuAtStart = THREADS.getCurrentThreadCpuTime();
            wallAtStart = System.nanoTime();
        }

        /** Prints this thread's submits and CPU time in the iteration. */
        @TearDown(Level.Iteration)
        public void stop() {
            final long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
            final long wall = System.nanoTime() - wallAtStart;
            System.out.printf("%n[cpu] submits=%d cpu_ns=%d wall_ns=%d%n", submits, cpu, wall);
        }
    }

    /** Stops the workers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Hands the task over once.
     *
     * @param clock this thread's submit count
     * @return a value that depends on the outcome, so nothing is optimised away
     */
    @Benchmark
    public int submit(SubmitterClock clock) {
        clock.submits++;
        if (work > 0) {
            Blackhole.consumeCPU(work);
        }
        switch (kind) {
            case 0:
                return pool.submit(task).ordinal();
            case 1:
                executor.execute(task);
                return 0;
            case 2:
                return channel.submit(task) ? 1 : 0;
            default:
                return 0; // None: the work alone
        }
    }
}
