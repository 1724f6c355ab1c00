package org.admap.report;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;
import org.admap.internal.store.ScoreStatistics;
import org.admap.model.MapPoint;

/** A {@link ReportSource} on the run store: everything a run can hold, scorers' scores included. */
final class StoreReportSource implements ReportSource {

    private final RunStore store;
    private final String source;
    private List<MapPoint> points;

    /** Fails when the run has no map yet. */
    StoreReportSource(RunStore store) {
        this.store = store;
        this.source = MapJob.currentSource(store);
    }

    @Override
    public List<MapPoint> points() {
        if (points == null) {
            points = store.mapPoints();
        }
        return points;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String labels() {
        return store.info(MapJob.INFO_LABELS).orElse("");
    }

    @Override
    public String correlation() {
        return store.info(MapJob.INFO_CORRELATION).orElse("");
    }

    @Override
    public String variability() {
        return store.info(MapJob.INFO_VARIABILITY).orElse("score");
    }

    @Override
    public String mapCreated() {
        return store.info(MapJob.INFO_CREATED).orElse("");
    }

    @Override
    public Optional<ScoreSourceInfo> scoreSource(String name) {
        return store.scoreSource(name);
    }

    @Override
    public List<InputFileRecord> inputs() {
        return store.inputs();
    }

    @Override
    public long itemCount() {
        return store.itemCount();
    }

    @Override
    public long responseCount() {
        return store.responseCount();
    }

    @Override
    public List<String> scoreSources() {
        return store.scoreSources();
    }

    @Override
    public List<ItemDetails.ViewerFlag> flags() {
        return ItemDetails.of(store).flags();
    }

    @Override
    public ScoreStatistics.SourceStats sourceStats(String name, int bins) {
        return ScoreStatistics.of(store).source(name, bins);
    }

    @Override
    public ScoreStatistics.Agreement agreement(String a, String b) {
        return ScoreStatistics.of(store).agreement(a, b);
    }

    @Override
    public List<ScoreStatistics.ModelStats> models(List<String> sources, String bestBy) {
        return ScoreStatistics.of(store).models(sources, bestBy);
    }

    @Override
    public String[] bestModels(String name) {
        return ScoreStatistics.of(store).bestModels(name);
    }

    @Override
    public void forEachExcerpt(BitSet keys, int maxChars, ItemDetails.ExcerptConsumer consumer) {
        ItemDetails.of(store).forEachExcerpt(maxChars, (key, id, text) -> {
            if (keys.get(key)) {
                consumer.accept(key, id, text);
            }
        });
    }

    @Override
    public void items(BitSet keys, int maxChars, Consumer<ItemDetails.Detail> consumer) {
        ItemDetails.of(store).items(keys, maxChars, consumer);
    }

    @Override
    public List<ItemDetails.Uncertainty> uncertainty(int key) {
        return ItemDetails.of(store).uncertainty(key);
    }
}
