package dev.tpcbridge.bridge;

/**
 * A {@link RequestHandler} for the library's {@link Request}/{@link Response} envelopes that answers through each
 * request's paired response (so answering allocates nothing) and fills in the non-running answers:
 * {@code DEADLINE_EXCEEDED}, {@code CANCELLED} and {@code ERROR(}{@link #FAILURE_CODE}{@code )}. Write only
 * {@link #onRequest}, as a lambda:
 *
 * <pre>{@code
 * EnvelopeHandler echo = request -> request.response()
 *     .payload(request.payloadBytes(), request.payloadOffset(), request.payloadLength());
 * }</pre>
 *
 * <p>A paired response always carries its request's id. The defaults hand a request's slab page back with the answer
 * (the request was not run, so its page is unused): a {@link BridgeClient} releases an undecoded answer's page to its
 * pool; other receivers of the answer release it themselves.
 *
 * <p><b>Threads.</b> Called on the data side's thread only, like any {@link RequestHandler}.
 */
@FunctionalInterface
public interface EnvelopeHandler extends RequestHandler<Request, Response> {
    /** The error code of the answer to a request whose handler threw. */
    int FAILURE_CODE = -1;

    @Override
    default Response onExpired(Request request) {
        return withPageBack(request, request.response().status(ResponseStatus.DEADLINE_EXCEEDED));
    }

    @Override
    default Response onCancelled(Request request) {
        return withPageBack(request, request.response().status(ResponseStatus.CANCELLED));
    }

    /**
     * Answers {@code ERROR(}{@link #FAILURE_CODE}{@code )}, handing the request's slab page back. {@code onRequest}
     * threw, so it may have released the page already: override this when it does.
     */
    @Override
    default Response onFailure(Request request, RuntimeException failure) {
        return withPageBack(request, request.response().error(FAILURE_CODE));
    }

    private static Response withPageBack(Request request, Response response) {
        return request.slabHandle() == 0 ? response : response.slabPayloadFromRequest();
    }
}
