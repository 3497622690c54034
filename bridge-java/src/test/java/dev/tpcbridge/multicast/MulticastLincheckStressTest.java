package dev.tpcbridge.multicast;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** Full-size Lincheck runs of {@link MulticastLincheckTest}'s models. Runs under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class MulticastLincheckStressTest {
    @Test
    void losslessModelChecking() {
        MulticastLincheckTest.sized(new ModelCheckingOptions(), SlowSubscriberPolicy.LOSSLESS, 20, 1_000)
            .check(MulticastLincheckTest.Lossless.class);
    }

    @Test
    void losslessStress() {
        MulticastLincheckTest.sized(new StressOptions(), SlowSubscriberPolicy.LOSSLESS, 20, 5_000)
            .check(MulticastLincheckTest.Lossless.class);
    }

    @Test
    void lossyModelChecking() {
        MulticastLincheckTest.sized(new ModelCheckingOptions(), SlowSubscriberPolicy.LOSSY, 20, 1_000)
            .check(MulticastLincheckTest.Lossy.class);
    }

    @Test
    void lossyStress() {
        MulticastLincheckTest.sized(new StressOptions(), SlowSubscriberPolicy.LOSSY, 20, 5_000)
            .check(MulticastLincheckTest.Lossy.class);
    }
}
