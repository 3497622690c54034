package dev.tpcbridge.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bridge-java needs no JVM flag: a child JVM of the running JDK (17 or 25 in CI), started with no option but its
 * class path, runs both rings across threads and prints nothing to stderr (JDK 24+ would warn there on any
 * {@code sun.misc.Unsafe} use).
 */
class PlainJvmTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ringsRunInAJvmStartedWithoutFlags() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator,
            Path.of("target", "classes").toAbsolutePath().toString(),
            Path.of("target", "test-classes").toAbsolutePath().toString(),
            jarOf(org.junit.jupiter.api.Assertions.class),
            jarOf(org.opentest4j.AssertionFailedError.class));
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", classPath, PlainJvmSmoke.class.getName()));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        assertTrue(process.waitFor(50, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "exit code; stderr:\n" + err);
        assertEquals("ok", out.strip());
        assertEquals("", err, "a flag-free JVM must print no warning");
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
