package org.admap.internal.map;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.RunStore;
import org.admap.map.MapStability;
import org.admap.model.ItemScores;

/**
 * Each mapped response's number of judgments, aligned with the mapped instructions' score
 * arrays, for {@link MapStability}: once {@code score --adaptive} has judged some responses
 * more often than others, one count per map would misstate both the noise pooled from the
 * standard errors ({@code n se^2} is one judgment's variance only with the response's own
 * {@code n}) and the grid its resampled mean lies on ({@code 1/n}).
 */
public final class ResponseSampleCounts {

    private ResponseSampleCounts() {
    }

    /**
     * Per instruction of {@code items} (in their order) and response, the number of judgments of
     * {@code source} behind its score, counting sample indexes below {@code below} only
     * ({@link RunStore#forEachSampleCount}); 0 where the store has none.
     */
    public static int[][] of(RunStore store, String source, int below, List<ItemScores> items) {
        Map<Integer, Integer> index = new HashMap<>(items.size() * 2);
        int[][] counts = new int[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            index.put(items.get(i).key(), i);
            counts[i] = new int[items.get(i).scores().length];
        }
        store.forEachSampleCount(source, below, (key, r, n) -> {
            Integer i = index.get(key);
            if (i != null && r < counts[i].length) {
                counts[i][r] = n;
            }
        });
        return counts;
    }
}
