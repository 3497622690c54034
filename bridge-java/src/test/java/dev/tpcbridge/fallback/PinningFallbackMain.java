package dev.tpcbridge.fallback;

import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;

/**
 * Run in a child JVM by {@code PinningFallbackTest}: starts one core with pinning asked for and prints what pinning
 * did, in words. In a package of its own, which module dev.tpcbridge does not hold, so that it loads from the class
 * path beside the module.
 */
public final class PinningFallbackMain {
    private PinningFallbackMain() {
    }

    /**
     * Prints the core's pinning line.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try (DataPlane plane = DataPlane.builder().cores(1).pinning(true).build().start()) {
            Core core = plane.cores().get(0);
            while (core.pinning().equals("not started")) {
                Thread.onSpinWait();
            }
            System.out.println(core.pinning());
        }
    }
}
