package dev.tpcbridge.bridge;

import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.wake.WaitPolicy;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** {@link Intake#fifo(int)}: a multi-producer waking ring; its thread model and protocol are the ring's. */
final class FifoIntake implements Intake {
    private final WakingRing<BridgeCall<?>> ring;

    FifoIntake(int capacity, WaitPolicy policy, LongSupplier nanoClock) {
        this.ring = WakingRing.<BridgeCall<?>>builder().capacity(capacity).multiProducer(true).waitPolicy(policy)
            .nanoClock(nanoClock).build();
    }

    @Override
    public OfferStatus offer(BridgeCall<?> call) {
        return ring.offer(call);
    }

    @Override
    public OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit) throws InterruptedException {
        // a timeout that saturates to Long.MAX_VALUE ns waits as long as it takes
        return ring.send(call, timeout, unit);
    }

    @Override
    public BridgeCall<?> poll() {
        return ring.poll();
    }

    @Override
    public int drain(ElementHandler<? super BridgeCall<?>> handler, int limit) {
        return ring.drain(handler, limit);
    }

    @Override
    public Wakeable readable() {
        return ring.readable();
    }

    @Override
    public Wakeable writable() {
        return ring.sendable(); // its waiters offer when woken: one woken per free slot, in arrival order
    }

    @Override
    public void close() {
        ring.closeProducer(); // any thread may close an MPSC ring's producer side
    }

    @Override
    public boolean isClosedForPoll() {
        return ring.isClosedForPoll();
    }

    @Override
    public int size() {
        return ring.size();
    }

    @Override
    public String toString() {
        return "Intake.fifo[" + ring + "]";
    }
}
