package dev.tpcbridge.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

// The counters of one channel, grouped by the thread that writes them (the control side's sender, the control side's
// receiver, the data side), each group 128 bytes from the others (BridgeLayoutTest checks it with JOL). Each counter
// has a single writer, so an increment is a plain read and an opaque store: no read-modify-write atomic on the hot
// path; a snapshot reads them with opaque loads (each counter is exact for its writer, the set is not atomic).

abstract class CountersPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class SenderCounters extends CountersPad0 {
    long sent;
    long refusedFull;
    long backPressured;
}

abstract class CountersPad1 extends SenderCounters {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
}

abstract class ReceiverCounters extends CountersPad1 {
    long responsesReceived;
}

abstract class CountersPad2 extends ReceiverCounters {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;
}

abstract class DataCounters extends CountersPad2 {
    long requestsReceived;
    long expired;
    long cancelled;
    long failed;
    long responsesSent;
    long creditStalls;
    long responsesDropped;
}

abstract class CountersPad3 extends DataCounters {
    long p48, p49, p50, p51, p52, p53, p54, p55, p56, p57, p58, p59, p60, p61, p62, p63;
}

/** Single-writer counters of a {@link BridgeChannel}; see the comment above. */
final class BridgeCounters extends CountersPad3 {
    private static final VarHandle SENT;
    private static final VarHandle REFUSED_FULL;
    private static final VarHandle BACK_PRESSURED;
    private static final VarHandle RESPONSES_RECEIVED;
    private static final VarHandle REQUESTS_RECEIVED;
    private static final VarHandle EXPIRED;
    private static final VarHandle CANCELLED;
    private static final VarHandle FAILED;
    private static final VarHandle RESPONSES_DROPPED;
    private static final VarHandle RESPONSES_SENT;
    private static final VarHandle CREDIT_STALLS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENT = lookup.findVarHandle(SenderCounters.class, "sent", long.class);
            REFUSED_FULL = lookup.findVarHandle(SenderCounters.class, "refusedFull", long.class);
            BACK_PRESSURED = lookup.findVarHandle(SenderCounters.class, "backPressured", long.class);
            RESPONSES_RECEIVED = lookup.findVarHandle(ReceiverCounters.class, "responsesReceived", long.class);
            REQUESTS_RECEIVED = lookup.findVarHandle(DataCounters.class, "requestsReceived", long.class);
            EXPIRED = lookup.findVarHandle(DataCounters.class, "expired", long.class);
            CANCELLED = lookup.findVarHandle(DataCounters.class, "cancelled", long.class);
            RESPONSES_DROPPED = lookup.findVarHandle(DataCounters.class, "responsesDropped", long.class);
            FAILED = lookup.findVarHandle(DataCounters.class, "failed", long.class);
            RESPONSES_SENT = lookup.findVarHandle(DataCounters.class, "responsesSent", long.class);
            CREDIT_STALLS = lookup.findVarHandle(DataCounters.class, "creditStalls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // single writer: plain read of its own field, opaque store so that snapshot readers see a recent value

    void addSent(long n) {
        SENT.setOpaque(this, sent + n);
    }

    void addRefusedFull() {
        REFUSED_FULL.setOpaque(this, refusedFull + 1);
    }

    void addBackPressured() {
        BACK_PRESSURED.setOpaque(this, backPressured + 1);
    }

    void addResponsesReceived(long n) {
        RESPONSES_RECEIVED.setOpaque(this, responsesReceived + n);
    }

    void addRequestsReceived() {
        REQUESTS_RECEIVED.setOpaque(this, requestsReceived + 1);
    }

    void addExpired() {
        EXPIRED.setOpaque(this, expired + 1);
    }

    void addCancelled() {
        CANCELLED.setOpaque(this, cancelled + 1);
    }

    void addResponsesDropped() {
        RESPONSES_DROPPED.setOpaque(this, responsesDropped + 1);
    }

    void addFailed() {
        FAILED.setOpaque(this, failed + 1);
    }

    void addResponsesSent(long n) {
        RESPONSES_SENT.setOpaque(this, responsesSent + n);
    }

    void addCreditStalls() {
        CREDIT_STALLS.setOpaque(this, creditStalls + 1);
    }

    long sentOpaque() {
        return (long) SENT.getOpaque(this);
    }

    long refusedFullOpaque() {
        return (long) REFUSED_FULL.getOpaque(this);
    }

    long backPressuredOpaque() {
        return (long) BACK_PRESSURED.getOpaque(this);
    }

    long responsesReceivedOpaque() {
        return (long) RESPONSES_RECEIVED.getOpaque(this);
    }

    long requestsReceivedOpaque() {
        return (long) REQUESTS_RECEIVED.getOpaque(this);
    }

    long expiredOpaque() {
        return (long) EXPIRED.getOpaque(this);
    }

    long cancelledOpaque() {
        return (long) CANCELLED.getOpaque(this);
    }

    long responsesDroppedOpaque() {
        return (long) RESPONSES_DROPPED.getOpaque(this);
    }

    long failedOpaque() {
        return (long) FAILED.getOpaque(this);
    }

    long responsesSentOpaque() {
        return (long) RESPONSES_SENT.getOpaque(this);
    }

    long creditStallsOpaque() {
        return (long) CREDIT_STALLS.getOpaque(this);
    }
}
