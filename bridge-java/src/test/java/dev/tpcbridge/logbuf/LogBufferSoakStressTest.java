package dev.tpcbridge.logbuf;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** The long soak: tens of millions of checksummed random-size records per variant. Runs under {@code -Pstress}. */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LogBufferSoakStressTest {
    @Test
    void spscHeap() throws Exception {
        LogBufferSoak.run(LogBufferKind.SPSC_HEAP, 256, 1, 20_000_000, 11);
    }

    @Test
    void spscDirectLarge() throws Exception {
        LogBufferSoak.run(LogBufferKind.SPSC_DIRECT, 1 << 16, 1, 20_000_000, 12);
    }

    @Test
    void mpscHeapFourProducers() throws Exception {
        LogBufferSoak.run(LogBufferKind.MPSC_HEAP, 256, 4, 5_000_000, 13);
    }

    @Test
    void mpscDirectFourProducers() throws Exception {
        LogBufferSoak.run(LogBufferKind.MPSC_DIRECT, 1 << 16, 4, 5_000_000, 14);
    }
}
