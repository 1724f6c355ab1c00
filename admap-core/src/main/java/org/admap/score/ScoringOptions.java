package org.admap.score;

/**
 * How a scoring run behaves, whatever the scorer.
 *
 * @param concurrency requests in flight at once
 * @param retryFailed whether responses whose earlier score failed are scored again
 * @param maxCostUsd  stop before spending more than this (NaN: no limit)
 * @param dryRun      count calls, tokens and cost without calling anything
 */
public record ScoringOptions(int concurrency, boolean retryFailed, double maxCostUsd, boolean dryRun) {

    public ScoringOptions {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        }
        if (!Double.isNaN(maxCostUsd) && maxCostUsd < 0) {
            throw new IllegalArgumentException("--max-cost must not be negative, got " + maxCostUsd);
        }
    }

    public static ScoringOptions defaults() {
        return new ScoringOptions(16, false, Double.NaN, false);
    }
}
