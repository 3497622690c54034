package dev.tpcbridge.samples;

import java.util.Arrays;

/**
 * Entry point of the samples jar: {@code java -jar samples/target/tpcbridge-samples.jar [demo] [args]}.
 *
 * <p>Demos: {@code pump} (the default: the 50 GB pump, {@link dev.tpcbridge.samples.pump.Pump}), {@code ring}
 * ({@link RingDemo}).
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
        switch (demo) {
            case "pump":
                System.exit(dev.tpcbridge.samples.pump.Pump.run(rest, System.out));
                break;
            case "ring":
                System.exit(RingDemo.run(rest, System.out));
                break;
            default:
                System.err.println("unknown demo '" + demo + "'; demos: pump, ring");
                System.exit(2);
        }
    }
}
