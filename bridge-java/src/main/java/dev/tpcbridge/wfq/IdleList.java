package dev.tpcbridge.wfq;

/**
 * The fair intake's idle tenants, oldest first: a doubly linked list threaded through {@link Flow}'s
 * {@code idlePrev}, {@code idleNext} and {@code idle} fields, so that a tenant whose queue empties joins it, one whose
 * call arrives leaves it, and the reaper takes the oldest, each in O(1) and without allocating.
 *
 * <p>Not thread-safe: the intake's poll thread only, like the {@link Flow} fields it links.
 */
final class IdleList {
    private Flow first;
    private Flow last;
    private int count;

    /** Adds {@code flow}, which is not on the list, as the newest. */
    void add(Flow flow) {
        flow.idle = true;
        flow.idleNext = null;
        flow.idlePrev = last;
        if (last == null) {
            first = flow;
        } else {
            last.idleNext = flow;
        }
        last = flow;
        count++;
    }

    /** Takes {@code flow}, which is on the list, off it. */
    void remove(Flow flow) {
        final Flow prev = flow.idlePrev;
        final Flow next = flow.idleNext;
        if (prev == null) {
            first = next;
        } else {
            prev.idleNext = next;
        }
        if (next == null) {
            last = prev;
        } else {
            next.idlePrev = prev;
        }
        flow.idlePrev = null;
        flow.idleNext = null;
        flow.idle = false;
        count--;
    }

    /** The oldest flow on the list, or null. */
    Flow oldest() {
        return first;
    }

    /** Flows on the list. */
    int size() {
        return count;
    }
}
