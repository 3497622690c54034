package dev.tpcbridge.runtime;

/**
 * A snapshot of one core's counters ({@link Core#metrics()}). Each counter has one writer, the core, and is exact
 * for it; a snapshot reads them one by one (opaque loads), so the set is not atomic. The request counts are its
 * channels' own ({@code BridgeChannel.metrics()}), summed over the channels attached now and before: counted once.
 *
 * @param core             the core's index in its plane
 * @param state            its state when read
 * @param cycles           duty cycles run
 * @param requests         requests the core took from its channels (run, expired or cancelled)
 * @param handlerFailures  {@code RuntimeException}s from handlers (answered with the channel's failure answer)
 * @param tasksRun         tasks run through {@link Core#execute(Runnable)}
 * @param taskFailures     tasks that threw a {@code RuntimeException} (logged, isolated)
 * @param parks            times the core parked, idle
 * @param channels         channels attached now
 * @param telemetryDropped samples its telemetry buffer dropped while full
 * @param pinnedCpu        the CPU it is pinned to, or -1
 */
public record CoreMetrics(int core, CoreState state, long cycles, long requests, long handlerFailures, long tasksRun,
                          long taskFailures, long parks, int channels, long telemetryDropped, int pinnedCpu) {
}
