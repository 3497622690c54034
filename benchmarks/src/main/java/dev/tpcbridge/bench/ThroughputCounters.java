package dev.tpcbridge.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counters of a producer/consumer group. The figure that matters is {@code pollsMade}: elements that
 * crossed from the producer thread to the consumer thread per second. The failed counts show how often each side
 * found the queue full or empty.
 */
public final class ThroughputCounters {
    private ThroughputCounters() {
    }

    /** The producer thread's counts. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Offers {
        /** Elements offered successfully. */
        public long offersMade;
        /** Offers refused (full). */
        public long offersFailed;

        /** Resets before each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            offersMade = 0;
            offersFailed = 0;
        }
    }

    /** The consumer thread's counts. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Polls {
        /** Elements taken: the transfer rate. */
        public long pollsMade;
        /** Polls that found nothing (empty). */
        public long pollsFailed;

        /** Resets before each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            pollsMade = 0;
            pollsFailed = 0;
        }
    }
}
