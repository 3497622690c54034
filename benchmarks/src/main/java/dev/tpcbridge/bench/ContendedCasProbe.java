package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physics under a multi-submitter hand-off: what one successful CAS on a word that other threads also CAS costs
 * here, per operation and thread (ns/op). {@code shared}: every thread increments one {@code AtomicLong} by CAS, so
 * each success needs the word's cache line exclusive, taken from the other core; {@code own}: each thread its own
 * word (the uncontended floor). Run with {@code -t 1} and {@code -t 2} (and {@code -t 3}, as two submitters and a
 * worker are, on 2 vCPUs). A submit that must CAS a shared word (a queue's tail or head) cannot cost less than
 * {@code shared} at the same thread count; {@code OffloadSubmitCostBenchmark}'s drop-oldest submit CASes two (the head
 * to evict, the tail to queue) and writes a slot's sequence. Group {@code besideWorker} (run it without {@code -t}):
 * two threads CAS the shared word while a third only burns CPU, as two submitters beside a busy worker do on 2 vCPUs;
 * its {@code sharedBesideWorker} line is the floor there: 7.9 ns on this project's machine, near an uncontended CAS,
 * as the two sharers are seldom on the CPUs at the same time ({@code results/offload-2026-12-07/cas-probe}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ContendedCasProbe {
    /** The word every thread CASes. */
    @State(Scope.Benchmark)
    public static class Shared {
        final AtomicLong word = new AtomicLong();
    }

    /** A word of the thread's own (its own object, so its own line in practice). */
    @State(Scope.Thread)
    public static class Own {
        final AtomicLong word = new AtomicLong();
    }

    /**
     * One successful CAS increment of the shared word (retried until it succeeds, as a queue's CAS is).
     *
     * @param shared the word
     * @return the new value
     */
    @Benchmark
    public long shared(Shared shared) {
        return increment(shared.word);
    }

    /**
     * One successful CAS increment of the thread's own word.
     *
     * @param own the word
     * @return the new value
     */
    @Benchmark
    public long own(Own own) {
        return increment(own.word);
    }

    /**
     * {@link #shared}, by two threads of the group {@code besideWorker}.
     *
     * @param shared the word
     * @return the new value
     */
    @Benchmark
    @Group("besideWorker")
    @GroupThreads(2)
    public long sharedBesideWorker(Shared shared) {
        return increment(shared.word);
    }

    /** The group's third thread: CPU work only, touching no shared word (a worker running tasks). */
    @Benchmark
    @Group("besideWorker")
    @GroupThreads(1)
    public void worker() {
        Blackhole.consumeCPU(100);
    }

    private static long increment(AtomicLong word) {
        long v;
        do {
            v = word.get();
        } while (!word.compareAndSet(v, v + 1));
        return v + 1;
    }
}
