package dev.tpcbridge.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.BitSet;

/**
 * CPU pinning through OpenHFT Affinity, reached by reflection so that it stays optional at run time and none of its
 * types appears in a signature: without it on the class path (or without its native access) every call here reports
 * "not available" and does nothing.
 *
 * <p><b>Threads.</b> Every method acts on, or reads, the calling thread only, and may be called from any thread.
 *
 * <p><b>The base mask.</b> A thread inherits the CPU mask of the thread that started it, so a thread started from a
 * pinned core would run on that core's CPU. {@link #base()} is the mask seen when pinning was first used, which
 * {@code DataPlane.Builder} makes happen on the control plane before any core pins; {@link #unpinCurrentThread()}
 * puts the calling thread back on it, and every thread the library starts for the control plane calls it first (at
 * the cost of one volatile read, without loading Affinity, until some thread was pinned).
 */
public final class CpuAffinity {
    private static final System.Logger LOGGER = System.getLogger(CpuAffinity.class.getName());
    /** Whether any thread was pinned here: until then no thread can have inherited a pinned mask. */
    private static volatile boolean pinnedEver;

    private CpuAffinity() {
    }

    /** OpenHFT Affinity's entry points, loaded on first use of pinning or of the base mask only. */
    private static final class Native {
    /** Why pinning is not available, or null when it is. */
        private static final String UNAVAILABLE;
        private static final MethodHandle ACQUIRE_LOCK; // AffinityLock.acquireLock(): AffinityLock
        private static final MethodHandle IS_BOUND;     // AffinityLock.isBound(): boolean
        private static final MethodHandle CPU_ID;       // AffinityLock.cpuId(): int
        private static final MethodHandle RELEASE;      // AffinityLock.release(): void
        private static final MethodHandle GET_AFFINITY; // Affinity.getAffinity(): BitSet
        private static final MethodHandle SET_AFFINITY; // Affinity.setAffinity(BitSet): void
        private static final BitSet BASE;

        static {
            String unavailable = null;
            MethodHandle acquire = null;
            MethodHandle bound = null;
            MethodHandle cpu = null;
            MethodHandle release = null;
            MethodHandle get = null;
            MethodHandle set = null;
            BitSet base = null;
            try {
                final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                final Class<?> affinity = Class.forName("net.openhft.affinity.Affinity");
                final Class<?> lock = Class.forName("net.openhft.affinity.AffinityLock");
                acquire = lookup.findStatic(lock, "acquireLock", MethodType.methodType(lock));
                bound = lookup.findVirtual(lock, "isBound", MethodType.methodType(boolean.class));
                cpu = lookup.findVirtual(lock, "cpuId", MethodType.methodType(int.class));
                release = lookup.findVirtual(lock, "release", MethodType.methodType(void.class));
                get = lookup.findStatic(affinity, "getAffinity", MethodType.methodType(BitSet.class));
                set = lookup.findStatic(affinity, "setAffinity", MethodType.methodType(void.class, BitSet.class));
                base = (BitSet) get.invoke();
                if (base == null || base.isEmpty()) {
                    unavailable = "OpenHFT Affinity cannot read this platform's CPU mask";
                }
            } catch (ClassNotFoundException e) {
                unavailable = notFound();
            } catch (NoClassDefFoundError e) {
                unavailable = "OpenHFT Affinity is there but a class it needs is missing (" + e.getMessage()
                    + "): it needs JNA and an SLF4J API (and, to see its log lines, an SLF4J provider) beside it";
            } catch (UnsatisfiedLinkError | IllegalCallerException e) {
                unavailable = "OpenHFT Affinity could not load its native code (" + e + "); on JDK 24 and later run "
                    + "with --enable-native-access=ALL-UNNAMED (or the module that holds JNA)";
            } catch (Throwable e) { // a version without these methods, a platform it does not know, ...
                unavailable = "OpenHFT Affinity failed to start: " + e;
            }
            UNAVAILABLE = unavailable;
            ACQUIRE_LOCK = acquire;
            IS_BOUND = bound;
            CPU_ID = cpu;
            RELEASE = release;
            GET_AFFINITY = get;
            SET_AFFINITY = set;
            BASE = unavailable == null ? base : null;
        }

        private Native() {
        }

        /** Why {@code net.openhft.affinity.Affinity} was not found, as far as this module can tell. */
        private static String notFound() {
            if (!Native.class.getModule().isNamed()) {
                return "OpenHFT Affinity (net.openhft:affinity) is not on the class path";
            }
            return "OpenHFT Affinity (net.openhft:affinity) was not found by module dev.tpcbridge, which requires it "
                + "only optionally: on the module path, resolve it with --add-modules (its automatic module name is "
                + "the jar's, e.g. affinity), or put it and its dependencies on the class path";
        }
    }

    /**
     * Why pinning is not available here, or {@code null} when it is.
     *
     * @return the reason, or null
     */
    public static String unavailableReason() {
        return Native.UNAVAILABLE;
    }

    /**
     * The CPU mask threads go back to when unpinned: a copy, or an empty set when pinning is not available.
     *
     * @return the mask
     */
    public static BitSet base() {
        return Native.BASE == null ? new BitSet() : (BitSet) Native.BASE.clone();
    }

    /**
     * The calling thread's CPU mask, or an empty set when pinning is not available.
     *
     * @return the mask
     */
    public static BitSet current() {
        if (Native.UNAVAILABLE != null) {
            return new BitSet();
        }
        try {
            return (BitSet) Native.GET_AFFINITY.invoke();
        } catch (Throwable e) {
            return new BitSet();
        }
    }

    /**
     * Pins the calling thread to a free CPU (OpenHFT Affinity's {@code AffinityLock.acquireLock()}, which leaves CPU 0
     * and the reserved CPUs alone).
     *
     * @return the lock to {@link #release(Object)} when the thread ends, or a {@code String} saying why the thread
     *         was not pinned
     */
    public static Object pinCurrentThread() {
        if (Native.UNAVAILABLE != null) {
            return Native.UNAVAILABLE;
        }
        try {
            final Object lock = Native.ACQUIRE_LOCK.invoke();
            if (lock != null && (boolean) Native.IS_BOUND.invoke(lock) && (int) Native.CPU_ID.invoke(lock) >= 0) {
                pinnedEver = true; // volatile: a thread started from this one afterwards sees it
                return lock;
            }
            if (lock != null) {
                Native.RELEASE.invoke(lock);
            }
            return "no free CPU: every CPU OpenHFT Affinity may hand out is taken by another pinned thread";
        } catch (Throwable e) {
            return "OpenHFT Affinity failed to pin: " + e;
        }
    }

    /**
     * The CPU a lock from {@link #pinCurrentThread()} holds.
     *
     * @param lock the lock
     * @return the CPU, or -1
     */
    public static int cpuOf(Object lock) {
        try {
            return (int) Native.CPU_ID.invoke(lock);
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Releases a lock from {@link #pinCurrentThread()} on the thread that took it: frees its CPU and puts the thread
     * back on the base mask. Logs a failure instead of throwing.
     *
     * @param lock the lock
     */
    public static void release(Object lock) {
        try {
            Native.RELEASE.invoke(lock);
        } catch (Throwable e) {
            LOGGER.log(System.Logger.Level.WARNING, "OpenHFT Affinity failed to release " + lock, e);
        }
    }

    /**
     * Puts the calling thread back on the base mask if it runs on another one (it was started by a pinned thread).
     * Does nothing when pinning is not available. Never throws: a failure is logged.
     *
     * @return whether the mask was changed
     */
    public static boolean unpinCurrentThread() {
        if (!pinnedEver || Native.UNAVAILABLE != null) {
            return false; // nothing was ever pinned here (Affinity not even loaded): no mask to inherit
        }
        try {
            final BitSet current = (BitSet) Native.GET_AFFINITY.invoke();
            if (Native.BASE.equals(current)) {
                return false;
            }
            Native.SET_AFFINITY.invoke((BitSet) Native.BASE.clone());
            return true;
        } catch (Throwable e) {
            LOGGER.log(System.Logger.Level.WARNING, "could not reset thread '" + Thread.currentThread().getName()
                + "' to the base CPU mask " + Native.BASE, e);
            return false;
        }
    }
}
