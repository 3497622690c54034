package dev.tpcbridge.offload;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.offload.OffloadLincheckTest.sized;

/** {@link OffloadLincheckTest}'s model with about 10x its scenarios times invocations, under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class OffloadLincheckStressTest {
    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 60, 1_000).check(OffloadLincheckTest.Queue.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 50, 2_000).check(OffloadLincheckTest.Queue.class);
    }

    @Test
    void evictingModelChecking() {
        sized(new ModelCheckingOptions(), 60, 1_000).check(OffloadLincheckTest.EvictingQueue.class);
    }

    @Test
    void evictingStress() {
        sized(new StressOptions(), 50, 2_000).check(OffloadLincheckTest.EvictingQueue.class);
    }
}
