package dev.tpcbridge.samples.tenants;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tenants demo with short phases, and the quick start. The demo's latency ratios depend on the machine's load, so
 * the smoke test checks that they are measured and that FIFO shows the damage; the share and Jain figures are exact
 * and must pass.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantsDemoSmokeTest {
    @Test
    void demoPrintsItsResultLine() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TenantsDemo.run(new String[] {"0.4"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        final Matcher m = Pattern.compile("RESULT demo=tenants max_share_error=([0-9.]+) jain=([0-9.]+) "
            + "light_p99_ratio_wfq=([0-9.]+) light_p99_ratio_fifo=([0-9.]+) check=(ok|FAILED)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) <= 0.02, out);
        assertTrue(Double.parseDouble(m.group(2)) >= 0.99, out);
        assertTrue(Double.parseDouble(m.group(4)) > Double.parseDouble(m.group(3)), "FIFO hurts more: " + out);
        assertTrue(out.contains("wfq flood  tenant=0 heavy"), out);
    }

    @Test
    void quickStartAnswersEveryTenant() throws Exception {
        assertEquals(List.of(7L, 42L, 7L), FairIntakeQuickStart.run());
    }
}
