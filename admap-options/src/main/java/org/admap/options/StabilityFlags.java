package org.admap.options;

import org.admap.map.RegionStability;
import org.admap.map.StabilityOptions;
import org.admap.map.StabilityTarget;
import picocli.CommandLine.Option;

/**
 * The options of the regions' stability estimate ({@code region_p}), which a map makes when
 * its scores carry uncertainty: repeated judgments ({@code score --samples K}), list-valued
 * input scores (Prometheus' {@code gpt4_score}), or a judge's spread. Shared by {@code admap map}
 * and the Spark job (which leaves out {@code --sample}), so that both estimate under the same
 * options with the same defaults.
 */
public final class StabilityFlags {

    @Option(names = "--sample", paramLabel = "J",
            description = "Map on the J-th judgment (0-based) of every response alone, as if it had been judged"
                    + " once; the other judgments only measure the noise. Compare it with the map on another"
                    + " sample, or on the means (the default), to see how much one judgment moves the regions.")
    Integer sample;

    @Option(names = "--stability-target", paramLabel = "TARGET", defaultValue = "replicate",
            description = "Which second map region_p predicts: replicate (default: the scores measured again"
                    + " the same way), truth (the noise-free scores), fresh:M (the mean of M new judgments),"
                    + " pooled:M (the mean of M judgments that include the current ones). See docs/trust.md.")
    String target;

    @Option(names = "--noise", paramLabel = "MODEL", defaultValue = "per-response",
            description = "Where each response's noise comes from: per-response (default: its own standard error"
                    + " where it has one, the pooled one elsewhere) or pooled (one variance of a judgment for every"
                    + " response, from all repeated judgments).")
    String noise;

    @Option(names = "--continuous-noise",
            description = "Resample scores with continuous Gaussian noise even when the judgments are whole"
                    + " numbers (by default they are rounded to the judgments' grid, which keeps the ties that the"
                    + " rank rule breaks by id).")
    boolean continuous;

    @Option(names = "--calibrate", paramLabel = "F", defaultValue = "1",
            description = "Estimate the noise from a seeded share F of the responses judged more than once, and"
                    + " count the others as judged once (default 1: all of them).")
    double calibrate;

    @Option(names = "--stability-draws", paramLabel = "N", defaultValue = "" + RegionStability.DEFAULT_DRAWS,
            description = "Resampled maps behind region_p (default ${DEFAULT-VALUE}: region_p to within 0.035).")
    int draws;

    @Option(names = "--stability-seed", paramLabel = "SEED", defaultValue = "1",
            description = "The seed of the resampling; the same seed gives the same region_p.")
    long seed;

    /**
     * The options given; {@code --sample} absent (or removed from a command line, as the Spark job
     * does) is the map on the means.
     *
     * @throws IllegalArgumentException for a target, noise model, share or count out of range, with the option
     */
    public StabilityOptions toOptions() {
        return new StabilityOptions(StabilityTarget.parse(target), StabilityOptions.Noise.parse(noise), draws,
                seed, calibrate, sample == null ? -1 : sample, !continuous);
    }
}
