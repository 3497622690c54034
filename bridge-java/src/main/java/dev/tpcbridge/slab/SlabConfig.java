package dev.tpcbridge.slab;

/**
 * The settings of a {@link SlabPool}: pool id, page size, page count and where the pages live. Immutable; any
 * thread. Built with {@link #builder()}; every setter validates its argument at once, with a message naming the bad
 * value, so no pool is ever built from a truncated or zero size.
 */
public final class SlabConfig {
    /** The default page size: 64 KiB. */
    public static final int DEFAULT_PAGE_SIZE = 64 * 1024;
    /** The default page count: 256. */
    public static final int DEFAULT_PAGE_COUNT = 256;
    /** The smallest page size: 64 bytes (one cache line). */
    public static final int MIN_PAGE_SIZE = 64;

    private final int poolId;
    private final int pageSize;
    private final int pageCount;
    private final boolean direct;

    private SlabConfig(Builder builder) {
        this.poolId = builder.poolId;
        this.pageSize = builder.pageSize;
        this.pageCount = builder.pageCount;
        this.direct = builder.direct;
    }

    /**
     * A builder with the defaults: pool id 0, 64 KiB pages, 256 pages, direct (off-heap) memory.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The pool id carried by every handle of the pool.
     *
     * @return the id, in {@code [0, 255]}
     */
    public int poolId() {
        return poolId;
    }

    /**
     * The page size in bytes.
     *
     * @return a power of two in {@code [64, 256 KiB]}
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * The number of pages.
     *
     * @return the count, in {@code [1, 4096]}
     */
    public int pageCount() {
        return pageCount;
    }

    /**
     * Whether the pages live in one direct (off-heap) buffer rather than in a heap array.
     *
     * @return {@code true} for direct memory
     */
    public boolean direct() {
        return direct;
    }

    @Override
    public String toString() {
        return "SlabConfig[poolId=" + poolId + ", pageSize=" + pageSize + ", pageCount=" + pageCount + ", direct="
            + direct + "]";
    }

    /** Builds a {@link SlabConfig}; one thread at a time. */
    public static final class Builder {
        private int poolId;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int pageCount = DEFAULT_PAGE_COUNT;
        private boolean direct = true;

        private Builder() {
        }

        /**
         * Sets the pool id, which every handle carries so that a handle is never released to the wrong pool; give
         * each pool that handles may meet a different id (one per core, say).
         *
         * @param poolId in {@code [0, 255]}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder poolId(int poolId) {
            if (poolId < 0 || poolId > SlabHandle.MAX_POOL_ID) {
                throw new IllegalArgumentException(
                    "poolId=" + poolId + " must be in [0, " + SlabHandle.MAX_POOL_ID + "]");
            }
            this.poolId = poolId;
            return this;
        }

        /**
         * Sets the page size: the largest payload a page carries.
         *
         * @param pageSize a power of two in {@code [64, 262144]}
         * @return this builder
         * @throws IllegalArgumentException if out of range or not a power of two
         */
        public Builder pageSize(int pageSize) {
            if (pageSize < MIN_PAGE_SIZE || pageSize > SlabHandle.MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
                throw new IllegalArgumentException("pageSize=" + pageSize + " must be a power of two in ["
                    + MIN_PAGE_SIZE + ", " + SlabHandle.MAX_PAGE_SIZE + "]");
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Sets the number of pages.
         *
         * @param pageCount in {@code [1, 4096]}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder pageCount(int pageCount) {
            if (pageCount < 1 || pageCount > SlabHandle.MAX_PAGE_COUNT) {
                throw new IllegalArgumentException(
                    "pageCount=" + pageCount + " must be in [1, " + SlabHandle.MAX_PAGE_COUNT + "]");
            }
            this.pageCount = pageCount;
            return this;
        }

        /**
         * Chooses direct (off-heap, the default) or heap memory for the pages.
         *
         * @param direct {@code true} for one direct {@code ByteBuffer}, {@code false} for a heap array
         * @return this builder
         */
        public Builder direct(boolean direct) {
            this.direct = direct;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return a new, immutable config
         */
        public SlabConfig build() {
            return new SlabConfig(this);
        }
    }
}
