package dev.tpcbridge.logbuf;

import dev.tpcbridge.internal.Threads;
import dev.tpcbridge.internal.Threads.Running;
import dev.tpcbridge.wake.WaitPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waking log buffer's wake protocol under real races, with no test-side ordering: the other tests wait until a
 * call has parked before the other side acts, so they cannot catch a wake-up lost between a waiter's re-check and its
 * park.
 * Here both sides block with no spins and no yields, so nearly every hand-off goes through arm, re-check and park,
 * racing the other side's commit or release; a lost wake-up hangs the test, which its timeout turns into a failure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WakingLogBufferRaceTest {
    private static final int ROUND_TRIPS = 3_000;

    private static WakingLogBuffer parking(boolean mpsc) {
        return LogBuffer.builder().capacity(256).multiProducer(mpsc).waitPolicy(WaitPolicy.PARK).buildWaking();
    }

    /** Ping-pong through two parking buffers: every value comes back, in order, and nothing hangs. */
    @Test
    void pingPongThroughParkingBuffersLosesNoWakeUp() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingLogBuffer ping = parking(mpsc);
            WakingLogBuffer pong = parking(mpsc);
            CompletableFuture<Long> echo = CompletableFuture.supplyAsync(() -> {
                ReadClaim in = new ReadClaim();
                byte[] out = new byte[8];
                long echoed = 0;
                try {
                    while (ping.receive(in) == ReadStatus.OK) {
                        long value = in.getLong(0);
                        in.release();
                        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
                        assertEquals(ClaimStatus.OK, pong.send(out, 0, 8));
                        echoed++;
                    }
                    pong.closeProducer();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return echoed;
            }, runnable -> {
                Thread thread = new Thread(runnable, "echo");
                thread.setDaemon(true);
                thread.start();
            });
            ReadClaim back = new ReadClaim();
            byte[] out = new byte[8];
            for (long i = 0; i < ROUND_TRIPS; i++) {
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, i);
                assertEquals(ClaimStatus.OK, ping.send(out, 0, 8));
                assertEquals(ReadStatus.OK, pong.receive(back));
                assertEquals(i, back.getLong(0), "mpsc=" + mpsc);
                back.release();
            }
            ping.closeProducer();
            assertEquals(ReadStatus.CLOSED, pong.receive(back));
            assertEquals(ROUND_TRIPS, echo.get(60, TimeUnit.SECONDS));
            // the hand-offs really went through parking: each wake-up is a park the other side's commit ended
            assertTrue(ping.consumerWakeups() + pong.consumerWakeups() > ROUND_TRIPS / 10,
                "mpsc=" + mpsc + ": only " + (ping.consumerWakeups() + pong.consumerWakeups()) + " wake-ups");
        }
    }

    /** A close from the sending side alone, with nothing ever sent, wakes a receiver parked on the empty buffer. */
    @Test
    void closingTheSenderSideAloneWakesAReceiverParkedOnAnEmptyBuffer() throws Exception {
        for (boolean mpsc : new boolean[] {false, true}) {
            WakingLogBuffer buffer = parking(mpsc);
            Running<ReadStatus> receiver = Threads.run("receiver",
                () -> buffer.receive(new ReadClaim())).untilParked();
            buffer.closeProducer();
            assertEquals(ReadStatus.CLOSED, receiver.result.get(10, TimeUnit.SECONDS), "mpsc=" + mpsc);
            assertEquals(1, buffer.consumerWakeups(), "mpsc=" + mpsc);
        }
    }
}
