package dev.tpcbridge.bridge;

/**
 * What became of an element sent into a {@link BridgeChannel}. Only {@link #OK} hands the element over; after any
 * other outcome the caller still owns it (and any slab page it carries). Each outcome has its own value, so that a
 * closed channel is never reported as back-pressure. Immutable; any thread.
 */
public enum BridgeStatus {
    /** Handed over. */
    OK,
    /** The ring had no free slot. Normal: retry, wait ({@code put}) or shed load. */
    FULL,
    /** The request ring's backpressure is {@code SUSPENDED}: the data plane is behind. Normal: back off. */
    BACK_PRESSURED,
    /** The channel was closed from either side; nothing is sent any more. */
    CLOSED
}
