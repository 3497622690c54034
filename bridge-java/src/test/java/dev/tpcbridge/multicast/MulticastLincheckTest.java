package dev.tpcbridge.multicast;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of both policies against {@link MulticastSequentialSpec}, with Lincheck's model checking and stress
 * strategies: one producer thread, two subscriber threads (each confined with {@code nonParallelGroup}), capacity 2
 * so that the gating minimum and the laps come into play within a few operations. Subscriber B may close itself;
 * a closed subscriber's consuming calls answer -1 (they throw {@link IllegalStateException}). Batches run with limit
 * 1 (a batch is linearizable as a sequence of single takes, which is what it promises; the contract suite and the soak
 * cover batches of many).
 *
 * <p>The default tier runs CI-sized checks; {@link MulticastLincheckStressTest} runs larger ones under
 * {@code -Pstress}. Subscribing at run time is checked by jcstress {@code MulticastStress.SubscribeRacingPublish}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MulticastLincheckTest {
    static final int CAPACITY = 2;

    /** The operations, over a buffer of either policy. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public abstract static class Model {
        final MulticastBuffer<Integer> buffer;
        final Subscriber<Integer> a;
        final Subscriber<Integer> b;

        Model(SlowSubscriberPolicy policy) {
            buffer = MulticastBuffer.<Integer>builder().capacity(CAPACITY).policy(policy).build();
            a = buffer.subscribe();
            b = buffer.subscribe();
        }

        @Operation(nonParallelGroup = "producer")
        public PublishStatus offer(@Param(name = "value") int value) {
            return buffer.offer(value);
        }

        @Operation(nonParallelGroup = "producer")
        public int fill(@Param(name = "value") int value) {
            int[] next = {value};
            return buffer.fill(() -> next[0]++, 1);
        }

        @Operation(nonParallelGroup = "producer")
        public void closeProducer() {
            buffer.close();
        }

        @Operation(nonParallelGroup = "a")
        public Integer pollA() {
            return a.poll();
        }

        @Operation(nonParallelGroup = "a")
        public List<Integer> drainA() {
            List<Integer> out = new ArrayList<>();
            a.drain(out::add, 1);
            return out;
        }

        @Operation(nonParallelGroup = "a")
        public long lagA() {
            return a.lag();
        }

        @Operation(nonParallelGroup = "a")
        public long lostA() {
            return a.lost();
        }

        @Operation(nonParallelGroup = "a")
        public boolean isClosedForPollA() {
            return a.isClosedForPoll();
        }

        @Operation(nonParallelGroup = "b")
        public Integer pollB() {
            try {
                return b.poll();
            } catch (IllegalStateException closed) {
                return -1;
            }
        }

        @Operation(nonParallelGroup = "b")
        public void closeB() {
            b.close();
        }
    }

    /** Lossless: the slowest open subscriber gates the producer. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Lossless extends Model {
        public Lossless() {
            super(SlowSubscriberPolicy.LOSSLESS);
        }
    }

    /** Lossy: the producer never waits; a lapped subscriber resumes at the oldest element and counts the rest. */
    @Param(name = "value", gen = IntGen.class, conf = "1:9")
    public static class Lossy extends Model {
        public Lossy() {
            super(SlowSubscriberPolicy.LOSSY);
        }
    }

    static <O extends Options<O, ?>> O sized(O options, SlowSubscriberPolicy policy, int iterations,
                                              int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2)
            .sequentialSpecification(policy == SlowSubscriberPolicy.LOSSLESS
                ? MulticastSequentialSpec.Lossless.class : MulticastSequentialSpec.Lossy.class);
    }

    @Test
    void losslessModelChecking() {
        sized(new ModelCheckingOptions(), SlowSubscriberPolicy.LOSSLESS, 2, 20).check(Lossless.class);
    }

    @Test
    void losslessStress() {
        sized(new StressOptions(), SlowSubscriberPolicy.LOSSLESS, 2, 50).check(Lossless.class);
    }

    @Test
    void lossyModelChecking() {
        sized(new ModelCheckingOptions(), SlowSubscriberPolicy.LOSSY, 2, 20).check(Lossy.class);
    }

    @Test
    void lossyStress() {
        sized(new StressOptions(), SlowSubscriberPolicy.LOSSY, 2, 50).check(Lossy.class);
    }
}
