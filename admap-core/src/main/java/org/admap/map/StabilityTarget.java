package org.admap.map;

import java.util.Locale;

/**
 * What a region's stability predicts: which second map an instruction is to keep its region
 * on. The answer sets how far the resampled scores spread around the map's own, and mixing
 * them up misstates stability by a factor of two.
 *
 * <p>Let a response's score be the mean of its {@code k} samples, each with noise variance
 * {@code sigma^2}, so that its standard error is {@code se^2 = sigma^2 / k}. Under a flat prior
 * the true score given the observed one is {@code N(x, se^2)}, and another score of the same
 * response differs from {@code x} by (all Gaussian, mean zero):
 * <ul>
 *   <li>{@code replicate} (the default): the same measurement again, {@code k} fresh samples:
 *       {@code 2 se^2} (the noise of both maps);</li>
 *   <li>{@code truth}: the noise-free score (the map infinitely many samples would give):
 *       {@code se^2};</li>
 *   <li>{@code fresh:M}: the mean of {@code M} fresh samples: {@code se^2 + sigma^2 / M
 *       = se^2 (1 + k / M)};</li>
 *   <li>{@code pooled:M}: the mean of {@code M > k} samples that include the current
 *       {@code k} (the map rebuilt after {@code M - k} more samples): {@code se^2 (M - k) / M}.
 *       From one sample, the mean of three including it is {@code 2 sigma^2 / 3}, not the
 *       {@code 4 sigma^2 / 3} of three fresh ones.</li>
 * </ul>
 *
 * @param kind    which of the four
 * @param samples {@code M} for {@code fresh} and {@code pooled}, else 0
 */
public record StabilityTarget(Kind kind, int samples) {

    /** The kinds of second map. */
    public enum Kind { REPLICATE, TRUTH, FRESH, POOLED }

    /** The default: the map rebuilt from an independent measurement of the same size. */
    public static final StabilityTarget REPLICATE = new StabilityTarget(Kind.REPLICATE, 0);
    /** The map of the noise-free scores. */
    public static final StabilityTarget TRUTH = new StabilityTarget(Kind.TRUTH, 0);

    public StabilityTarget {
        boolean counted = kind == Kind.FRESH || kind == Kind.POOLED;
        if (counted && samples < 1) {
            throw new IllegalArgumentException(kind.name().toLowerCase(Locale.ROOT) + ":M needs M >= 1, got "
                    + samples);
        }
        if (!counted && samples != 0) {
            throw new IllegalArgumentException(kind + " takes no sample count");
        }
    }

    /** Parses {@code replicate}, {@code truth}, {@code fresh:M} or {@code pooled:M}. */
    public static StabilityTarget parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("replicate")) {
            return REPLICATE;
        }
        if (t.equals("truth")) {
            return TRUTH;
        }
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        if ((name.equals("fresh") || name.equals("pooled")) && colon > 0) {
            int m;
            try {
                m = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': M in " + name + ":M must be a whole number");
            }
            return new StabilityTarget(name.equals("fresh") ? Kind.FRESH : Kind.POOLED, m);
        }
        throw new IllegalArgumentException("unknown stability target '" + text
                + "': expected replicate, truth, fresh:M or pooled:M");
    }

    /**
     * The variance of the difference between the target score and the map's score of a
     * response whose score has standard error {@code se} and is the mean of {@code k}
     * samples.
     *
     * @throws IllegalArgumentException for {@code pooled:M} with {@code M <= k}: the target
     *                                  would hold no new sample
     */
    public double noiseVariance(double se, int k) {
        double se2 = se * se;
        return switch (kind) {
            case REPLICATE -> 2 * se2;
            case TRUTH -> se2;
            case FRESH -> se2 * (1 + (double) k / samples);
            case POOLED -> {
                if (samples <= k) {
                    throw new IllegalArgumentException("pooled:" + samples + " adds no sample to scores that are"
                            + " already means of " + k);
                }
                yield se2 * (samples - k) / samples;
            }
        };
    }

    /** The text {@link #parse} reads. */
    @Override
    public String toString() {
        return switch (kind) {
            case REPLICATE -> "replicate";
            case TRUTH -> "truth";
            case FRESH -> "fresh:" + samples;
            case POOLED -> "pooled:" + samples;
        };
    }
}
