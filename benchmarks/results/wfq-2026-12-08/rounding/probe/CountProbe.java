package dev.tpcbridge.wfq;

public final class CountProbe {
    public static void main(String[] args) {
        final int n = Integer.parseInt(args[0]);
        final boolean mixed = args.length < 2 || args[1].equals("mixed");
        final boolean exact = args.length > 2 && args[2].equals("exact");
        final FairScheduler s = new FairScheduler(Math.max(n, 16), exact);
        final Flow[] flows = new Flow[n];
        final long[] cost = new long[n];
        final int[] weight = new int[n];
        final int[] w = {4, 2, 1};
        for (int i = 0; i < n; i++) {
            flows[i] = new Flow(i);
            cost[i] = mixed ? 64 + (int) ((i * 2654435761L) % (64 * 1024 - 64)) : 1024;
            weight[i] = mixed ? w[i % 3] : 2;
            s.enqueue(flows[i], i, cost[i], weight[i]);
        }
        for (int round = 0; round < 2; round++) {
            RadixQueue.moves = RadixQueue.scans = RadixQueue.splits = 0;
            final int steps = 2_000_000;
            final long t0 = System.nanoTime();
            for (int k = 0; k < steps; k++) {
                final int i = (Integer) s.poll();
                s.enqueue(flows[i], i, cost[i], weight[i]);
            }
            final long t1 = System.nanoTime();
            System.out.printf("n=%d %s moves/req %.2f scans/req %.2f splits/req %.3f  ns/req %.1f%n", n,
                mixed ? "mixed" : "equal", (double) RadixQueue.moves / steps, (double) RadixQueue.scans / steps,
                (double) RadixQueue.splits / steps, (t1 - t0) / (double) steps);
        }
    }
}
