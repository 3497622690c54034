package dev.tpcbridge.bridge;

import dev.tpcbridge.slab.SlabHandle;

import java.util.concurrent.CompletableFuture;

/**
 * One {@link BridgeClient} call: the future the caller gets, which also carries a copy of the request's fields to the
 * client's completion thread, so that a call allocates this object and nothing else. Its read accessors are for
 * {@link Intake} policies (weighted fair queuing orders by tenant and size).
 *
 * <p><b>Threads.</b> As a {@link CompletableFuture}: any thread. The fields are written by the calling thread before
 * the call enters the intake and only read afterwards (the intake's hand-over makes them visible). The future is
 * completed by the client's completion thread, never by a data-plane core, unless the caller completes it first:
 * {@code cancel}, {@code orTimeout} or any other completion means "I gave up", after which the request is not sent,
 * or is answered {@code CANCELLED} by the data side without running.
 *
 * <p><b>Callbacks.</b> Stages attached without an executor run on the completion thread when it completes the call:
 * keep them short, or use the {@code ...Async} variants with your own executor.
 *
 * @param <T> the value type
 */
public final class BridgeCall<T> extends CompletableFuture<T> {
    private final long id;
    private final int tenant;
    private final int shard;
    private final int priority;
    private final long traceId;
    private final long deadline;
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final long slabHandle;
    private final ResponseDecoder<? extends T> decoder;

    BridgeCall(Request request, ResponseDecoder<? extends T> decoder) {
        this.id = request.id();
        this.tenant = request.tenant();
        this.shard = request.shard();
        this.priority = request.priority();
        this.traceId = request.traceId();
        this.deadline = request.deadline();
        this.bytes = request.payloadBytes();
        this.offset = request.payloadOffset();
        this.length = request.payloadLength();
        this.slabHandle = request.slabHandle();
        this.decoder = decoder;
    }

    /** Completion thread: copies the request's fields into a pooled envelope about to be sent. */
    void copyTo(Request envelope) {
        envelope.id(id).tenant(tenant).shard(shard).priority(priority).traceId(traceId).deadline(deadline);
        if (slabHandle != 0) {
            envelope.slabPayload(slabHandle);
        } else if (bytes != null) {
            envelope.payload(bytes, offset, length);
        }
        envelope.call(this);
    }

    /**
     * Completion thread: completes the call with the answer, unless the caller gave up already.
     *
     * @return whether the decoder was called, and so took the answer's slab page if it carries one
     */
    boolean answer(Response response) {
        if (isDone()) {
            return false;
        }
        switch (response.status()) {
            case OK:
            case PARTIAL:
                final T value;
                try {
                    value = decoder.decode(response);
                } catch (RuntimeException e) {
                    completeExceptionally(e);
                    return true;
                }
                complete(value);
                return true;
            case CANCELLED:
                cancel(false);
                return false;
            case DEADLINE_EXCEEDED:
                fail(ResponseStatus.DEADLINE_EXCEEDED, 0, "deadline exceeded, not run");
                return false;
            default:
                fail(ResponseStatus.ERROR, response.errorCode(), "failed with error code " + response.errorCode());
                return false;
        }
    }

    /** Completion thread: fails the call with a status, as if the data side had answered it so. */
    void fail(ResponseStatus status, int errorCode, String what) {
        completeExceptionally(new BridgeCallException("request id=" + id + ": " + what, status, errorCode, false));
    }

    /**
     * The request id the caller set.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * The tenant.
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
        return shard;
    }

    /**
     * The priority.
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
        return deadline;
    }

    /**
     * The payload length, bytes or slab page.
     *
     * @return the length
     */
    public int payloadLength() {
        return length;
    }

    /**
     * The slab handle the request carries (the client owns its page from the moment the intake took the call).
     *
     * @return the handle, or 0 if the payload is bytes or empty
     */
    public long slabHandle() {
        return slabHandle;
    }

    @Override
    public String toString() {
        return "BridgeCall[id=" + id + ", tenant=" + tenant + ", payload="
            + (slabHandle != 0 ? SlabHandle.toString(slabHandle) : length + " bytes") + ", " + super.toString() + "]";
    }
}
