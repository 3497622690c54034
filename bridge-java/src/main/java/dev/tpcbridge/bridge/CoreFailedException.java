package dev.tpcbridge.bridge;

/**
 * Fails a {@link BridgeClient} call because the data-plane core serving its channel died ({@link
 * DataHandle#fail(Throwable)}: an {@link Error} escaped a handler, or the core's loop failed) before
 * answering it. The cause is the core's failure; the message names the channel's side that failed. Answers the core
 * sent before it died were still delivered.
 */
public final class CoreFailedException extends BridgeClosedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause   the core's failure
     */
    public CoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
