package dev.tpcbridge.runtime;

import dev.tpcbridge.bridge.BridgeMetrics;

import java.util.Arrays;

/**
 * The channels attached to a core, with the request and failure counts of those it let go, as one immutable value:
 * the core thread publishes a new one on each attach and detach (a volatile write), so any thread reads a consistent
 * set. A channel's counts are its own ({@code BridgeChannel.metrics()}): the core counts nothing twice.
 */
final class Channels {
    static final Channels NONE = new Channels(new Attachment<?, ?>[0], 0, 0);

    final Attachment<?, ?>[] attached;
    private final long retiredRequests;
    private final long retiredFailures;

    private Channels(Attachment<?, ?>[] attached, long retiredRequests, long retiredFailures) {
        this.attached = attached;
        this.retiredRequests = retiredRequests;
        this.retiredFailures = retiredFailures;
    }

    Channels with(Attachment<?, ?> added) {
        final Attachment<?, ?>[] grown = Arrays.copyOf(attached, attached.length + 1);
        grown[attached.length] = added;
        return new Channels(grown, retiredRequests, retiredFailures);
    }

    /** Without {@code gone}, whose final counts join the retired ones. */
    Channels without(Attachment<?, ?> gone) {
        final Attachment<?, ?>[] next = new Attachment<?, ?>[attached.length - 1];
        for (int i = 0, j = 0; i < attached.length; i++) {
            if (attached[i] != gone) {
                next[j++] = attached[i];
            }
        }
        final BridgeMetrics last = gone.channel.metrics();
        return new Channels(next, retiredRequests + last.requestsReceived(), retiredFailures + last.requestsFailed());
    }

    /** Without any channel: every attached one's final counts join the retired ones (the core closed them). */
    Channels withoutAll() {
        long requests = retiredRequests;
        long failures = retiredFailures;
        for (Attachment<?, ?> a : attached) {
            final BridgeMetrics last = a.channel.metrics();
            requests += last.requestsReceived();
            failures += last.requestsFailed();
        }
        return new Channels(new Attachment<?, ?>[0], requests, failures);
    }

    boolean contains(Object channel) {
        for (Attachment<?, ?> a : attached) {
            if (a.channel == channel) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return attached.length;
    }

    /** Requests taken by the core over its life. Allocates a snapshot per channel. */
    long requests() {
        long total = retiredRequests;
        for (Attachment<?, ?> a : attached) {
            total += a.channel.metrics().requestsReceived();
        }
        return total;
    }

    /** Requests whose handler failed, over the core's life. Allocates a snapshot per channel. */
    long failures() {
        long total = retiredFailures;
        for (Attachment<?, ?> a : attached) {
            total += a.channel.metrics().requestsFailed();
        }
        return total;
    }
}
