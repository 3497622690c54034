package dev.tpcbridge.logbuf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** The short soak of the default tier: about a hundred thousand checksummed records through each variant. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LogBufferSoakTest {
    @Test
    void spscHeapAtMinimumCapacity() throws Exception {
        LogBufferSoak.run(LogBufferKind.SPSC_HEAP, 256, 1, 100_000, 1);
    }

    @Test
    void spscDirect() throws Exception {
        LogBufferSoak.run(LogBufferKind.SPSC_DIRECT, 4096, 1, 100_000, 2);
    }

    @Test
    void mpscHeapTwoProducersAtMinimumCapacity() throws Exception {
        LogBufferSoak.run(LogBufferKind.MPSC_HEAP, 256, 2, 50_000, 3);
    }

    @Test
    void mpscDirectThreeProducersInAChannelBuffer() throws Exception {
        LogBufferSoak.run(LogBufferKind.MPSC_WAKING_DIRECT, 4096, 3, 35_000, 4);
    }
}
