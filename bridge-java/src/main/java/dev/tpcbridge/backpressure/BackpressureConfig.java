package dev.tpcbridge.backpressure;

/**
 * The four watermarks of a {@link BackpressureController}, as fractions of the buffer's capacity: immutable and
 * validated on construction, so any thread may share and read an instance without synchronisation (all fields are
 * final; nothing blocks). Its {@link Builder} is not thread-safe: one per thread. An invalid value is a contract
 * violation, reported by {@link Builder#build()} as an {@link IllegalArgumentException}.
 *
 * <p><b>Semantics.</b> With utilisation {@code u = size / capacity}, a state is entered when
 * {@code u >= enter...} and left when {@code u < exit...}; each exit lies strictly below its enter, so the gap
 * between them (the hysteresis band) keeps a buffer hovering at one watermark from flapping between states. The
 * transitions are listed on {@link BackpressureController}.
 *
 * <p><b>Rules.</b> Every watermark lies in {@code [0, 1]} (not NaN); {@code exitThrottle < enterThrottle};
 * {@code exitSuspend < enterSuspend}; {@code enterThrottle <= enterSuspend}; {@code exitThrottle <= exitSuspend}.
 * A violation throws {@link IllegalArgumentException} with a message naming the values, such as
 * {@code exitThrottle=0.9 must be < enterThrottle=0.85}. {@code -0.0} is stored as {@code 0.0}.
 *
 * <pre>{@code
 * BackpressureConfig config = BackpressureConfig.builder()
 *     .enterThrottle(0.70).exitThrottle(0.50)
 *     .enterSuspend(0.90).exitSuspend(0.80)
 *     .build();
 * }</pre>
 */
public final class BackpressureConfig {
    /** Default {@link #enterThrottle()}: 0.85. */
    public static final double DEFAULT_ENTER_THROTTLE = 0.85;
    /** Default {@link #exitThrottle()}: 0.75. */
    public static final double DEFAULT_EXIT_THROTTLE = 0.75;
    /** Default {@link #enterSuspend()}: 0.95. */
    public static final double DEFAULT_ENTER_SUSPEND = 0.95;
    /** Default {@link #exitSuspend()}: 0.85. */
    public static final double DEFAULT_EXIT_SUSPEND = 0.85;

    private static final BackpressureConfig DEFAULTS = new BackpressureConfig(
        DEFAULT_ENTER_THROTTLE, DEFAULT_EXIT_THROTTLE, DEFAULT_ENTER_SUSPEND, DEFAULT_EXIT_SUSPEND);

    private final double enterThrottle;
    private final double exitThrottle;
    private final double enterSuspend;
    private final double exitSuspend;

    private BackpressureConfig(double enterThrottle, double exitThrottle, double enterSuspend, double exitSuspend) {
        this.enterThrottle = fraction("enterThrottle", enterThrottle);
        this.exitThrottle = fraction("exitThrottle", exitThrottle);
        this.enterSuspend = fraction("enterSuspend", enterSuspend);
        this.exitSuspend = fraction("exitSuspend", exitSuspend);
        if (!(this.exitThrottle < this.enterThrottle)) {
            throw new IllegalArgumentException(
                "exitThrottle=" + this.exitThrottle + " must be < enterThrottle=" + this.enterThrottle);
        }
        if (!(this.exitSuspend < this.enterSuspend)) {
            throw new IllegalArgumentException(
                "exitSuspend=" + this.exitSuspend + " must be < enterSuspend=" + this.enterSuspend);
        }
        if (!(this.enterThrottle <= this.enterSuspend)) {
            throw new IllegalArgumentException(
                "enterThrottle=" + this.enterThrottle + " must be <= enterSuspend=" + this.enterSuspend);
        }
        if (!(this.exitThrottle <= this.exitSuspend)) {
            throw new IllegalArgumentException(
                "exitThrottle=" + this.exitThrottle + " must be <= exitSuspend=" + this.exitSuspend);
        }
    }

    /** Checks that {@code value} is in {@code [0, 1]} and not NaN; returns it with {@code -0.0} made {@code 0.0}. */
    private static double fraction(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) { // written so that NaN fails too
            throw new IllegalArgumentException(name + "=" + value + " must be in [0, 1]");
        }
        return value + 0.0; // -0.0 + 0.0 == +0.0, so equals() and hashCode() agree with ==
    }

    /**
     * The default watermarks: throttle from 85% down to below 75%, suspend from 95% down to below 85%.
     *
     * @return the shared default configuration
     */
    public static BackpressureConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the {@linkplain #defaults() defaults}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The utilisation at or above which {@code NORMAL} becomes {@code THROTTLED}.
     *
     * @return a fraction of the capacity, in {@code [0, 1]}
     */
    public double enterThrottle() {
        return enterThrottle;
    }

    /**
     * The utilisation below which {@code THROTTLED} (or {@code SUSPENDED}) becomes {@code NORMAL}.
     *
     * @return a fraction of the capacity, in {@code [0, 1]}
     */
    public double exitThrottle() {
        return exitThrottle;
    }

    /**
     * The utilisation at or above which {@code NORMAL} or {@code THROTTLED} becomes {@code SUSPENDED}.
     *
     * @return a fraction of the capacity, in {@code [0, 1]}
     */
    public double enterSuspend() {
        return enterSuspend;
    }

    /**
     * The utilisation below which {@code SUSPENDED} becomes {@code THROTTLED} (or {@code NORMAL}, below
     * {@link #exitThrottle()}).
     *
     * @return a fraction of the capacity, in {@code [0, 1]}
     */
    public double exitSuspend() {
        return exitSuspend;
    }

    /**
     * Two configurations are equal when their four watermarks are.
     *
     * @param o the other object
     * @return whether {@code o} is a {@code BackpressureConfig} with the same watermarks
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BackpressureConfig)) {
            return false;
        }
        BackpressureConfig that = (BackpressureConfig) o;
        return Double.compare(enterThrottle, that.enterThrottle) == 0
            && Double.compare(exitThrottle, that.exitThrottle) == 0
            && Double.compare(enterSuspend, that.enterSuspend) == 0
            && Double.compare(exitSuspend, that.exitSuspend) == 0;
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(enterThrottle);
        h = 31 * h + Double.hashCode(exitThrottle);
        h = 31 * h + Double.hashCode(enterSuspend);
        return 31 * h + Double.hashCode(exitSuspend);
    }

    @Override
    public String toString() {
        return "BackpressureConfig{enterThrottle=" + enterThrottle + ", exitThrottle=" + exitThrottle
            + ", enterSuspend=" + enterSuspend + ", exitSuspend=" + exitSuspend + '}';
    }

    /**
     * Builds a {@link BackpressureConfig}, starting from the defaults; {@link #build()} validates.
     *
     * <p>Not thread-safe: confine a builder to one thread. A builder may be reused after {@code build()}.
     */
    public static final class Builder {
        private double enterThrottle = DEFAULT_ENTER_THROTTLE;
        private double exitThrottle = DEFAULT_EXIT_THROTTLE;
        private double enterSuspend = DEFAULT_ENTER_SUSPEND;
        private double exitSuspend = DEFAULT_EXIT_SUSPEND;

        private Builder() {
        }

        /**
         * Sets the utilisation at or above which {@code NORMAL} becomes {@code THROTTLED}.
         *
         * @param enterThrottle a fraction of the capacity in {@code [0, 1]}, checked by {@link #build()}
         * @return this builder
         */
        public Builder enterThrottle(double enterThrottle) {
            this.enterThrottle = enterThrottle;
            return this;
        }

        /**
         * Sets the utilisation below which a throttled or suspended buffer becomes {@code NORMAL}.
         *
         * @param exitThrottle a fraction of the capacity in {@code [0, 1]}, checked by {@link #build()}
         * @return this builder
         */
        public Builder exitThrottle(double exitThrottle) {
            this.exitThrottle = exitThrottle;
            return this;
        }

        /**
         * Sets the utilisation at or above which the buffer becomes {@code SUSPENDED}.
         *
         * @param enterSuspend a fraction of the capacity in {@code [0, 1]}, checked by {@link #build()}
         * @return this builder
         */
        public Builder enterSuspend(double enterSuspend) {
            this.enterSuspend = enterSuspend;
            return this;
        }

        /**
         * Sets the utilisation below which a suspended buffer leaves {@code SUSPENDED}.
         *
         * @param exitSuspend a fraction of the capacity in {@code [0, 1]}, checked by {@link #build()}
         * @return this builder
         */
        public Builder exitSuspend(double exitSuspend) {
            this.exitSuspend = exitSuspend;
            return this;
        }

        /**
         * Validates the watermarks and builds the configuration.
         *
         * @return a new, immutable configuration
         * @throws IllegalArgumentException if a watermark is NaN or outside {@code [0, 1]}, or the watermarks
         *                                  break a rule of {@link BackpressureConfig}; the message names the values
         */
        public BackpressureConfig build() {
            return new BackpressureConfig(enterThrottle, exitThrottle, enterSuspend, exitSuspend);
        }
    }
}
