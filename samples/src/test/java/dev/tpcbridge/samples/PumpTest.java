package dev.tpcbridge.samples;

import dev.tpcbridge.samples.pump.Pump;
import dev.tpcbridge.samples.pump.PumpChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

/**
 * The pump with tiny sizes: every message passes its check in both modes and on two cores, the last line is the
 * machine-readable summary, a skipped write, a stale page, a reordering or one flipped bit fails the run with a
 * non-zero exit code, and the ceiling, the samples and their chart come out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PumpTest {
    private static final List<String> TINY = List.of("--bytes", "8MiB", "--payload", "4KiB", "--window", "8",
        "--progress-ms", "0", "--no-ceiling");

    private static String[] args(String... more) {
        List<String> all = new java.util.ArrayList<>(TINY);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private record Run(int exit, String out) {
        String resultLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Run pump(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Pump.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyMessagePassesItsCheckAndTheSummaryComesLast() {
        Run run = pump(args());
        assertEquals(0, run.exit(), run.out());
        String result = run.resultLine();
        assertTrue(result.startsWith("RESULT bridge_gbps="), result);
        assertTrue(result.contains(" floor_gbps=") && result.contains(" ratio="), result);
        assertTrue(result.contains(" check=ok "), result);
        assertTrue(result.contains(" mode=one-way control=coroutines cores=1 payload=4096 window=8 bytes=8388608 "),
            result);
        assertTrue(run.out().contains("bridge: ") && run.out().contains("floor: ") && run.out().contains("verdict: "),
            run.out());
    }

    @Test
    void bothWaysAndTwoCoresPassToo() {
        Run both = pump(args("--mode", "both", "--no-floor"));
        assertEquals(0, both.exit(), both.out());
        assertTrue(both.resultLine().contains(" check=ok ") && both.resultLine().contains(" mode=both "),
            both.resultLine());
        Run twoCores = pump(args("--cores", "2"));
        assertEquals(0, twoCores.exit(), twoCores.out());
        assertTrue(twoCores.resultLine().contains(" cores=2 "), twoCores.resultLine());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipeline", "threads"})
    void theOtherControlPlanesPassInBothModesOnTwoCores(String control) {
        for (String mode : List.of("one-way", "both")) {
            Run run = pump(args("--control", control, "--mode", mode, "--cores", "2", "--no-floor"));
            assertEquals(0, run.exit(), run.out());
            assertTrue(run.resultLine().contains(" check=ok ") && run.resultLine().contains(" control=" + control),
                run.resultLine());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"skip-write", "stale-page", "reorder", "flip-bit"})
    void aFaultyMessageFailsTheRunOfEveryControlPlane(String fault) {
        for (String control : List.of("coroutines", "pipeline", "threads")) {
            Run oneWay = pump(args("--fault", fault, "--no-floor", "--control", control));
            assertEquals(1, oneWay.exit(), oneWay.out());
            assertTrue(oneWay.resultLine().contains(" check=FAILED "), oneWay.resultLine());
            assertTrue(oneWay.out().contains("check FAILED (dev.tpcbridge.samples.pump.PumpCheckFailed: core 0: "),
                oneWay.out());
            Run both = pump(args("--fault", fault, "--no-floor", "--control", control, "--mode", "both"));
            assertEquals(1, both.exit(), both.out());
            assertTrue(both.resultLine().contains(" check=FAILED "), both.resultLine());
            // a wrong payload is caught by the core, which checks each request before it answers with a page of its
            // own; an order is the receiver's to check
            assertTrue(both.out().contains(
                    fault.equals("reorder") ? "expected message " : "the core's check of the request"),
                both.out());
        }
    }

    @Test
    void theCeilingIsPrintedAndTheSamplesAreWrittenAndDrawn(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("pump.csv");
        List<String> withCeiling = new java.util.ArrayList<>(TINY);
        withCeiling.remove("--no-ceiling");
        withCeiling.addAll(List.of("--samples-csv", csv.toString()));
        Run run = pump(withCeiling.toArray(new String[0]));
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("ceiling: the codec alone on one thread writes "), run.out());
        assertTrue(run.resultLine().matches(".* codec_write_gbps=\\d+\\.\\d+ codec_check_gbps=\\d+\\.\\d+ .*"),
            run.resultLine());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("run,seconds,gb,gbps,heap_mib,rss_mib,gc_count", lines.get(0));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("bridge,"))
            && lines.stream().anyMatch(line -> line.startsWith("floor,")), String.join("\n", lines));
        Path png = dir.resolve("pump.png");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, PumpChart.run(new String[] {csv.toString(), png.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8)));
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertEquals("\u0089PNG", new String(header, StandardCharsets.ISO_8859_1));
        assertThrows(IllegalArgumentException.class, () -> PumpChart.run(new String[] {csv.toString()}, System.out));
    }

    @Test
    void badArgumentsAreRejectedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--payload", "12"))
            .getMessage().contains("payload=12"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--bytes", "lots"))
            .getMessage().contains("--bytes=lots"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--cores", "0"))
            .getMessage().contains("cores=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--mode", "sideways"))
            .getMessage().contains("--mode=sideways"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--frobnicate", "1"))
            .getMessage().contains("--frobnicate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--control", "fibers"))
            .getMessage().contains("--control=fibers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--fault", "typo"))
            .getMessage().contains("--fault=typo"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--spins", "-1"))
            .getMessage().contains("spins=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pump("--window"))
            .getMessage().contains("--window"));
    }
}
