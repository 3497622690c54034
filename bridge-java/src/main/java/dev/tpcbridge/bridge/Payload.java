package dev.tpcbridge.bridge;

import dev.tpcbridge.internal.Checks;
import dev.tpcbridge.slab.SlabHandle;
import dev.tpcbridge.slab.SlabPool;

import java.util.Objects;

/**
 * The payload of an envelope ({@link Request} or {@link Response}): an array range (referenced, not copied) or a
 * slab handle, or nothing. One owner at a time, as the envelope that holds it.
 */
final class Payload {
    private byte[] bytes;
    private int offset;
    private int length;
    private long slabHandle;

    void bytes(byte[] bytes, int offset, int length) {
        Checks.notNull("bytes", bytes);
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.slabHandle = 0;
    }

    void slab(SlabPool pool, long handle) {
        Checks.notNull("pool", pool);
        if (!SlabHandle.isHandle(handle)) {
            throw new IllegalArgumentException("handle=" + SlabHandle.toString(handle) + " is not a slab handle");
        }
        slab(handle, pool.length(handle)); // checks that the handle is of this pool and owned
    }

    /** The same page as {@code other}, which carries one. */
    void slabOf(Payload other) {
        slab(other.slabHandle, other.length);
    }

    private void slab(long handle, int length) {
        this.slabHandle = handle;
        this.bytes = null;
        this.offset = 0;
        this.length = length;
    }

    void clear() {
        bytes = null;
        offset = 0;
        length = 0;
        slabHandle = 0;
    }

    long slabHandle() {
        return slabHandle;
    }

    byte[] bytes() {
        return bytes;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    @Override
    public String toString() {
        return slabHandle != 0 ? SlabHandle.toString(slabHandle) : length + " bytes";
    }
}
