package dev.tpcbridge.logbuf;

/**
 * Receives the records of a batch read ({@link LogBuffer#read(RecordHandler, int)}), on the consumer thread.
 *
 * <p>The record view is valid only during the call and is reused for the next record: read what you need and do not
 * keep it. Its space is freed when the batch ends, so the handler must not {@link ReadClaim#release()} it and must not
 * read from the same buffer (that throws {@link IllegalStateException}). An exception from the handler ends the
 * batch: the record it was given counts as consumed, and so do the records before it.
 */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Handles one committed record.
     *
     * @param record a view of the record's payload, valid during this call only
     */
    void onRecord(ReadClaim record);
}
