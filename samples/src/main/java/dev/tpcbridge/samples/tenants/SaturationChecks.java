package dev.tpcbridge.samples.tenants;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Intake;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.wfq.FairIntake;

import java.util.SplittableRandom;

/**
 * The fair intake on one thread with every tenant backlogged: byte shares at weights 4:2:1 with mixed sizes, and
 * Jain's fairness index over many equal tenants. Calls are made by a client whose intake is a FIFO of 1 that the
 * demo never serves: it refuses every call and hands it back, still carrying its request (all an intake reads).
 */
final class SaturationChecks {
    private static final byte[] BYTES = new byte[64 * 1024];

    private SaturationChecks() {
    }

    private static BridgeCall<?>[] calls(int n, int tenants, int[] priorities, long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final BridgeCall<?>[] calls = new BridgeCall<?>[n];
        final Intake never = Intake.fifo(1);
        try (BridgeClient client = BridgeClient.builder().requestCapacity(1).intake(never).build()) {
            for (int i = 0; i < n; i++) {
                final int tenant = i % tenants;
                final int size = tenants > 3 ? 64 + random.nextInt(4096)
                    : tenant == 0 ? (int) Math.min(65_536, Math.round(64 * Math.pow(2, random.nextDouble() * 10)))
                    : tenant == 1 ? (random.nextInt(10) == 0 ? 65_536 : 64 + random.nextInt(512))
                    : 64 + random.nextInt(65_536 - 64 + 1);
                final Request request = Request.create().id(i).tenant(tenant)
                    .priority(priorities[tenant % priorities.length]).payload(BYTES, 0, size);
                calls[i] = client.tryCall(request, response -> null);
            }
        }
        return calls;
    }

    /** Serves {@code requests} with every tenant backlogged; returns the bytes served per tenant. */
    private static long[] saturate(int tenants, int[] priorities, long requests) {
        final int perTenant = 8;
        final BridgeCall<?>[] pool = calls(tenants * 64, tenants, priorities, 42);
        final FairIntake intake = FairIntake.builder().capacity(Math.max(256, tenants * perTenant * 4)).build();
        final int[] next = new int[tenants];
        for (int t = 0; t < tenants; t++) {
            for (int k = 0; k < perTenant; k++) {
                intake.tryOffer(pool[t + tenants * next[t]++]);
            }
        }
        final long[] bytes = new long[tenants];
        for (long r = 0; r < requests; r++) {
            final BridgeCall<?> call = intake.poll();
            final int t = call.tenant();
            bytes[t] += call.payloadLength();
            intake.tryOffer(pool[t + tenants * (next[t]++ % 64)]);
        }
        return bytes;
    }

    static double maxShareError(long requests) {
        final long[] bytes = saturate(3, new int[] {FairIntake.CRITICAL, FairIntake.STANDARD, FairIntake.BULK},
            requests);
        final double total = bytes[0] + bytes[1] + bytes[2];
        final int[] weights = {4, 2, 1};
        double max = 0;
        for (int t = 0; t < 3; t++) {
            final double expected = weights[t] / 7.0;
            max = Math.max(max, Math.abs(bytes[t] / total - expected) / expected);
        }
        return max;
    }

    static double jain(int tenants, long requests) {
        final long[] bytes = saturate(tenants, new int[] {FairIntake.BULK}, requests);
        double sum = 0;
        double squares = 0;
        for (long b : bytes) {
            sum += b;
            squares += (double) b * b;
        }
        return sum * sum / (tenants * squares);
    }
}
