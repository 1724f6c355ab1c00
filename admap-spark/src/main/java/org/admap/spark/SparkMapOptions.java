package org.admap.spark;

import java.util.List;
import java.util.Objects;
import org.admap.model.Region;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;

/**
 * What a Spark job does: which files it reads and how, which scores the map is built on,
 * the diagnosis thresholds, which pairs it writes and where the results land.
 *
 * @param inputs      input files, directories or globs on any Hadoop-compatible file system, in input order
 * @param out         the output directory (Hadoop path); must not exist unless {@code overwrite}
 * @param read        how the files are read
 * @param scores      {@code auto} (the data's scores, else its labels), {@code input} or {@code labels}
 * @param diagnose    the diagnosis thresholds and the agreement measure of the map's correlation column
 * @param pairsRegion the region whose pairs are written, or null for every mapped instruction
 * @param pairMode    all pairs or best-worst
 * @param pairBy      what ranks a pair, or null for the labels (the map's scores when the data has no labels)
 * @param overwrite   replace the output directory's results when they exist
 */
public record SparkMapOptions(List<String> inputs, String out, ReadOptions read, String scores,
                              DiagnoseSettings diagnose, Region pairsRegion, PairMode pairMode,
                              PairBuilder.By pairBy, boolean overwrite) {

    public SparkMapOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(diagnose, "diagnose");
        Objects.requireNonNull(pairMode, "pairMode");
        if (!List.of("auto", "input", "labels").contains(scores)) {
            throw new IllegalArgumentException("unknown score source '" + scores
                    + "': a Spark job maps on 'input' (the data's scores) or 'labels', or 'auto'");
        }
    }

    /** The defaults of {@code admap map} + {@code diagnose} + {@code select --region high-avg}. */
    public static SparkMapOptions defaults(List<String> inputs, String out) {
        return new SparkMapOptions(inputs, out, ReadOptions.defaults(), "auto", DiagnoseSettings.paper(),
                Region.HIGH_AVG, PairMode.ALL, null, false);
    }

    /** These options writing the pairs of another region (null: all mapped instructions). */
    public SparkMapOptions withPairsRegion(Region region) {
        return new SparkMapOptions(inputs, out, read, scores, diagnose, region, pairMode, pairBy, overwrite);
    }

    /** These options reading the files another way. */
    public SparkMapOptions withRead(ReadOptions value) {
        return new SparkMapOptions(inputs, out, value, scores, diagnose, pairsRegion, pairMode, pairBy, overwrite);
    }

    /** These options mapping on another score source. */
    public SparkMapOptions withScores(String value) {
        return new SparkMapOptions(inputs, out, read, value, diagnose, pairsRegion, pairMode, pairBy, overwrite);
    }

    /** These options replacing (or not) existing results. */
    public SparkMapOptions withOverwrite(boolean value) {
        return new SparkMapOptions(inputs, out, read, scores, diagnose, pairsRegion, pairMode,
                pairBy, value);
    }

    /** The name of the pairs' output directory: {@code pairs-high-avg}, or {@code pairs-all}. */
    public String pairsName() {
        return "pairs-" + (pairsRegion == null ? "all" : pairsRegion.cliName());
    }
}
