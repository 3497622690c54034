package dev.tpcbridge.bench.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.ring.OfferStatus;
import dev.tpcbridge.wfq.FairIntake;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The byte-share check of issue 19 run against the fair intake (in its default, rounded order and in exact order) and
 * the reference design's algorithm ({@link SeedDrrIntake}) on the same load: three tenants of weights 4:2:1 (priority
 * classes CRITICAL, STANDARD, BULK), each with its own mix of request sizes from 64 B to 64 KiB, all kept backlogged,
 * 10^6 requests served on one thread. Prints each tenant's share of the served bytes, its error against the weighted
 * share, and one {@code RESULT} line per intake. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.tpcbridge.bench.wfq.WfqShareCheck [requests]}.
 */
public final class WfqShareCheck {
    private static final int[] PRIORITIES = {FairIntake.CRITICAL, FairIntake.STANDARD, FairIntake.BULK};
    private static final int[] WEIGHTS = {4, 2, 1};
    private static final int POOL = 4096;
    private static final int BACKLOG = 8;

    private WfqShareCheck() {
    }

    /**
     * Runs the check.
     *
     * @param args optional: the number of requests (default 1,000,000)
     */
    public static void main(String[] args) {
        final long requests = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        final BridgeCall<?>[][] pools = new BridgeCall<?>[3][];
        final SplittableRandom random = new SplittableRandom(42);
        for (int t = 0; t < 3; t++) {
            final int tenant = t;
            pools[t] = Calls.make(POOL, (i, request) -> request.tenant(tenant).priority(PRIORITIES[tenant])
                .payload(Calls.BYTES, 0, size(tenant, random)));
        }
        run("fair", FairIntake.builder().capacity(256).build(), pools, requests);
        run("fairExact", FairIntake.builder().capacity(256).exactOrder(true).build(), pools, requests);
        run("seedDrr", new SeedDrrIntake(256), pools, requests);
    }

    /** Tenant 0: log-uniform; 1: mostly small, a tenth 64 KiB; 2: uniform. */
    static int size(int tenant, SplittableRandom random) {
        switch (tenant) {
            case 0:
                return (int) Math.min(65_536, Math.round(64 * Math.pow(2, random.nextDouble() * 10)));
            case 1:
                return random.nextInt(10) == 0 ? 65_536 : 64 + random.nextInt(512);
            default:
                return 64 + random.nextInt(65_536 - 64 + 1);
        }
    }

    private static void run(String name, Intake intake, BridgeCall<?>[][] pools, long requests) {
        final int[] next = new int[3];
        for (int t = 0; t < 3; t++) {
            for (int k = 0; k < BACKLOG; k++) {
                offer(intake, pools[t][next[t]++]);
            }
        }
        final long[] bytes = new long[3];
        final long[] count = new long[3];
        for (long r = 0; r < requests; r++) {
            final BridgeCall<?> call = intake.poll();
            final int t = call.tenant();
            bytes[t] += call.payloadLength();
            count[t]++;
            offer(intake, pools[t][next[t]++ % POOL]); // the tenant stays backlogged
        }
        final long total = bytes[0] + bytes[1] + bytes[2];
        double maxError = 0;
        for (int t = 0; t < 3; t++) {
            final double share = (double) bytes[t] / total;
            final double expected = WEIGHTS[t] / 7.0;
            final double error = (share - expected) / expected;
            maxError = Math.max(maxError, Math.abs(error));
            System.out.printf(Locale.ROOT, "%-8s tenant=%d weight=%d requests=%d bytes=%d share=%.4f expected=%.4f "
                + "error=%+.2f%%%n", name, t, WEIGHTS[t], count[t], bytes[t], share, expected, 100 * error);
        }
        System.out.printf(Locale.ROOT, "RESULT check=wfq-byte-share impl=%s requests=%d max_share_error=%.2f%% "
            + "pass=%s%n", name, requests, 100 * maxError, maxError <= 0.02);
    }

    private static void offer(Intake intake, BridgeCall<?> call) {
        if (intake.offer(call) != OfferStatus.OK) {
            throw new IllegalStateException("refused tenant " + call.tenant());
        }
    }
}
