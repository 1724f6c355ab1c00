package org.admap.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.map.MapJob;
import org.admap.internal.run.SummaryJson;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.RunStore;

/**
 * What the summaries say about a run besides its map: the inputs, the counts, the score
 * range, how labels relate to scores, and the time each step took. Read from a run store,
 * or given by a map built from a scan without one, so that both print the same summary.
 *
 * @param inputs       the input files
 * @param items        instructions read
 * @param responses    responses read
 * @param renamedIds   instructions stored as {@code id#2}, ... because their id repeated
 * @param badRowsJson  the skipped-rows report as JSON ({@code {"count": 0}} when none)
 * @param labels       {@code independent}, {@code scores} or {@code none}
 * @param scoreRange   lowest and highest score of the map's source
 * @param seconds      wall time per step ({@code ingest}, {@code map}, {@code map_csv}, ...)
 * @param groupingJson what grouping rows into instructions did, as JSON, or null when no row was grouped
 */
public record RunFacts(List<InputFileRecord> inputs, long items, long responses, long renamedIds,
                       String badRowsJson, String labels, double[] scoreRange, Map<String, Double> seconds,
                       String groupingJson) {

    public RunFacts {
        inputs = List.copyOf(inputs);
        seconds = new LinkedHashMap<>(seconds);
    }

    /** Facts of a run whose rows were not grouped. */
    public RunFacts(List<InputFileRecord> inputs, long items, long responses, long renamedIds,
                    String badRowsJson, String labels, double[] scoreRange, Map<String, Double> seconds) {
        this(inputs, items, responses, renamedIds, badRowsJson, labels, scoreRange, seconds, null);
    }

    /** The facts a run store holds, for a map on {@code source}. */
    public static RunFacts of(RunStore store, String source) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String key : List.of(SummaryJson.INFO_SECONDS_INGEST, SummaryJson.INFO_SECONDS_MAP,
                SummaryJson.INFO_SECONDS_CSV)) {
            store.info(key).ifPresent(v -> seconds.put(key.substring("seconds.".length()), Double.parseDouble(v)));
        }
        return new RunFacts(store.inputs(), store.itemCount(), store.responseCount(),
                Long.parseLong(store.info(SummaryJson.INFO_RENAMED_IDS).orElse("0")),
                store.info(SummaryJson.INFO_BAD_ROWS).orElse("{\"count\": 0}"),
                store.info(MapJob.INFO_LABELS).orElse(""), store.scoreRange(source), seconds,
                store.info(SummaryJson.INFO_GROUPING).orElse(null));
    }
}
