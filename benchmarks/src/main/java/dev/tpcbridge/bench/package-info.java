/**
 * JMH benchmarks, each beside its peers in the same run. Names follow
 * {@code <Topology><Concept><Metric>Benchmark}. Cross-thread benchmarks run one producer and one consumer thread
 * (more threads than the two cores of the CI machines only measure the scheduler), and record with
 * {@link dev.tpcbridge.bench.SpinRoundTripProfiler} the spin round trip of each fork, so that results can be
 * compared within a vCPU placement class. See {@code benchmarks/README.md}.
 */
package dev.tpcbridge.bench;
