package dev.tpcbridge.wfq;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.wfq.FairIntakeLincheckTest.sized;

/** {@link FairIntakeLincheckTest}'s model with about 10x its scenarios times invocations, under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class FairIntakeLincheckStressTest {
    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).check(FairIntakeLincheckTest.Model.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 30, 3_000).check(FairIntakeLincheckTest.Model.class);
    }
}
