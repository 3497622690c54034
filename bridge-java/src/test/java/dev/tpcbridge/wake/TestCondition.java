package dev.tpcbridge.wake;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Wakeable} for the wake package's tests, built on a {@link WaiterList} as the library's own are: it holds
 * once {@link #set()}; {@link #wakeWithoutSetting()} wakes the armed waiters without it holding (a spurious or early
 * wake); {@link #parkLimit} is what {@link #parkLimitNanos()} answers. Counts its arms. Any thread.
 */
final class TestCondition implements Wakeable {
    final WaiterList waiters = new WaiterList();
    final AtomicInteger arms = new AtomicInteger();
    private final String name;
    volatile boolean set;
    volatile long parkLimit = Long.MAX_VALUE;

    TestCondition(String name) {
        this.name = name;
    }

    /** Makes the condition hold, then wakes the armed waiters (publish, fence, read: the notifier's half). */
    void set() {
        set = true;
        waiters.wakeAllIfArmed();
    }

    /** Wakes the armed waiters though the condition does not hold. */
    void wakeWithoutSetting() {
        waiters.wakeAllIfArmed();
    }

    @Override
    public boolean arm(Waker waker) {
        arms.incrementAndGet();
        waiters.add(waker); // a CAS and a fence before the re-check
        if (set) {
            waiters.remove(waker);
            return false;
        }
        return true;
    }

    @Override
    public void disarm(Waker waker) {
        waiters.remove(waker);
    }

    @Override
    public long parkLimitNanos() {
        return parkLimit;
    }

    @Override
    public String toString() {
        return name;
    }
}
