package dev.tpcbridge.samples;

import dev.tpcbridge.samples.pump.Pump;
import dev.tpcbridge.samples.shard.ShardDemo;

import java.util.Arrays;

/**
 * Entry point of the samples jar: {@code java -jar samples/target/tpcbridge-samples.jar [demo] [args]}.
 *
 * <p>Demos:
 * <ul>
 *   <li>{@code pump} (the default): the 50 GB pump, control plane to data-plane cores and back with every byte
 *       checked, beside its JCTools floor: {@link Pump} (options in
 *       {@link dev.tpcbridge.samples.pump.PumpConfig});</li>
 *   <li>{@code pump-chart SAMPLES.csv CHART.png}: draws the samples of {@code pump --samples-csv SAMPLES.csv}
 *       (throughput, heap and RSS over time) as a PNG: {@link dev.tpcbridge.samples.pump.PumpChart};</li>
 *   <li>{@code ring}: 50 million envelopes through an {@code SpscRing} and back: {@link RingDemo};</li>
 *   <li>{@code shard}: a sharded key-value service, a Kotlin coroutine front end routing keys to the data-plane
 *       cores that own them, under a load generator: {@link ShardDemo} (options in
 *       {@link dev.tpcbridge.samples.shard.ShardOptions}).</li>
 * </ul>
 *
 * <p>Exit codes: 0 when the demo's own check passed, 1 when it failed, 2 for a bad command line (the message names
 * the bad value).
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the demo named by the first argument.
     *
     * @param args the demo's name, then its own arguments
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        String demo = args.length == 0 ? "pump" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int exit;
        try {
            switch (demo) {
                case "pump":
                    exit = Pump.run(rest, System.out);
                    break;
                case "pump-chart":
                    exit = dev.tpcbridge.samples.pump.PumpChart.run(rest, System.out);
                    break;
                case "ring":
                    exit = RingDemo.run(rest, System.out);
                    break;
                case "shard":
                    exit = ShardDemo.run(rest, System.out);
                    break;
                case "tenants":
                    exit = dev.tpcbridge.samples.tenants.TenantsDemo.run(rest, System.out);
                    break;
                default:
                    throw new IllegalArgumentException("unknown demo '" + demo + "'; demos: pump, pump-chart, ring, "
                        + "shard, tenants");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("tpcbridge-samples " + demo + ": " + e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }
}
