package dev.tpcbridge.slab;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.slab.SlabLincheckTest.sized;

/** {@link SlabLincheckTest}'s model with about 10x its scenarios times invocations, under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SlabLincheckStressTest {
    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).check(SlabLincheckTest.Pool.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 30, 2_000).check(SlabLincheckTest.Pool.class);
    }
}
