package dev.tpcbridge.bridge;

import dev.tpcbridge.wake.WakeSignal;
import dev.tpcbridge.wake.Wakeable;

/**
 * What the two ends of a {@link BridgeChannel} tell each other besides the rings: the data side's request to drain,
 * whether the control side honours it, and the data side's failure. Package-private: the drain protocol is the
 * bridge's own (a data plane uses {@link DataHandle#beginDrain()} and {@link DataHandle#isDrained()}).
 */
final class Handshake {
    /** Signalled once by the data side when it begins to drain; the control side takes it. */
    private final WakeSignal drainRequests = WakeSignal.create();
    /** Set once by a control side that answers a drain request by closing its requests (a client does). */
    private volatile boolean drainsHonoured;
    /** Why the data side failed, or null; written before the close that publishes it. */
    private volatile Throwable failure;

    void requestDrain() {
        drainRequests.signal(); // a CAS, then the signal's fence and read of its waiters
    }

    Wakeable drainRequests() {
        return drainRequests;
    }

    boolean takeDrainRequest() {
        return drainRequests.poll() != 0;
    }

    void honourDrains() {
        drainsHonoured = true;
    }

    boolean drainsHonoured() {
        return drainsHonoured;
    }

    /** The data side, before its close publishes it: whoever sees the close sees the cause. The first one wins. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    Throwable failure() {
        return failure;
    }
}
