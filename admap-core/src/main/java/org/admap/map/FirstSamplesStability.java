package org.admap.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.map.ResponseSampleCounts;
import org.admap.internal.store.RunStore;
import org.admap.model.ItemScores;

/**
 * {@code region_p} of every mapped instruction as {@code admap map} would estimate it
 * ({@link MapStability}, same options and seed) from each response's first {@code k}
 * judgments only: what {@code score --adaptive} decides a round by. Counting only the first
 * {@code k} makes the decision of round {@code k} depend on nothing a later round stores, so
 * a rerun (after a kill, or after the end) picks the same instructions again.
 */
public final class FirstSamplesStability {

    private FirstSamplesStability() {
    }

    /**
     * Per instruction key, its {@code region_p} from the first {@code samples} judgments of the
     * source's responses, in key order; empty when no score has a standard error yet (one
     * judgment each, no spread). Instructions with fewer than two scored responses are not on
     * the map and not in the result.
     */
    public static Map<Integer, Double> regionP(RunStore store, String source, int samples,
                                               StabilityOptions options) {
        return regionP(store, source, samples, options, (key, id) -> { });
    }

    /** {@link #regionP(RunStore, String, int, StabilityOptions)}, telling {@code ids} each mapped key's id. */
    public static Map<Integer, Double> regionP(RunStore store, String source, int samples, StabilityOptions options,
                                               java.util.function.BiConsumer<Integer, String> ids) {
        List<ItemScores> mapped = new ArrayList<>();
        store.forEachItemScoresOfFirstSamples(source, samples, s -> {
            if (s.scoredCount() >= 2) {
                mapped.add(s);
            }
        });
        Map<Integer, Double> out = new LinkedHashMap<>();
        if (mapped.isEmpty()) {
            return out;
        }
        MapStability estimate = MapStability.estimate(mapped, store.samplesPerScoreOfFirstSamples(source, samples),
                ResponseSampleCounts.of(store, source, samples, mapped), options);
        if (estimate == null) {
            return out;
        }
        double[] p = estimate.result().regionP();
        for (int i = 0; i < mapped.size(); i++) {
            out.put(mapped.get(i).key(), p[i]);
            ids.accept(mapped.get(i).key(), mapped.get(i).id());
        }
        return out;
    }
}
