package dev.tpcbridge.bench;

/**
 * A peer of the offload pool written in Kotlin ({@code bench.offload.KotlinDropOldestPool}), reached through this
 * interface because the module compiles its Java before its Kotlin.
 */
public interface OffloadPeer extends AutoCloseable {
    /**
     * Hands a task over; never waits.
     *
     * @param task the task
     * @return whether it was accepted
     */
    boolean submit(Runnable task);

    @Override
    void close();

    /**
     * Creates the Kotlin peer by name.
     *
     * @param className its class, with an {@code (int capacity, int workers)} constructor
     * @param capacity  the queue capacity
     * @param workers   the worker count
     * @return the peer
     */
    static OffloadPeer create(String className, int capacity, int workers) {
        try {
            return (OffloadPeer) Class.forName(className).getConstructor(int.class, int.class)
                .newInstance(capacity, workers);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
    }
}
