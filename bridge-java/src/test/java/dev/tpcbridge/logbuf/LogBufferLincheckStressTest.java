package dev.tpcbridge.logbuf;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.logbuf.LogBufferLincheckTest.sized;

/** {@link LogBufferLincheckTest}'s models with about 10x its scenarios times invocations, under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LogBufferLincheckStressTest {
    @Test
    void spscModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).check(LogBufferLincheckTest.SpscModel.class);
    }

    @Test
    void spscStress() {
        sized(new StressOptions(), 30, 3_000).check(LogBufferLincheckTest.Spsc.class);
    }

    @Test
    void mpscModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000).threads(3).check(LogBufferLincheckTest.MpscModel.class);
    }

    @Test
    void mpscStress() {
        sized(new StressOptions(), 30, 3_000).threads(3).check(LogBufferLincheckTest.Mpsc.class);
    }
}
