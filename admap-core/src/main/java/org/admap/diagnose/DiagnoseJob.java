package org.admap.diagnose;

import java.util.ArrayList;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.store.RunStore;

/**
 * Diagnoses the current map of a run: compares each mapped instruction's labels with the
 * scores the map was built on and stores the flags in the run store.
 */
public final class DiagnoseJob {

    private DiagnoseJob() {
    }

    /**
     * @param scoreSource the source the current map was built on
     */
    public static Diagnosis run(RunStore store, String scoreSource, DiagnoseOptions options) {
        List<MapPoint> points = store.mapPoints();
        MapPoint[] byKey = new MapPoint[(int) store.itemCount()];
        for (MapPoint p : points) {
            byKey[p.key()] = p;
        }
        Diagnoser diagnoser = new Diagnoser(options);
        store.forEachItemScores(scoreSource, s -> {
            MapPoint p = byKey[s.key()];
            if (p != null) {
                diagnoser.accept(p, s);
            }
        });
        Diagnosis diagnosis = diagnoser.finish();
        List<RunStore.FlagRow> rows = new ArrayList<>();
        for (Flag f : diagnosis.flags()) {
            for (Reason r : f.reasons()) {
                double value = switch (r) {
                    case MISANNOTATED -> f.correlation();
                    case SCORE_PREFERS_REJECTED -> f.margin();
                    case LOW_IMPACT -> f.variance();
                };
                double threshold = switch (r) {
                    case MISANNOTATED -> Double.isNaN(diagnosis.bottomCorrelation()) ? options.maxCorrelation()
                            : Math.max(options.maxCorrelation(), diagnosis.bottomCorrelation());
                    case SCORE_PREFERS_REJECTED -> 0.0;
                    case LOW_IMPACT -> diagnosis.lowImpactVariance();
                };
                rows.add(new RunStore.FlagRow(f.key(), r.cliName(), value, threshold, f.detail()));
            }
        }
        store.replaceFlags(rows);
        return diagnosis;
    }
}
