import dev.tpcbridge.bench.WfqIntakeCostBenchmark;
public class IProbe {
    public static void main(String[] a) throws Exception {
        WfqIntakeCostBenchmark b = new WfqIntakeCostBenchmark();
        b.impl = a[1]; b.sizes = "mixed"; b.tenants = Integer.parseInt(a[0]);
        b.setUp();
        int iters = Integer.parseInt(a[2]);
        long sink = 0;
        for (int i = 0; i < iters; i++) sink += b.pollThenOffer().ordinal();
        StringBuilder sb = new StringBuilder();
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) sink += b.pollThenOffer().ordinal();
            long t1 = System.nanoTime();
            sb.append(String.format(" %.1f", (t1 - t0) / (double) iters));
        }
        System.out.println(a[1] + " tenants=" + a[0] + " ns/request:" + sb + (sink == 42 ? "!" : ""));
    }
}
