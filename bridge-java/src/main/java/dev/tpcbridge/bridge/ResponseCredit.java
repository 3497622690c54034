package dev.tpcbridge.bridge;

import dev.tpcbridge.telemetry.CreditStallEvent;

import dev.tpcbridge.ring.WakingRing;
import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

/**
 * The data side's response credit: it takes a request only with a free response slot reserved for the answer, so an
 * answer never finds the response ring full, and a control side that stops taking answers stops the data side from
 * taking requests (pushing back on the senders) instead of losing answers or deadlocking. Data thread only: plain
 * fields.
 */
final class ResponseCredit {
    private final WakingRing<?> requests;
    private final WakingRing<?> responses;
    private final BridgeCounters counters;
    private final int capacity;
    private final Wakeable takeable = new Takeable();
    /** Requests taken and not yet answered. */
    private int unanswered;
    /** Response slots known free and not reserved; a lower bound, refreshed from the ring when it runs out. */
    private int credit;
    /** A credit stall was counted and has not ended. */
    private boolean stalled;

    ResponseCredit(WakingRing<?> requests, WakingRing<?> responses, BridgeCounters counters) {
        this.requests = requests;
        this.responses = responses;
        this.counters = counters;
        this.capacity = responses.capacity();
        this.credit = capacity;
    }

    /** How many of {@code limit} requests may be taken now; counts a stall once when none may. */
    int available(int limit) {
        int take = Math.min(limit, credit);
        if (take == 0) {
            credit = refresh();
            take = Math.min(limit, credit);
            if (take == 0) {
                if (!stalled && !requests.isEmpty()) {
                    stalled = true; // once per stall, not once per idle spin
                    counters.addCreditStalls();
                    if (CreditStallEvent.enabled()) {
                        new CreditStallEvent(capacity).commit();
                    }
                }
                return 0;
            }
        }
        stalled = false;
        return take;
    }

    /** A request was taken: its answer's slot is now reserved. */
    void take() {
        credit--;
        unanswered++;
    }

    /** Requests were answered (sent or dropped): their reserved slots now hold the answers, or nothing. */
    void answered(int n) {
        unanswered -= n;
    }

    /** A request will never be answered (its handler broke the contract, with no fallback): the credit comes back. */
    void abandoned() {
        unanswered--;
        credit++;
    }

    int unanswered() {
        return unanswered;
    }

    /** The condition "a request may be taken now, or the channel closed": see {@link DataHandle#requestsReadable}. */
    Wakeable takeable() {
        return takeable;
    }

    private int refresh() {
        if (responses.isClosedForOffer()) {
            return Integer.MAX_VALUE; // answers go nowhere now: nothing to reserve, take the requests and drop them
        }
        // size() may still count a response the control side is taking right now: a lower bound, so the reservation
        // is safe
        return Math.max(0, capacity - responses.size() - unanswered);
    }

    /** Requests readable while credit is held; else a response slot beyond those promised must come free. */
    private final class Takeable implements Wakeable {
        @Override
        public boolean arm(Waker waker) {
            if (requests.isClosedForPoll()) {
                // Nothing more will come. Ready if nothing is owed (the data plane lets the channel go); else only
                // the data side's own deferred answers are awaited, and whatever runs them wakes it: sleep.
                return unanswered != 0;
            }
            if (credit == 0) {
                credit = refresh();
            }
            if (credit > 0) {
                return requests.readable().arm(waker);
            }
            // Only the control side taking an answer frees such a slot (this side's answers move credit from
            // unanswered to the ring). With every slot promised, no take helps: only this side's own answers, so the
            // core sleeps until its own source or a close wakes it.
            return responses.armUntilFree(waker, unanswered + 1);
        }

        @Override
        public void disarm(Waker waker) {
            requests.readable().disarm(waker);
            responses.writable().disarm(waker);
        }
    }
}
