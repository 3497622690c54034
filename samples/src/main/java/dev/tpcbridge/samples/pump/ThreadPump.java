package dev.tpcbridge.samples.pump;

import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.BridgeStatus;
import dev.tpcbridge.bridge.ControlHandle;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.slab.SlabView;
import dev.tpcbridge.ring.WakingRing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pump with a Java control plane on plain threads: per core, a sender thread and a receiver thread on the bridge
 * channel's blocking calls ({@code send}, {@code receive}), which spin, yield, then park until the other side's
 * transition wakes them. The same data plane, traffic and checks as {@link BridgePump}; parking allocates nothing,
 * so neither does a message.
 *
 * <p>Threads: {@link #run()} starts and joins two threads per core; {@link #done} as in {@link BridgePump}.
 */
public final class ThreadPump {
    private final PumpConfig config;
    /** Payload bytes checked so far, per core: written by the receivers, read by the progress thread. */
    public final AtomicLongArray done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * @param config the run
     */
    public ThreadPump(PumpConfig config) {
        this.config = config;
        this.done = new AtomicLongArray(config.getCores());
    }

    /**
     * Runs the pump to the end.
     *
     * @throws Throwable the first failure of a sender or receiver ({@link PumpCheckFailed} if a message failed its
     *                   check)
     */
    public void run() throws Throwable {
        try (DataPlane plane = PumpPlane.start(config)) {
            List<Thread> threads = new ArrayList<>();
            List<BridgeChannel<Request, Response>> channels = new ArrayList<>();
            for (Core core : plane.cores()) {
                BridgeChannel<Request, Response> channel = PumpPlane.attach(core, config);
                channels.add(channel);
                WakingRing<Request> free = WakingRing.<Request>builder().capacity(config.getWindow())
                    .waitPolicy(config.getWaitPolicy()).build();
                for (int i = 0; i < config.getWindow(); i++) {
                    free.offer(Request.create());
                }
                threads.add(guarded("pump-sender-" + core.index(), () -> send(core, channel, free)));
                threads.add(guarded("pump-receiver-" + core.index(), () -> receive(core, channel, free)));
            }
            threads.forEach(Thread::start);
            try {
                for (Thread thread : threads) {
                    thread.join();
                }
            } finally {
                for (BridgeChannel<Request, Response> channel : channels) {
                    channel.control().close(); // once its sender and receiver are done (the control side's rule)
                }
            }
        }
        Throwable first = failure.get();
        if (first != null) {
            throw first;
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private Thread guarded(String name, Body body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
    }

    private void send(Core core, BridgeChannel<Request, Response> channel, WakingRing<Request> free)
            throws InterruptedException {
        MessageWriter writer = new MessageWriter(config, core);
        ControlHandle<Request, Response> control = channel.control();
        long messages = config.getMessagesPerCore();
        try {
            for (long seq = 0; seq < messages; seq++) {
                Request request = free.receive();
                if (request == null) {
                    return; // the receiver gave up (and closed the free ring): its failure is the run's
                }
                if (writer.write(request, seq)) {
                    send(core, channel, request);
                    Request held = writer.takeHeld();
                    if (held != null) {
                        send(core, channel, held);
                    }
                }
            }
            Request held = writer.takeHeld();
            if (held != null) {
                send(core, channel, held);
            }
        } finally {
            control.closeRequests(); // also on failure: the core answers what was sent, then the receiver learns it
        }
    }

    private static void send(Core core, BridgeChannel<Request, Response> channel, Request request)
            throws InterruptedException {
        if (channel.control().send(request) != BridgeStatus.OK) {
            core.slabPool().release(request.slabHandle());
            throw new IllegalStateException("core " + core.index() + ": the channel closed before message "
                + request.id(), channel.failure());
        }
    }

    private void receive(Core core, BridgeChannel<Request, Response> channel, WakingRing<Request> free)
            throws InterruptedException {
        ControlHandle<Request, Response> control = channel.control();
        SlabView view = new SlabView();
        long messages = config.getMessagesPerCore();
        try {
            for (long expected = 0; expected < messages; expected++) {
                Response response = control.receive();
                if (response == null) {
                    throw new IllegalStateException("core " + core.index() + ": the channel closed after " + expected
                        + " of " + messages + " answers", channel.failure());
                }
                Request request = PumpPlane.checkAnswer(config, core, view, response, expected);
                done.lazySet(core.index(), (expected + 1) * config.getBytesPerMessage());
                free.send(request);
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t); // recorded before the sender learns of it: the run reports this one
            throw t;
        } finally {
            free.closeProducer(); // a sender waiting for an envelope learns the receiver is gone
        }
    }
}
