package dev.tpcbridge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parked {@code DataPlane} core's wake-up round trip against a bare {@code unpark}/{@code park} ping-pong, measured
 * in alternating blocks in one JVM so that each pair of blocks runs under the same conditions.
 *
 * <p>Why not only JMH: on a shared 2-vCPU machine a parked thread's wake-up is bimodal (about 8 µs, or about 75 µs
 * when the host has to wake a halted vCPU), whatever the code does, and which mode a round trip gets depends mostly
 * on where the scheduler placed its two threads, which differs from one variant's echo thread to the other's and
 * from one run to the next. A median over JMH forks then compares modes, not code. Here block {@code i} of each
 * variant runs back to back (the order alternating, against drift), each block's p50 is taken, and the ratio of the
 * two p50s of a pair is one observation. Pairs where both blocks are fast (p50 below 20 µs) and where both are slow
 * are reported apart; pairs whose blocks are in different modes are only counted, as are each variant's fast blocks.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tpcbridge.bench.WakeUpPairedProbe [pairs [trips
 * [subject]]]} (default 300 pairs of 400 round trips, after 30 pairs of warm-up; subject {@code CoreParked}, or
 * {@code BridgeParked} for the channel's handles on a hand-rolled parked thread). Prints how many blocks of each
 * variant were fast, then one {@code RESULT} line per state; the goal is a subject/peer p50 ratio of at most 1.2.
 */
public final class WakeUpPairedProbe {
    private static final long FAST_NANOS = 20_000;

    private WakeUpPairedProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args optional: the pairs of blocks, the round trips per block
     * @throws Exception if a round trip fails
     */
    public static void main(String[] args) throws Exception {
        final int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        final int trips = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        final BridgeRoundTripBenchmark.RoundTrip peer = new BridgeRoundTripBenchmark.UnparkParked();
        final String subjectName = args.length > 2 ? args[2] : "CoreParked";
        final BridgeRoundTripBenchmark.RoundTrip subject;
        switch (subjectName) {
            case "CoreParked" -> subject = new BridgeRoundTripBenchmark.CoreParked();
            case "BridgeParked" -> subject = new BridgeRoundTripBenchmark.BridgeParked();
            default -> throw new IllegalArgumentException("subject=" + subjectName + ": CoreParked or BridgeParked");
        }
        final long[] times = new long[trips];
        try {
            for (int i = 0; i < 30; i++) { // warm-up: both paths compiled before anything counts
                blockP50(peer, times);
                blockP50(subject, times);
            }
            final List<double[]> fast = new ArrayList<>();
            final List<double[]> slow = new ArrayList<>();
            int mixed = 0;
            int peerFast = 0;
            int subjectFast = 0;
            for (int i = 0; i < pairs; i++) {
                final long p;
                final long s;
                if ((i & 1) == 0) {
                    p = blockP50(peer, times);
                    s = blockP50(subject, times);
                } else {
                    s = blockP50(subject, times);
                    p = blockP50(peer, times);
                }
                peerFast += p < FAST_NANOS ? 1 : 0;
                subjectFast += s < FAST_NANOS ? 1 : 0;
                if (p < FAST_NANOS && s < FAST_NANOS) {
                    fast.add(new double[] {p, s});
                } else if (p >= FAST_NANOS && s >= FAST_NANOS) {
                    slow.add(new double[] {p, s});
                } else {
                    mixed++;
                }
            }
            System.out.printf("RESULT probe=wake-paired subject=%s blocks=%d peerFastBlocks=%d subjectFastBlocks=%d%n",
                subjectName, pairs, peerFast, subjectFast);
            report(subjectName, "fast", fast, pairs, mixed);
            report(subjectName, "slow", slow, pairs, mixed);
        } finally {
            peer.close();
            subject.close();
        }
    }

    private static long blockP50(BridgeRoundTripBenchmark.RoundTrip trip, long[] times) throws Exception {
        for (int i = 0; i < times.length; i++) {
            final long start = System.nanoTime();
            if (trip.run() == null) {
                throw new IllegalStateException(trip.getClass().getSimpleName() + " returned nothing");
            }
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    private static void report(String subjectName, String state, List<double[]> pairs, int total, int mixed) {
        if (pairs.isEmpty()) {
            System.out.printf("RESULT probe=wake-paired subject=%s state=%s pairs=0 of=%d mixed=%d%n", subjectName,
                state,
                total, mixed);
            return;
        }
        final double[] ratios = pairs.stream().mapToDouble(x -> x[1] / x[0]).sorted().toArray();
        final double[] peer = pairs.stream().mapToDouble(x -> x[0]).sorted().toArray();
        final double[] subject = pairs.stream().mapToDouble(x -> x[1]).sorted().toArray();
        System.out.printf("RESULT probe=wake-paired subject=%s state=%s pairs=%d of=%d mixed=%d peerP50us=%.2f"
                + " subjectP50us=%.2f ratioMedian=%.3f ratioP25=%.3f ratioP75=%.3f goal=%s%n", subjectName, state,
            pairs.size(), total, mixed,
            median(peer) / 1e3, median(subject) / 1e3, median(ratios), ratios[ratios.length / 4],
            ratios[ratios.length * 3 / 4], median(ratios) <= 1.2 ? "met" : "missed");
    }

    private static double median(double[] sorted) {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
