package dev.tpcbridge.internal;

/**
 * Collects the failures of callbacks that must all run (every element handed over even if one handler call
 * throws), and rethrows the first with the others suppressed.
 *
 * <p>Stateless; any thread.
 */
public final class Failures {
    private Failures() {
    }

    /**
     * Adds {@code next} to the failures collected so far.
     *
     * @param first the first failure so far, or null
     * @param next  a new failure
     * @return the first failure, carrying {@code next} as suppressed if it is another one
     */
    public static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    /**
     * Rethrows the collected failure, if any, unchanged (checked or not).
     *
     * @param failure the first failure, or null for none
     */
    public static void rethrowIfAny(Throwable failure) {
        if (failure != null) {
            Failures.<RuntimeException>sneakyThrow(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
