/**
 * tpcbridge: bridges an asynchronous control plane and a thread-per-core data plane inside one JVM.
 *
 * <p>Only API packages are exported; {@code dev.tpcbridge.internal} (argument checks, failure collection)
 * is not. The module needs no JVM flag on JDK 17 to 25: it uses VarHandles only, no JDK-internal API.
 */
module dev.tpcbridge {
    exports dev.tpcbridge.backpressure;
    exports dev.tpcbridge.ring;
}
