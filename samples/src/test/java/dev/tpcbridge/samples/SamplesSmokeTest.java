package dev.tpcbridge.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every sample with tiny sizes, so that none can rot. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SamplesSmokeTest {
    @Test
    void ringDemoPassesItsSequenceCheck() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = RingDemo.run(new String[] {"200000", "64"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        assertTrue(out.contains("RESULT demo=ring elements=200000 "), out);
        assertTrue(out.contains("sequence=ok"), out);
    }

    @Test
    void quickStartDeliversEveryMessageInOrder() throws Exception {
        assertEquals(List.of("message-0", "message-1", "message-2"), RingQuickStart.run());
    }

    @Test
    void wakeQuickStartDeliversEveryMessageInOrder() throws Exception {
        assertEquals(List.of("message-0", "message-1", "message-2"), WakeQuickStart.run());
    }

    @Test
    void slabQuickStartDeliversEveryPayloadInOrder() throws Exception {
        assertEquals(List.of("payload-0", "payload-1", "payload-2"), SlabQuickStart.run());
    }

    @Test
    void logBufferQuickStartDeliversEveryRecordInOrder() throws Exception {
        assertEquals(List.of("0=0", "1=1", "2=4"), LogBufferQuickStart.run());
    }

    @Test
    void bridgeQuickStartAnswersEveryCall() throws Exception {
        assertEquals(List.of("ALPHA", "BETA", "GAMMA"), BridgeQuickStart.run());
    }

    @Test
    void dataPlaneQuickStartRoutesEveryKeyToTheCoreThatOwnsIt() throws Exception {
        assertEquals(List.of(2L + 4 + 6 + 8 + 10, 1L + 3 + 5 + 7 + 9), DataPlaneQuickStart.run());
    }

    @Test
    void coroutineQuickStartAnswersEveryCallAndReadsTheCoreOnTheCore() {
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 20L), CoroutineQuickStart.run());
    }

    @Test
    void offloadQuickStartCoalescesPromotionsAndAnswersTheReadOnTheCore() throws Exception {
        List<String> log = OffloadQuickStart.run();
        String replaced = new OffloadQuickStart.Promotion("k", 1) + " REPLACED";
        if (log.contains("QUEUED, then COALESCED")) { // version 2 replaced version 1 in the queue, reported
            assertTrue(log.contains(replaced), log.toString());
        } else { // the worker took version 1 first: both stored in turn, nothing dropped
            assertTrue(log.contains("QUEUED, then QUEUED") && !log.contains(replaced), log.toString());
        }
        assertTrue(log.contains("cold value on the core: true"), log.toString());
        assertTrue(log.contains("drained true, stored {k=2}"), log.toString());
    }

    @Test
    void readmeQuotesTheCompiledQuickStarts() throws Exception {
        // the README quotes the product's quick starts; the guide quotes each package's
        String readme = Files.readString(Path.of("../README.md")) + Files.readString(Path.of("../docs/guide.md"));
        for (String sample : List.of("java/dev/tpcbridge/samples/RingQuickStart.java",
            "java/dev/tpcbridge/samples/WakeQuickStart.java", "java/dev/tpcbridge/samples/SlabQuickStart.java",
            "java/dev/tpcbridge/samples/LogBufferQuickStart.java", "java/dev/tpcbridge/samples/BridgeQuickStart.java",
            "java/dev/tpcbridge/samples/DataPlaneQuickStart.java", "java/dev/tpcbridge/samples/OffloadQuickStart.java",
            "java/dev/tpcbridge/samples/MulticastQuickStart.java",
            "java/dev/tpcbridge/samples/tenants/FairIntakeQuickStart.java",
            "kotlin/dev/tpcbridge/samples/CoroutineQuickStart.kt")) {
            String source = Files.readString(Path.of("src/main/" + sample));
            String snippet = source.substring(source.indexOf("// tag::quickstart[]"),
                source.indexOf("// end::quickstart[]"));
            snippet = snippet.substring(snippet.indexOf('\n') + 1).stripIndent();
            assertTrue(readme.contains(snippet),
                "README.md or docs/guide.md must quote " + sample + "'s quickstart region verbatim:\n" + snippet);
        }
    }

    @Test
    void ringDemoRejectsBadArguments() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RingDemo.run(new String[] {"0"}, out));
        assertTrue(e.getMessage().contains("elements=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RingDemo.run(new String[] {"10", "x"}, out));
        assertTrue(e.getMessage().contains("capacity=x"), e.getMessage());
    }
}
