package dev.tpcbridge.bench.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.Wakeable;

import java.util.concurrent.TimeUnit;

/**
 * Makes {@link BridgeCall}s for intake benchmarks through the public API: a client whose intake refuses every call
 * hands each one back (failed, its request returned), still carrying its request's tenant, priority and length,
 * which is all an intake policy reads. The payloads reference one shared 64 KiB array.
 */
public final class Calls {
    /** The shared payload. */
    public static final byte[] BYTES = new byte[64 * 1024];

    private Calls() {
    }

    /** Receives a made call. */
    @FunctionalInterface
    public interface Spec {
        /**
         * Fills request {@code i}.
         *
         * @param i       its index
         * @param request the request to fill (id already set)
         */
        void fill(int i, Request request);
    }

    /**
     * Makes {@code n} calls.
     *
     * @param n    how many
     * @param spec fills each request (tenant, priority, payload)
     * @return the calls, not attached to any live client
     */
    public static BridgeCall<?>[] make(int n, Spec spec) {
        final Intake fifo = Intake.fifo(2);
        final Intake refusing = new Intake() {
            @Override
            public OfferStatus offer(BridgeCall<?> call) {
                return OfferStatus.FULL;
            }

            @Override
            public OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit) {
                return OfferStatus.FULL;
            }

            @Override
            public BridgeCall<?> poll() {
                return fifo.poll();
            }

            @Override
            public int drain(ElementHandler<? super BridgeCall<?>> handler, int limit) {
                return fifo.drain(handler, limit);
            }

            @Override
            public Wakeable readable() {
                return fifo.readable();
            }

            @Override
            public Wakeable writable() {
                return fifo.writable();
            }

            @Override
            public void close() {
                fifo.close();
            }

            @Override
            public boolean isClosedForPoll() {
                return fifo.isClosedForPoll();
            }

            @Override
            public int size() {
                return fifo.size();
            }
        };
        final BridgeCall<?>[] calls = new BridgeCall<?>[n];
        try (BridgeClient client = BridgeClient.builder().intake(refusing).build()) {
            for (int i = 0; i < n; i++) {
                final Request request = Request.create().id(i);
                spec.fill(i, request);
                calls[i] = client.tryCall(request, response -> null);
            }
        }
        return calls;
    }
}
