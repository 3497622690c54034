package dev.tpcbridge.runtime;

import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.RequestHandler;

/**
 * A channel attached to a core, with the user's handler: the handler the core's drain calls, counting requests and
 * failures into the core's counters on the way. Core thread only, once applied.
 */
final class Attachment<Req, Rsp> implements RequestHandler<Req, Rsp> {
    final BridgeChannel<Req, Rsp> channel;
    final BridgeChannel.DataHandle<Req, Rsp> data;
    private final RequestHandler<Req, Rsp> handler;
    private final CoreCounters counters;

    Attachment(BridgeChannel<Req, Rsp> channel, RequestHandler<Req, Rsp> handler, CoreCounters counters) {
        this.channel = channel;
        this.data = channel.data();
        this.handler = handler;
        this.counters = counters;
    }

    int serve(int limit) {
        return data.drain(this, limit);
    }

    @Override
    public Rsp onRequest(Req request) {
        counters.addRequest();
        return handler.onRequest(request);
    }

    @Override
    public Rsp onExpired(Req request) {
        try {
            return handler.onExpired(request);
        } catch (RuntimeException e) {
            counters.addHandlerFailure();
            throw e;
        }
    }

    @Override
    public Rsp onCancelled(Req request) {
        try {
            return handler.onCancelled(request);
        } catch (RuntimeException e) {
            counters.addHandlerFailure();
            throw e;
        }
    }

    /** Counted once per failed request: if onFailure throws too, it is the same request's failure. */
    @Override
    public Rsp onFailure(Req request, RuntimeException failure) {
        counters.addHandlerFailure();
        return handler.onFailure(request, failure);
    }
}
