package dev.tpcbridge.bridge;

/**
 * Calls for intake tests, made without a client: each holds its own {@link Request} with a byte payload that
 * references one shared array (no copy), so an intake's policy can read tenant, priority and length.
 */
public final class TestCalls {
    /** The shared payload bytes: 64 KiB, the largest request the tests make. */
    public static final byte[] BYTES = new byte[64 * 1024];

    private TestCalls() {
    }

    /**
     * A call.
     *
     * @param id       the request id
     * @param tenant   its tenant
     * @param priority its priority
     * @param length   its payload length, in [0, 65536]
     * @return a call not attached to any client
     */
    public static BridgeCall<Void> call(long id, int tenant, int priority, int length) {
        final Request request = Request.create().id(id).tenant(tenant).priority(priority).payload(BYTES, 0, length);
        return new BridgeCall<>(request, response -> null);
    }
}
