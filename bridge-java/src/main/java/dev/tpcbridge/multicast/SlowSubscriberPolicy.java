package dev.tpcbridge.multicast;

/**
 * What a {@link MulticastBuffer} does about a subscriber that falls a whole buffer behind; chosen per buffer.
 *
 * <p>Immutable; any thread.
 */
public enum SlowSubscriberPolicy {
    /**
     * The slowest subscriber gates the producer: a publication that needs the slot it still holds returns
     * {@link PublishStatus#FULL} (or waits, in {@code send}). Every subscriber sees every element.
     */
    LOSSLESS,
    /**
     * The producer never waits and overwrites the oldest slot; a subscriber that was lapped skips to the oldest
     * element still available and counts what it skipped ({@link Subscriber#lost()}), as the
     * receivers of a broadcast buffer do.
     */
    LOSSY
}
