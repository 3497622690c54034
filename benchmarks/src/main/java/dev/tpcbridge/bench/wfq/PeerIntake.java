package dev.tpcbridge.bench.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.WakeSignal;
import dev.tpcbridge.wake.Wakeable;

import java.util.concurrent.TimeUnit;

/**
 * What the benchmarks' single-threaded peer intakes share: {@code send} that does not wait (it offers once), a
 * {@code drain} made of polls, one signal for both conditions (never raised: nothing waits on a peer), and a closed
 * flag. Single-threaded, like its subclasses.
 */
abstract class PeerIntake implements Intake {
    private final WakeSignal signal = WakeSignal.create();
    private boolean closed;

    /** Whether {@link #close()} was called. */
    final boolean closed() {
        return closed;
    }

    @Override
    public final OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit) {
        return offer(call);
    }

    @Override
    public final int drain(ElementHandler<? super BridgeCall<?>> handler, int limit) {
        int n = 0;
        BridgeCall<?> call;
        while (n < limit && (call = poll()) != null) {
            handler.onElement(call);
            n++;
        }
        return n;
    }

    @Override
    public final Wakeable readable() {
        return signal;
    }

    @Override
    public final Wakeable writable() {
        return signal;
    }

    @Override
    public final void close() {
        closed = true;
    }

    @Override
    public final boolean isClosedForPoll() {
        return closed && size() == 0;
    }
}
