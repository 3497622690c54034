package dev.tpcbridge.samples;

import dev.tpcbridge.offload.OffloadCalls;
import dev.tpcbridge.offload.OffloadPool;
import dev.tpcbridge.offload.ShutdownReport;
import dev.tpcbridge.offload.SubmitStatus;
import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The README's offload quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class OffloadQuickStart {
    private OffloadQuickStart() {
    }

    /** A cache entry to promote to slower storage: only the newest version of a key matters. */
    record Promotion(String key, int version) {
    }

    static List<String> run() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Map<String, Integer> slowStorage = new ConcurrentHashMap<>();
        CountDownLatch answered = new CountDownLatch(1);
        // tag::quickstart[]
        try (DataPlane plane = DataPlane.builder().build().start();
             OffloadPool<Promotion> promotions = OffloadPool.<Promotion>builder(
                     p -> slowStorage.put(p.key(), p.version()))          // runs on a worker, never on the core
                 .capacity(64).workers(1)
                 .coalesceBy(Promotion::key)                               // a newer version replaces a queued one
                 .onDropped((p, reason) -> log.add(p + " " + reason))      // nothing vanishes silently
                 .build();
             OffloadPool<Runnable> reads = OffloadPool.<Runnable>builder(Runnable::run).workers(1).build()) {
            Core core = plane.core(0);
            core.execute(() -> {                                           // on the core: never waits
                SubmitStatus first = promotions.submit(new Promotion("k", 1));
                SubmitStatus second = promotions.submit(new Promotion("k", 2));
                log.add(first + ", then " + second);
                OffloadCalls.call(reads, () -> "cold value", core,          // slow read off the core...
                    (value, failure) -> {                                  // ...answered back on the core
                        log.add(value + " on the core: " + core.isCoreThread());
                        answered.countDown();
                    });
            });
            answered.await(10, TimeUnit.SECONDS);
            ShutdownReport report = promotions.shutdown(5, TimeUnit.SECONDS).get(); // drains, then completes
            log.add("drained " + report.drained() + ", stored " + slowStorage);
        }
        // end::quickstart[]
        return log;
    }
}
