package dev.tpcbridge.bench.report;

import java.util.Arrays;

/**
 * Median and spread (min-max) of one value per fork; {@link #forks()} is 0 when no fork fell into the selection.
 *
 * @param forks  how many forks the figures summarise
 * @param median the median over forks (the mean of the middle two for an even count, as Python's
 *               {@code statistics.median})
 * @param min    the lowest fork
 * @param max    the highest fork
 */
record Summary(int forks, double median, double min, double max) {
    static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN);

    static Summary of(double[] perFork) {
        if (perFork.length == 0) {
            return EMPTY;
        }
        final double[] sorted = perFork.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        final double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Summary(sorted.length, median, sorted[0], sorted[sorted.length - 1]);
    }

    boolean isEmpty() {
        return forks == 0;
    }
}
