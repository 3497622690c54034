package dev.tpcbridge.telemetry;

import dev.tpcbridge.backpressure.BackpressureConfig;
import dev.tpcbridge.backpressure.BackpressureController;
import dev.tpcbridge.bridge.BridgeChannel;
import dev.tpcbridge.bridge.ControlHandle;
import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.runtime.Core;
import dev.tpcbridge.runtime.DataPlane;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's JFR events, recorded and read back: a core parking and waking, a core failing, a credit stall and a
 * backpressure transition each leave their event in a recording that enables them, with the fields filled in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JfrEventsTest {
    @Test
    void eachEventIsRecordedWithItsFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tpcbridge.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of(CoreParkEvent.NAME, CoreFailedEvent.NAME, CreditStallEvent.NAME,
                    PressureTransitionEvent.NAME)) {
                recording.enable(name);
            }
            recording.start();
            parkThenFail();
            creditStall();
            pressureTransition();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> parks = named(events, CoreParkEvent.NAME);
        assertFalse(parks.isEmpty(), "a core that idled must have parked");
        assertTrue(parks.stream().allMatch(e -> e.getInt("core") == 0 && !e.getDuration().isNegative()),
            parks::toString);
        List<RecordedEvent> failed = named(events, CoreFailedEvent.NAME);
        assertEquals(1, failed.size(), failed::toString);
        assertEquals(AssertionError.class.getName(), failed.get(0).getString("cause"));
        assertEquals("the handler gives up", failed.get(0).getString("message"));
        List<RecordedEvent> stalls = named(events, CreditStallEvent.NAME);
        assertFalse(stalls.isEmpty(), "a core with no room for answers must have stalled");
        assertEquals(2, stalls.get(0).getInt("responseCapacity"));
        List<RecordedEvent> transitions = named(events, PressureTransitionEvent.NAME);
        assertEquals(List.of("NORMAL>SUSPENDED", "SUSPENDED>NORMAL"), transitions.stream()
            .map(e -> e.getString("from") + ">" + e.getString("to")).collect(Collectors.toList()));
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    /** One core idles (parks), then a request whose handler throws an Error fails it. */
    private static void parkThenFail() throws Exception {
        try (DataPlane plane = DataPlane.builder().cores(1).build().start()) {
            Core core = plane.core(0);
            BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().build();
            core.attach(channel, request -> {
                throw new AssertionError("the handler gives up");
            });
            Thread.sleep(50); // idle: the core parks
            ControlHandle<Request, Response> control = channel.control();
            control.offer(Request.create().id(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (core.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(core.failure() instanceof AssertionError, String.valueOf(core.failure()));
        }
    }

    /** A channel of two response slots that nobody drains: the core answers two requests, then stalls. */
    private static void creditStall() throws Exception {
        try (DataPlane plane = DataPlane.builder().cores(1).build().start()) {
            BridgeChannel<Request, Response> channel = BridgeChannel.forEnvelopes().requestCapacity(8)
                .responseCapacity(2).build();
            plane.core(0).attach(channel, request -> request.response().count(request.id()));
            for (int i = 0; i < 4; i++) {
                channel.control().offer(Request.create().id(i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (channel.metrics().creditStalls() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, channel.metrics().creditStalls());
            int answers = 0;
            while (answers < 4 && System.nanoTime() < deadline) { // take the answers: the core drains, then stops
                answers += channel.control().poll() != null ? 1 : 0;
            }
            assertEquals(4, answers);
        }
    }

    private static void pressureTransition() {
        BackpressureController controller = BackpressureController.create(BackpressureConfig.defaults(), 100);
        controller.update(95);
        controller.update(0);
    }
}
