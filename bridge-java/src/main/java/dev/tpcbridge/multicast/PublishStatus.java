package dev.tpcbridge.multicast;

/**
 * What became of a published element. Only {@link #OK} hands the element to the buffer; after {@link #FULL} or
 * {@link #CLOSED} the element is still the caller's.
 *
 * <p>Immutable; any thread.
 */
public enum PublishStatus {
    /** The element is in the buffer; every subscriber registered before the publication will see it, in order. */
    OK,
    /**
     * Lossless buffers only: the slowest subscriber still holds the slot the element needs; the element stays with
     * the caller. Normal: retry, wait ({@code send}) or shed load. A lossy buffer never reports it.
     */
    FULL,
    /** The producer side was closed; the element stays with the caller. No later publication succeeds. */
    CLOSED
}
