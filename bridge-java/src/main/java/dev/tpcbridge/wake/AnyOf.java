package dev.tpcbridge.wake;

/** {@link Wakeable#anyOf}: holds when any source does; immutable. */
final class AnyOf implements Wakeable {
    private final Wakeable[] sources;

    AnyOf(Wakeable[] sources) {
        this.sources = sources;
    }

    @Override
    public boolean arm(Waker waker) {
        final Wakeable[] all = sources;
        for (int i = 0; i < all.length; i++) {
            if (!all[i].arm(waker)) {
                for (int j = 0; j < i; j++) {
                    all[j].disarm(waker);
                }
                return false;
            }
        }
        return true;
    }

    @Override
    public void disarm(Waker waker) {
        for (Wakeable source : sources) {
            source.disarm(waker); // a source that already woke the waker no longer holds it: no cost
        }
    }

    @Override
    public void abandon(Waker waker) {
        for (Wakeable source : sources) {
            source.abandon(waker);
        }
    }

    @Override
    public long parkLimitNanos() {
        long limit = Long.MAX_VALUE;
        for (Wakeable source : sources) {
            limit = Math.min(limit, source.parkLimitNanos());
        }
        return limit;
    }

    @Override
    public String toString() {
        return "Wakeable.anyOf" + java.util.Arrays.toString(sources);
    }
}
