package dev.tpcbridge.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One {@link BridgeClient} call: the future the caller gets, holding the request it borrowed (sent as it is, never
 * copied), so that a call allocates this object and nothing else. Its read accessors are for {@link Intake} policies
 * (weighted fair queuing orders by tenant and size). The three an intake's order reads, {@link #tenant()},
 * {@link #priority()} and {@link #payloadLength()}, are kept in the call when it is made, so that an intake reads one
 * object and not three (the call, its request, the request's payload); the others read the borrowed request, valid
 * until the call is sent.
 *
 * <p><b>Threads.</b> As a {@link CompletableFuture}: any thread. The future is completed by the client's completion
 * thread, never by a data-plane core, unless the caller completes it first: {@code cancel}, {@code orTimeout} or any
 * other completion means "I gave up", after which the request is not sent, or is answered {@code CANCELLED} by the
 * data side without running.
 *
 * <p><b>Who decides.</b> The caller giving up and the answer arriving race; one CAS decides which wins, before
 * either completes the future. {@code cancel}, {@code complete}, {@code completeExceptionally} (so {@code orTimeout}
 * and {@code completeOnTimeout} too) first claim the call for the caller: once the client has claimed it to deliver
 * the answer they return {@code false}, and the decoded value (which may own a slab page) reaches the caller. Each
 * returns {@code true} only for the attempt that decided the call (a second {@code cancel} returns {@code false},
 * unlike a plain {@code CompletableFuture}'s). The
 * {@code completeAsync} goes through the same claim. The {@code obtrude...} methods bypass it: do not use them on a
 * call.
 *
 * <p><b>Callbacks.</b> Stages attached without an executor run on the completion thread when it completes the call:
 * keep them short, or use the {@code ...Async} variants with your own executor.
 *
 * @param <T> the value type
 */
public final class BridgeCall<T> extends CompletableFuture<T> {
    private static final VarHandle DECIDED;
    private static final int OPEN = 0;
    private static final int ANSWERING = 1;
    private static final int GIVEN_UP = 2;

    static {
        try {
            DECIDED = MethodHandles.lookup().findVarHandle(BridgeCall.class, "decided", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Request request;
    private final ResponseDecoder<? extends T> decoder;
    /** The request's tenant, priority and payload length when the call was made: what intakes order by. */
    private final int tenant;
    private final int priority;
    private final int payloadLength;
    /** The client's list of calls sent and not answered; completion thread only. */
    private BridgeCall<?> previousSent;
    private BridgeCall<?> nextSent;
    /** OPEN, then ANSWERING (the client delivers an outcome) or GIVEN_UP (the caller completed it): one CAS. */
    private volatile int decided;

    BridgeCall(Request request, ResponseDecoder<? extends T> decoder) {
        this.request = request;
        this.decoder = decoder;
        this.tenant = request.tenant();
        this.priority = request.priority();
        this.payloadLength = request.payloadLength();
    }

    /** The borrowed request. */
    Request request() {
        return request;
    }

    BridgeCall<?> previousSent() {
        return previousSent;
    }

    void previousSent(BridgeCall<?> call) {
        previousSent = call;
    }

    BridgeCall<?> nextSent() {
        return nextSent;
    }

    void nextSent(BridgeCall<?> call) {
        nextSent = call;
    }

    /**
     * Completion thread: completes the call with the answer, unless the caller gave up first.
     *
     * @return whether the decoder was called, and so owns the answer's slab page if it carries one
     */
    boolean answer(Response response) {
        if (!DECIDED.compareAndSet(this, OPEN, ANSWERING)) {
            request.call(null); // the caller gave up: the request comes back now; the client releases the page
            return false;
        }
        switch (response.status()) {
            case OK:
            case PARTIAL:
                final T value;
                try {
                    value = decoder.decode(response);
                } catch (Throwable t) { // any throwable: an ANSWERING call must end here, or nobody could end it
                    request.call(null);
                    super.completeExceptionally(t);
                    if (t instanceof VirtualMachineError) {
                        throw (VirtualMachineError) t;
                    }
                    return true;
                }
                request.call(null); // before the completion: a caller that sees its call done may reuse the request
                return super.complete(value); // false only if obtrude... bypassed the claim: the page comes back
            case CANCELLED:
                request.call(null);
                super.cancel(false);
                return false;
            case DEADLINE_EXCEEDED:
                request.call(null);
                super.completeExceptionally(failure(ResponseStatus.DEADLINE_EXCEEDED, 0, "deadline exceeded, not run"));
                return false;
            default:
                request.call(null);
                super.completeExceptionally(failure(ResponseStatus.ERROR, response.errorCode(),
                    "failed with error code " + response.errorCode()));
                return false;
        }
    }

    /**
     * The client: fails the call (closed, refused, expired before sending) unless the caller gave up first. The
     * request stays lent: the client takes it back itself once no data side can still read it.
     */
    boolean fail(Throwable failure) {
        return DECIDED.compareAndSet(this, OPEN, ANSWERING) && super.completeExceptionally(failure);
    }

    /** The client: the request is back (never sent, answered, or its data side closed). */
    void returnRequest() {
        request.call(null);
    }

    /** The client: fails the call with a status, as if the data side had answered it so. */
    boolean fail(ResponseStatus status, int errorCode, String what) {
        return fail(failure(status, errorCode, what));
    }

    private BridgeCallException failure(ResponseStatus status, int errorCode, String what) {
        return new BridgeCallException("request id=" + request.id() + ": " + what, status, errorCode, false);
    }

    /** The client, closing: ends a call whatever its claim, if it is somehow still not done. */
    void forceFail(Throwable failure) {
        super.completeExceptionally(failure);
    }

    /** Whether the caller gave up (cancelled, timed out, completed it): then the data side need not run it. */
    boolean isGivenUp() {
        return decided == GIVEN_UP;
    }

    private boolean giveUp() {
        return DECIDED.compareAndSet(this, OPEN, GIVEN_UP);
    }

    /**
     * Completes the call with {@code supplier}'s value, computed on the default executor, through the claim of
     * {@link #complete} (the inherited version would bypass it).
     *
     * @param supplier the value
     * @return this call
     */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        return completeAsync(supplier, defaultExecutor());
    }

    /**
     * Completes the call with {@code supplier}'s value, computed on {@code executor}, through the claim of
     * {@link #complete} (the inherited version would bypass it).
     *
     * @param supplier the value
     * @param executor where to compute it
     * @return this call
     */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            try {
                complete(supplier.get());
            } catch (Throwable t) {
                completeExceptionally(t);
            }
        });
        return this;
    }

    /**
     * Cancels the call unless its answer is being delivered already: see "Who decides".
     *
     * @param mayInterruptIfRunning ignored, as for any {@code CompletableFuture}
     * @return whether this cancelled it
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return giveUp() && super.cancel(mayInterruptIfRunning);
    }

    /**
     * Completes the call with {@code value} in place of its answer, unless the answer is being delivered already.
     *
     * @param value the value
     * @return whether this completed it
     */
    @Override
    public boolean complete(T value) {
        return giveUp() && super.complete(value);
    }

    /**
     * Fails the call in place of its answer ({@code orTimeout} does this), unless the answer is being delivered
     * already.
     *
     * @param failure the failure
     * @return whether this completed it
     */
    @Override
    public boolean completeExceptionally(Throwable failure) {
        return giveUp() && super.completeExceptionally(failure);
    }

    /**
     * The request id the caller set.
     *
     * @return the id
     */
    public long id() {
        return request.id();
    }

    /**
     * The tenant, as the request held it when the call was made.
     *
     * @return the tenant
     */
    public int tenant() {
        return tenant;
    }

    /**
     * The shard.
     *
     * @return the shard
     */
    public int shard() {
        return request.shard();
    }

    /**
     * The priority, as the request held it when the call was made.
     *
     * @return the priority
     */
    public int priority() {
        return priority;
    }

    /**
     * The deadline on the channel's nano clock, or {@link Request#NO_DEADLINE}.
     *
     * @return the deadline
     */
    public long deadline() {
        return request.deadline();
    }

    /**
     * The payload length, bytes or slab page, as the request held it when the call was made.
     *
     * @return the length
     */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * The slab handle the request carries (the client owns its page from the moment the intake took the call).
     *
     * @return the handle, or 0 if the payload is bytes or empty
     */
    public long slabHandle() {
        return request.slabHandle();
    }

    @Override
    public String toString() {
        return "BridgeCall[" + request + ", " + super.toString() + "]";
    }
}
