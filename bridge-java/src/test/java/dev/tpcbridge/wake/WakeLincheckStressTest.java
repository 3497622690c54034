package dev.tpcbridge.wake;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.tpcbridge.wake.WakeLincheckTest.protocol;
import static dev.tpcbridge.wake.WakeLincheckTest.sized;

/**
 * {@link WakeLincheckTest}'s models with 60-75x its scenarios times invocations, under {@code -Pstress}; the
 * closing protocol models run with the stress strategy too. The disabled {@code WakeSignal} close models are not
 * repeated here.
 */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class WakeLincheckStressTest {
    @Test
    void signalModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.SignalSpec.class).threads(3)
            .check(WakeLincheckTest.Signal.class);
    }

    @Test
    void signalStress() {
        sized(new StressOptions(), 30, 3_000, WakeLincheckTest.SignalSpec.class).threads(3)
            .check(WakeLincheckTest.Signal.class);
    }

    @Test
    void spscModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec.class)
            .check(WakeLincheckTest.Spsc.class);
    }

    @Test
    void spscStress() {
        sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec.class)
            .check(WakeLincheckTest.Spsc.class);
    }

    @Test
    void mpscModelChecking() {
        sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec.class).threads(3)
            .check(WakeLincheckTest.Mpsc.class);
    }

    @Test
    void mpscStress() {
        sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec.class).threads(3)
            .check(WakeLincheckTest.Mpsc.class);
    }

    @Test
    void signalWaiterModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.SignalSpec.class)).threads(3)
            .check(WakeLincheckTest.SignalWaiter.class);
    }

    @Test
    void signalWaiterStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.SignalSpec.class)).threads(3)
            .check(WakeLincheckTest.SignalWaiter.class);
    }

    @Test
    void readableSpscModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec.class))
            .check(WakeLincheckTest.ReadableSpsc.class);
    }

    @Test
    void readableSpscStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec.class))
            .check(WakeLincheckTest.ReadableSpsc.class);
    }

    @Test
    void readableMpscModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec.class)).threads(3)
            .check(WakeLincheckTest.ReadableMpsc.class);
    }

    @Test
    void readableMpscStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec.class)).threads(3)
            .check(WakeLincheckTest.ReadableMpsc.class);
    }

    @Test
    void writableSpscModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec1.class))
            .check(WakeLincheckTest.WritableSpsc.class);
    }

    @Test
    void writableSpscStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec1.class))
            .check(WakeLincheckTest.WritableSpsc.class);
    }

    @Test
    void writableMpscModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.WritableMpsc.class);
    }

    @Test
    void writableMpscStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.WritableMpsc.class);
    }

    @Test
    void readableSpscClosingModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec.class))
            .check(WakeLincheckTest.ReadableSpscClosing.class);
    }

    @Test
    void readableSpscClosingStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec.class))
            .check(WakeLincheckTest.ReadableSpscClosing.class);
    }

    @Test
    void readableMpscClosingModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec.class)).threads(3)
            .check(WakeLincheckTest.ReadableMpscClosing.class);
    }

    @Test
    void readableMpscClosingStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec.class)).threads(3)
            .check(WakeLincheckTest.ReadableMpscClosing.class);
    }

    @Test
    void writableSpscClosingModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec1.class))
            .check(WakeLincheckTest.WritableSpscClosing.class);
    }

    @Test
    void writableSpscClosingStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec1.class))
            .check(WakeLincheckTest.WritableSpscClosing.class);
    }

    @Test
    void writableMpscClosingModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.WritableMpscClosing.class);
    }

    @Test
    void writableMpscClosingStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.WritableMpscClosing.class);
    }

    @Test
    void sendableMpscModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.SendableMpsc.class);
    }

    @Test
    void sendableMpscStress() {
        protocol(sized(new StressOptions(), 30, 3_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.SendableMpsc.class);
    }

    @Test
    void sendableMpscClosingModelChecking() {
        protocol(sized(new ModelCheckingOptions(), 30, 1_000, WakeLincheckTest.RingSpec1.class)).threads(3)
            .check(WakeLincheckTest.SendableMpscClosing.class);
    }
}
