package dev.tpcbridge.samples;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.DataHandle;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.EnvelopeHandler;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WakeableIdleStrategy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README's bridge quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class BridgeQuickStart {
    private BridgeQuickStart() {
    }

    static List<String> run() throws Exception {
        List<String> answers = new ArrayList<>();
        // tag::quickstart[]
        BridgeClient client = BridgeClient.builder()                               // 1024 request + 1024 response slots
            .requestCapacity(1024).responseCapacity(1024).build();                 // starts the completion thread

        DataHandle<Request, Response> data = client.channel().data();
        EnvelopeHandler upperCase = request -> {                                   // runs on the core, one at a time
            String text = new String(request.payloadBytes(), request.payloadOffset(), request.payloadLength(),
                StandardCharsets.UTF_8);
            byte[] answer = text.toUpperCase().getBytes(StandardCharsets.UTF_8);
            return request.response().payload(answer, 0, answer.length);          // the request's paired response
        };
        Thread core = new Thread(() -> {
            data.pin();                                                            // other threads now get an ISE
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.DEFAULT, data.requestsReadable());
            while (!data.isClosed()) {
                idle.idle(data.drain(upperCase, 64));                              // parks when idle, woken by sends
            }
            data.close();
        }, "core-0");
        core.start();

        List<BridgeCall<String>> calls = new ArrayList<>();
        for (String word : List.of("alpha", "beta", "gamma")) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            Request request = Request.create();                                    // lent to the call, never copied
            calls.add(client.call(request.payload(bytes, 0, bytes.length),
                response -> new String(response.payloadBytes(), response.payloadOffset(), response.payloadLength(),
                    StandardCharsets.UTF_8)));                                     // decoded on the client's thread
        }
        for (BridgeCall<String> call : calls) {
            answers.add(call.get(10, TimeUnit.SECONDS));                           // a CompletableFuture
        }
        client.close();                                    // fails anything pending; the core sees it and ends
        // end::quickstart[]
        core.join();
        return answers;
    }
}
