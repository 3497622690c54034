package dev.tpcbridge.bench;

import dev.tpcbridge.bridge.DataHandle;
import dev.tpcbridge.bridge.EnvelopeHandler;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WakeableIdleStrategy;

/**
 * The data side of the bridge benchmarks: a daemon thread pinned to a channel's data handle that answers every
 * request with its paired response (allocating nothing), idles with a {@link WakeableIdleStrategy} (spins, yields,
 * then parks until a request comes; {@code Integer.MAX_VALUE} spins never park), and closes the data side once the
 * control side has closed.
 */
final class EchoCore {
    /** Answers with the paired response; allocates nothing. */
    static final EnvelopeHandler ECHO = Request::response;

    private EchoCore() {
    }

    static Thread start(DataHandle<Request, Response> data, int maxSpins, int maxYields) {
        final Thread core = new Thread(() -> {
            data.pin();
            final WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.of(maxSpins, maxYields),
                data.requestsReadable());
            while (!data.isClosed()) {
                idle.idle(data.drain(ECHO, 64));
            }
            data.close();
        }, "echo-core");
        core.setDaemon(true);
        core.start();
        return core;
    }
}
