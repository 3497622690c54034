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

    /** {@code tpcbridge-samples --help}. */
    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: java -jar samples/target/tpcbridge-samples.jar [DEMO] [OPTIONS]   (DEMO --help for its options)",
        "Demos:",
        "  pump         the default: 50 GB control plane -> core -> control plane, every byte checked, beside a",
        "               JCTools floor (pump --help)",
        "  pump-chart   SAMPLES.csv CHART.png: draws the samples of pump --samples-csv",
        "  ring         [ELEMENTS] [CAPACITY]: envelopes through an SpscRing and back, every sequence number checked",
        "  shard        a sharded key-value service under a load generator (shard --help)",
        "  tenants      [SECONDS] [--chart PNG]: a flooding tenant and three light ones, through FIFO then FairIntake",
        "Exit codes: 0 when the demo's own check passed, 1 when it failed, 2 for a bad command line.",
        "");

    /** Each demo's usage, for those that parse their few arguments by hand. */
    private static final java.util.Map<String, String> DEMO_USAGE = java.util.Map.of(
        "pump-chart", "Usage: pump-chart SAMPLES.csv CHART.png%n  Draws the samples of pump --samples-csv (GB/s, heap "
            + "and RSS over time) as a PNG.%n",
        "ring", "Usage: ring [ELEMENTS] [CAPACITY]%n  Sends ELEMENTS envelopes (default 50000000) through an SpscRing "
            + "of CAPACITY slots (default 4096) and back, checking every sequence number.%n",
        "tenants", "Usage: tenants [SECONDS] [--chart FILE.png]%n  Runs each phase (FIFO intake, then FairIntake) for "
            + "SECONDS (default 2) and prints per-tenant throughput and latency; --chart draws them into FILE.png.%n");

    /**
     * Runs the demo named by the first argument, or prints the usage.
     *
     * @param args the demo's name, then its own arguments
     * @param out  where the demo prints
     * @param err  where a bad command line is reported
     * @return the exit code
     * @throws Exception if the demo fails
     */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) throws Exception {
        String demo = args.length == 0 ? "pump" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        if (demo.equals("--help") || demo.equals("-h") || demo.equals("help")) {
            out.print(USAGE);
            return 0;
        }
        boolean help = Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h");
        if (help && DEMO_USAGE.containsKey(demo)) {
            out.printf(DEMO_USAGE.get(demo));
            return 0;
        }
        try {
            switch (demo) {
                case "pump":
                    return Pump.run(rest, out);
                case "pump-chart":
                    return dev.tpcbridge.samples.pump.PumpChart.run(rest, out);
                case "ring":
                    return RingDemo.run(rest, out);
                case "shard":
                    return ShardDemo.run(rest, out);
                case "tenants":
                    return dev.tpcbridge.samples.tenants.TenantsDemo.run(rest, out);
                default:
                    throw new IllegalArgumentException("unknown demo '" + demo + "'; demos: pump, pump-chart, ring, "
                        + "shard, tenants (--help for the usage)");
            }
        } catch (IllegalArgumentException e) {
            err.println("tpcbridge-samples " + demo + ": " + e.getMessage());
            return 2;
        }
    }

    /**
     * Runs the demo named by the first argument and exits with its code.
     *
     * @param args the demo's name, then its own arguments
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }
}
