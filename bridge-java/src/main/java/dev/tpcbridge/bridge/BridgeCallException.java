package dev.tpcbridge.bridge;

/**
 * Fails a {@link BridgeClient} call that was answered {@link ResponseStatus#DEADLINE_EXCEEDED} (the request was not
 * run: by the data side, or by the client when the deadline had passed before it could send it) or
 * {@link ResponseStatus#ERROR} (it ran and failed; {@link #errorCode()} says how), or that the client refused without
 * taking it ({@link #isRejected()}: its intake was full).
 */
public final class BridgeCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ResponseStatus status;
    private final int errorCode;
    private final boolean rejected;

    BridgeCallException(String message, ResponseStatus status, int errorCode, boolean rejected) {
        super(message, null, false, false); // a value-like outcome: no stack trace to fill
        this.status = status;
        this.errorCode = errorCode;
        this.rejected = rejected;
    }

    /**
     * The answer's status: {@code DEADLINE_EXCEEDED} or {@code ERROR}; {@code null} for a rejection.
     *
     * @return the status
     */
    public ResponseStatus status() {
        return status;
    }

    /**
     * The answer's error code for {@code ERROR}, else 0.
     *
     * @return the code
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether the client refused the call before sending it (the intake was full): the caller still owns any slab
     * page the request carried.
     *
     * @return {@code true} for a rejection
     */
    public boolean isRejected() {
        return rejected;
    }
}
