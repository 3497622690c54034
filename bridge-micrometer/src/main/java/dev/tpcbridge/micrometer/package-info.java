/**
 * Micrometer meters for tpcbridge: {@link dev.tpcbridge.micrometer.TpcBridgeMetrics}, a {@code MeterBinder} for a
 * data plane's cores and slab pools (and, added by name, its bridge channels and offload pools), and
 * {@link dev.tpcbridge.micrometer.TelemetryExporter}, which drains the cores' telemetry buffers into meters.
 */
package dev.tpcbridge.micrometer;
