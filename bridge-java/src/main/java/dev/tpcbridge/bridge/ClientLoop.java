package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.PressureState;
import dev.tpcbridge.internal.CompletionThreads;
import dev.tpcbridge.internal.CpuAffinity;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waiter;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A {@link BridgeClient}'s completion thread: sends the calls of the intake, completes them with their answers, waits
 * between passes on what can unblock it, and ends them all when the client or the data side closes. Everything here
 * but {@link #releasePageOf} runs on that thread: plain fields.
 */
final class ClientLoop implements Runnable {
    private static final System.Logger LOGGER = System.getLogger(BridgeClient.class.getName());
    /** Responses taken per drain. */
    private static final int DRAIN_LIMIT = 256;
    /** Calls moved per batch from the intake to the request ring. */
    private static final int STAGE = 256;

    private final BridgeClient client;
    private final SlabPool slabPool;
    private final WaitPolicy policy;
    private final LongSupplier nanoClock;
    private final ElementHandler<Response> answers = this::onAnswer;
    private ControlHandle<Request, Response> control;
    private Intake intake;
    /** Calls taken from the intake and not sent yet, in order: [stagedFirst, stagedEnd). */
    private final BridgeCall<?>[] staged = new BridgeCall<?>[STAGE];
    private int stagedFirst;
    private int stagedEnd;
    private final ElementHandler<BridgeCall<?>> stager = this::stage;
    private final Supplier<Request> feeder = this::feed;
    /** Calls sent and not yet answered, newest first: the ones to fail if the channel closes. */
    private BridgeCall<?> sent;
    /** The data side asked for a drain; this side refuses new calls and closes its requests once all are sent. */
    private boolean draining;
    private boolean requestsClosed;
    /** Why the loop ended, and the core's failure if that is why. */
    private String reason = "the client was closed";
    private Throwable coreFailure;
    private long strayInterrupts;
    /** What ends a park, by what the loop waits for (see idle()). */
    private Wakeable anything;
    private Wakeable orCalls;
    private Wakeable orRoom;
    /** What the last dispatch waits for. */
    private Wakeable blocked;
    /** The data side closed before this side did: no core reads the requests sent any more. */
    private boolean dataSideClosed;

    /** The pass noticed the end (the client or the data side closed). */
    private boolean ended;

    ClientLoop(BridgeClient client, SlabPool slabPool, WaitPolicy policy, LongSupplier nanoClock) {
        this.client = client;
        this.slabPool = slabPool;
        this.policy = policy;
        this.nanoClock = nanoClock;
    }

    boolean hasSlabPool() {
        return slabPool != null;
    }

    /** The completion thread's body: passes until the end, waiting between them on what can unblock it. */
    @Override
    public void run() {
        CpuAffinity.unpinCurrentThread(); // a client built on a pinned core must not stay on that core's CPU
        CompletionThreads.markCurrent(); // a DataPlane.stop from a call's callback must not wait for this thread
        prepare();
        try {
            Waiter waiter = null;
            while (true) {
                client.events().poll(); // taken here, so a past event does not keep ending parks
                final int work = pass();
                if (ended) {
                    return;
                }
                if (work > 0) {
                    waiter = null;
                } else {
                    waiter = idle(waiter);
                }
            }
        } catch (Throwable t) {
            reason = "the client's completion thread failed: " + t;
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient completion thread failed; failing every call", t);
            throw t;
        } finally {
            terminate();
        }
    }

    /** On the completion thread, to which the control handle is confined. */
    private void prepare() {
        control = client.channel().control();
        intake = client.intake();
        final Wakeable always = Wakeable.anyOf(control.responsesReadable(), control.drainRequests(), client.events());
        anything = always;
        orCalls = Wakeable.anyOf(always, intake.readable());
        orRoom = Wakeable.anyOf(always, control.requestsWritable());
    }

    /**
     * One pass: completes the answers that arrived, sends the calls waiting, follows the data side's drain request,
     * and notices the end.
     *
     * @return the work done: answers taken and calls handled
     */
    private int pass() {
        final int work = control.drain(answers, DRAIN_LIMIT) + dispatch();
        if (client.state() != BridgeClient.OPEN) {
            ended = true;
            return work;
        }
        if (draining || control.takeDrainRequest()) {
            drain();
        }
        if (control.isClosed()) {
            dataSideClosed = true;
            coreFailure = client.channel().failure(); // read after the close was seen: see BridgeChannel.failure()
            reason = coreFailure != null ? "the data side's core failed before answering: " + coreFailure
                : "the data side closed (its core stopped or was lost) before answering";
            ended = true;
        }
        return work;
    }

    /**
     * Sends calls from the intake until one cannot go, and notes in {@link #blocked} what to wait for then: calls,
     * room, or only the answers and events (back-pressured: the pressure listener's event ends the wait; or closed).
     * Calls move in batches, intake to staging to request ring: one publication (and one wake-up check) per batch on
     * each side, not per call.
     *
     * @return the calls handled (sent, or ended before sending)
     */
    private int dispatch() {
        int handled = 0;
        while (true) {
            if (stagedFirst == stagedEnd) {
                stagedFirst = 0;
                stagedEnd = 0;
                // As many as the ring takes now, and at least one (held until room comes, as a send refused FULL): the
                // others wait in the intake, ordered by its policy. An empty intake is not drained at all: an MPSC
                // drain fences even when it takes nothing.
                final int taken = intake.size() == 0 ? 0
                    : intake.drain(stager, Math.max(1, Math.min(control.requestRoom(), staged.length)));
                handled += taken;
                if (taken == 0) {
                    // a closed, drained intake is ready for ever: do not wait on it
                    blocked = intake.isClosedForPoll() ? anything : orCalls;
                    return handled;
                }
                continue; // the stager may have ended them all (given up, expired)
            }
            if (control.pressure() != PressureState.SUSPENDED) {
                control.fill(feeder, stagedEnd - stagedFirst);
                if (stagedFirst == stagedEnd) {
                    continue;
                }
            }
            // back-pressured, full or closed: one offer says which (and counts it)
            final BridgeCall<?> next = staged[stagedFirst];
            final BridgeStatus status = control.trySend(next.request());
            if (status == BridgeStatus.OK) {
                takeStaged();
                linkSent(next);
                continue;
            }
            blocked = status == BridgeStatus.FULL ? orRoom : anything;
            return handled;
        }
    }

    /** Takes a call from the intake into the staging batch, or ends it there (given up, expired). */
    private void stage(BridgeCall<?> call) {
        if (call.isGivenUp()) { // the caller gave up before it was sent
            releasePageOf(call.request());
            call.returnRequest();
        } else if (isExpired(call)) {
            releasePageOf(call.request());
            call.returnRequest();
            call.fail(ResponseStatus.DEADLINE_EXCEEDED, 0, "deadline exceeded before it could be sent, not run");
        } else {
            staged[stagedEnd++] = call;
        }
    }

    private boolean isExpired(BridgeCall<?> call) {
        final long deadline = call.deadline();
        return deadline != Request.NO_DEADLINE && Request.isPast(deadline, nanoClock.getAsLong());
    }

    /** The request ring's fill takes the next staged call: it is sent once this returns. */
    private Request feed() {
        final BridgeCall<?> call = takeStaged();
        linkSent(call);
        return call.request();
    }

    private BridgeCall<?> takeStaged() {
        final BridgeCall<?> call = staged[stagedFirst];
        staged[stagedFirst++] = null;
        return call;
    }

    /**
     * The core is stopping: refuse new calls, keep sending the accepted ones, and once the intake is empty close the
     * request side, so that the core answers them all and then lets the channel go.
     */
    private void drain() {
        if (!draining) {
            draining = true;
            intake.close(); // new calls fail with BridgeClosedException; those accepted are still sent
        }
        if (!requestsClosed && stagedFirst == stagedEnd && intake.isClosedForPoll()) {
            requestsClosed = true;
            control.closeRequests();
        }
    }

    /** One backoff step; a stray interrupt is cleared and logged (1st, 2nd, 4th, ... time), never spun on. */
    private Waiter idle(Waiter waiter) {
        try {
            final Waiter current = waiter != null ? waiter : Waiter.start(policy, nanoClock, Waiter.NO_TIMEOUT);
            current.await(blocked);
            return current;
        } catch (InterruptedException e) {
            if (Long.bitCount(++strayInterrupts) == 1) {
                LOGGER.log(System.Logger.Level.WARNING, "a BridgeClient completion thread was interrupted ("
                    + strayInterrupts + " time(s) so far, by a call's callback or another thread); the interrupt is "
                    + "cleared and the client goes on: close it with close()");
            }
            return null;
        }
    }

    /** An answer (or, during the close, an answer swept from the ring): completes its call. */
    private void onAnswer(Response response) {
        final Request request = response.request();
        final BridgeCall<?> call = request.call();
        if (call == null) { // answered twice by a handler that broke its contract
            releasePage(response.slabHandle());
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient got a second answer for one request; dropped: "
                + response);
            return;
        }
        unlinkSent(call);
        final long page = response.slabHandle();
        if (!call.answer(response)) {
            releasePage(page); // nobody decoded it: the caller gave up, or the status carries no value
        }
    }

    private void linkSent(BridgeCall<?> call) {
        call.nextSent(sent);
        if (sent != null) {
            sent.previousSent(call);
        }
        sent = call;
    }

    private void unlinkSent(BridgeCall<?> call) {
        final BridgeCall<?> previous = call.previousSent();
        final BridgeCall<?> next = call.nextSent();
        if (previous != null) {
            previous.nextSent(next);
        } else if (sent == call) {
            sent = next;
        }
        if (next != null) {
            next.previousSent(previous);
        }
        call.previousSent(null);
        call.nextSent(null);
    }

    /** Fails what is left, closes the control side, refuses new calls. Once, last. */
    private void terminate() {
        client.closing();
        RuntimeException failure = null;
        try {
            while (control.drain(answers, DRAIN_LIMIT) > 0) {
                // answers already received are delivered, not failed
            }
            // A close() that came after the data side closed ends serve() before it looks: the data side closed first
            // all the same, so no core reads the requests sent any more (they come back below).
            if (!dataSideClosed && control.isClosed()) {
                dataSideClosed = true;
            }
            final BridgeClosedException closed = coreFailure != null ? new CoreFailedException(reason, coreFailure)
                : new BridgeClosedException(reason);
            while (stagedFirst < stagedEnd) {
                final BridgeCall<?> call = takeStaged();
                releasePageOf(call.request());
                call.returnRequest();
                call.fail(closed);
            }
            while (!intake.isClosedForPoll()) {
                final BridgeCall<?> call = intake.poll();
                if (call == null) {
                    Thread.onSpinWait(); // a caller's offer that raced the close is still publishing
                    continue;
                }
                releasePageOf(call.request());
                call.returnRequest();
                call.fail(closed);
            }
            try {
                control.close(); // answers that raced in are swept to releasePageOf; their calls fail below
            } catch (RuntimeException e) {
                failure = e;
            }
            // Sent calls: a live data side may still read their requests; they come back only if it has closed.
            for (BridgeCall<?> call = sent; call != null; call = call.nextSent()) {
                if (dataSideClosed) {
                    call.returnRequest();
                }
                if (!call.fail(closed) && !call.isDone()) {
                    call.forceFail(closed); // claimed by an answer that never finished: end it anyway
                }
            }
            sent = null;
        } finally {
            client.terminated();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Any thread (also a data side's closing thread): releases a request's or an answer's page, if it has one. */
    void releasePageOf(Request request) {
        releasePage(request.slabHandle());
    }

    void releasePageOf(Response response) {
        releasePage(response.slabHandle());
    }

    private void releasePage(long handle) {
        if (handle == 0) {
            return;
        }
        try {
            if (slabPool != null) {
                slabPool.release(handle);
                return;
            }
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient has no slab pool: page " + SlabHandle.toString(handle)
                + " of an undecoded answer is not released (build the client with slabPool(pool))");
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.ERROR, "BridgeClient could not release page " + SlabHandle.toString(handle),
                e);
        }
    }
}
