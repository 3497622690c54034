package dev.tpcbridge.bridge;

import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WakeableIdleStrategy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A data-plane core for tests: one thread pinned to the channel's data handle, draining requests through a handler
 * and parking on the request ring when idle; it closes the data side when the control side closed, or when
 * {@link #stop()} asks it to.
 */
final class TestCore implements AutoCloseable {
    final Thread thread;
    final AtomicLong ran = new AtomicLong();
    private final DataHandle<Request, Response> data;
    private volatile boolean stop;

    TestCore(BridgeChannel<Request, Response> channel, EnvelopeHandler handler) {
        this.data = channel.data();
        EnvelopeHandler counting = new EnvelopeHandler() {
            @Override
            public Response onRequest(Request request) {
                ran.incrementAndGet();
                return handler.onRequest(request);
            }

            @Override
            public Response onExpired(Request request) {
                return handler.onExpired(request);
            }

            @Override
            public Response onCancelled(Request request) {
                return handler.onCancelled(request);
            }
        };
        this.thread = new Thread(() -> {
            data.pin();
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.of(10, 2), 1_000_000,
                data.requestsReadable());
            try {
                while (!stop && !data.isClosed()) {
                    idle.idle(data.drain(counting, 64));
                }
            } finally {
                data.close();
            }
        }, "test-core");
        thread.start();
    }

    /**
     * A thread factory for a client's completion thread (a daemon named "completer") that keeps the thread it made,
     * so that a test can watch it (parked, CPU time, allocations, which thread completes a call).
     */
    static java.util.concurrent.ThreadFactory keeping(java.util.concurrent.atomic.AtomicReference<Thread> made) {
        return runnable -> {
            Thread thread = new Thread(runnable, "completer");
            thread.setDaemon(true);
            made.set(thread);
            return thread;
        };
    }

    /** Asks the core to stop (it closes the data side on its own thread) and waits for it. */
    void stop() throws InterruptedException {
        stop = true;
        dev.tpcbridge.internal.Threads.joinOrFail(thread);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the core", e);
        }
    }
}
