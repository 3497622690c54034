package dev.tpcbridge.samples;

import dev.tpcbridge.samples.shard.CheckResult;
import dev.tpcbridge.samples.shard.ShardCheck;
import dev.tpcbridge.samples.shard.ShardDemo;
import dev.tpcbridge.samples.shard.ShardProtocol;
import dev.tpcbridge.samples.shard.ShardSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the sharded service sample with tiny sizes, and shows that its check and its argument checks can fail. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardServiceSmokeTest {
    private static final Pattern RESULT = Pattern.compile("RESULT demo=shard cores=2 callers=8 ops=(\\d+) "
        + "ops_per_s=\\d+ p50_us=[\\d.]+ p90_us=[\\d.]+ p99_us=[\\d.]+ p999_us=[\\d.]+ max_us=[\\d.]+ "
        + "check=(ok|failed)");

    @Test
    void shardDemoAnswersEveryCallAndPassesItsCheck() {
        Run run = run("--cores", "2", "--callers", "8", "--ops", "2_000", "--keys", "256", "--reads", "50");
        assertEquals(0, run.exit, run.out);
        var result = RESULT.matcher(run.lastLine());
        assertTrue(result.matches(), run.out);
        assertEquals("2000", result.group(1), run.out);
        assertEquals("ok", result.group(2), run.out);
        assertTrue(run.out.contains("check ok: all 256 keys"), run.out);
        assertTrue(run.out.contains("shard 0: ") && run.out.contains("shard 1: "), run.out);
    }

    @Test
    void shardDemoRunsForADuration() {
        Run run = run("--cores", "2", "--callers", "8", "--duration-ms", "100", "--keys", "64");
        assertEquals(0, run.exit, run.out);
        var result = RESULT.matcher(run.lastLine());
        assertTrue(result.matches(), run.out);
        assertTrue(Long.parseLong(result.group(1)) > 0, run.out);
        assertEquals("ok", result.group(2), run.out);
    }

    /** Issue 21: snapshots written off the cores by an offload pool, each shard's newest file checked. */
    @Test
    void shardDemoSnapshotsEachShardOffTheCoresAndChecksTheFiles() {
        Run run = run("--cores", "2", "--callers", "8", "--duration-ms", "300", "--keys", "256", "--reads", "50",
            "--snapshot-every-ms", "5");
        assertEquals(0, run.exit, run.out);
        var result = Pattern.compile("RESULT demo=shard cores=2 callers=8 ops=\\d+ ops_per_s=\\d+ p50_us=[\\d.]+ "
            + "p90_us=[\\d.]+ p99_us=[\\d.]+ p999_us=[\\d.]+ max_us=[\\d.]+ snapshots=(\\d+) "
            + "p99_us_with_snapshots=[\\d.]+ p99_us_without_snapshots=[\\d.]+ p99_ratio=[\\d.]+ check=(ok|failed)")
            .matcher(run.lastLine());
        assertTrue(result.matches(), run.out);
        assertTrue(Long.parseLong(result.group(1)) >= 2, run.out);
        assertEquals("ok", result.group(2), run.out);
        assertTrue(run.out.contains("each shard's newest snapshot file is whole and holds its final state"), run.out);
        assertRejected("snapshot-every-ms=0", "--snapshot-every-ms", "0");
    }

    @Test
    void shardDemoFailsItsCheckWhenAShardLosesWrites() {
        Run run = run("--cores", "2", "--callers", "8", "--ops", "2000", "--keys", "256", "--reads", "0",
            "--lose-every", "3");
        assertEquals(1, run.exit, run.out);
        var result = RESULT.matcher(run.lastLine());
        assertTrue(result.matches(), run.out);
        assertEquals("failed", result.group(2), run.out);
        assertTrue(run.out.contains("check FAILED: "), run.out);
    }

    @Test
    void checkPassesOnlyWhenEveryKeyHoldsItsExpectedValueInItsOwnShard() {
        int shards = 2;
        long[] expected = new long[100];
        for (int key = 0; key < expected.length; key++) {
            expected[key] = 1_000 + key;
        }
        assertTrue(ShardCheck.verify(expected, snapshots(expected, shards, -1, false)).getOk());

        long[] wrongTotal = expected.clone();
        wrongTotal[42] += 1; // one increment the shard never saw
        CheckResult lost = ShardCheck.verify(wrongTotal, snapshots(expected, shards, -1, false));
        assertFalse(lost.getOk());
        assertEquals(1, lost.getMismatches());
        assertTrue(lost.getFirstMismatch().contains("key=42 holds 1042"), lost.getFirstMismatch());

        CheckResult missing = ShardCheck.verify(expected, snapshots(expected, shards, 7, false));
        assertEquals(1, missing.getMismatches());
        assertTrue(missing.getFirstMismatch().contains("key=7 is missing"), missing.getFirstMismatch());

        CheckResult misplaced = ShardCheck.verify(expected, snapshots(expected, shards, -1, true));
        assertFalse(misplaced.getOk());
        assertTrue(misplaced.getFirstMismatch().contains("belongs to shard"), misplaced.getFirstMismatch());
    }

    @Test
    void shardDemoRejectsBadArguments() {
        assertRejected("cores=0", "--cores", "0");
        assertRejected("cores=2000", "--cores", "2000");
        assertRejected("callers=x", "--callers", "x");
        assertRejected("ops=0", "--ops", "0");
        assertRejected("duration-ms=-5", "--duration-ms", "-5");
        assertRejected("keys=0", "--keys", "0");
        assertRejected("reads=101", "--reads", "101");
        assertRejected("lose-every=-1", "--lose-every", "-1");
        assertRejected("Unknown options: '--core'", "--core", "2");
        assertRejected("Missing required parameter for option '--ops'", "--ops");
        assertRejected("not both", "--ops", "10", "--duration-ms", "10");
    }

    /** Snapshots of {@code shards} shards holding {@code values}, less key {@code skip}, maybe with key 0 misplaced. */
    private static List<ShardSnapshot> snapshots(long[] values, int shards, int skip, boolean misplaceOne) {
        List<ShardSnapshot> snapshots = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            List<Integer> keys = new ArrayList<>();
            for (int key = 0; key < values.length; key++) {
                int owner = ShardProtocol.shardOf(key, shards);
                if (key != skip && (misplaceOne && key == 0 ? owner != shard : owner == shard)) {
                    keys.add(key);
                }
            }
            long[] k = new long[keys.size()];
            long[] v = new long[keys.size()];
            for (int i = 0; i < k.length; i++) {
                k[i] = keys.get(i);
                v[i] = values[keys.get(i)];
            }
            snapshots.add(new ShardSnapshot(shard, k, v, k.length));
        }
        return snapshots;
    }

    private static void assertRejected(String named, String... args) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardDemo.run(args, out));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    private static Run run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = ShardDemo.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exit, String out) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
