package dev.tpcbridge.backpressure;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.backpressure.BackpressureLincheckTest.sized;

/** {@link BackpressureLincheckTest}'s model with about 10x its scenarios times invocations, under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class BackpressureLincheckStressTest {
    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).check(BackpressureLincheckTest.Controller.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 30, 2_000).check(BackpressureLincheckTest.Controller.class);
    }
}
