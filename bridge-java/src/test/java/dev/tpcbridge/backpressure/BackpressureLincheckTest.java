package dev.tpcbridge.backpressure;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Linearizability of {@link BackpressureController#update(int)} and {@link BackpressureController#pressure()}
 * against {@link SequentialSpec}, a plain transition table written independently of the controller (on
 * utilisations, with no integer thresholds), with Lincheck's model checking and stress strategies.
 *
 * <p>The watermarks are spread so that, at capacity 4, each size 0..4 falls in its own band: 0 is below
 * exitThrottle, 1 in the throttle hysteresis band, 2 between enterThrottle and exitSuspend, 3 in the suspend
 * hysteresis band, 4 at enterSuspend. Every transition of the table is then one generated size away. Three threads,
 * so that compare-and-sets race. The default tier runs CI-sized checks; {@link BackpressureLincheckStressTest} runs
 * larger ones under {@code -Pstress}. The counters
 * are left out on purpose: they are incremented just after the state's compare-and-set (see the class comment of
 * the controller), so they are not linearizable with {@code pressure()}, and say so.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BackpressureLincheckTest {
    static final int CAPACITY = 4;
    static final double ENTER_THROTTLE = 0.5;
    static final double EXIT_THROTTLE = 0.25;
    static final double ENTER_SUSPEND = 1.0;
    static final double EXIT_SUSPEND = 0.75;

    /** The controller under test. */
    @Param(name = "size", gen = IntGen.class, conf = "0:4")
    public static class Controller {
        private final BackpressureController controller = BackpressureController.create(
            BackpressureConfig.builder()
                .enterThrottle(ENTER_THROTTLE).exitThrottle(EXIT_THROTTLE)
                .enterSuspend(ENTER_SUSPEND).exitSuspend(EXIT_SUSPEND)
                .build(),
            CAPACITY);

        public Controller() {
        }

        @Operation
        public boolean update(@Param(name = "size") int size) {
            return controller.update(size);
        }

        @Operation
        public PressureState pressure() {
            return controller.pressure();
        }

        @Operation
        public boolean shouldSuspend() {
            return controller.shouldSuspend();
        }
    }

    /** The sequential specification: the transition table of the product specification, on utilisations. */
    public static class SequentialSpec {
        private PressureState state = PressureState.NORMAL;

        public SequentialSpec() {
        }

        public boolean update(int size) {
            double u = size / (double) CAPACITY;
            PressureState next;
            if (state == PressureState.NORMAL) {
                next = u >= ENTER_SUSPEND ? PressureState.SUSPENDED
                    : u >= ENTER_THROTTLE ? PressureState.THROTTLED : PressureState.NORMAL;
            } else if (state == PressureState.THROTTLED) {
                next = u >= ENTER_SUSPEND ? PressureState.SUSPENDED
                    : u < EXIT_THROTTLE ? PressureState.NORMAL : PressureState.THROTTLED;
            } else {
                next = u < EXIT_THROTTLE ? PressureState.NORMAL
                    : u < EXIT_SUSPEND ? PressureState.THROTTLED : PressureState.SUSPENDED;
            }
            boolean changed = next != state;
            state = next;
            return changed;
        }

        public PressureState pressure() {
            return state;
        }

        public boolean shouldSuspend() {
            return state == PressureState.SUSPENDED;
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2)
            .sequentialSpecification(SequentialSpec.class);
    }

    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 10, 200).check(Controller.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 10, 500).check(Controller.class);
    }
}
