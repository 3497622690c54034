package dev.tpcbridge.multicast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * The default-tier soak: 3 x 10^5 sequence-numbered elements to three subscribers; {@link MulticastSoakStressTest} runs
 * 10^8.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MulticastSoakTest {
    @Test
    void losslessDeliversAMillionElementsToThreeSubscribersWithNoLossAndNoDuplicate() throws Exception {
        MulticastSoak.run(SlowSubscriberPolicy.LOSSLESS, 1024, 300_000L);
    }

    @Test
    void busySpinLosslessDeliversEveryElementToThreeSubscribers() throws Exception {
        MulticastSoak.run(SlowSubscriberPolicy.LOSSLESS, 1024, 300_000L, true);
    }

    @Test
    void lossyAccountsForEveryElementOfAMillion() throws Exception {
        MulticastSoak.run(SlowSubscriberPolicy.LOSSY, 64, 300_000L);
    }
}
