package org.admap.run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.run.SummaryJson;

/**
 * What {@code summary.json} says about a run, typed: what it read, what its map was built on
 * and the map's numbers, the time each step took and the warnings a user should not miss;
 * a Spark job adds its diagnosis, scoring pass and pairs. {@link SummaryJson} is its one
 * writer, for the CLI and for Spark alike, so both files have the same fields.
 *
 * @param admapVersion the admap that wrote it
 * @param created      when
 * @param engine       what computed it: null for admap itself, {@code spark} for a Spark job
 * @param run          what was read
 * @param map          the map
 * @param diagnosis    the diagnosis, when the same job made one (Spark), else null
 * @param scoring      the scoring pass of the same job (Spark), else null
 * @param pairs        the pairs the same job exported (Spark), else null
 * @param seconds      wall time per step ({@code ingest}, {@code map}, {@code map_csv}, ...)
 * @param warnings     things that make the map less meaningful than it looks
 */
public record RunSummary(String admapVersion, Instant created, String engine, Read run, MapPart map,
                         DiagnosisPart diagnosis, ScoringPart scoring, PairsPart pairs, Map<String, Double> seconds,
                         List<String> warnings) {

    public RunSummary {
        seconds = new LinkedHashMap<>(seconds);
        warnings = List.copyOf(warnings);
    }

    /**
     * One input file; numbers below zero are unknown and left out.
     *
     * @param format  jsonl, jsonl.gz, csv, parquet, ...; null when unknown
     * @param layout  how its rows were read; null when unknown
     */
    public record Input(String path, String format, String layout, long bytes, long rows, long badRows) {
    }

    /**
     * What was read; numbers below zero are unknown and left out.
     *
     * @param badRowsJson  the skipped-rows report as JSON ({@code {"count": 0}} when none)
     * @param groupingJson what grouping rows into instructions did, as JSON, or null when no row was grouped
     */
    public record Read(List<Input> inputs, long items, long responses, long renamedIds, String badRowsJson,
                       String groupingJson) {

        public Read {
            inputs = List.copyOf(inputs);
        }

        /** What was read, without grouping. */
        public Read(List<Input> inputs, long items, long responses, long renamedIds, String badRowsJson) {
            this(inputs, items, responses, renamedIds, badRowsJson, null);
        }
    }

    /**
     * The map.
     *
     * @param scores      its score source
     * @param labels      how labels relate to the scores: independent, scores or none
     * @param correlation the agreement measure of its correlation column, or null for none
     * @param created     when it was built, or null when unknown
     * @param scoreRange  lowest and highest score, or null when unknown
     * @param meanRange   lowest and highest mean, or null when unknown
     * @param regions     per region (high-avg, low-avg, high-var), in that order
     * @param stability   how the regions' stability was estimated, or null when the map has no
     *                    estimate (its scores carry no uncertainty)
     */
    public record MapPart(String scores, String labels, String correlation, Instant created, long mapped,
                          long unmapped, double[] scoreRange, double[] meanRange, Map<String, RegionPart> regions,
                          StabilityPart stability, String variability) {

        public MapPart {
            regions = new LinkedHashMap<>(regions);
        }

        /** A map without a stability estimate. */
        public MapPart(String scores, String labels, String correlation, Instant created, long mapped,
                       long unmapped, double[] scoreRange, double[] meanRange, Map<String, RegionPart> regions) {
            this(scores, labels, correlation, created, mapped, unmapped, scoreRange, meanRange, regions, null);
        }

        /** A map on the scores' variance (the default variability). */
        public MapPart(String scores, String labels, String correlation, Instant created, long mapped,
                       long unmapped, double[] scoreRange, double[] meanRange, Map<String, RegionPart> regions,
                       StabilityPart stability) {
            this(scores, labels, correlation, created, mapped, unmapped, scoreRange, meanRange, regions, stability,
                    "score");
        }
    }

    /**
     * One region: its count, the ranges of its means and variances (null when unknown), and
     * the expected share of it that keeps its region on a second map with the standard
     * deviation of that share over the draws (null when the map has no stability estimate).
     */
    public record RegionPart(long count, double[] mean, double[] variance, Double stability, Double stabilitySd) {

        /** A region without a stability estimate. */
        public RegionPart(long count, double[] mean, double[] variance) {
            this(count, mean, variance, null, null);
        }
    }

    /**
     * How the map's regions' stability was estimated ({@code map.stability} in summary.json).
     *
     * @param overall              the share of all mapped instructions that keep their region
     * @param target               which second map it predicts (replicate, truth, fresh:M, pooled:M)
     * @param noise                the noise model (pooled, per-response)
     * @param sample               the judgment the map was built on alone, or -1 for the means
     * @param samplesPerScore      judgments behind a score with a standard error
     * @param judgmentVariance     the pooled variance of one judgment
     * @param calibrationResponses responses whose repeated judgments estimated the noise
     * @param latticeStep          the grid resampled scores were rounded to, or null for continuous noise
     * @param draws                resampled maps
     * @param seed                 their seed
     * @param calibration          the calibration share the noise came from ({@code score --calibrate F}), or null
     * @param noiseFrom            where the noise was measured ({@code NoiseFrom}'s value: samples, sample,
     *                             calibration, logprobs, mixed), as the estimate decided it
     */
    public record StabilityPart(double overall, String target, String noise, int sample, int samplesPerScore,
                                double judgmentVariance, long calibrationResponses, Double latticeStep, int draws,
                                long seed, CalibrationPart calibration, String noiseFrom) {
    }

    /**
     * The calibration share behind a map of one judgment per response ({@code map.stability.calibration}).
     *
     * @param share      the share of instructions judged twice
     * @param seed       the seed of the choice
     * @param pairs      the responses with two judgments the noise was estimated from
     * @param pooledSd   one judgment's pooled noise sd, {@code sqrt(mean((a - b)^2 / 2))}
     * @param noiseModel the same in words
     */
    public record CalibrationPart(double share, long seed, long pairs, double pooledSd, String noiseModel) {
    }

    /** A diagnosis made by the same job: flags and the thresholds over the whole map (NaN: undefined). */
    public record DiagnosisPart(long flagged, double bottomCorrelation, double lowImpactVariance,
                                long correlationDefined) {
    }

    /** A scoring pass made by the same job. */
    public record ScoringPart(String name, String fingerprint, String store, long responses, long alreadyStored,
                              long scoredOk, long failed, int executors) {
    }

    /** Pairs exported by the same job. */
    public record PairsPart(String region, String mode, String by, long count, String directory) {
    }
}
