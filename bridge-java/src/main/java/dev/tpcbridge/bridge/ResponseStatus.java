package dev.tpcbridge.bridge;

/**
 * How a request ended, carried by a {@link Response}. Immutable; any thread.
 */
public enum ResponseStatus {
    /** Ran to completion; the payload is the answer. */
    OK,
    /**
     * An incomplete answer: the payload is part of the result (how to get the rest is the application's protocol,
     * such as a follow-up request). A {@link BridgeClient} decodes it like {@code OK}.
     */
    PARTIAL,
    /** The caller cancelled it (or gave up on it) before it ran or while it ran. */
    CANCELLED,
    /** Its deadline passed before the data plane ran it; it was not run. */
    DEADLINE_EXCEEDED,
    /** It ran and failed; {@link Response#errorCode()} says how. */
    ERROR
}
