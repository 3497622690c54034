package dev.tpcbridge.slab;

import dev.tpcbridge.internal.Checks;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable, read-only view of one slab page: the reader's side of a hand-over. {@link #wrap(SlabPool, long)} checks
 * that the handle is owned, then the getters read the payload in little-endian order, never past the page's payload
 * length ({@link SlabPool#length(long)}, taken at the wrap) and so never past the page. Allocates nothing: keep one
 * view per reading thread and wrap each handle in turn.
 *
 * <p><b>Threads.</b> One thread at a time per view (it is a flyweight with plain fields); any number of views may read
 * the same page. The view is valid while the handle is owned: from the hand-over until somebody releases the handle.
 *
 * <p><b>Visibility.</b> The page's bytes written by the previous owner before it handed the handle over (through a
 * ring, a volatile, a future: any happens-before edge) are what the getters read; see {@link SlabPool}.
 *
 * <p><b>Progress.</b> Every method is wait-free and allocates nothing (but the messages of its exceptions).
 *
 * <p><b>Generation checks.</b> {@code wrap} checks the generation; the bulk copies ({@code getBytes}) re-check it
 * after copying, so a copy taken from a page that was released meanwhile throws (the destination then holds
 * unspecified bytes) instead of passing mixed bytes off as the payload.
 * The single-value getters check bounds only, to stay as cheap as a buffer read: a reader that must know its values
 * came from its own payload calls {@link #checkValid()} (or {@link #isValid()}) after reading them, as with a
 * seqlock. A page released while a reader still reads it is always the caller's bug; the checks turn it into an
 * exception instead of silent corruption.
 *
 * <p><b>Normal outcomes.</b> None: a stale, forged or foreign handle throws (see {@link SlabPool}), an index
 * outside {@code [0, length())} throws {@link IndexOutOfBoundsException}, and reading before the first {@code wrap}
 * throws {@link IllegalStateException}.
 */
public final class SlabView {
    private SlabPool pool;
    private ByteBuffer page;
    private long handle;
    private int pageIndex;
    private long ownedState;
    private int length;

    /** An empty view; {@link #wrap} it before reading. */
    public SlabView() {
    }

    /**
     * Points this view at the page of {@code handle}, after checking that the handle is owned.
     *
     * @param pool   the pool the handle belongs to
     * @param handle an owned handle
     * @return this view
     * @throws IllegalArgumentException if {@code pool} is null or {@code handle} is not a handle of it
     * @throws IllegalStateException    if {@code handle} is stale
     */
    public SlabView wrap(SlabPool pool, long handle) {
        Checks.notNull("pool", pool);
        final int index = pool.checkOwned(handle, "view");
        this.pool = pool;
        this.page = pool.readBuffer(index);
        this.handle = handle;
        this.pageIndex = index;
        this.ownedState = SlabPool.ownedState(handle);
        this.length = pool.lengthOf(index);
        return this;
    }

    /**
     * The handle this view wraps.
     *
     * @return the handle, or 0 before the first wrap
     */
    public long handle() {
        return handle;
    }

    /**
     * The payload length.
     *
     * @return the page's payload length in bytes when it was wrapped
     */
    public int length() {
        return length;
    }

    /**
     * Reads one byte.
     *
     * @param index in {@code [0, length())}
     * @return the byte
     * @throws IndexOutOfBoundsException if outside the payload
     * @throws IllegalStateException     if nothing was wrapped yet
     */
    public byte getByte(int index) {
        if (index < 0 || index >= length) {
            throw outside(index, Byte.BYTES);
        }
        return page.get(index);
    }

    /**
     * Reads a little-endian {@code int}.
     *
     * @param index of its first byte; {@code [index, index + 4)} inside the payload
     * @return the value
     * @throws IndexOutOfBoundsException if outside the payload
     * @throws IllegalStateException     if nothing was wrapped yet
     */
    public int getInt(int index) {
        if (index < 0 || index > length - Integer.BYTES) {
            throw outside(index, Integer.BYTES);
        }
        return page.getInt(index);
    }

    /**
     * Reads a little-endian {@code long}.
     *
     * @param index of its first byte; {@code [index, index + 8)} inside the payload
     * @return the value
     * @throws IndexOutOfBoundsException if outside the payload
     * @throws IllegalStateException     if nothing was wrapped yet
     */
    public long getLong(int index) {
        // A plain comparison, not Objects.checkFromIndexSize: C2 on JDK 17 then keeps a loop of getLong calls at the
        // buffer's own speed (1.4x faster over a 64 KiB page, measured in the pump's check). length is 0 before the
        // first wrap, so an unwrapped view always fails here and never reaches the null page.
        if (index < 0 || index > length - Long.BYTES) {
            throw outside(index, Long.BYTES);
        }
        return page.getLong(index);
    }

    /**
     * Copies payload bytes into an array, then re-checks the generation.
     *
     * @param index     of the first payload byte
     * @param dst       the destination
     * @param dstOffset where to start in {@code dst}
     * @param count     how many bytes
     * @throws IllegalArgumentException  if {@code dst} is null
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException     if nothing was wrapped, or the handle was released before or during the copy
     *                                   ({@code dst} then holds unspecified bytes)
     */
    public void getBytes(int index, byte[] dst, int dstOffset, int count) {
        Checks.notNull("dst", dst);
        Objects.checkFromIndexSize(index, count, length);
        page().get(index, dst, dstOffset, count);
        checkValid();
    }

    /**
     * Copies payload bytes into {@code dst} from its position to its limit (advancing its position), then re-checks
     * the generation.
     *
     * @param index of the first payload byte
     * @param dst   the destination
     * @throws IllegalArgumentException          if {@code dst} is null
     * @throws IndexOutOfBoundsException         if the payload has fewer than {@code dst.remaining()} bytes from
     *                                           {@code index}
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     * @throws IllegalStateException             if nothing was wrapped, or the handle was released before or during
     *                                           the copy ({@code dst}'s position is then unchanged, its bytes
     *                                           unspecified)
     */
    public void getBytes(int index, ByteBuffer dst) {
        Checks.notNull("dst", dst);
        final int count = dst.remaining();
        Objects.checkFromIndexSize(index, count, length);
        dst.put(dst.position(), page(), index, count);
        checkValid();
        dst.position(dst.position() + count);
    }

    /**
     * Whether the wrapped handle is still owned, so that everything read through this view so far came from its
     * payload. Reads made before this call are ordered before its check.
     *
     * @return {@code false} if the handle has been released since {@link #wrap}, or nothing is wrapped
     */
    public boolean isValid() {
        return pool != null && pool.isCurrent(pageIndex, ownedState);
    }

    /**
     * Throws if the wrapped handle has been released since {@link #wrap}.
     *
     * @throws IllegalStateException if it was released (the values read may belong to another payload)
     */
    public void checkValid() {
        if (!isValid()) {
            throw new IllegalStateException("view: " + SlabHandle.toString(handle)
                + (pool == null ? " was never wrapped" : " was released while it was read (stale read)"));
        }
    }

    /** The exception for a read of {@code size} bytes at {@code index}: outside the payload, or nothing wrapped. */
    private RuntimeException outside(int index, int size) {
        if (page == null) {
            return new IllegalStateException("view: nothing wrapped yet");
        }
        return new IndexOutOfBoundsException("view: " + size + " byte(s) at index " + index + " are outside the payload"
            + " of " + length + " bytes");
    }

    private ByteBuffer page() {
        final ByteBuffer current = page;
        if (current == null) {
            throw new IllegalStateException("view: nothing wrapped yet");
        }
        return current;
    }

    @Override
    public String toString() {
        return "SlabView[" + SlabHandle.toString(handle) + "]";
    }
}
