package dev.tpcbridge.bridge;

/**
 * The data side's handler of requests, called by {@link DataHandle#drain(RequestHandler, int)} on the
 * data side's thread, one request at a time. For the library's envelopes, {@link EnvelopeHandler} answers expired,
 * cancelled and failed requests for you.
 *
 * <p>Each method answers exactly one request: a non-null result is sent at once; {@link #onRequest} may instead
 * return {@code null} and answer later with {@link DataHandle#offer(Object)}. The other methods must
 * answer at once (a {@code null} from them is a contract violation and throws {@link IllegalStateException}).
 *
 * @param <Req> the request type
 * @param <Rsp> the response type
 */
public interface RequestHandler<Req, Rsp> {
    /**
     * Runs a request whose deadline has not passed and whose caller has not given up.
     *
     * @param request the request; the handler owns it (and any slab page it carries) until it answers
     * @return the response to send now, or {@code null} to answer later with
     *         {@link DataHandle#offer(Object)} (the request keeps its response credit until then)
     */
    Rsp onRequest(Req request);

    /**
     * Answers a request whose deadline passed before it could run: the request is not run.
     *
     * @param request the expired request (release any slab page it carries)
     * @return the response to send (status {@link ResponseStatus#DEADLINE_EXCEEDED} for {@link Request}s); not null
     */
    Rsp onExpired(Req request);

    /**
     * Answers a request whose caller gave up before it could run (see {@link BridgeChannel.Builder#cancelled}): the
     * request is not run.
     *
     * @param request the cancelled request (release any slab page it carries)
     * @return the response to send (status {@link ResponseStatus#CANCELLED} for {@link Request}s); not null
     */
    Rsp onCancelled(Req request);

    /**
     * Answers a request whose {@link #onRequest} threw a {@link RuntimeException}, so that its caller learns it
     * instead of waiting forever. The failure is counted ({@link BridgeMetrics#requestsFailed()}).
     *
     * @param request the request
     * @param failure what {@code onRequest} threw
     * @return the response to send (status {@link ResponseStatus#ERROR} for {@link Request}s); not null
     */
    Rsp onFailure(Req request, RuntimeException failure);
}
