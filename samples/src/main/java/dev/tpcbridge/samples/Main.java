package dev.tpcbridge.samples;

import dev.tpcbridge.samples.shard.ShardDemo;

import java.util.Arrays;

/**
 * Entry point of the samples jar: {@code java -jar samples/target/tpcbridge-samples.jar [demo] [args]}.
 *
 * <p>Demos:
 * <ul>
 *   <li>{@code ring} (the default until the pump exists): {@link RingDemo};</li>
 *   <li>{@code shard}: a sharded key-value service, a Kotlin coroutine front end routing keys to the data-plane
 *       cores that own them, under a load generator: {@link ShardDemo} (options in
 *       {@link dev.tpcbridge.samples.shard.ShardOptions}).</li>
 * </ul>
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
        String demo = args.length == 0 ? "ring" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (demo) {
            case "ring":
                System.exit(RingDemo.run(rest, System.out));
                break;
            case "shard":
                System.exit(ShardDemo.run(rest, System.out));
                break;
            default:
                System.err.println("unknown demo '" + demo + "'; demos: ring, shard");
                System.exit(2);
        }
    }
}
