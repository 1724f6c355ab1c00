package org.admap.internal.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.internal.map.MapJob;
import org.admap.stats.Correlation;

/**
 * A small run for the report's and viewer's queries: four instructions of three responses
 * with scores, labels and models, one of them with a long response, and a scorer source
 * ("judge") that scored two responses of the first instruction, one of them failed.
 */
final class ViewerFixture {

    static final String LONG = "x".repeat(5000);

    static final String[] ROWS = {
        "{\"id\": \"a\", \"prompt\": \"First <b>bold</b> question?\", \"reference\": \"ref\", \"responses\": ["
                + "{\"text\": \"a1\", \"score\": 1, \"label\": 1, \"model\": \"m1\"},"
                + "{\"text\": \"a2\", \"score\": 5, \"label\": 3, \"model\": \"m2\"},"
                + "{\"text\": \"a3\", \"score\": 9, \"label\": 5, \"model\": \"m3\"}]}",
        "{\"id\": \"b\", \"prompt\": \"Second   question\\nwith lines\", \"input\": \"and input\", \"responses\": ["
                + "{\"text\": \"b1\", \"score\": 4, \"label\": 2, \"model\": \"m1\"},"
                + "{\"text\": \"" + LONG + "\", \"score\": 4, \"label\": 2, \"model\": \"m2\"},"
                + "{\"text\": \"b3\", \"score\": 6, \"label\": 4}]}",
        "{\"id\": \"c\", \"prompt\": \"Third\", \"responses\": ["
                + "{\"text\": \"c1\", \"score\": 7, \"label\": 2, \"model\": \"m3\"},"
                + "{\"text\": \"c2\", \"score\": 3, \"label\": 4, \"model\": \"m1\"},"
                + "{\"text\": \"c3\", \"score\": 5, \"label\": 3, \"model\": \"m2\"}]}",
        "{\"id\": \"d\", \"prompt\": \"Fourth\", \"responses\": ["
                + "{\"text\": \"d1\", \"score\": 2, \"label\": 1, \"model\": \"m1\"},"
                + "{\"text\": \"d2\", \"score\": 8, \"label\": 5, \"model\": \"m3\"},"
                + "{\"text\": \"d3\", \"score\": 8, \"label\": 5, \"model\": \"m2\"}]}",
    };

    /** The input scores by item and position, as above. */
    static final double[][] SCORES = {{1, 5, 9}, {4, 4, 6}, {7, 3, 5}, {2, 8, 8}};
    static final double[][] LABELS = {{1, 3, 5}, {2, 2, 4}, {2, 4, 3}, {1, 5, 5}};

    private ViewerFixture() {
    }

    /** Creates the run in {@code dir} and returns the open store (the caller closes it). */
    static RunStore create(Path dir) throws Exception {
        Path data = TestFiles.jsonl(dir, "data.jsonl", ROWS);
        RunStore store = TestFiles.ingest(dir.resolve(RunStore.FILE_NAME), IngestOptions.defaults(), data);
        MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
        store.addScoreSource(new ScoreSourceInfo("judge", "judge", "fp", "http://127.0.0.1:1/v1", "gpt-test",
                "admap-judge-v1", "temperature=0", Instant.parse("2026-01-02T03:04:05Z")));
        try (ScoreWriter w = store.openScoreWriter()) {
            w.write(List.of(
                    new ScoreWriter.Row(0, 0, "judge", "fp", "ph", "rh0", 2.0, null, "{\"score\": 2}", 100, 5, 0.001,
                            250, 1, null, "http://127.0.0.1:1/v1", "gpt-test", Instant.parse("2026-01-02T03:04:06Z")),
                    new ScoreWriter.Row(0, 1, "judge", "fp", "ph", "rh1", Double.NaN, "unparseable answer", "garbage",
                            100, 3, 0.001, 300, 2, null, "http://127.0.0.1:1/v1", "gpt-test",
                            Instant.parse("2026-01-02T03:04:07Z"))));
        }
        store.replaceFlags(List.of(new RunStore.StoredFlag(2, "misannotated", 0.41, 0.65, "cosine 0.41 <= 0.65"),
                new RunStore.StoredFlag(2, "low-impact", 0.1, 0.2, null)));
        return store;
    }
}
