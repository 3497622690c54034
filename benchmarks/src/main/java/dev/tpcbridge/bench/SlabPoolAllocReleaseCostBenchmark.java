package dev.tpcbridge.bench;

import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.slab.SlabPool;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One alloc plus one release on one thread, uncontended: what the slab pool's thread safety and handle checks cost
 * next to the cheapest alternatives. {@code SlabPool} (validated, generation-checked, lock-free, usable from any
 * thread) against {@code ConfinedIntStack} (a bare int stack: the least an owner-confined pool without checks could
 * cost) and {@code JCToolsSpscRecycle} (a page index taken from and given back to a JCTools {@code SpscArrayQueue},
 * as a return queue does). Lower is better.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SlabPoolAllocReleaseCostBenchmark {
    /** The implementation under test. */
    @Param({"SlabPool", "ConfinedIntStack", "JCToolsSpscRecycle"})
    public String impl;

    private int kind;
    private SlabPool pool;
    private int[] stack;
    private int top;
    private SpscArrayQueue<Integer> queue;

    /** Builds the pool, the stack or the queue, full. */
    @Setup
    public void setUp() {
        switch (impl) {
            case "SlabPool":
                kind = 0;
                pool = SlabPool.create(SlabConfig.builder().pageSize(4096).pageCount(256).build());
                break;
            case "ConfinedIntStack":
                kind = 1;
                stack = new int[256];
                for (int i = 0; i < 256; i++) {
                    stack[i] = i;
                }
                top = 256;
                break;
            case "JCToolsSpscRecycle":
                kind = 2;
                queue = new SpscArrayQueue<>(256);
                for (int i = 0; i < 256; i++) {
                    queue.offer(i); // boxed once here, from the Integer cache's range or not: never again
                }
                break;
            default:
                throw new IllegalArgumentException("impl=" + impl);
        }
    }

    /**
     * Takes a page and gives it back.
     *
     * @return the page's handle or index, so that nothing is optimised away
     */
    @Benchmark
    public long allocRelease() {
        switch (kind) {
            case 0: {
                final long handle = pool.alloc(1024);
                pool.release(handle);
                return handle;
            }
            case 1: {
                final int page = stack[--top];
                stack[top++] = page;
                return page;
            }
            default: {
                final Integer page = queue.relaxedPoll();
                queue.relaxedOffer(page);
                return page;
            }
        }
    }
}
