package dev.tpcbridge.bench;

import dev.tpcbridge.slab.SlabCache;
import dev.tpcbridge.slab.SlabConfig;
import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.slab.SlabView;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Pages handed from one thread to another and recycled: the cost of the slab pool's thread-safe return path in the
 * shape a data-plane core and the control plane use it. The producer takes a page, writes {@code payload} bytes a
 * {@code long} at a time and hands it over; the consumer reads every byte a {@code long} at a time and gives the page
 * back. Both implementations hand pages over through the same JCTools {@code SpscArrayQueue}; they differ only in
 * how pages come back:
 * <ul>
 *   <li>{@code SlabPool}: {@code alloc} and {@code release} on the pool from either thread (generation-checked
 *   handles, one CAS on the page state and one on the free stack per release, one on the free stack per alloc);</li>
 *   <li>{@code SlabCache}: the same pool through a {@code SlabCache} on each side, the per-core return path (the
 *   same checks, and the page's state flipped at each release; the free stack touched once per batch of
 *   {@value #BATCH} pages on each side);</li>
 *   <li>{@code JCToolsPageRecycle}: the floor a pool owned by one side cannot beat: plain {@code ByteBuffer} pages
 *   (in their carriers) returned over a second {@code SpscArrayQueue} (no validation, no generation, no thread-safe
 *   lease).</li>
 * </ul>
 * Read {@code pollsMade}: pages that crossed and came back, per second.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpscSlabHandoffThroughputBenchmark {
    /** The recycling under test. */
    @Param({"SlabPool", "SlabCache", "JCToolsPageRecycle"})
    public String impl;

    /** Payload bytes per page (and the page size). */
    @Param({"64", "65536"})
    public int payload;

    private static final int PAGES = 256;
    /** Pages per fetch and per give-back of each side's {@code SlabCache}. */
    static final int BATCH = 32;

    private boolean slab;
    private SlabPool pool;
    /** The producer's and the consumer's caches ({@code SlabCache} only; null otherwise). */
    private SlabCache producerCache;
    private SlabCache consumerCache;
    private SpscArrayQueue<Carrier> handoff;
    private SpscArrayQueue<Carrier> free;
    private Carrier[] carriers;
    private final SlabView view = new SlabView();

    /** What crosses the hand-off queue: a page's current handle, or its buffer. Written before the offer. */
    static final class Carrier {
        long handle;
        ByteBuffer page;
    }

    /** Builds the pool or the recycled pages. */
    @Setup
    public void setUp() {
        slab = impl.equals("SlabPool") || impl.equals("SlabCache");
        if (!slab && !impl.equals("JCToolsPageRecycle")) {
            throw new IllegalArgumentException("impl=" + impl);
        }
        handoff = new SpscArrayQueue<>(PAGES);
        carriers = new Carrier[PAGES];
        for (int i = 0; i < PAGES; i++) {
            carriers[i] = new Carrier();
        }
        if (slab) {
            pool = SlabPool.create(SlabConfig.builder().pageSize(Math.max(64, payload)).pageCount(PAGES).build());
            if (impl.equals("SlabCache")) {
                producerCache = SlabCache.of(pool, BATCH);
                consumerCache = SlabCache.of(pool, BATCH);
            }
        } else {
            free = new SpscArrayQueue<>(PAGES);
            ByteBuffer memory = ByteBuffer.allocateDirect(PAGES * payload);
            for (int i = 0; i < PAGES; i++) {
                carriers[i].page = memory.slice(i * payload, payload).order(ByteOrder.LITTLE_ENDIAN);
                free.offer(carriers[i]);
            }
        }
    }

    /** Gives back whatever is still in flight, so that the next iteration starts full. */
    @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void drainInFlight() {
        Carrier carrier;
        while ((carrier = handoff.poll()) != null) {
            if (slab) {
                pool.release(carrier.handle);
            } else {
                free.offer(carrier);
            }
        }
        if (producerCache != null) { // the benchmark threads are done: give back what each side held
            producerCache.flush();
            consumerCache.flush();
        }
    }

    /**
     * Takes a page, writes it, hands it over.
     *
     * @param counters the producer's counts
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void produce(ThroughputCounters.Offers counters) {
        final Carrier carrier;
        final ByteBuffer page;
        if (slab) {
            final long handle = producerCache != null ? producerCache.alloc(payload) : pool.alloc(payload);
            if (!SlabHandle.isHandle(handle)) {
                counters.offersFailed++;
                return;
            }
            carrier = carriers[SlabHandle.pageIndex(handle)];
            carrier.handle = handle;
            page = pool.writable(handle);
        } else {
            carrier = free.relaxedPoll();
            if (carrier == null) {
                counters.offersFailed++;
                return;
            }
            page = carrier.page;
        }
        final long seed = counters.offersMade;
        for (int i = 0; i < payload; i += 8) {
            page.putLong(i, seed + i);
        }
        handoff.offer(carrier); // never full: it has a slot per page
        counters.offersMade++;
    }

    /**
     * Takes a page, reads every byte, gives it back.
     *
     * @param counters the consumer's counts
     * @return the sum of the payload, so that nothing is optimised away
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long consume(ThroughputCounters.Polls counters) {
        final Carrier carrier = handoff.relaxedPoll();
        if (carrier == null) {
            counters.pollsFailed++;
            return 0;
        }
        long sum = 0;
        if (slab) {
            final SlabView v = view.wrap(pool, carrier.handle);
            for (int i = 0; i < payload; i += 8) {
                sum += v.getLong(i);
            }
            if (consumerCache != null) {
                consumerCache.release(carrier.handle);
            } else {
                pool.release(carrier.handle);
            }
        } else {
            final ByteBuffer page = carrier.page;
            for (int i = 0; i < payload; i += 8) {
                sum += page.getLong(i);
            }
            free.offer(carrier);
        }
        counters.pollsMade++;
        return sum;
    }
}
