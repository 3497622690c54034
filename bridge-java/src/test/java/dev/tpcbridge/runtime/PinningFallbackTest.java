package dev.tpcbridge.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without OpenHFT Affinity a core runs unpinned and says why, naming the real cause: on the class path, that Affinity
 * is not there; on the module path, that the module did not find it and how to resolve it (it used to say "not on the
 * class path" either way). Each case in a child JVM of the running JDK, with only bridge-java's classes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PinningFallbackTest {
    @Test
    void onTheClassPath() throws Exception {
        String line = run(List.of("-cp", classes()));
        assertEquals("not pinned: OpenHFT Affinity (net.openhft:affinity) is not on the class path", line);
    }

    @Test
    void onTheModulePath() throws Exception {
        String line = run(List.of("--module-path", Path.of("target", "classes").toAbsolutePath().toString(),
            "--add-modules", "dev.tpcbridge", "-cp", Path.of("target", "test-classes").toAbsolutePath().toString()));
        assertTrue(line.startsWith("not pinned: OpenHFT Affinity (net.openhft:affinity) was not found by module "
            + "dev.tpcbridge") && line.contains("--add-modules"), line);
    }

    private static String classes() {
        return Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
            + Path.of("target", "test-classes").toAbsolutePath();
    }

    private static String run(List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add(dev.tpcbridge.fallback.PinningFallbackMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        assertTrue(process.waitFor(50, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "exit code; stderr:\n" + err);
        return out.strip();
    }
}
