package dev.tpcbridge.runtime;

import dev.tpcbridge.wake.Wakeable;
import dev.tpcbridge.wake.Waker;

import java.util.Arrays;

/**
 * Every condition a core's idle park must end on, as one {@link Wakeable}: its signal, its task ring and each
 * attached channel's request side. The set changes as channels come and go, but only on the core thread, between
 * idles, and only the core thread arms it: plain fields.
 */
final class CoreWakeables implements Wakeable {
    private Wakeable[] sources;

    CoreWakeables(Wakeable... fixed) {
        this.sources = fixed.clone();
    }

    void add(Wakeable source) {
        sources = Arrays.copyOf(sources, sources.length + 1);
        sources[sources.length - 1] = source;
    }

    void remove(Wakeable source) {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == source) {
                final Wakeable[] next = new Wakeable[sources.length - 1];
                System.arraycopy(sources, 0, next, 0, i);
                System.arraycopy(sources, i + 1, next, i, next.length - i);
                sources = next;
                return;
            }
        }
    }

    /** Arms each source in turn; if one is ready, withdraws those armed so far and reports "ready". */
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
            source.disarm(waker);
        }
    }
}
