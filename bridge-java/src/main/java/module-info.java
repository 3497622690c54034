/**
 * tpcbridge: bridges an asynchronous control plane and a thread-per-core data plane inside one JVM.
 *
 * <p>Only API packages are exported; {@code dev.tpcbridge.internal} (argument checks, failure collection, the Agrona
 * idle-strategy adapter) is not. The module needs no JVM flag on JDK 17 to 25: it uses VarHandles only, no
 * JDK-internal API, and none of Agrona's classes that need one.
 */
module dev.tpcbridge {
    requires org.agrona; // idle strategies and the agent duty cycle, internal only

    exports dev.tpcbridge.backpressure;
    exports dev.tpcbridge.bridge;
    exports dev.tpcbridge.logbuf;
    exports dev.tpcbridge.ring;
    exports dev.tpcbridge.runtime;
    exports dev.tpcbridge.slab;
    exports dev.tpcbridge.telemetry;
    exports dev.tpcbridge.wake;
}
