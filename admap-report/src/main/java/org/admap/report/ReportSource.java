package org.admap.report;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.internal.store.ScoreStatistics;
import org.admap.model.MapPoint;

/**
 * What the report and the viewer's map read from a run: the map, what it was built on, the
 * counts, the flags, the score statistics and the texts of some instructions. The run store
 * gives it ({@link #of(RunStore)}), and so do a scanned run's columns with the inputs read by
 * byte offset ({@link ColumnReportSource}), so that {@code report} on a new run builds no
 * store. Both give the same data for the same run (up to the last bits of sums, which the
 * store adds in its own order).
 */
public interface ReportSource {

    /** The map's points in key order. */
    List<MapPoint> points();

    /**
     * The map's points in key order, field by field: what the report walks. A source that holds
     * them as columns gives those, without an object per point; by default {@link #points()}.
     */
    default PointColumns pointColumns() {
        return PointColumns.of(points());
    }

    /**
     * The instruction id of one of its {@link #points()}: a source may give its points without
     * their ids (a million strings the report never needs whole) and read the ids it is asked for.
     */
    default String id(MapPoint p) {
        return p.id();
    }

    /**
     * The instruction id of point {@code i} of {@code points} (this source's {@link #pointColumns()}),
     * as {@link #id(MapPoint)}.
     */
    default String id(PointColumns points, int i) {
        return id(points.get(i));
    }

    /** The map's score source. */
    String source();

    /** How the labels relate to the scores: independent, scores or none. */
    String labels();

    /** The measure of the map's correlation column, or empty. */
    String correlation();

    /** What the map's variance axis measures: {@code score} or {@code comb}. */
    String variability();

    /** When the map was made (ISO-8601), or empty. */
    String mapCreated();

    /** The scorer behind a score source, when it is a scorer's. */
    Optional<ScoreSourceInfo> scoreSource(String source);

    /** The input files. */
    List<InputFileRecord> inputs();

    long itemCount();

    long responseCount();

    /** The score sources: input and labels when the data has them, then every scorer's. */
    List<String> scoreSources();

    /** The diagnosis' flag rows, in key and reason order. */
    List<ItemDetails.ViewerFlag> flags();

    /** {@link ScoreStatistics#source}. */
    ScoreStatistics.SourceStats sourceStats(String source, int bins);

    /** {@link ScoreStatistics#agreement}. */
    ScoreStatistics.Agreement agreement(String a, String b);

    /** {@link ScoreStatistics#models}. */
    List<ScoreStatistics.ModelStats> models(List<String> sources, String bestBy);

    /** {@link ScoreStatistics#bestModels}. */
    String[] bestModels(String source);

    /** The prompt excerpts ({@link ItemDetails#forEachExcerpt}) of the instructions whose keys are set. */
    void forEachExcerpt(BitSet keys, int maxChars, ItemDetails.ExcerptConsumer consumer) throws IOException;

    /** The instructions whose keys are set, in key order ({@link ItemDetails#items}). */
    void items(BitSet keys, int maxChars, Consumer<ItemDetails.Detail> consumer) throws IOException;

    /** {@link ItemDetails#uncertainty}. */
    List<ItemDetails.Uncertainty> uncertainty(int key);

    /**
     * Whether its methods may be called from two threads at once: then a report computes its
     * statistics and reads its embedded instructions on a thread of its own while it writes the
     * points. Not a store's, whose one connection takes one query at a time.
     */
    default boolean concurrent() {
        return false;
    }

    /** The report source of an open store (the caller closes it). */
    static ReportSource of(RunStore store) {
        return new StoreReportSource(store);
    }
}
