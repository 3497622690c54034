package dev.tpcbridge.bench.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.ring.OfferStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.IdentityHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory floor peer does what its figures claim: every call offered comes out once, in no fixed order. */
class RandomOrderIntakeTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyCallComesOutOnceAndTheBoundHolds(boolean claimAtomically) {
        final int n = 1_000;
        final BridgeCall<?>[] calls = Calls.make(n, (i, request) -> request.tenant(i % 37).payload(Calls.BYTES, 0,
            64 + i));
        final RandomOrderIntake intake = new RandomOrderIntake(n, claimAtomically);
        for (BridgeCall<?> call : calls) {
            assertEquals(OfferStatus.OK, intake.offer(call));
        }
        assertEquals(OfferStatus.FULL, intake.offer(calls[0]), "the bound");
        assertEquals(n, intake.size());

        final Map<BridgeCall<?>, Integer> seen = new IdentityHashMap<>();
        int inOrder = 0;
        for (int i = 0; i < n; i++) {
            final BridgeCall<?> call = intake.poll();
            assertNotEquals(null, call, "poll " + i + " of " + n);
            assertNull(seen.put(call, i), "call id=" + call.id() + " came out twice");
            if (call == calls[i]) {
                inOrder++;
            }
        }
        assertNull(intake.poll());
        assertEquals(n, seen.size());
        assertTrue(inOrder < n / 10, "random order, not arrival order: " + inOrder + " of " + n + " in place");

        intake.close();
        assertEquals(OfferStatus.CLOSED, intake.offer(calls[1]));
        assertTrue(intake.isClosedForPoll());
    }
}
