package dev.tpcbridge.bridge;

import dev.tpcbridge.backpressure.PressureState;

/**
 * A snapshot of a {@link BridgeChannel}'s counters, taken by {@link BridgeChannel#metrics()} from any thread. Each
 * counter is exact for the side that writes it; the snapshot as a whole is not atomic (a request may be counted as
 * sent and not yet as received). Immutable.
 */
public final class BridgeMetrics {
    private final long requestsSent;
    private final long requestsRefusedFull;
    private final long requestsBackPressured;
    private final long requestsReceived;
    private final long requestsExpired;
    private final long requestsCancelled;
    private final long requestsFailed;
    private final long responsesDropped;
    private final long responsesSent;
    private final long responsesReceived;
    private final long creditStalls;
    private final long dataWakeups;
    private final long controlWakeups;
    private final PressureState pressure;
    private final long pressureTransitions;

    BridgeMetrics(BridgeCounters counters, long dataWakeups, long controlWakeups, PressureState pressure,
                  long pressureTransitions) {
        this.requestsSent = counters.sentOpaque();
        this.requestsRefusedFull = counters.refusedFullOpaque();
        this.requestsBackPressured = counters.backPressuredOpaque();
        this.requestsReceived = counters.requestsReceivedOpaque();
        this.requestsExpired = counters.expiredOpaque();
        this.requestsCancelled = counters.cancelledOpaque();
        this.requestsFailed = counters.failedOpaque();
        this.responsesDropped = counters.responsesDroppedOpaque();
        this.responsesSent = counters.responsesSentOpaque();
        this.responsesReceived = counters.responsesReceivedOpaque();
        this.creditStalls = counters.creditStallsOpaque();
        this.dataWakeups = dataWakeups;
        this.controlWakeups = controlWakeups;
        this.pressure = pressure;
        this.pressureTransitions = pressureTransitions;
    }

    /**
     * Requests answered {@code CANCELLED} without running, their caller having given up.
     *
     * @return the count
     */
    public long requestsCancelled() {
        return requestsCancelled;
    }

    /**
     * Answers the data side could not send because the control side had stopped taking responses.
     *
     * @return the count
     */
    public long responsesDropped() {
        return responsesDropped;
    }

    /**
     * Requests handed to the request ring.
     *
     * @return the count
     */
    public long requestsSent() {
        return requestsSent;
    }

    /**
     * Sends refused because the request ring was full (attempts: a client retrying one request counts each try).
     *
     * @return the count
     */
    public long requestsRefusedFull() {
        return requestsRefusedFull;
    }

    /**
     * Sends refused because backpressure was {@code SUSPENDED} (attempts, as for {@link #requestsRefusedFull()}).
     *
     * @return the count
     */
    public long requestsBackPressured() {
        return requestsBackPressured;
    }

    /**
     * Requests the data side took.
     *
     * @return the count
     */
    public long requestsReceived() {
        return requestsReceived;
    }

    /**
     * Requests answered {@code DEADLINE_EXCEEDED} without being run.
     *
     * @return the count
     */
    public long requestsExpired() {
        return requestsExpired;
    }

    /**
     * Requests whose handler threw (answered by the handler's failure path).
     *
     * @return the count
     */
    public long requestsFailed() {
        return requestsFailed;
    }

    /**
     * Responses the data side sent.
     *
     * @return the count
     */
    public long responsesSent() {
        return responsesSent;
    }

    /**
     * Responses the control side took.
     *
     * @return the count
     */
    public long responsesReceived() {
        return responsesReceived;
    }

    /**
     * Drains that found requests waiting but no response credit (a full response ring pushing back).
     *
     * @return the count
     */
    public long creditStalls() {
        return creditStalls;
    }

    /**
     * Wake-ups of a waiting data side (requests published, or room for responses, or a close).
     *
     * @return the count
     */
    public long dataWakeups() {
        return dataWakeups;
    }

    /**
     * Wake-ups of a waiting control side (responses published, or room for requests, or a close).
     *
     * @return the count
     */
    public long controlWakeups() {
        return controlWakeups;
    }

    /**
     * The request ring's backpressure state.
     *
     * @return the state
     */
    public PressureState pressure() {
        return pressure;
    }

    /**
     * Backpressure transitions so far.
     *
     * @return the count
     */
    public long pressureTransitions() {
        return pressureTransitions;
    }

    @Override
    public String toString() {
        return "BridgeMetrics[requestsSent=" + requestsSent + ", requestsRefusedFull=" + requestsRefusedFull
            + ", requestsBackPressured=" + requestsBackPressured + ", requestsReceived=" + requestsReceived
            + ", requestsExpired=" + requestsExpired + ", requestsCancelled=" + requestsCancelled + ", requestsFailed="
            + requestsFailed + ", responsesSent=" + responsesSent + ", responsesDropped=" + responsesDropped
            + ", responsesReceived=" + responsesReceived + ", creditStalls=" + creditStalls
            + ", dataWakeups=" + dataWakeups + ", controlWakeups=" + controlWakeups + ", pressure=" + pressure
            + ", pressureTransitions=" + pressureTransitions + "]";
    }
}
