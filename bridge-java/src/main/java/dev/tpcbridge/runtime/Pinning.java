package dev.tpcbridge.runtime;

import dev.tpcbridge.internal.CpuAffinity;

/**
 * A core thread's CPU pinning: takes a free CPU through OpenHFT Affinity when asked and available, says in one log
 * line where the core runs or why it runs unpinned, and gives the CPU back when the core ends. The CPU and the
 * description are written by the core thread and read by any thread.
 */
final class Pinning {
    private static final System.Logger LOGGER = System.getLogger(DataPlane.class.getName());

    private final boolean asked;
    private Object lock;
    private volatile int cpu = -1;
    private volatile String description = "not started";

    Pinning(boolean asked) {
        this.asked = asked;
    }

    /** On the core thread, as it starts. */
    void pin(int core) {
        final String thread = "core " + core + " (thread '" + Thread.currentThread().getName() + "')";
        if (!asked) {
            description = "not pinned: pinning was not asked for";
            LOGGER.log(System.Logger.Level.DEBUG, thread + " runs unpinned: pinning was not asked for");
            return;
        }
        final Object outcome = CpuAffinity.pinCurrentThread();
        if (outcome instanceof String) {
            description = "not pinned: " + outcome;
            LOGGER.log(System.Logger.Level.WARNING, thread + " runs unpinned: " + outcome);
            return;
        }
        lock = outcome;
        cpu = CpuAffinity.cpuOf(outcome);
        description = "pinned to CPU " + cpu;
        LOGGER.log(System.Logger.Level.INFO, thread + " pinned to CPU " + cpu);
    }

    /** On the core thread, as it ends. */
    void release() {
        if (lock != null) {
            CpuAffinity.release(lock);
            lock = null;
        }
    }

    int cpu() {
        return cpu;
    }

    String description() {
        return description;
    }
}
