package dev.tpcbridge.samples.tenants;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tenants demo with short phases, and the quick start. The demo's latency ratios depend on the machine's load, so
 * the smoke test checks that they are measured and that FIFO shows the damage; the share and Jain figures are exact
 * and must pass.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantsDemoSmokeTest {
    @Test
    void demoPrintsItsResultLineAndDrawsItsChart(@TempDir Path folder) throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Path png = folder.resolve("charts/tenants.png");
        TenantsDemo.run(new String[] {"0.4", "--chart", png.toString()},
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        final Matcher m = Pattern.compile("RESULT demo=tenants max_share_error=([0-9.]+) jain=([0-9.]+) "
            + "light_p99_ratio_wfq=([0-9.]+) light_p99_ratio_fifo=([0-9.]+) check=(ok|FAILED)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) <= 0.02, out);
        assertTrue(Double.parseDouble(m.group(2)) >= 0.99, out);
        assertTrue(Double.parseDouble(m.group(4)) > Double.parseDouble(m.group(3)), "FIFO hurts more: " + out);
        assertTrue(out.contains("wfq flood  tenant=0 heavy"), out);
        assertTrue(out.contains("chart: " + png), out);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth(), "a PNG of the chart's size");
        assertEquals(650, image.getHeight());
    }

    @Test
    void badArgumentsAreNamed() {
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final IllegalArgumentException chart = assertThrows(IllegalArgumentException.class,
            () -> TenantsDemo.run(new String[] {"--chart", "tenants.svg"}, out));
        assertTrue(chart.getMessage().contains("'tenants.svg'"), chart.getMessage());
        final IllegalArgumentException seconds = assertThrows(IllegalArgumentException.class,
            () -> TenantsDemo.run(new String[] {"-3"}, out));
        assertTrue(seconds.getMessage().contains("-3"), seconds.getMessage());
        final IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
            () -> TenantsDemo.run(new String[] {"soon"}, out));
        assertTrue(word.getMessage().contains("'soon'"), word.getMessage());
    }

    @Test
    void quickStartAnswersEveryTenant() throws Exception {
        assertEquals(List.of(7L, 42L, 7L), FairIntakeQuickStart.run());
    }
}
