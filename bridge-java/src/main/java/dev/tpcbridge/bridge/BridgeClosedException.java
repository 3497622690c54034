package dev.tpcbridge.bridge;

/**
 * Fails a {@link BridgeClient} call that can no longer be answered: the client was closed, or the data side closed
 * (its core stopped or was lost) before answering. The message says which. Nothing of the call was lost silently: a
 * slab page it carried went back to the client's pool if the core never took it.
 */
public class BridgeClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which side closed, and when
     */
    public BridgeClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that closed the channel.
     *
     * @param message which side closed, and when
     * @param cause   why
     */
    public BridgeClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
