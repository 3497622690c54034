package dev.tpcbridge.wfq;

public class SchedProbe {
    public static void main(String[] a) {
        for (int n : new int[] {10, 1000, 10000}) {
            for (int rep = 0; rep < 5; rep++) {
                System.out.printf("flows=%d rep=%d ns/request=%.1f%n", n, rep, run(n));
            }
        }
    }

    static double run(int n) {
        final FairScheduler s = new FairScheduler(Math.max(64, 4 * n));
        final Tenant[] flows = new Tenant[n];
        final Object[] items = new Object[n];
        final long[] cost = new long[n];
        final int[] weight = new int[n];
        for (int i = 0; i < n; i++) {
            flows[i] = new Tenant(i, 0);
            items[i] = new Object();
            cost[i] = 64 + ((i * 2654435761L) % (64 * 1024 - 64));
            weight[i] = (i % 3) == 0 ? 1 : (i % 3) == 1 ? 2 : 4;
            s.enqueue(flows[i], items[i], cost[i], weight[i], (int) cost[i]);
        }
        final int iters = 20_000_000;
        long sink = 0;
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < iters / 4; i++) {
                final Object it = s.poll();
                final Tenant f = (Tenant) s.lastFlow();
                s.enqueue(f, it, s.lastCost(), s.lastWeight(), s.lastBytes());
            }
        }
        final long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            final Object it = s.poll();
            final Tenant f = (Tenant) s.lastFlow();
            sink += f.id;
            s.enqueue(f, it, s.lastCost(), s.lastWeight(), s.lastBytes());
        }
        final long t1 = System.nanoTime();
        if (sink == 42) {
            System.out.println();
        }
        return (t1 - t0) / (double) iters;
    }
}
