package dev.tpcbridge.samples;

import dev.tpcbridge.logbuf.ClaimStatus;
import dev.tpcbridge.logbuf.WakingLogBuffer;
import dev.tpcbridge.logbuf.ReadClaim;
import dev.tpcbridge.logbuf.ReadStatus;
import dev.tpcbridge.logbuf.WriteClaim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The README's log-buffer quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class LogBufferQuickStart {
    private LogBufferQuickStart() {
    }

    static List<String> run() throws InterruptedException {
        List<String> received = new ArrayList<>();
        // tag::quickstart[]
        WakingLogBuffer channel = WakingLogBuffer.spsc(1 << 16); // 64 KiB; one sending thread, one receiving thread

        Thread receiver = new Thread(() -> {
            ReadClaim record = new ReadClaim();                  // reused: receiving allocates nothing
            try {
                while (channel.receive(record) == ReadStatus.OK) {  // parks when empty; CLOSED once drained
                    received.add(record.getLong(0) + "=" + record.getLong(8));
                    record.release();                            // zeroes and frees the space, wakes a waiting sender
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();

        WriteClaim claim = new WriteClaim();                     // reused: claiming allocates nothing
        for (long id = 0; id < 3; id++) {
            // waits for room up to the deadline; FULL (deadline passed), TOO_LARGE, CLOSED are values
            if (channel.claim(16, claim, 1, TimeUnit.SECONDS) != ClaimStatus.OK) {
                throw new IllegalStateException("record " + id + " not sent");
            }
            claim.putLong(0, id).putLong(8, id * id).commit();   // in place; the receiver sees all of it or nothing
        }
        channel.closeProducer();                                 // the receiver reads what is left, then CLOSED
        // end::quickstart[]
        receiver.join();
        return received;
    }
}
