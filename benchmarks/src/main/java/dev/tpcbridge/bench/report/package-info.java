/**
 * The benchmark report's chart tool: reads the JMH JSON files under {@code benchmarks/results/}, reduces each
 * benchmark to one value per fork (exactly as {@code benchmarks/report.py} does), and draws the main subject-to-peer
 * ratios as PNG charts under {@code docs/charts/}. Single-threaded, run by hand after a benchmark run: {@code java -cp
 * benchmarks/target/benchmarks.jar dev.tpcbridge.bench.report.ResultsChart benchmarks/results docs/charts}.
 */
package dev.tpcbridge.bench.report;
