package dev.tpcbridge.samples;

import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;
import dev.tpcbridge.slab.SlabView;
import dev.tpcbridge.ring.WakingRing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The README's slab quick start, compiled and run by SamplesSmokeTest so that it cannot rot. */
final class SlabQuickStart {
    private SlabQuickStart() {
    }

    static List<String> run() throws InterruptedException {
        List<String> received = new ArrayList<>();
        // tag::quickstart[]
        SlabPool pool = SlabPool.create(0);                      // 256 off-heap pages of 64 KiB, pool id 0
        WakingRing<Long> handles = WakingRing.spsc(256);         // carries handles, not bytes (boxed: brevity)

        Thread reader = new Thread(() -> {
            SlabView view = new SlabView();                      // one reusable view per reading thread
            byte[] bytes = new byte[64];
            try {
                Long handle;
                while ((handle = handles.receive()) != null) {   // waits; null once closed and drained
                    view.wrap(pool, handle);                     // checks the handle's pool, page and generation
                    view.getBytes(0, bytes, 0, view.length());   // reads in place; re-checks the generation
                    received.add(new String(bytes, 0, view.length(), StandardCharsets.UTF_8));
                    pool.release(handle);                        // exactly once: the page is free again at once
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();

        for (int i = 0; i < 3; i++) {
            byte[] payload = ("payload-" + i).getBytes(StandardCharsets.UTF_8);
            long handle = pool.alloc(payload.length);            // a handle, or EXHAUSTED / TOO_LARGE / CLOSED
            if (!SlabHandle.isHandle(handle)) {
                throw new IllegalStateException(SlabHandle.toString(handle) + ": carry the payload as bytes");
            }
            ByteBuffer page = pool.writable(handle);             // write in place: no copy on the way
            page.put(payload);
            handles.send(handle);                                // the ring's hand-over makes the bytes visible
        }
        handles.closeProducer();
        // end::quickstart[]
        reader.join();
        return received;
    }
}
