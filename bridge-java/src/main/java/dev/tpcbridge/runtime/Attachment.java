package dev.tpcbridge.runtime;

import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.DataHandle;
import dev.tpcbridge.bridge.RequestHandler;

/** A channel attached to a core, with its handler. Immutable; served on the core thread only. */
final class Attachment<Req, Rsp> {
    final BridgeChannel<Req, Rsp> channel;
    final DataHandle<Req, Rsp> data;
    final RequestHandler<Req, Rsp> handler;

    Attachment(BridgeChannel<Req, Rsp> channel, RequestHandler<Req, Rsp> handler) {
        this.channel = channel;
        this.data = channel.data();
        this.handler = handler;
    }

    int serve(int limit) {
        return data.drain(handler, limit);
    }
}
