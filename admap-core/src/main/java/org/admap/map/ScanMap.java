package org.admap.map;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.admap.Version;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.stats.Correlation;

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
        Correlation measure = withCorrelation ? correlation : null;
        int chunks = scan.chunkCount();
        MapColumns columns = new MapColumns(Math.toIntExact(scan.items()), measure != null);
        MapBuilder[] parts = new MapBuilder[chunks];
        int[] bases = new int[chunks];
        for (int chunk = 0, base = 0; chunk < chunks; chunk++) {
            int items = scan.columns(chunk, onLabels).items();
            parts[chunk] = MapBuilder.part(provenance, measure, columns, base, items);
            bases[chunk] = base;
            base += items;
        }
        double[][] ranges = new double[chunks][];
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(chunks, ForkJoinPool.getCommonPoolParallelism() + 1); // the caller works too
        int[][] histograms = new int[workers][];
        IntStream.range(0, workers).parallel().forEach(w -> histograms[w] = work(scan, onLabels, next, parts,
                bases, columns, ranges));
        int[] varianceHistogram = new int[RegionAssigner.BUCKETS];
        for (int[] h : histograms) {
            for (int b = 0; b < h.length; b++) {
                varianceHistogram[b] += h[b];
            }
        }
        AlignmentMap map = MapBuilder.build(provenance, Arrays.asList(parts), varianceHistogram);
        if (map.points().isEmpty()) {
            throw new IllegalArgumentException("no instruction has two or more responses scored by '" + source
                    + "': the map needs at least two scores per instruction");
        }
        double[] scoreRange = {Double.NaN, Double.NaN};
        for (double[] r : ranges) {
            // strictly lower or higher only, so that of -0.0 and 0.0 the first seen stays,
            // as in ScannedScores.range
            if (!Double.isNaN(r[0]) && (Double.isNaN(scoreRange[0]) || r[0] < scoreRange[0])) {
                scoreRange[0] = r[0];
            }
            if (!Double.isNaN(r[1]) && (Double.isNaN(scoreRange[1]) || r[1] > scoreRange[1])) {
                scoreRange[1] = r[1];
            }
        }
        return new ScanMap(map, labels, scoreRange);
    }

    /**
     * One worker: takes chunk after chunk until none is left, and puts each item of a chunk
     * on the map (read in place from the scan's columns, written to the chunk's range of the
     * map's columns), the range of the chunk's scores in {@code ranges}, and the buckets of
     * its points' variances in the histogram it returns (the first that the region split
     * needs, counted here on every thread rather than after, on one).
     *
     * <p>The loops over chunks and items are in this one method, which runs as long as there
     * are chunks: the JIT compiles it once, while it runs. A method called per chunk would be
     * interpreted at the start of every call until compiled whole, which a few hundred calls
     * do not bring about.
     */
    private static int[] work(ScannedScores scan, boolean onLabels, AtomicInteger next, MapBuilder[] parts,
                              int[] bases, MapColumns columns, double[][] ranges) {
        int[] histogram = new int[RegionAssigner.BUCKETS];
        for (int chunk = next.getAndIncrement(); chunk < parts.length; chunk = next.getAndIncrement()) {
            ScannedScores.ChunkColumns c = scan.columns(chunk, onLabels);
            MapBuilder part = parts[chunk];
            int[] ends = c.responseEnds();
            double[] scores = c.scores();
            int from = 0;
            for (int i = 0; i < c.items(); i++) {
                int to = ends[i];
                part.accept(c.firstKey() + i, c.ids()[i], scores, c.labels(), from, to);
                from = to;
            }
            double lo = Double.NaN;
            double hi = Double.NaN;
            for (int r = 0; r < from; r++) {
                double x = scores[r];
                if (!Double.isNaN(x)) {
                    lo = Double.isNaN(lo) || x < lo ? x : lo;
                    hi = Double.isNaN(hi) || x > hi ? x : hi;
                }
            }
            ranges[chunk] = new double[] {lo, hi};
            double[] variances = columns.variances;
            for (int j = bases[chunk]; j < bases[chunk] + part.size(); j++) {
                histogram[RegionAssigner.bucket(variances[j])]++;
            }
        }
        return histogram;
    }
}
