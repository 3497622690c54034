package dev.tpcbridge.samples.tenants;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the tenants demo as a PNG: each light tenant's p50 and p99 latency in each phase (FIFO alone, FIFO under the
 * flood, WFQ alone, WFQ under the flood), on a log scale, with every tenant's throughput in the phase's label. The
 * picture of "the flood costs a light tenant 100x under FIFO and ~1x under WFQ".
 *
 * <p>Runs on the calling thread (headless AWT), after the phases.
 */
final class TenantsChart {
    private TenantsChart() {
    }

    /** {@code color} blended toward white by {@code amount} in [0, 1]. */
    private static Color mix(Color color, float amount) {
        return new Color(color.getRed() + (int) ((255 - color.getRed()) * amount),
            color.getGreen() + (int) ((255 - color.getGreen()) * amount),
            color.getBlue() + (int) ((255 - color.getBlue()) * amount));
    }

    /**
     * Writes the chart.
     *
     * @param phases the phases, in the order they ran
     * @param file   the PNG to write (its folder is made if missing)
     * @throws IOException if the file cannot be written
     */
    static void draw(List<TenantsDemo.Phase> phases, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final CategoryChart chart = new CategoryChartBuilder().width(1200).height(650)
            .title("tenants: light tenants' latency, alone and beside a flooding tenant (FIFO, then WFQ)")
            .xAxisTitle("phase (MB/s per tenant: light 1, 2, 3 / heavy)").yAxisTitle("latency, µs (log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(1.0); // bars start at 1 µs: a log axis has no 0
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setOverlapped(false);
        final List<String> labels = new ArrayList<>();
        for (TenantsDemo.Phase phase : phases) {
            final StringBuilder label = new StringBuilder(phase.name).append(" (");
            for (int t = 0; t < phase.lightMegabytesPerSecond.length; t++) {
                label.append(t == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%.2f", phase.lightMegabytesPerSecond[t]));
            }
            label.append(phase.heavyMegabytesPerSecond < 0 ? ")"
                : String.format(Locale.ROOT, " / %.0f)", phase.heavyMegabytesPerSecond));
            labels.add(label.toString());
        }
        final int light = phases.get(0).lightP50.length;
        for (int t = 0; t < light; t++) {
            final List<Double> p50 = new ArrayList<>();
            final List<Double> p99 = new ArrayList<>();
            for (TenantsDemo.Phase phase : phases) {
                p50.add(Math.max(1, phase.lightP50[t] / 1e3));
                p99.add(Math.max(1, phase.lightP99[t] / 1e3));
            }
            final float shade = light == 1 ? 0 : 0.35f * t / (light - 1); // p50 blues, p99 oranges, lighter by tenant
            chart.addSeries("tenant " + (t + 1) + " p50", labels, p50)
                .setFillColor(mix(new Color(0x1F4E9A), shade));
            chart.addSeries("tenant " + (t + 1) + " p99", labels, p99)
                .setFillColor(mix(new Color(0xD9590B), shade));
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final String name = file.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
            BitmapEncoder.BitmapFormat.PNG);
    }
}
