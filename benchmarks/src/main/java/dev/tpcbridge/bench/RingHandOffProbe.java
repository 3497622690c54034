package dev.tpcbridge.bench;

import java.util.Locale;

/**
 * A plain two-thread hand-off, outside JMH: one producer thread offers {@code elements} elements one by one, one
 * consumer thread polls them one by one (the single-element paths), and the probe prints elements per second. One
 * implementation per JVM, so the call sites stay monomorphic; run the implementations in alternating JVMs and compare
 * medians (the two vCPUs land near or far per JVM). Impls as {@link QueueUnderTest}: {@code SpscRing},
 * {@code WakingSpscRing}, {@code FencedSpscRing} (the bare ring plus the wake protocol's floor),
 * {@code JCToolsSpscArrayQueue}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.tpcbridge.bench.RingHandOffProbe IMPL [elements] [rounds]}; prints one
 * {@code RESULT} line per round.
 */
public final class RingHandOffProbe {
    private static final Object ELEMENT = new Object();

    private RingHandOffProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args impl, elements per round (default 100,000,000), rounds (default 5)
     * @throws InterruptedException never, in practice
     */
    public static void main(String[] args) throws InterruptedException {
        final String impl = args[0];
        final long elements = args.length > 1 ? Long.parseLong(args[1]) : 100_000_000L;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        for (int round = 0; round < rounds; round++) {
            final QueueUnderTest queue = QueueUnderTest.create(impl, 4096);
            final Thread consumer = new Thread(() -> {
                long taken = 0;
                while (taken < elements) {
                    if (queue.poll() != null) {
                        taken++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "consumer");
            final long start = System.nanoTime();
            consumer.start();
            for (long sent = 0; sent < elements; ) {
                if (queue.offer(ELEMENT)) {
                    sent++;
                } else {
                    Thread.onSpinWait();
                }
            }
            consumer.join();
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT,
                "RESULT probe=ring-handoff impl=%s round=%d elements=%d melementsPerSecond=%.1f%n", impl, round,
                elements, elements / seconds / 1e6);
        }
    }
}
