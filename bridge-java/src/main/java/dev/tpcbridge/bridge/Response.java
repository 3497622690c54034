package dev.tpcbridge.bridge;

import dev.tpcbridge.internal.Checks;

/**
 * A reusable response envelope, paired with one {@link Request} ({@link #request()}): the request's id, a
 * {@link ResponseStatus} (with an error code for {@code ERROR}), a counter, and a payload carried as bytes or as a
 * slab handle.
 *
 * <p><b>Threads.</b> Not thread-safe: one owner at a time; see {@link Request}.
 */
public final class Response {
    private final Request request;
    private ResponseStatus status = ResponseStatus.OK;
    private int errorCode;
    private long count;
    private final Payload payload = new Payload();

    Response(Request request) {
        this.request = request;
    }

    /**
     * The request this response answers.
     *
     * @return the paired request (always the same object)
     */
    public Request request() {
        return request;
    }

    /**
     * Clears every field, for reuse.
     *
     * @return this response
     */
    public Response clear() {
        status = ResponseStatus.OK;
        errorCode = 0;
        count = 0;
        payload.clear();
        return this;
    }

    /**
     * The id of the request answered: always its paired request's id, so that an answer cannot carry another's.
     *
     * @return the id
     */
    public long id() {
        return request.id();
    }

    /**
     * The status.
     *
     * @return the status
     */
    public ResponseStatus status() {
        return status;
    }

    /**
     * Sets a status other than {@link ResponseStatus#ERROR} (use {@link #error(int)} for that); clears the error
     * code.
     *
     * @param status the status
     * @return this response
     * @throws IllegalArgumentException if null or {@code ERROR}
     */
    public Response status(ResponseStatus status) {
        Checks.notNull("status", status);
        if (status == ResponseStatus.ERROR) {
            throw new IllegalArgumentException("status=ERROR needs an error code: use error(code)");
        }
        this.status = status;
        this.errorCode = 0;
        return this;
    }

    /**
     * Sets status {@link ResponseStatus#ERROR} with an application error code.
     *
     * @param code the error code
     * @return this response
     */
    public Response error(int code) {
        this.status = ResponseStatus.ERROR;
        this.errorCode = code;
        return this;
    }

    /**
     * The error code of an {@code ERROR} response.
     *
     * @return the code, 0 for any other status
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * A counter the handler reports (rows, bytes, items: its meaning is the application's).
     *
     * @return the count
     */
    public long count() {
        return count;
    }

    /**
     * Sets the counter.
     *
     * @param count any value
     * @return this response
     */
    public Response count(long count) {
        this.count = count;
        return this;
    }

    /**
     * Sets the payload to a range of an array, not copied. Clears any slab handle.
     *
     * @param bytes  the array
     * @param offset where the payload starts
     * @param length its length
     * @return this response
     * @throws IllegalArgumentException  if {@code bytes} is null
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public Response payload(byte[] bytes, int offset, int length) {
        payload.bytes(bytes, offset, length);
        return this;
    }

    /**
     * Sets the payload to a slab page, with the page's payload length as {@link #payloadLength()}. Clears any byte
     * payload. The handler owns the handle; ownership passes with the response.
     *
     * @param pool   the pool the handle belongs to
     * @param handle a handle of {@code pool}, still owned
     * @return this response
     * @throws IllegalArgumentException if {@code pool} is null, or {@code handle} is not a handle of it
     * @throws IllegalStateException    if {@code handle} is stale (released)
     */
    public Response slabPayload(dev.tpcbridge.slab.SlabPool pool, long handle) {
        payload.slab(pool, handle);
        return this;
    }

    /**
     * Sets the payload to the slab page of the request being answered (its handle and length), handing the page
     * back to the caller. Clears any byte payload.
     *
     * @return this response
     * @throws IllegalStateException if the request carries no slab page
     */
    public Response slabPayloadFromRequest() {
        if (request.slabHandle() == 0) {
            throw new IllegalStateException("the request " + request.id() + " carries no slab page");
        }
        payload.slabOf(request.payload());
        return this;
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
     * @return the array, or {@code null}
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

    @Override
    public String toString() {
        return "Response[id=" + request.id() + ", status=" + status
            + (status == ResponseStatus.ERROR ? "(" + errorCode + ")" : "")
            + ", count=" + count + ", payload=" + payload
            + "]";
    }
}
