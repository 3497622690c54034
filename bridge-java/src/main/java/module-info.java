/**
 * tpcbridge: bridges an asynchronous control plane and a thread-per-core data plane inside one JVM.
 *
 * <p>Only API packages are exported; {@code dev.tpcbridge.internal} is not. The module needs no JVM flag on JDK 17 to
 * 25: it uses VarHandles only and no JDK-internal API. OpenHFT Affinity, for pinning, is reached by reflection when it
 * is on the class path.
 */
module dev.tpcbridge {
    // The JFR events in dev.tpcbridge.telemetry extend jdk.jfr.Event: part of the JDK, no dependency.
    requires transitive jdk.jfr;

    exports dev.tpcbridge.backpressure;
    exports dev.tpcbridge.bridge;
    exports dev.tpcbridge.logbuf;
    exports dev.tpcbridge.multicast;
    exports dev.tpcbridge.offload;
    exports dev.tpcbridge.ring;
    exports dev.tpcbridge.runtime;
    exports dev.tpcbridge.slab;
    exports dev.tpcbridge.telemetry;
    exports dev.tpcbridge.wake;
    exports dev.tpcbridge.wfq;
}
