package dev.tpcbridge.ring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The sequential specification both rings must linearize to: a bounded FIFO with two-sided close. */
public class RingSequentialSpec {
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private boolean producerClosed;
    private boolean consumerClosed;

    public RingSequentialSpec() {
    }

    public OfferStatus offer(int value) {
        if (producerClosed || consumerClosed) {
            return OfferStatus.CLOSED;
        }
        if (queue.size() == RingLincheckTest.CAPACITY) {
            return OfferStatus.FULL;
        }
        queue.add(value);
        return OfferStatus.OK;
    }

    public int fill(int value) {
        int filled = 0;
        while (filled < 1 && offer(value + filled) == OfferStatus.OK) {
            filled++;
        }
        return filled;
    }

    public Integer poll() {
        return consumerClosed ? null : queue.poll();
    }

    public List<Integer> drain() {
        List<Integer> out = new ArrayList<>();
        while (!consumerClosed && out.size() < 1 && !queue.isEmpty()) {
            out.add(queue.poll());
        }
        return out;
    }

    public void closeProducer() {
        producerClosed = true;
    }

    public List<Integer> closeConsumer() {
        consumerClosed = true;
        List<Integer> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    public boolean isClosedForPoll() {
        return consumerClosed || (producerClosed && queue.isEmpty());
    }

    public boolean isClosedForOffer() {
        return producerClosed || consumerClosed;
    }

    public int size() {
        return queue.size();
    }
}
