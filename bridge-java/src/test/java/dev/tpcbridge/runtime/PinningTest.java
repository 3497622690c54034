package dev.tpcbridge.runtime;

import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.internal.CpuAffinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tpcbridge.runtime.DataPlaneTest.ID;
import static dev.tpcbridge.runtime.DataPlaneTest.clientOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pinning with OpenHFT Affinity: each core takes a distinct free CPU or says why not, more cores than CPUs fall back
 * to running unpinned (and still serve), and control-plane threads started from a pinned core do not inherit its
 * CPU. On a machine where pinning is not available at all the fallback is what is checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PinningTest {
    @Test
    void moreCoresThanCpusFallBackToUnpinnedSayWhyAndStillServe() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors() + 1; // at least one core finds no CPU free
        try (DataPlane plane = DataPlane.builder().cores(cores).pinning(true).build().start()) {
            Set<Integer> cpus = new HashSet<>();
            int unpinned = 0;
            for (Core core : plane.cores()) {
                BridgeClient client = clientOn(core, ID);
                assertEquals(5L, client.call(Request.create().id(5), Response::count).join(), core + " serves");
                if (core.pinnedCpu() >= 0) {
                    assertEquals("pinned to CPU " + core.pinnedCpu(), core.pinning());
                    assertTrue(cpus.add(core.pinnedCpu()), "no two cores share a CPU: " + plane);
                    assertNotEquals(0, core.pinnedCpu(), "CPU 0 is left to the system");
                } else {
                    unpinned++;
                    assertTrue(core.pinning().startsWith("not pinned: "), core.pinning());
                    String reason = CpuAffinity.unavailableReason();
                    assertTrue(core.pinning().contains(reason != null ? reason : "no free CPU"), core.pinning());
                }
            }
            assertTrue(unpinned >= 1, "more cores than CPUs, yet all pinned: " + plane);
        }
    }

    @Test
    void withoutPinningAskedNoCoreIsPinnedAndEachSaysSo() throws Exception {
        try (DataPlane plane = DataPlane.builder().cores(2).build().start()) {
            for (Core core : plane.cores()) {
                clientOn(core, ID).call(Request.create(), Response::count).join(); // the core has started
                assertEquals(-1, core.pinnedCpu());
                assertEquals("not pinned: pinning was not asked for", core.pinning());
            }
        }
    }

    @Test
    void controlPlaneThreadsStartedFromAPinnedCoreRunOnTheBaseMask() throws Exception {
        assumeTrue(CpuAffinity.unavailableReason() == null, () -> "pinning unavailable: "
            + CpuAffinity.unavailableReason());
        try (DataPlane plane = DataPlane.builder().pinning(true).build().start()) {
            Core core = plane.core(0);
            clientOn(core, ID).call(Request.create(), Response::count).join();
            assumeTrue(core.pinnedCpu() >= 0, () -> "no CPU was free to pin: " + core.pinning());
            BitSet base = CpuAffinity.base();
            BitSet pinned = new BitSet();
            pinned.set(core.pinnedCpu());

            AtomicReference<BitSet> onCore = new AtomicReference<>();
            AtomicReference<BitSet> inherited = new AtomicReference<>();
            AtomicReference<BitSet> control = new AtomicReference<>();
            AtomicReference<BitSet> completer = new AtomicReference<>();
            CompletableFuture<BridgeClient> built = new CompletableFuture<>();
            CompletableFuture<Void> started = new CompletableFuture<>();
            core.execute(() -> {
                onCore.set(CpuAffinity.current());
                try {
                    Thread plain = new Thread(() -> inherited.set(CpuAffinity.current()));
                    Thread unpinned = ControlThreads.unpinned(Executors.defaultThreadFactory())
                        .newThread(() -> control.set(CpuAffinity.current()));
                    plain.start();
                    unpinned.start();
                    plain.join();
                    unpinned.join();
                    built.complete(BridgeClient.builder().build());
                    started.complete(null);
                } catch (Throwable e) {
                    started.completeExceptionally(e);
                }
            });
            started.get(10, TimeUnit.SECONDS);
            BridgeClient builtOnCore = built.join();
            try (DataPlane other = DataPlane.builder().build().start()) {
                other.core(0).attach(builtOnCore.channel(), ID);
                builtOnCore.call(Request.create(), response -> {
                    completer.set(CpuAffinity.current()); // decoders run on the completion thread
                    return response.count();
                }).join();
            }
            assertEquals(pinned, onCore.get(), "the core runs on its CPU only");
            assertEquals(pinned, inherited.get(), "a plain thread started on the core inherits its CPU (the hazard)");
            assertEquals(base, control.get(), "a ControlThreads thread went back to the base mask");
            assertEquals(base, completer.get(), "a client built on the core completes on the base mask");
            assertNotEquals(pinned, base);
        }
    }

    @Test
    void theBaseMaskIsWhatTheProcessMayUse() {
        assumeTrue(CpuAffinity.unavailableReason() == null);
        BitSet base = CpuAffinity.base();
        assertTrue(base.cardinality() >= 1);
        assertEquals(base, CpuAffinity.current(), "the test thread was never pinned");
    }
}
