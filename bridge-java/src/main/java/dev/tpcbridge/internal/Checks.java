package dev.tpcbridge.internal;

/**
 * Argument validation with messages that name the bad value ({@code name=value}).
 *
 * <p>Stateless; any thread.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Rounds {@code requested} up to a power of two after checking that it lies in {@code [1, max]}.
     *
     * @param name      the argument's name, for the message
     * @param requested the requested capacity
     * @param max       the largest accepted capacity, itself a power of two
     * @return the smallest power of two that is {@code >= requested}
     * @throws IllegalArgumentException when {@code requested} is outside {@code [1, max]}
     */
    public static int powerOfTwoCapacity(String name, int requested, int max) {
        if (requested < 1 || requested > max) {
            throw new IllegalArgumentException(name + "=" + requested + " must be in [1, " + max + "]");
        }
        return requested == 1 ? 1 : Integer.highestOneBit(requested - 1) << 1;
    }

    /**
     * Checks a batch limit.
     *
     * @param limit the limit
     * @return {@code limit}
     * @throws IllegalArgumentException when {@code limit < 1}
     */
    public static int positiveLimit(int limit) {
        return positive("limit", limit);
    }

    /**
     * Checks that a count is at least 1.
     *
     * @param name  the argument's name, for the message
     * @param value the argument
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value < 1}
     */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + "=" + value + " must be >= 1");
        }
        return value;
    }

    /**
     * Checks that an argument is not null.
     *
     * @param name  the argument's name, for the message
     * @param value the argument
     * @param <T>   its type
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is null
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + "=null is not allowed");
        }
        return value;
    }

    /**
     * Checks that {@code [from, from + size)} lies within {@code [0, bound)}.
     *
     * @param fromName  the name of the first index, for the message
     * @param from      the first index
     * @param size      how many, 0 or more
     * @param boundName what bounds the range, for the message (e.g. {@code "src.limit()"})
     * @param bound     the exclusive upper bound
     * @return {@code from}
     * @throws IndexOutOfBoundsException when the range is not within bounds (the message names every value)
     */
    public static int range(String fromName, int from, int size, String boundName, int bound) {
        if ((from | size) < 0 || size > bound - from) {
            throw new IndexOutOfBoundsException(
                fromName + "=" + from + ", length=" + size + " is outside [0, " + boundName + "=" + bound + ")");
        }
        return from;
    }
}
