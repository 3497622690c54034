package dev.tpcbridge.samples.tenants;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.DataHandle;
import dev.tpcbridge.bridge.EnvelopeHandler;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.wake.WaitPolicy;
import dev.tpcbridge.wake.WakeableIdleStrategy;
import dev.tpcbridge.wfq.FairIntake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README's weighted-fair-queuing quick start, compiled and run by TenantsDemoSmokeTest so that it cannot rot. */
final class FairIntakeQuickStart {
    private FairIntakeQuickStart() {
    }

    static List<Long> run() throws Exception {
        List<Long> answers = new ArrayList<>();
        // tag::quickstart[]
        FairIntake intake = FairIntake.builder()                      // one virtual queue per tenant, fair by bytes
            .capacity(4096)                                           // calls held in all; a 16th kept for newcomers
            .build();
        intake.tenantWeight(42, 8);                                   // tenant 42 weighs 8; others by priority class
        BridgeClient client = BridgeClient.builder().intake(intake)   // where the FIFO intake would go
            .requestCapacity(2)                                       // the ring after it is FIFO: keep it shallow
            .build();

        DataHandle<Request, Response> data = client.channel().data();
        EnvelopeHandler handler = request -> request.response().count(request.tenant());
        Thread core = new Thread(() -> {
            data.pin();
            WakeableIdleStrategy idle = WakeableIdleStrategy.create(WaitPolicy.DEFAULT, data.requestsReadable());
            while (!data.isClosed()) {
                idle.idle(data.drain(handler, 64));
            }
            data.close();
        }, "core-0");
        core.start();

        List<BridgeCall<Long>> calls = new ArrayList<>();
        for (int tenant : new int[] {7, 42, 7}) {
            Request request = Request.create().tenant(tenant).priority(FairIntake.CRITICAL); // weight 4 by class
            calls.add(client.call(request, Response::count));         // a suspended tenant waits here for its turn
        }
        for (BridgeCall<Long> call : calls) {
            answers.add(call.get(10, TimeUnit.SECONDS));
        }
        intake.forEachTenant((id, depth, served, bytes, throttles, suspends, refused, pressure) -> // for export
            System.out.printf("tenant %d: served %d calls, %d bytes, state %s%n", id, served, bytes, pressure));
        client.close();
        // end::quickstart[]
        core.join();
        return answers;
    }
}
