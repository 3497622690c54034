package dev.tpcbridge.bench;

import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.ring.SpscRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * The floor of the wake protocol, for the benchmarks: the bare {@link SpscRing} plus exactly what a notifier of the
 * armed-waiter protocol must pay per published batch, a full fence and one opaque read of a waiter word on a cache
 * line of its own, and nothing else (no waiter is ever armed, so no wake call). A waking ring at this figure has no
 * overhead but the protocol's own.
 */
final class FencedSpscRing {
    private static final VarHandle CONSUMER_WAITER;
    private static final VarHandle PRODUCER_WAITER;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMER_WAITER = lookup.findVarHandle(Word.class, "value", Object.class);
            PRODUCER_WAITER = CONSUMER_WAITER;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SpscRing<Object> ring;
    private final Word consumerWaiter = new Word();
    private final Word producerWaiter = new Word();

    FencedSpscRing(int capacity) {
        this.ring = SpscRing.create(capacity);
    }

    boolean offer(Object element) {
        final boolean ok = ring.offer(element) == OfferStatus.OK;
        if (ok) {
            notifyWaiter(CONSUMER_WAITER, consumerWaiter);
        }
        return ok;
    }

    Object poll() {
        final Object element = ring.poll();
        if (element != null) {
            notifyWaiter(PRODUCER_WAITER, producerWaiter);
        }
        return element;
    }

    int fill(Supplier<Object> supplier, int limit) {
        final int filled = ring.fill(supplier, limit);
        if (filled > 0) {
            notifyWaiter(CONSUMER_WAITER, consumerWaiter);
        }
        return filled;
    }

    int drain(ElementHandler<Object> handler, int limit) {
        final int taken = ring.drain(handler, limit);
        if (taken > 0) {
            notifyWaiter(PRODUCER_WAITER, producerWaiter);
        }
        return taken;
    }

    /** The notifier's half: fence, then read the waiter word (never set here, so never a wake). */
    private static void notifyWaiter(VarHandle handle, Word word) {
        VarHandle.fullFence();
        if (handle.getOpaque(word) != null) {
            throw new AssertionError("no waiter is ever armed in this benchmark");
        }
    }

    /** A word padded to lines of its own, as WaiterList's head is. */
    static final class Word {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
        volatile Object value;
        long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
    }
}
