package dev.tpcbridge.logbuf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Passes records of random sizes (12 bytes to the largest payload) from producer threads to one consumer and checks
 * every byte: a record carries its producer, its sequence number and a pattern derived from both, ending in a
 * checksum. Producers mix tryWrite, claim/commit and claim/abort (aborted records are not counted); the consumer mixes
 * tryRead/release and batch reads, so every path and every wrap with padding is taken.
 */
final class LogBufferSoak {
    private LogBufferSoak() {
    }

    static void run(LogBufferKind kind, int capacity, int producers, long perProducer, long seed) throws Exception {
        // A stall timeout of a day, not the default second: with more producer threads than cores a producer can be
        // preempted between its claim and its commit for longer than a second, and a revocation then is not a bug
        // of the buffer but would fail the stalledClaims() == 0 check below (or corrupt records: review finding 3).
        LogBuffer buffer = kind.create(capacity, System::nanoTime, TimeUnit.DAYS.toNanos(1));
        int max = buffer.maxPayloadLength();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int producer = p;
            Thread t = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed + producer);
                WriteClaim claim = new WriteClaim();
                byte[] scratch = new byte[max];
                long next = 0;
                int refused = 0;
                while (next < perProducer && failure.get() == null) {
                    int length = 12 + random.nextInt(max - 11);
                    int path = random.nextInt(16);
                    if (path < 7) {
                        fill(scratch, producer, next, length);
                        if (buffer.tryWrite(scratch, 0, length) == ClaimStatus.OK) {
                            next++;
                        } else {
                            refused = backOff(refused);
                        }
                    } else if (buffer.tryClaim(length, claim) == ClaimStatus.OK) {
                        if (path == 15) {
                            claim.putLong(4, -1).abort();
                        } else {
                            fill(scratch, producer, next, length);
                            claim.putBytes(0, scratch, 0, length).commit();
                            next++;
                        }
                    } else {
                        refused = backOff(refused);
                    }
                }
            }, "logbuf-soak-producer-" + p);
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            threads.add(t);
        }
        long[] expected = new long[producers];
        long total = perProducer * producers;
        long[] received = {0};
        byte[] copy = new byte[max];
        RecordHandler check = record -> {
            int length = record.length();
            record.getBytes(0, copy, 0, length);
            int producer = record.getInt(0);
            long sequence = record.getLong(4);
            if (producer < 0 || producer >= producers || sequence != expected[producer]) {
                throw new AssertionError("producer " + producer + ": expected " + (producer >= 0 && producer < producers
                    ? expected[producer] : -1) + " got " + sequence);
            }
            verify(copy, producer, sequence, length);
            expected[producer]++;
            received[0]++;
        };
        threads.forEach(Thread::start);
        ReadClaim claim = new ReadClaim();
        SplittableRandom random = new SplittableRandom(seed - 1);
        long idle = 0;
        while (received[0] < total && failure.get() == null) {
            int got;
            if (random.nextBoolean()) {
                got = buffer.read(check, 1 + random.nextInt(32));
            } else if (buffer.tryRead(claim) == ReadStatus.OK) {
                try {
                    check.onRecord(claim);
                } finally {
                    claim.release();
                }
                got = 1;
            } else {
                got = 0;
            }
            if (got == 0 && ++idle % 64 == 0) {
                Thread.yield();
            }
        }
        for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
        assertEquals(total, received[0]);
        assertEquals(ReadStatus.EMPTY, buffer.tryRead(claim), "nothing extra");
        assertEquals(0, buffer.used(), "every byte freed, aborted claims included");
        assertEquals(0, buffer.stalledClaims());
    }

    /** Spins, and yields every 64th time, so that a busy machine (more threads than cores) still makes progress. */
    private static int backOff(int refused) {
        if ((refused & 63) == 63) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
        return refused + 1;
    }

    /** [producer:int][sequence:long][pattern...][checksum:byte]. */
    static void fill(byte[] bytes, int producer, long sequence, int length) {
        bytes[0] = (byte) producer;
        bytes[1] = (byte) (producer >>> 8);
        bytes[2] = (byte) (producer >>> 16);
        bytes[3] = (byte) (producer >>> 24);
        for (int i = 0; i < 8; i++) {
            bytes[4 + i] = (byte) (sequence >>> (8 * i));
        }
        long x = sequence * 0x9E3779B97F4A7C15L + producer;
        byte sum = 0;
        for (int i = 12; i < length - 1; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte) x;
            sum += bytes[i];
        }
        if (length > 12) {
            bytes[length - 1] = (byte) (sum ^ length);
        }
    }

    static void verify(byte[] bytes, int producer, long sequence, int length) {
        byte[] expected = new byte[length];
        fill(expected, producer, sequence, length);
        for (int i = 0; i < length; i++) {
            if (bytes[i] != expected[i]) {
                throw new AssertionError("producer " + producer + " sequence " + sequence + " length " + length
                    + ": byte " + i + " is " + bytes[i] + ", expected " + expected[i]);
            }
        }
    }
}
