package dev.tpcbridge.offload;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.runtime.Core;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Calls run off a core and answered back on it: the core asks an {@link OffloadPool} of {@code Runnable}s for slow
 * work (a disk read, a snapshot) and gets the answer as a task on its own thread. Stateless; any thread.
 *
 * <pre>{@code
 * // on the core: read a cold value off the core, then use it on the core
 * OffloadCalls.call(pool, () -> disk.read(key), core, (value, failure) -> cache.put(key, value));
 * }</pre>
 */
public final class OffloadCalls {
    private OffloadCalls() {
    }

    /**
     * Runs {@code work} on a worker of {@code pool}, then {@code onResult} on {@code replyTo} with its value, or with
     * its failure; a call that never runs (evicted, rejected, abandoned, refused) is answered with an
     * {@link OffloadDroppedException} naming why. Exactly one answer per call. When {@code replyTo} is a {@link Core},
     * the answer waits for room in its task ring ({@link Core#sendTask}: the worker may wait, the core never does);
     * another executor that refuses the answer leaves it to run on the thread that had it, so it is never lost.
     *
     * @param pool     a pool whose handler runs {@code Runnable}s ({@code Runnable::run})
     * @param work     the slow work, run on a worker
     * @param replyTo  where the answer runs: a core, or any executor
     * @param onResult gets {@code (value, null)} or {@code (null, failure)}
     * @param <R>      the value type
     * @return the pool's submit status (for anything but a queued one, the answer has been given already)
     * @throws IllegalArgumentException if an argument is null
     */
    public static <R> SubmitStatus call(OffloadPool<Runnable> pool, Callable<? extends R> work, Executor replyTo,
                                        BiConsumer<? super R, ? super Throwable> onResult) {
        Checks.notNull("pool", pool);
        return pool.submit(new Call<R>(Checks.notNull("work", work), Checks.notNull("replyTo", replyTo),
            Checks.notNull("onResult", onResult)));
    }

    /** An answer that never came: the call was dropped by its pool. */
    public static final class OffloadDroppedException extends CancellationException {
        private static final long serialVersionUID = 1L;
        /** Why the call never ran. */
        private final DropReason reason;

        /**
         * An answer that never came, for {@code reason}.
         *
         * @param reason why the call never ran, not null
         */
        public OffloadDroppedException(DropReason reason) {
            super("the offloaded call never ran: " + reason);
            this.reason = reason;
        }

        /**
         * Why the call never ran.
         *
         * @return the reason
         */
        public DropReason reason() {
            return reason;
        }
    }

    private static final class Call<R> implements Runnable, DropAware {
        private final Callable<? extends R> work;
        private final Executor replyTo;
        private final BiConsumer<? super R, ? super Throwable> onResult;

        Call(Callable<? extends R> work, Executor replyTo, BiConsumer<? super R, ? super Throwable> onResult) {
            this.work = work;
            this.replyTo = replyTo;
            this.onResult = onResult;
        }

        @Override
        public void run() {
            R value = null;
            Throwable failure = null;
            try {
                value = work.call();
            } catch (Exception e) {
                failure = e;
            }
            reply(value, failure);
        }

        @Override
        public void dropped(DropReason reason) {
            reply(null, new OffloadDroppedException(reason));
        }

        private void reply(R value, Throwable failure) {
            final Runnable answer = () -> onResult.accept(value, failure);
            try {
                if (replyTo instanceof Core) {
                    sendToCore((Core) replyTo, answer);
                } else {
                    replyTo.execute(answer);
                }
            } catch (RejectedExecutionException e) {
                answer.run(); // the executor refused it: run it here rather than lose it
            }
        }

        private static void sendToCore(Core core, Runnable answer) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        if (core.sendTask(answer) != dev.tpcbridge.ring.OfferStatus.OK) {
                            answer.run(); // the core has stopped: answer here rather than never
                        }
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
