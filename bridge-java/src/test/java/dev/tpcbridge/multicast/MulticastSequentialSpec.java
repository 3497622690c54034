package dev.tpcbridge.multicast;

import java.util.ArrayList;
import java.util.List;

/**
 * The sequential specifications {@link MulticastLincheckTest} checks against: a log of published elements and a
 * position per subscriber. Lossless: a publication needs {@code published - slowest open position < capacity}.
 * Lossy: a subscriber more than a capacity behind skips to {@code published - capacity} and counts the skipped.
 */
public abstract class MulticastSequentialSpec {
    final List<Integer> log = new ArrayList<>();
    final boolean lossy;
    boolean producerClosed;
    boolean closedB;
    int posA;
    int posB;
    long lostA;

    MulticastSequentialSpec(boolean lossy) {
        this.lossy = lossy;
    }

    public PublishStatus offer(int value) {
        if (producerClosed) {
            return PublishStatus.CLOSED;
        }
        int slowest = closedB ? posA : Math.min(posA, posB);
        if (!lossy && log.size() - slowest >= MulticastLincheckTest.CAPACITY) {
            return PublishStatus.FULL;
        }
        log.add(value);
        return PublishStatus.OK;
    }

    public int fill(int value) {
        return offer(value) == PublishStatus.OK ? 1 : 0;
    }

    public void closeProducer() {
        producerClosed = true;
    }

    public Integer pollA() {
        if (lossy && log.size() - posA > MulticastLincheckTest.CAPACITY) {
            int resume = log.size() - MulticastLincheckTest.CAPACITY;
            lostA += resume - posA;
            posA = resume;
        }
        return posA < log.size() ? log.get(posA++) : null;
    }

    public List<Integer> drainA() {
        List<Integer> out = new ArrayList<>();
        Integer e = pollA();
        if (e != null) {
            out.add(e);
        }
        return out;
    }

    public long lagA() {
        return log.size() - posA;
    }

    public long lostA() {
        return lostA;
    }

    public boolean isClosedForPollA() {
        return producerClosed && posA == log.size();
    }

    public Integer pollB() {
        if (closedB) {
            return -1;
        }
        if (lossy && log.size() - posB > MulticastLincheckTest.CAPACITY) {
            posB = log.size() - MulticastLincheckTest.CAPACITY;
        }
        return posB < log.size() ? log.get(posB++) : null;
    }

    public void closeB() {
        closedB = true;
    }

    /** Lossless. */
    public static final class Lossless extends MulticastSequentialSpec {
        public Lossless() {
            super(false);
        }
    }

    /** Lossy. */
    public static final class Lossy extends MulticastSequentialSpec {
        public Lossy() {
            super(true);
        }
    }
}
