package dev.tpcbridge.samples.shard;

import dev.tpcbridge.bridge.Request;
import dev.tpcbridge.bridge.Response;
import dev.tpcbridge.bridge.ResponseStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shard's handler called directly (this test's thread stands in for the core): answers and refusals. */
class KvShardTest {
    private final KvShard shard = new KvShard(0, 2, 16, 0);
    private final long ownKey = keyOf(0);
    private final long otherKey = keyOf(1);

    @Test
    void answersPutGetAndIncrementFromItsOwnKeys() {
        assertAnswer(0, ShardProtocol.GET, ownKey, 0);
        assertAnswer(0, ShardProtocol.PUT, ownKey, 40);     // the previous value: none
        assertAnswer(40, ShardProtocol.PUT, ownKey, 41);
        assertAnswer(44, ShardProtocol.INCREMENT, ownKey, 3);
        assertAnswer(44, ShardProtocol.GET, ownKey, 0);
        assertEquals(5, shard.snapshot().getServed());
        assertEquals(1, shard.snapshot().getSize());
    }

    @Test
    void refusesAKeyItDoesNotOwnAndMalformedRequests() {
        assertError(ShardProtocol.MISROUTED, request(ShardProtocol.PUT, otherKey, 1).shard(0));
        assertError(ShardProtocol.MISROUTED, request(ShardProtocol.PUT, ownKey, 1).shard(1));
        assertError(ShardProtocol.UNKNOWN_OP, request(9, ownKey, 1));
        assertError(ShardProtocol.BAD_LENGTH, request(ShardProtocol.PUT, ownKey, 1).payload(new byte[8], 0, 8));
        assertEquals(0, shard.snapshot().getServed());
        assertEquals(0, shard.snapshot().getSize()); // nothing refused changed anything
    }

    @Test
    void aLostIncrementIsAnsweredButNotStored() {
        KvShard faulty = new KvShard(0, 2, 16, 2);
        assertEquals(1, faulty.onRequest(request(ShardProtocol.INCREMENT, ownKey, 1)).count());
        assertEquals(2, faulty.onRequest(request(ShardProtocol.INCREMENT, ownKey, 1)).count()); // lost
        assertEquals(1, faulty.onRequest(request(ShardProtocol.GET, ownKey, 0)).count());
    }

    private void assertAnswer(long expected, int op, long key, long operand) {
        Response response = shard.onRequest(request(op, key, operand));
        assertEquals(ResponseStatus.OK, response.status());
        assertEquals(expected, response.count());
    }

    private void assertError(int code, Request request) {
        Response response = shard.onRequest(request);
        assertEquals(ResponseStatus.ERROR, response.status());
        assertEquals(code, response.errorCode());
    }

    private static Request request(int op, long key, long operand) {
        byte[] payload = new byte[ShardProtocol.LENGTH];
        ShardProtocol.encode(payload, op, operand);
        return Request.create().id(key).shard(ShardProtocol.shardOf(key, 2)).payload(payload, 0, payload.length);
    }

    private static long keyOf(int owner) {
        long key = 1;
        while (ShardProtocol.shardOf(key, 2) != owner) {
            key++;
        }
        return key;
    }
}
