package org.admap.spark;

import java.util.List;
import java.util.Map;
import org.admap.diagnose.Diagnoser;
import org.admap.model.Region;
import org.admap.select.PairBuilder;
import org.admap.spark.score.SparkScoring;

/**
 * What a Spark job found, for its summary: the provenance of the map (files, score source,
 * label relation) and its counts.
 *
 * @param files         the input files, in input order
 * @param instructions  instructions read (after merging and renaming)
 * @param mapped        instructions on the map
 * @param unmapped      instructions with fewer than two scored responses
 * @param badRows       rows skipped as bad (with {@code skipBadRows})
 * @param renamedIds    instructions renamed because their id was taken ({@code id#2}, ...)
 * @param source        the score source of the map: {@code input} or {@code labels}
 * @param labels        how labels relate to the scores: {@code independent}, {@code scores} or {@code none}
 * @param regionCounts  points per region
 * @param boundaries    the rank boundaries of the regions
 * @param thresholds    the diagnosis thresholds over the whole map
 * @param pairsBy       what ranked the pairs
 * @param scoring       what the scoring pass did, or null when the map is on the data's own numbers
 * @param created       when the map's regions were known
 * @param ranges        the responses counted and the score, mean and variance ranges of the map
 * @param stability     the regions' stability ({@code region_p}), or null when the scores carry no uncertainty
 */
public record SparkMapResult(List<String> files, long instructions, long mapped, long unmapped, long badRows,
                             long renamedIds, String source, String labels, Map<Region, Long> regionCounts,
                             RegionBoundaries boundaries, Diagnoser.Thresholds thresholds, PairBuilder.By pairsBy,
                             SparkScoring.Report scoring, java.time.Instant created, MapRanges ranges,
                             org.admap.map.MapStability stability) {

    public SparkMapResult {
        files = List.copyOf(files);
        regionCounts = Map.copyOf(regionCounts);
    }
}
