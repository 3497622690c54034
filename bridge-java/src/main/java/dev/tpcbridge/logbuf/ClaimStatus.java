package dev.tpcbridge.logbuf;

/**
 * What became of a write claim ({@link LogBuffer#tryClaim}) or a write ({@link LogBuffer#tryWrite}). Only
 * {@link #OK} reserves space; after any other outcome nothing was written and the caller keeps its data.
 *
 * <p>Immutable; any thread. The checks run in the order of the constants below their {@code OK}: a record that can
 * never fit is {@code TOO_LARGE} even when the buffer is also closed or full.
 */
public enum ClaimStatus {
    /** The space is claimed (or, for a send, the record is committed). */
    OK,
    /**
     * The record is longer than the buffer's largest payload ({@link LogBuffer#maxPayloadLength()}): it could
     * never fit, so retrying is pointless.
     */
    TOO_LARGE,
    /** The buffer is closed from either side. No later claim succeeds. */
    CLOSED,
    /** Not enough free space now. Normal: retry, back off, wait ({@link WakingLogBuffer#send}) or shed load. */
    FULL
}
