package dev.tpcbridge.bench.report;

/**
 * Subject over peer, from two summaries of the same run and placement class: the ratio of the medians (the figure
 * the results tables quote) and the range of the ratios of every subject fork to every peer fork (its spread).
 *
 * @param median subject median / peer median
 * @param low    subject min / peer max
 * @param high   subject max / peer min
 */
record Ratio(double median, double low, double high) {
    /** @return the ratio, or null when either side has no fork in the selection */
    static Ratio of(Summary subject, Summary peer) {
        if (subject.isEmpty() || peer.isEmpty()) {
            return null;
        }
        return new Ratio(subject.median() / peer.median(), subject.min() / peer.max(), subject.max() / peer.min());
    }
}
