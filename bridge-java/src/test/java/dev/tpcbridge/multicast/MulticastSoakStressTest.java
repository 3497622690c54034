package dev.tpcbridge.multicast;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** The long soak: 10^8 sequence-numbered elements to three subscribers. Runs under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class MulticastSoakStressTest {
    @Test
    void losslessDeliversOneHundredMillionElementsToThreeSubscribers() throws Exception {
        MulticastSoak.run(SlowSubscriberPolicy.LOSSLESS, 1024, 100_000_000L);
    }

    @Test
    void busySpinLosslessDeliversOneHundredMillionElementsToThreeSubscribers() throws Exception {
        MulticastSoak.run(SlowSubscriberPolicy.LOSSLESS, 1024, 100_000_000L, true);
    }

    @Test
    void lossyAccountsForEveryElementOfOneHundredMillion() throws Exception {
        MulticastSoak.run(SlowSubscriberPolicy.LOSSY, 1024, 100_000_000L);
    }
}
