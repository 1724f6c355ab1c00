package org.admap.spark;

import java.util.List;
import java.util.Objects;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.ingest.IngestOptions;
import org.admap.map.StabilityOptions;
import org.admap.model.Region;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;

/**
 * What a Spark job does: which files it reads and how, which scores the map is built on,
 * the diagnosis thresholds, which pairs it writes and where the results land.
 *
 * @param inputs      input files, directories or globs on any Hadoop-compatible file system, in input order
 * @param out         the output directory (Hadoop path); must not exist unless {@code overwrite}
 * @param read        how the files are read: the core's options, sent to the executors as they are
 * @param scores      {@code auto} (the data's scores, else its labels), {@code input} or {@code labels}
 * @param diagnose    the diagnosis thresholds and the agreement measure of the map's correlation column
 * @param pairsRegion the region whose pairs are written, or null for every mapped instruction
 * @param pairMode    all pairs or best-worst
 * @param pairBy      what ranks a pair, or null for the labels; the map's scores when the data has no labels
 * @param maxPairsPerPrompt the most pairs one instruction gives (those of largest margin), 0 for all
 * @param overwrite   replace the output directory's results when they exist
 * @param scorer      score the responses with this scorer and map on its scores, or null to map
 *                    on the data's own numbers ({@code scores})
 * @param scoresDir   where the scorer's results are kept, or null for {@code OUT/scores}; kept
 *                    across runs (and {@code overwrite}) so nothing is scored twice
 * @param executors   the number of executors the scorer's rate limit is divided among, or 0 to
 *                    take {@code spark.executor.instances} (else the executors registered now)
 * @param stability   how the regions' stability is estimated where the scores are lists of samples
 *                    ({@code admap map}'s {@code --stability-*}, {@code --noise}, {@code --continuous-noise},
 *                    {@code --calibrate}); the map is on the means, never on one sample
 */
public record SparkMapOptions(List<String> inputs, String out, IngestOptions read, String scores,
                              DiagnoseOptions diagnose, Region pairsRegion, PairMode pairMode,
                              PairBuilder.By pairBy, int maxPairsPerPrompt, boolean overwrite,
                              org.admap.spark.score.ScorerSpec scorer, String scoresDir, int executors,
                              StabilityOptions stability) {

    public SparkMapOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(diagnose, "diagnose");
        Objects.requireNonNull(pairMode, "pairMode");
        Objects.requireNonNull(stability, "stability");
        if (stability.sample() >= 0) {
            throw new IllegalArgumentException("--sample (the map of one judgment) is not on Spark: the job maps on"
                    + " the means of the samples");
        }
        if (maxPairsPerPrompt < 0) {
            throw new IllegalArgumentException("--max-pairs-per-prompt must be at least 1, got " + maxPairsPerPrompt);
        }
        if (executors < 0) {
            throw new IllegalArgumentException("--executors must not be negative, got " + executors);
        }
        if (!List.of("auto", "input", "labels").contains(scores)) {
            throw new IllegalArgumentException("unknown score source '" + scores
                    + "': a Spark job maps on 'input' (the data's scores) or 'labels', or 'auto'");
        }
    }

    /** The defaults of {@code admap map} + {@code diagnose} + {@code select --region high-avg}. */
    public static SparkMapOptions defaults(List<String> inputs, String out) {
        return new SparkMapOptions(inputs, out, IngestOptions.defaults(), "auto", DiagnoseOptions.paper(true),
                Region.HIGH_AVG, PairMode.ALL, null, 0, false, null, null, 0, StabilityOptions.DEFAULTS);
    }

    /** These options writing the pairs of another region (null: all mapped instructions). */
    public SparkMapOptions withPairsRegion(Region region) {
        return new SparkMapOptions(inputs, out, read, scores, diagnose, region, pairMode,
                pairBy, maxPairsPerPrompt, overwrite, scorer, scoresDir, executors, stability);
    }

    /** These options reading the files another way. */
    public SparkMapOptions withRead(IngestOptions value) {
        return new SparkMapOptions(inputs, out, value, scores, diagnose, pairsRegion, pairMode,
                pairBy, maxPairsPerPrompt, overwrite, scorer, scoresDir, executors, stability);
    }

    /** These options mapping on another score source. */
    public SparkMapOptions withScores(String value) {
        return new SparkMapOptions(inputs, out, read, value, diagnose, pairsRegion, pairMode,
                pairBy, maxPairsPerPrompt, overwrite, scorer, scoresDir, executors, stability);
    }

    /** These options estimating the regions' stability another way. */
    public SparkMapOptions withStability(StabilityOptions value) {
        return new SparkMapOptions(inputs, out, read, scores, diagnose, pairsRegion, pairMode,
                pairBy, maxPairsPerPrompt, overwrite, scorer, scoresDir, executors, value);
    }

    /** These options replacing (or not) existing results. */
    public SparkMapOptions withOverwrite(boolean value) {
        return new SparkMapOptions(inputs, out, read, scores, diagnose, pairsRegion, pairMode,
                pairBy, maxPairsPerPrompt, value, scorer, scoresDir, executors, stability);
    }

    /** These options scoring with a scorer first (null: map on the data's own numbers). */
    public SparkMapOptions withScorer(org.admap.spark.score.ScorerSpec value) {
        return new SparkMapOptions(inputs, out, read, scores, diagnose, pairsRegion, pairMode, pairBy,
                maxPairsPerPrompt, overwrite, value, scoresDir, executors, stability);
    }

    /** Where the scorer's results are kept: {@code scoresDir}, or {@code OUT/scores}. */
    public String scoreStoreRoot() {
        return scoresDir != null ? scoresDir : new org.apache.hadoop.fs.Path(out, "scores").toString();
    }

    /** The name of the pairs' output directory: {@code pairs-high-avg}, or {@code pairs-all}. */
    public String pairsName() {
        return "pairs-" + (pairsRegion == null ? "all" : pairsRegion.cliName());
    }
}
