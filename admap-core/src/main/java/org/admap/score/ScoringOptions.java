package org.admap.score;

/**
 * How a scoring run behaves, whatever the scorer.
 *
 * @param concurrency requests in flight at once
 * @param retryFailed whether responses whose earlier score failed are scored again
 * @param maxCostUsd  stop before spending more than this (NaN: no limit)
 * @param dryRun      count calls, tokens and cost without calling anything
 * @param reuseAcrossEndpoints copy stored scores of the same configuration made at any endpoint, not
 *                    only at this one (one model behind OpenAI, Azure or a proxy)
 */
public record ScoringOptions(int concurrency, boolean retryFailed, double maxCostUsd, boolean dryRun,
                             boolean reuseAcrossEndpoints) {

    /** Options that copy only the scores made at the scorer's own endpoint. */
    public ScoringOptions(int concurrency, boolean retryFailed, double maxCostUsd, boolean dryRun) {
        this(concurrency, retryFailed, maxCostUsd, dryRun, false);
    }

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
