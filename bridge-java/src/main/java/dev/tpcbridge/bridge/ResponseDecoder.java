package dev.tpcbridge.bridge;

/**
 * Turns the answer to a {@link BridgeClient} call into the value its future completes with. Called on the client's
 * completion thread, for answers with status {@link ResponseStatus#OK} or {@link ResponseStatus#PARTIAL} only, while
 * the response envelope is still valid: the envelope is reused as soon as {@code decode} returns, so copy out what
 * you keep. The library allocates only the returned future: what {@code decode} returns is yours (returning the
 * response's own {@link Response#payloadBytes()} array, or a shared constant, allocates nothing).
 *
 * <p>A response that carries a slab page hands the page to the decoder, which must release it (or pass its handle
 * on). A {@link RuntimeException} thrown by {@code decode} completes the future exceptionally with it.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ResponseDecoder<T> {
    /**
     * Decodes an answer.
     *
     * @param response the answer, valid only during this call
     * @return the value the call's future completes with (may be null)
     */
    T decode(Response response);
}
