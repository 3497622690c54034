package dev.tpcbridge.bench;

import dev.tpcbridge.bridge.BridgeClient;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.runtime.DataPlane;
import dev.tpcbridge.wake.WaitPolicy;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many virtual-thread callers blocked on a small client intake (issue 23 item 5): {@code callers} virtual threads each
 * make {@code calls} blocking calls ({@code BridgeClient.call(...).join()}) through one client to one
 * {@code DataPlane} core, first with the default intake (4096: nobody waits for room), then with an intake of
 * {@code intake} slots, where most callers sleep waiting for room. Prints one {@code RESULT} line per intake (calls
 * per second) and per round the ratio of the small intake to the default (the peer: the same callers on an intake
 * they never fill). Compare builds in separate JVMs, rounds alternating.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tpcbridge.bench.ManyCallersProbe [callers] [calls]
 * [intake] [rounds] [SPINSxYIELDS]} (JDK 21+: virtual threads). Defaults: 2000 callers, 200 calls each, intake 16, 3
 * rounds, the client's and the core's wait policy {@code WaitPolicy.DEFAULT}.
 */
public final class ManyCallersProbe {
    private ManyCallersProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args callers, calls per caller, small intake, rounds
     * @throws Exception if the JDK has no virtual threads, or a call fails
     */
    public static void main(String[] args) throws Exception {
        final int callers = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        final int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        final int small = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        final WaitPolicy policy = args.length > 4 ? WaitPolicy.of(Integer.parseInt(args[4].split("x")[0]),
            Integer.parseInt(args[4].split("x")[1])) : WaitPolicy.DEFAULT;
        final ThreadFactory virtual = virtualThreads();
        for (int round = 1; round <= rounds; round++) {
            final double base = run(virtual, callers, calls, 4096, round, policy);
            final double tight = run(virtual, callers, calls, small, round, policy);
            System.out.printf("RESULT probe=many-callers round=%d callers=%d smallIntake=%d ratio=%.2f%n", round,
                callers, small, tight / base);
        }
    }

    private static double run(ThreadFactory virtual, int callers, int calls, int intake, int round, WaitPolicy policy)
        throws Exception {
        try (DataPlane plane = DataPlane.builder().idle(policy).build();
             BridgeClient client = BridgeClient.builder().intakeCapacity(intake).waitPolicy(policy).build()) {
            plane.core(0).attach(client.channel(), request -> request.response().count(request.id()));
            plane.start();
            final AtomicLong failures = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            final long start = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                final Thread thread = virtual.newThread(() -> {
                    final Request request = Request.create();
                    for (int i = 0; i < calls; i++) {
                        try {
                            if (client.call(request.clear().id(i), Response::count).join() != i) {
                                failures.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(5));
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (failures.get() != 0) {
                throw new IllegalStateException(failures.get() + " calls answered wrong");
            }
            final double perSecond = (double) callers * calls / seconds;
            System.out.printf("RESULT probe=many-callers round=%d intake=%d callers=%d calls=%d callsPerSecond=%.0f%n",
                round, intake, callers, calls, perSecond);
            return perSecond;
        }
    }

    private static ThreadFactory virtualThreads() throws Exception {
        final Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("virtual threads need JDK 21+", e);
        }
        final Object builder = ofVirtual.invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    }
}
