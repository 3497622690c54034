package dev.tpcbridge.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The thread a channel handle is confined to, once confined: any other thread's call fails with
 * {@link IllegalStateException}. Set once, by CAS; read (volatile) by every checked call.
 */
final class Confinement {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Confinement.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** "the data handle is pinned to", say: what the messages say before the owner's name. */
    private final String confinedTo;
    /** What the messages add after the calling thread's name: advice, or "". */
    private final String hint;
    @SuppressWarnings("unused") // through OWNER
    private volatile Thread owner;

    Confinement(String confinedTo, String hint) {
        this.confinedTo = confinedTo;
        this.hint = hint;
    }

    /** Confines to {@code thread}; again to the same thread does nothing; to another throws. */
    void confineTo(Thread thread) {
        // CAS: two threads racing to confine cannot both win; volatile, so every later check sees the owner
        final Thread witness = (Thread) OWNER.compareAndExchange(this, (Thread) null, thread);
        if (witness != null && witness != thread) {
            throw wrongThread(witness, thread);
        }
    }

    /** Throws unless unconfined or called from the owner. */
    void check() {
        final Thread owner = this.owner;
        if (owner != null && owner != Thread.currentThread()) {
            throw wrongThread(owner, Thread.currentThread());
        }
    }

    /** Throws unless unconfined, called from the owner, or the owner has ended (a supervisor closing after it). */
    void checkOrEnded(String action) {
        final Thread owner = this.owner;
        if (owner != null && owner != Thread.currentThread() && owner.isAlive()) {
            throw new IllegalStateException(confinedTo + " thread '" + owner.getName() + "', which is alive: " + action
                + " it there, or once that thread has ended");
        }
    }

    boolean isConfined() {
        return owner != null;
    }

    Thread owner() {
        return owner;
    }

    private IllegalStateException wrongThread(Thread owner, Thread caller) {
        return new IllegalStateException(confinedTo + " thread '" + owner.getName() + "'; called from thread '"
            + caller.getName() + "'" + hint);
    }
}
