package dev.tpcbridge.jcstress;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.ring.WakingRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The backpressure of an SPSC {@link WakingRing} cannot stick in a state that no longer fits the ring's size. The
 * consumer settles after a pop only when it reads a state other than {@code NORMAL}, and the producer skips its settle
 * when its own push count bounds the size below the throttle threshold; the Dekker pairing that makes this safe (the
 * pop's fence before its state load, the transition CAS before the settle's re-read of the size) is what these
 * scenarios race. Watermarks on 4 slots: throttle at 2 and below 1, suspend at 3 and below 2. The arbiter records
 * the final size and whether the final state fits it (1) or not (0).
 */
public final class BackpressureStress {
    private BackpressureStress() {
    }

    static WakingRing<Integer> ring(int elements) {
        WakingRing<Integer> ring = WakingRing.<Integer>builder().capacity(4)
            .backpressure(BackpressureConfig.builder().enterThrottle(0.5).exitThrottle(0.25).enterSuspend(0.75)
                .exitSuspend(0.5).build())
            .build();
        for (int i = 0; i < elements; i++) {
            ring.offer(i);
        }
        return ring;
    }

    static int fits(WakingRing<Integer> ring) {
        final int size = ring.size();
        final PressureState state = ring.backpressure().pressure();
        switch (state) {
            case NORMAL:
                return size < 2 ? 1 : 0;
            case THROTTLED:
                return size >= 1 && size < 3 ? 1 : 0;
            default:
                return size >= 2 ? 1 : 0;
        }
    }

    /**
     * Two elements (THROTTLED): the producer pushes a third (to SUSPENDED) while the consumer drains everything it
     * sees. Whatever the order, the state at the end fits what is left.
     */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 1"}, expect = ACCEPTABLE, desc = "the state fits the final size")
    @Outcome(expect = FORBIDDEN, desc = "a state that no longer fits the size stuck (or a lost element)")
    @State
    public static class PushToSuspendedAgainstDrain {
        final WakingRing<Integer> ring = ring(2);

        @Actor
        public void producer() {
            ring.offer(9);
        }

        @Actor
        public void consumer() {
            ring.drain(x -> { }, 4);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = ring.size();
            r.r2 = fits(ring);
        }
    }

    /**
     * One element (NORMAL): the producer pushes two (to THROTTLED) while the consumer polls one at a time, twice.
     */
    @JCStressTest
    @Outcome(id = {"0, 1", "1, 1", "2, 1", "3, 1"}, expect = ACCEPTABLE, desc = "the state fits the final size")
    @Outcome(expect = FORBIDDEN, desc = "a state that no longer fits the size stuck")
    @State
    public static class PushesToThrottledAgainstPolls {
        final WakingRing<Integer> ring = ring(1);

        @Actor
        public void producer() {
            ring.offer(8);
            ring.offer(9);
        }

        @Actor
        public void consumer() {
            ring.poll();
            ring.poll();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = ring.size();
            r.r2 = fits(ring);
        }
    }
}
