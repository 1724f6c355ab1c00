package org.admap.map;

import java.util.Locale;

/**
 * How a map estimates the stability of its regions ({@link RegionStability}), when its
 * scores carry uncertainty.
 *
 * @param target    which second map the stability predicts
 * @param noise     where each response's noise comes from
 * @param draws     the number of resampled maps
 * @param seed      their seed: the same seed gives the same estimate
 * @param calibrate the share of the responses with repeated judgments whose spread is used
 *                  (a seeded choice; 1 = all): the others count as judged once, with the
 *                  noise variance estimated from that share. Below 1 it emulates judging only
 *                  a share of the responses twice ({@code score --calibrate F})
 * @param sample    the map on the {@code sample}-th (0-based) judgment of every response alone
 *                  ({@code map --sample J}), or -1 for the map on the means of the samples
 * @param lattice   whether resampled scores are rounded to the grid of the judgments when
 *                  every judgment is a whole number ({@link RegionStability.Lattice}); off:
 *                  continuous Gaussian noise always
 */
public record StabilityOptions(StabilityTarget target, Noise noise, int draws, long seed, double calibrate,
                               int sample, boolean lattice) {

    /** Where a response's noise comes from. */
    public enum Noise {
        /**
         * One noise variance for every response, the mean within-response variance of the
         * responses judged more than once (a response's own spread over two or three samples is
         * itself too noisy: three equal grades say little about the fourth).
         */
        POOLED,
        /** Each response's own standard error where it has one, the pooled one elsewhere. */
        PER_RESPONSE;

        /** The name on the command line. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses {@code pooled} or {@code per-response}. */
        public static Noise parse(String text) {
            for (Noise n : values()) {
                if (n.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown noise model '" + text + "': expected pooled or per-response");
        }
    }

    /**
     * The defaults: predict a replicate map, each response's own noise, 200 draws, seed 1,
     * every response, the means, on the judgments' grid.
     */
    public static final StabilityOptions DEFAULTS = new StabilityOptions(StabilityTarget.REPLICATE,
            Noise.PER_RESPONSE, RegionStability.DEFAULT_DRAWS, 1, 1.0, -1, true);

    public StabilityOptions {
        if (target == null || noise == null) {
            throw new IllegalArgumentException("a stability target and a noise model are needed");
        }
        if (draws < 1) {
            throw new IllegalArgumentException("--stability-draws must be at least 1, got " + draws);
        }
        if (!(calibrate > 0 && calibrate <= 1)) {
            throw new IllegalArgumentException("--calibrate must be a share in (0, 1], got " + calibrate);
        }
        if (sample < -1) {
            throw new IllegalArgumentException("--sample is 0-based, got " + sample);
        }
    }
}
