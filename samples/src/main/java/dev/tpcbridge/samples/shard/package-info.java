/**
 * A small sharded key-value service (Kotlin): a thread-per-core store whose cores each own one shard, a coroutine
 * front end that routes every key to the core that owns it, and a load generator that prints throughput and latency
 * percentiles and checks every key at the end. Run it as {@code java -jar samples/target/tpcbridge-samples.jar shard}.
 *
 * <p><b>Concepts, one file each.</b> {@code ShardProtocol}: routing ({@code shardOf}) and how PUT, GET and INCREMENT
 * travel in a {@code Request} and its response. {@code LongLongMap}: the shard's table, a primitive open-addressing
 * map (Agrona's {@code Long2LongHashMap} reserves one value as its "missing" marker, and a shard's values span every
 * {@code long}). {@code KvShard}: a shard and the handler that serves it. {@code ShardedStore}: the {@code DataPlane},
 * one {@code CoroutineBridgeClient} per core, and the routing front end. {@code ShardCaller}: one coroutine's handle
 * for calls. {@code LoadGenerator}: the concurrent callers, their latencies (HdrHistogram) and what they expect.
 * {@code ShardCheck}: the end-of-run check. {@code ShardCommand}, {@code ShardOptions}, {@code ShardDemo}: the command
 * line.
 *
 * <p><b>Thread model.</b> Each shard ({@code KvShard} and its {@code LongLongMap}) is core-owned: touched only by its
 * data-plane core's thread, by requests arriving on the core's channel and by snapshots run on the core through its
 * {@code CoreDispatcher}; so no lock and no atomic guards it. Caller coroutines run on {@code Dispatchers.Default},
 * any number at once, each with its own {@code ShardCaller}; they suspend, never block, while a core works. Answers
 * are completed on each client's completion thread and resume the callers on their dispatcher. The bridge's rings
 * order everything a caller wrote into its request before the core reads it, and everything the core wrote into the
 * response before the caller resumes.
 */
package dev.tpcbridge.samples.shard;
