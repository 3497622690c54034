package dev.tpcbridge.samples;

import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README's runtime quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class DataPlaneQuickStart {
    private DataPlaneQuickStart() {
    }

    static List<Long> run() throws Exception {
        List<Long> totals = new ArrayList<>();
        // tag::quickstart[]
        try (DataPlane plane = DataPlane.builder()
                .cores(2)                                       // two platform threads, each owning its state
                .pinning(true)                                  // if OpenHFT Affinity can: else runs unpinned, logged
                .build().start()) {
            List<BridgeClient> clients = new ArrayList<>();
            for (Core core : plane.cores()) {
                long[] total = new long[1];                     // core-owned state: only its core touches it
                BridgeClient client = BridgeClient.builder().build(); // its channel, its completion thread
                core.attach(client.channel(), request ->
                    request.response().count(total[0] += request.id()));   // runs on the core's thread
                clients.add(client);
            }
            Request request = Request.create();                 // lent to each call until it is answered
            for (long key = 1; key <= 10; key++) {
                BridgeClient owner = clients.get((int) (key % clients.size()));     // route a key to its core
                owner.call(request.clear().id(key), Response::count).get(10, TimeUnit.SECONDS);
            }
            for (BridgeClient client : clients) {
                totals.add(client.call(request.clear().id(0), Response::count).get(10, TimeUnit.SECONDS));
            }
        }                                                       // drains, stops the cores, closes the clients
        // end::quickstart[]
        return totals;
    }
}
