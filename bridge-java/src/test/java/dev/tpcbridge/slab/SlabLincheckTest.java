package dev.tpcbridge.slab;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of the return path (release from any thread, then alloc from any thread) against
 * {@link SequentialSpec}, a plain LIFO free list written independently of the pool, with Lincheck's model checking
 * and stress strategies.
 *
 * <p>The pool has three pages, all allocated in the constructor; {@code releaseN()} releases page N's original handle
 * (a second call is a double free, rejected), and {@code alloc()} takes whatever the releases put back. Each
 * {@code releaseN} runs on one scenario thread only (a non-parallel group), because a release is linearized at its
 * push onto the free stack, a moment after the CAS that decides it: a second release racing the first can be
 * rejected before the first has pushed, and a thread that saw that rejection and then allocated could find the stack
 * still empty. No history a correct caller can produce shows this (a caller releases its own handle once), so the
 * test keeps racing double releases out of the linearizability model; {@code SlabPoolConcurrentTest} and jcstress
 * {@code SlabStress} cover them (exactly one of two racing releases wins). For the same reason the outcomes are
 * {@code ok} or {@code rejected} without the cause in the message, and {@code isOwned} is not an operation: it reads
 * the page state, a snapshot beside the linearization points. {@code available()} is: the owned count lives in the
 * free stack's head word and moves in the same CAS as the stack.
 *
 * <p>Pages do not cycle here (each original handle is released once, and allocated pages are kept), so this model
 * cannot reach the ABA case: a thread cycling a page (alloc then release) is two linearization points, which a
 * Lincheck operation cannot be. {@code SlabPoolTest.aStalledPopsSnapshotIsNeverCurrentAgainAfterItsTopCameBack}
 * replays that interleaving by hand, and {@code SlabPoolConcurrentTest} cycles pages from four threads.
 * {@link SlabLincheckStressTest} runs larger checks under {@code -Pstress}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlabLincheckTest {
    static final int PAGES = 3;

    /** The pool under test, wrapped so that outcomes become comparable values. */
    public static class Pool {
        private final SlabPool pool = SlabPool.create(SlabConfig.builder().pageSize(64).pageCount(PAGES)
            .direct(false).build());
        private final long[] original = new long[PAGES];

        public Pool() {
            for (int i = 0; i < PAGES; i++) {
                long handle = pool.alloc(8);
                original[SlabHandle.pageIndex(handle)] = handle;
            }
        }

        @Operation
        public int alloc() {
            long handle = pool.alloc(8);
            return SlabHandle.isHandle(handle) ? SlabHandle.pageIndex(handle) : (int) handle;
        }

        @Operation
        public int available() {
            return pool.available();
        }

        @Operation(nonParallelGroup = "page0")
        public boolean release0() {
            return release(0);
        }

        @Operation(nonParallelGroup = "page1")
        public boolean release1() {
            return release(1);
        }

        @Operation(nonParallelGroup = "page2")
        public boolean release2() {
            return release(2);
        }

        private boolean release(int page) {
            try {
                pool.release(original[page]);
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }
    }

    /** The sequential specification: a LIFO free list of page indexes. */
    public static class SequentialSpec {
        private final Deque<Integer> free = new ArrayDeque<>();
        private final boolean[] released = new boolean[PAGES];

        public SequentialSpec() {
        }

        public int alloc() {
            Integer page = free.pollFirst();
            return page == null ? (int) SlabHandle.EXHAUSTED : page;
        }

        public int available() {
            return free.size();
        }

        public boolean release0() {
            return release(0);
        }

        public boolean release1() {
            return release(1);
        }

        public boolean release2() {
            return release(2);
        }

        private boolean release(int page) {
            if (released[page]) {
                return false;
            }
            released[page] = true;
            free.addFirst(page);
            return true;
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return sized(options, iterations, invocations, SequentialSpec.class);
    }

    /** The slab checks' shape (also {@link SlabCacheLincheckTest}'s), against the given specification. */
    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations, Class<?> spec) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(spec);
    }

    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 10, 200).check(Pool.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 10, 500).check(Pool.class);
    }
}
