package dev.tpcbridge.bridge;

/**
 * A reusable request envelope: id, tenant, shard, priority, trace id, deadline, and a payload carried either as
 * bytes (an array range, not copied) or as a slab handle (see {@link dev.tpcbridge.slab.SlabPool}). Each request is
 * created with its own {@link Response} ({@link #response()}), so that a request and its answer travel through a
 * {@link BridgeChannel} and come back without allocating anything per message: reuse the pair once the response has
 * been read.
 *
 * <p><b>Threads.</b> Not thread-safe: one owner at a time. Ownership passes with the envelope through the channel's
 * rings, whose hand-over makes the fields written before a send visible to the receiver. A {@link BridgeClient} call
 * borrows the request itself (it is written once, by its caller, and never copied) until the call is answered:
 * {@link #isInFlight()} says whether it is still out.
 */
public final class Request {
    /** The deadline of a request that has none. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final java.lang.invoke.VarHandle CALL;

    static {
        try {
            CALL = java.lang.invoke.MethodHandles.lookup().findVarHandle(Request.class, "call", BridgeCall.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Response response;
    private long id;
    private int tenant;
    private int shard;
    private int priority;
    private long traceId;
    private long deadline = NO_DEADLINE;
    private final Payload payload = new Payload();
    /**
     * The client call that borrowed this request, or null. Set (release) by the calling thread before the call enters
     * the client's intake or ring, whose hand-over publishes it to the client and the data side; cleared (release) by
     * the client when the answer comes back, before the call completes: the completion's CAS follows the clear, so a
     * caller that sees its call done sees the request free. Read with acquire loads.
     */
    @SuppressWarnings("unused") // through CALL
    private BridgeCall<?> call;

    private Request() {
        this.response = new Response(this);
    }

    /**
     * A new, cleared request with its paired response.
     *
     * @return the request
     */
    public static Request create() {
        return new Request();
    }

    /**
     * The response paired with this request, which the data side fills to answer it.
     *
     * @return the paired response (always the same object)
     */
    public Response response() {
        return response;
    }

    /**
     * Clears every field of this request and of its paired response, for reuse (not while {@link #isInFlight()}).
     *
     * @return this request
     */
    public Request clear() {
        id = 0;
        tenant = 0;
        shard = 0;
        priority = 0;
        traceId = 0;
        deadline = NO_DEADLINE;
        payload.clear();
        response.clear();
        return this;
    }

    /**
     * The request id, which the response repeats.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * Sets the request id.
     *
     * @param id any value the caller uses to correlate
     * @return this request
     */
    public Request id(long id) {
        this.id = id;
        return this;
    }

    /**
     * The tenant (or database) the request belongs to.
     *
     * @return the tenant, {@code >= 0}
     */
    public int tenant() {
        return tenant;
    }

    /**
     * Sets the tenant.
     *
     * @param tenant {@code >= 0}
     * @return this request
     * @throws IllegalArgumentException if negative
     */
    public Request tenant(int tenant) {
        this.tenant = nonNegative("tenant", tenant);
        return this;
    }

    /**
     * The shard (or virtual shard) the request addresses.
     *
     * @return the shard, {@code >= 0}
     */
    public int shard() {
        return shard;
    }

    /**
     * Sets the shard.
     *
     * @param shard {@code >= 0}
     * @return this request
     * @throws IllegalArgumentException if negative
     */
    public Request shard(int shard) {
        this.shard = nonNegative("shard", shard);
        return this;
    }

    /**
     * The priority class: higher is more urgent; its meaning is the intake policy's.
     *
     * @return the priority, {@code >= 0}
     */
    public int priority() {
        return priority;
    }

    /**
     * Sets the priority.
     *
     * @param priority {@code >= 0}
     * @return this request
     * @throws IllegalArgumentException if negative
     */
    public Request priority(int priority) {
        this.priority = nonNegative("priority", priority);
        return this;
    }

    /**
     * The trace id, carried untouched for tracing.
     *
     * @return the trace id
     */
    public long traceId() {
        return traceId;
    }

    /**
     * Sets the trace id.
     *
     * @param traceId any value
     * @return this request
     */
    public Request traceId(long traceId) {
        this.traceId = traceId;
        return this;
    }

    /**
     * The deadline, in nanoseconds of the channel's nano clock; {@link #NO_DEADLINE} when none.
     *
     * @return the deadline
     */
    public long deadline() {
        return deadline;
    }

    /**
     * Sets the deadline: a request still waiting when it passes is answered {@link ResponseStatus#DEADLINE_EXCEEDED}
     * and not run.
     *
     * @param deadline in nanoseconds of the channel's nano clock, or {@link #NO_DEADLINE}
     * @return this request
     */
    public Request deadline(long deadline) {
        this.deadline = deadline;
        return this;
    }

    /**
     * Sets the payload to a range of an array, which is not copied: the array must not change until the request has
     * been answered. Clears any slab handle.
     *
     * @param bytes  the array
     * @param offset where the payload starts
     * @param length its length
     * @return this request
     * @throws IllegalArgumentException  if {@code bytes} is null
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public Request payload(byte[] bytes, int offset, int length) {
        payload.bytes(bytes, offset, length);
        return this;
    }

    /**
     * Sets the payload to a slab page, carried by its handle, with the page's payload length as
     * {@link #payloadLength()}. Clears any byte payload. The caller owns the handle; ownership passes with the request.
     *
     * @param pool   the pool the handle belongs to
     * @param handle a handle returned by {@link dev.tpcbridge.slab.SlabPool#alloc(int) pool.alloc}, still owned
     * @return this request
     * @throws IllegalArgumentException if {@code pool} is null, or {@code handle} is not a handle of it (an alloc
     *                                  outcome such as {@code TOO_LARGE}, or another pool's)
     * @throws IllegalStateException    if {@code handle} is stale (released)
     */
    public Request slabPayload(dev.tpcbridge.slab.SlabPool pool, long handle) {
        payload.slab(pool, handle);
        return this;
    }

    /** The payload itself, for a response that hands the request's page back. */
    Payload payload() {
        return payload;
    }

    /**
     * The slab handle carrying the payload.
     *
     * @return the handle, or 0 when the payload is bytes or empty
     */
    public long slabHandle() {
        return payload.slabHandle();
    }

    /**
     * The array carrying the payload.
     *
     * @return the array, or {@code null} when the payload is a slab page or empty
     */
    public byte[] payloadBytes() {
        return payload.bytes();
    }

    /**
     * Where the payload starts in {@link #payloadBytes()}.
     *
     * @return the offset
     */
    public int payloadOffset() {
        return payload.offset();
    }

    /**
     * The payload length, whichever way it is carried.
     *
     * @return the length in bytes
     */
    public int payloadLength() {
        return payload.length();
    }

    /**
     * Whether the deadline has passed at {@code now}.
     *
     * @param now the channel clock's current time
     * @return {@code true} if {@code now} is at or after the deadline
     */
    public boolean isExpired(long now) {
        return isPast(deadline, now);
    }

    /**
     * Whether the caller gave up on this request: its client call was cancelled, timed out or completed by the caller
     * before the answer came. The data side answers such a request {@link ResponseStatus#CANCELLED} instead of
     * running it. One volatile read; any thread.
     *
     * @return {@code true} if the caller of the call this envelope carries gave up
     */
    public boolean isCancelled() {
        final BridgeCall<?> call = call();
        return call != null && call.isGivenUp();
    }

    /** Whether {@code deadline} has passed at {@code now}; {@link #NO_DEADLINE} never passes (nanoTime may be < 0). */
    static boolean isPast(long deadline, long now) {
        return deadline != NO_DEADLINE && now - deadline >= 0;
    }

    /**
     * Whether a {@link BridgeClient} call still holds this request: from the call until its answer came back (for a
     * call its caller gave up on, that may be after the call completed). A request in flight must not be touched;
     * {@code call} refuses it. Any thread.
     *
     * @return {@code true} while a call holds it
     */
    public boolean isInFlight() {
        return CALL.getAcquire(this) != null;
    }

    BridgeCall<?> call() {
        return (BridgeCall<?>) CALL.getAcquire(this);
    }

    /** The client: lends this request to {@code call}, or (null) takes it back. */
    void call(BridgeCall<?> call) {
        CALL.setRelease(this, call);
    }

    @Override
    public String toString() {
        return "Request[id=" + id + ", tenant=" + tenant + ", shard=" + shard + ", priority=" + priority
            + ", traceId=" + traceId + ", deadline=" + (deadline == NO_DEADLINE ? "none" : deadline) + ", payload="
            + payload + "]";
    }

    private static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + "=" + value + " must be >= 0");
        }
        return value;
    }
}
