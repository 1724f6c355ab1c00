package org.admap.internal.compare;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.admap.Version;
import org.admap.compare.MapComparison;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.CrossRun;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.SourceScores;
import org.admap.map.AlignmentMap;
import org.admap.map.MapBuilder;
import org.admap.map.MapProvenance;
import org.admap.model.MapPoint;
import org.admap.model.Region;

/**
 * Compares alignment data maps: the current maps of two runs (joined by instruction id and
 * response text), or the maps that several score sources of one run give (built in memory,
 * the run's own map untouched).
 *
 * <pre>{@code
 * try (RunStore store = RunStore.open(Path.of("run/run.duckdb"))) {
 *     for (MapComparison c : CompareJob.sources(store, "run", List.of("judge", "reward"))) {
 *         System.out.println(c.meanSpearman() + " " + c.regionChanges());
 *     }
 * }
 * }</pre>
 */
public final class CompareJob {

    private CompareJob() {
    }

    /**
     * Compares this run's current map with another run's.
     *
     * @param nameA      how to call this run in the result (its directory)
     * @param otherStore the other run's store file
     * @param nameB      how to call the other run
     */
    public static MapComparison runs(RunStore store, String nameA, Path otherStore, String nameB) {
        String sourceA = MapJob.currentSource(store);
        try (CrossRun cross = CrossRun.attach(store, otherStore)) {
            String sourceB = cross.otherInfo(MapJob.INFO_SCORES).orElseThrow(() -> new IllegalArgumentException(
                    nameB + " has no map yet: run 'admap map " + nameB + "' first"));
            CrossRun.JoinedMaps maps = cross.maps();
            if (maps.meanA().length == 0) {
                throw new IllegalArgumentException("no instruction of " + nameA + "'s map is on " + nameB
                        + "'s map: the runs share no instruction id");
            }
            double[][] responses = cross.responseScores(sourceA, sourceB);
            return MapComparison.of(nameA + " (" + sourceA + ")", nameB + " (" + sourceB + ")", maps.pointsA(),
                    maps.pointsB(), maps.meanA(), maps.meanB(), maps.varianceA(), maps.varianceB(), maps.regionA(),
                    maps.regionB(), responses[0], responses[1]);
        }
    }

    /**
     * Compares the maps of several score sources of one run, every pair of them in the order
     * given (a with b, a with c, b with c).
     *
     * @param name    how to call the run in the result
     * @param sources two or more of its score sources
     */
    public static List<MapComparison> sources(RunStore store, String name, List<String> sources) {
        if (sources.size() < 2) {
            throw new IllegalArgumentException("compare needs two or more score sources, got " + sources);
        }
        if (sources.stream().distinct().count() != sources.size()) {
            throw new IllegalArgumentException("a score source is listed twice: " + sources);
        }
        List<String> available = store.scoreSources();
        for (String s : sources) {
            if (!available.contains(s)) {
                throw new IllegalArgumentException("no scores from '" + s + "' in this run; available: "
                        + String.join(", ", available));
            }
        }
        int k = sources.size();
        List<MapBuilder> builders = new ArrayList<>(k);
        for (String s : sources) {
            builders.add(new MapBuilder(new MapProvenance(s, null, Instant.now(), Version.get()), null));
        }
        Doubles[] responses = new Doubles[k];
        Arrays.setAll(responses, i -> new Doubles());
        SourceScores.forEach(store, sources, false, item -> {
            for (int s = 0; s < k; s++) {
                builders.get(s).accept(item.of(s));
                responses[s].addAll(item.scores()[s]);
            }
        });
        List<AlignmentMap> maps = new ArrayList<>(k);
        for (MapBuilder b : builders) {
            maps.add(b.build());
        }
        List<MapComparison> out = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                out.add(compare(name + " (" + sources.get(a) + ")", name + " (" + sources.get(b) + ")", maps.get(a),
                        maps.get(b), responses[a].toArray(), responses[b].toArray()));
            }
        }
        return out;
    }

    /** Two maps of the same run, joined by key (both lists are in key order). */
    private static MapComparison compare(String nameA, String nameB, AlignmentMap a, AlignmentMap b,
                                         double[] scoresA, double[] scoresB) {
        List<MapPoint> pa = a.points();
        List<MapPoint> pb = b.points();
        int n = Math.min(pa.size(), pb.size());
        double[] meanA = new double[n];
        double[] meanB = new double[n];
        double[] varA = new double[n];
        double[] varB = new double[n];
        Region[] regA = new Region[n];
        Region[] regB = new Region[n];
        int i = 0;
        int j = 0;
        int m = 0;
        while (i < pa.size() && j < pb.size()) {
            MapPoint x = pa.get(i);
            MapPoint y = pb.get(j);
            if (x.key() < y.key()) {
                i++;
            } else if (x.key() > y.key()) {
                j++;
            } else {
                meanA[m] = x.mean();
                meanB[m] = y.mean();
                varA[m] = x.variance();
                varB[m] = y.variance();
                regA[m] = x.region();
                regB[m] = y.region();
                m++;
                i++;
                j++;
            }
        }
        return MapComparison.of(nameA, nameB, pa.size(), pb.size(), Arrays.copyOf(meanA, m), Arrays.copyOf(meanB, m),
                Arrays.copyOf(varA, m), Arrays.copyOf(varB, m), Arrays.copyOf(regA, m), Arrays.copyOf(regB, m),
                scoresA, scoresB);
    }

    /** A growable array of doubles (a million responses must not be boxed). */
    private static final class Doubles {
        private double[] values = new double[1024];
        private int size;

        void addAll(double[] xs) {
            if (size + xs.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + xs.length));
            }
            System.arraycopy(xs, 0, values, size, xs.length);
            size += xs.length;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
