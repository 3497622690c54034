package dev.tpcbridge.bridge;

import dev.tpcbridge.wfq.FairIntake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FairIntake} plugged into a {@link BridgeClient} where the FIFO intake goes: calls of several tenants travel
 * to a core and back; a suspended tenant's call is refused at once with its request handed back, while another
 * tenant's call goes through; closing the client fails nothing that was answered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairIntakeClientTest {
    private static final EnvelopeHandler COUNT = request -> request.response().count(request.tenant());

    @Test
    void callsOfManyTenantsAreAnsweredThroughTheFairIntake() throws Exception {
        final FairIntake intake = FairIntake.builder().capacity(64).build();
        try (BridgeClient client = BridgeClient.builder().intake(intake).build();
             TestCore core = new TestCore(client.channel(), COUNT)) {
            final List<BridgeCall<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                calls.add(client.call(Request.create().id(i).tenant(i % 5).priority(i % 3), Response::count));
            }
            for (int i = 0; i < 300; i++) {
                assertEquals(i % 5, calls.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(300, core.ran.get());
            final long[] served = {0};
            intake.forEachTenant((id, depth, s, bytes, th, su, re, state) -> served[0] += s);
            assertEquals(300, served[0]);
        }
    }

    @Test
    void aSuspendedTenantIsRefusedAtOnceWithItsRequestAndAnotherGetsIn() throws Exception {
        final FairIntake intake = FairIntake.builder().capacity(16).reserve(2).build();
        // no core and 2 request slots: the calls stay in the intake, where tenant 1 alone may hold 95 % of 14
        try (BridgeClient client = BridgeClient.builder().requestCapacity(2).intake(intake).build()) {
            int made = 0;
            BridgeCall<Long> call;
            Request request;
            do { // the completion thread moves up to 3 calls out (2 ring slots, 1 staged); the rest stay
                request = Request.create().id(made++).tenant(1);
                call = client.tryCall(request, Response::count);
            } while (!call.isCompletedExceptionally() && made < 100);
            assertTrue(made > 12 && made < 100, "refused after " + made + " calls");
            final long[] suspendsAndRefused = new long[2];
            intake.forEachTenant((id, depth, served, bytes, throttles, suspends, refusals, state) -> {
                if (id == 1) {
                    suspendsAndRefused[0] = suspends;
                    suspendsAndRefused[1] = refusals;
                }
            });
            assertEquals(1, suspendsAndRefused[0], "refused for its share (suspended once), not FULL");
            assertEquals(1, suspendsAndRefused[1]);
            final CompletionException e = assertThrows(CompletionException.class, call::join);
            assertInstanceOf(BridgeCallException.class, e.getCause());
            assertTrue(((BridgeCallException) e.getCause()).isRejected(), "rejected, not closed");
            assertFalse(request.isInFlight(), "the request is the caller's again");
            final BridgeCall<Long> other = client.tryCall(Request.create().id(-2).tenant(2), Response::count);
            assertFalse(other.isCompletedExceptionally(), "another tenant gets in: the reserve");
        }
    }
}
