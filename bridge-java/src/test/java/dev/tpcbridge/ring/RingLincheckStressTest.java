package dev.tpcbridge.ring;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.ring.RingLincheckTest.sized;

/**
 * {@link RingLincheckTest}'s models with about 10x its scenarios times invocations, under {@code -Pstress}.
 */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class RingLincheckStressTest {
    @Test
    void spscModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).check(RingLincheckTest.Spsc.class);
    }

    @Test
    void spscStress() {
        sized(new StressOptions(), 30, 3_000).check(RingLincheckTest.Spsc.class);
    }

    @Test
    void mpscModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).threads(3).check(RingLincheckTest.Mpsc.class);
    }

    @Test
    void mpscStress() {
        sized(new StressOptions(), 30, 3_000).threads(3).check(RingLincheckTest.Mpsc.class);
    }
}
