package dev.tpcbridge.ring;

/**
 * What became of an offered element. Only {@link #OK} hands the element to the ring; after {@link #FULL} or
 * {@link #CLOSED} the element is still the caller's.
 *
 * <p>Immutable; any thread.
 */
public enum OfferStatus {
    /** The element is in the ring and will be seen by the consumer (or by the undelivered-element handler). */
    OK,
    /** The ring had no free slot; the element stays with the caller. Normal: retry, back off or shed load. */
    FULL,
    /** The ring was closed from either side; the element stays with the caller. No later offer succeeds. */
    CLOSED
}
