package org.admap.map;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.admap.Version;
import org.admap.diagnose.Correlation;
import org.admap.ingest.scan.ScannedScores;
import org.admap.store.RunStore;

/**
 * The map of a {@link ScannedScores}, built exactly as {@link MapJob} builds it from a run
 * store (same default score source, same label relation, same {@link MapBuilder}, its
 * statistics computed per chunk on several threads), so that both ways give the same map.
 *
 * @param map        the map
 * @param labels     how the labels relate to the scores: {@code independent}, {@code scores}
 *                   or {@code none} (see {@link MapJob#labelRelation})
 * @param scoreRange the lowest and highest score of the map's source over all responses
 */
public record ScanMap(AlignmentMap map, String labels, double[] scoreRange) {

    /**
     * Builds the map.
     *
     * @param source      {@code input}, {@code labels}, or null for the default (the data's
     *                    scores, else its labels)
     * @param correlation the measure of the correlation column
     * @throws IllegalArgumentException when the source has no scores, or no instruction has
     *                                  two scores, with the messages {@link MapJob} gives
     */
    public static ScanMap build(ScannedScores scan, String source, Correlation correlation) {
        boolean hasScores = scan.hasScores();
        boolean hasLabels = scan.hasLabels();
        if (source == null) {
            if (!hasScores && !hasLabels) {
                throw new IllegalArgumentException("the data has neither scores nor labels: there is nothing to map"
                        + " (run a scorer first, or check the score and label fields)");
            }
            source = hasScores ? RunStore.INPUT : RunStore.LABELS;
        }
        boolean onLabels;
        if (source.equals(RunStore.LABELS)) {
            onLabels = true;
        } else if (source.equals(RunStore.INPUT)) {
            onLabels = false;
        } else {
            throw new IllegalArgumentException("a scan maps the data's own scores or labels, not '" + source + "'");
        }
        if (!(onLabels ? hasLabels : hasScores)) {
            String available = hasScores && hasLabels ? "input, labels" : hasScores ? "input"
                    : hasLabels ? "labels" : "none";
            throw new IllegalArgumentException("no scores from '" + source + "' in this run; available: " + available);
        }
        String labels = !hasLabels ? "none"
                : onLabels || scan.labelsEqualScores() ? "scores" : "independent";
        boolean withCorrelation = labels.equals("independent");
        MapProvenance provenance = new MapProvenance(source, withCorrelation ? correlation.cliName() : null,
                Instant.now(), Version.get());
        boolean labelsAsScores = onLabels;
        List<MapBuilder> parts = IntStream.range(0, scan.chunkCount()).parallel().mapToObj(chunk -> {
            MapBuilder part = new MapBuilder(provenance,
                    withCorrelation ? s -> MapJob.agreement(correlation, s) : null);
            scan.forEachItem(chunk, labelsAsScores, part);
            return part;
        }).toList();
        AlignmentMap map = MapBuilder.build(provenance, parts);
        if (map.points().isEmpty()) {
            throw new IllegalArgumentException("no instruction has two or more responses scored by '" + source
                    + "': the map needs at least two scores per instruction");
        }
        return new ScanMap(map, labels, scan.range(onLabels));
    }
}
