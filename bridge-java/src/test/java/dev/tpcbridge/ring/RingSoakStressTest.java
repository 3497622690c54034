package dev.tpcbridge.ring;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** The long soak: 10^8 sequence-numbered elements through each ring. Runs under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class RingSoakStressTest {
    @Test
    void spscPassesOneHundredMillionElements() throws Exception {
        RingSoak.run(RingKind.SPSC, 1024, 1, 100_000_000L);
    }

    @Test
    void mpscPassesOneHundredMillionElementsFromOneProducer() throws Exception {
        RingSoak.run(RingKind.MPSC, 1024, 1, 100_000_000L);
    }

    @Test
    void mpscPassesOneHundredMillionElementsFromFourProducers() throws Exception {
        RingSoak.run(RingKind.MPSC, 256, 4, 25_000_000L);
    }
}
