package dev.tpcbridge.bridge;

/**
 * Why a request is answered without its handler's {@code onRequest} answer: each names the handler method that must
 * answer instead. Counted by the data side, one counter per verdict.
 */
enum Verdict {
    /** The deadline passed before the request could run. */
    EXPIRED("onExpired") {
        @Override
        <Req, Rsp> Rsp answer(RequestHandler<Req, Rsp> handler, Req request, RuntimeException failure) {
            return handler.onExpired(request);
        }
    },
    /** The caller gave up before the request could run. */
    CANCELLED("onCancelled") {
        @Override
        <Req, Rsp> Rsp answer(RequestHandler<Req, Rsp> handler, Req request, RuntimeException failure) {
            return handler.onCancelled(request);
        }
    },
    /** {@code onRequest} threw. */
    FAILED("onFailure") {
        @Override
        <Req, Rsp> Rsp answer(RequestHandler<Req, Rsp> handler, Req request, RuntimeException failure) {
            return handler.onFailure(request, failure);
        }
    };

    private final String method;

    Verdict(String method) {
        this.method = method;
    }

    /** Asks {@code handler} for this verdict's answer. */
    abstract <Req, Rsp> Rsp answer(RequestHandler<Req, Rsp> handler, Req request, RuntimeException failure);

    /** The handler method, for messages. */
    String method() {
        return "RequestHandler." + method;
    }
}
