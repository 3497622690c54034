package dev.tpcbridge.jcstress;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wfq.FairIntake;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The fair intake's two cross-thread protocols: a caller's admission into a tenant's depth against the poll thread's
 * reap of the idle tenant (one CAS on the depth decides, so no call joins a reaped record), and the senders' wake
 * (the poll's RMW on the size, then its look at the senders' list, against a sender's announce, fence and re-check of
 * the size: a sender that stays armed is woken).
 */
public final class WfqStress {
    /** Calls made once (a client whose intake refuses everything hands them back): tenant 1, ids 1 and 2. */
    static final BridgeCall<?>[] CALLS = calls();

    private WfqStress() {
    }

    private static BridgeCall<?>[] calls() {
        final Intake fifo = Intake.fifo(2);
        final Intake refusing = new Intake() {
            @Override
            public OfferStatus offer(BridgeCall<?> call) {
                return OfferStatus.FULL;
            }

            @Override
            public OfferStatus send(BridgeCall<?> call, long timeout, TimeUnit unit) {
                return OfferStatus.FULL;
            }

            @Override
            public BridgeCall<?> poll() {
                return fifo.poll();
            }

            @Override
            public int drain(ElementHandler<? super BridgeCall<?>> handler, int limit) {
                return fifo.drain(handler, limit);
            }

            @Override
            public Wakeable readable() {
                return fifo.readable();
            }

            @Override
            public Wakeable writable() {
                return fifo.writable();
            }

            @Override
            public void close() {
                fifo.close();
            }

            @Override
            public boolean isClosedForPoll() {
                return fifo.isClosedForPoll();
            }

            @Override
            public int size() {
                return fifo.size();
            }
        };
        try (BridgeClient client = BridgeClient.builder().intake(refusing).build()) {
            final BridgeCall<?>[] calls = new BridgeCall<?>[3];
            for (int id = 1; id <= 2; id++) {
                calls[id] = client.tryCall(Request.create().id(id).tenant(1), response -> null);
            }
            return calls;
        }
    }

    static int id(BridgeCall<?> call) {
        return call == null ? -1 : (int) call.id();
    }

    /**
     * Tenant 1 holds one call; the poll thread serves it (the tenant goes idle and is reaped at once) while a caller
     * offers the tenant's next call. The arbiter, on the poll thread's behalf, polls once more and reads the size.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "admitted, into the old record or a new one, and polled")
    @Outcome(expect = FORBIDDEN, desc = "a call lost, refused, or joined a reaped record")
    @State
    public static class ReapRacesAdmission {
        final FairIntake intake = FairIntake.builder().capacity(8).maxIdleTenants(0).build();
        int admitted;

        public ReapRacesAdmission() {
            intake.tryOffer(CALLS[1]);
        }

        @Actor
        public void pollThread(III_Result r) {
            r.r1 = id(intake.poll());
        }

        @Actor
        public void caller(III_Result r) {
            r.r2 = intake.tryOffer(CALLS[2]).ordinal(); // ACCEPTED = 0
        }

        @Arbiter
        public void arbiter(III_Result r) {
            try {
                r.r3 = id(intake.poll()) + 10 * intake.size();
            } catch (IllegalStateException e) { // the poll thread found no live record for the call
                r.r3 = -100;
            }
        }
    }

    /**
     * One call queued; the poll thread polls it while a sender arms a counting waker on {@code writable()} (as a
     * blocking send does before it parks). The arbiter records whether the sender stayed armed and how often it was
     * woken.
     */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 0"}, expect = ACCEPTABLE, desc = "armed and woken, or saw the intake empty and did "
        + "not sleep")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "saw the intake empty; the poll took the waker before it was "
        + "withdrawn, a late wake the Wakeable contract allows")
    @Outcome(expect = FORBIDDEN, desc = "armed and never woken: a lost wake-up")
    @State
    public static class WritableWake {
        final FairIntake intake = FairIntake.builder().capacity(8).build();
        final AtomicInteger woken = new AtomicInteger();
        boolean armed;

        public WritableWake() {
            intake.tryOffer(CALLS[1]);
        }

        @Actor
        public void pollThread() {
            intake.poll();
        }

        @Actor
        public void sender() {
            armed = intake.writable().arm(woken::incrementAndGet);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = armed ? 1 : 0;
            r.r2 = woken.get();
        }
    }
}
