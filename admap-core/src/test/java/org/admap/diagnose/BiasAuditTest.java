package org.admap.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.TestFiles;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bias audit's statistics against values computed by hand. */
class BiasAuditTest {

    @TempDir
    Path dir;

    private RunStore store() throws Exception {
        return TestFiles.ingest(dir.resolve(RunStore.FILE_NAME), IngestOptions.defaults(), TestFiles.jsonl(dir,
                "data.jsonl",
                "{\"id\": \"a\", \"prompt\": \"P\", \"responses\": [{\"text\": \"x\", \"score\": 1},"
                        + " {\"text\": \"hello world\", \"score\": 3}, {\"text\": \"one, two, three.\", \"score\": 4},"
                        + " {\"text\": \"abcdefghijklmnopqrstuvwxyz\", \"score\": 2}]}",
                "{\"id\": \"b\", \"prompt\": \"Q\", \"responses\": [{\"text\": \"u\"}, {\"text\": \"v\"},"
                        + " {\"text\": \"w\"}, {\"text\": \"z\"}]}"));
    }

    private static ScoreWriter.Row row(int key, int position, double value, String order) {
        return new ScoreWriter.Row(key, position, "judge", "fp", "p" + key, "r" + key + position, value, null, "raw",
                10, 2, 0.001, 5, 1, order, "http://x", "m", Instant.now());
    }

    @Test
    void spearmanOfScoreAndLengthInCharactersAndTokens() throws Exception {
        try (RunStore store = store()) {
            BiasAudit a = BiasAudit.of(store, RunStore.INPUT);
            assertThat(a.responses()).isEqualTo(4);
            // characters 1, 11, 16, 26 rank 1..4; scores 1, 3, 4, 2: rho = 1 - 6 * 6 / (4 * 15) = 0.4
            assertThat(a.chars()).isCloseTo(0.4, within(1e-12));
            // tokens 1, 2, 6 ("one , two , three ."), 1: ranks 1.5, 3, 4, 1.5 against 1, 3, 4, 2
            assertThat(a.tokens()).isCloseTo(4.5 / Math.sqrt(4.5 * 5), within(1e-12));
            assertThat(a.position()).isNull(); // the data's scores were shown to no judge
        }
    }

    @Test
    void meanScoreByShownPositionAndTheShareOfVarianceItExplains() throws Exception {
        try (RunStore store = store()) {
            try (ScoreWriter w = store.openScoreWriter()) {
                // a: shown 2, 0, 3, 1; b: shown in order
                w.write(List.of(row(0, 0, 5, "2,0,3,1"), row(0, 1, 1, "2,0,3,1"), row(0, 2, 9, "2,0,3,1"),
                        row(0, 3, 3, "2,0,3,1"), row(1, 0, 2, "0,1,2,3"), row(1, 1, 4, "0,1,2,3"),
                        row(1, 2, 6, "0,1,2,3"), row(1, 3, 8, "0,1,2,3")));
            }
            BiasAudit.PositionBias p = BiasAudit.of(store, "judge").position();
            assertThat(p.calls()).isEqualTo(2);
            assertThat(p.counts()).containsExactly(2, 2, 2, 2);
            assertThat(p.meanScore()).containsExactly(5.5, 4.5, 4.5, 4.5);
            // deviations from the call's mean: a 4.5, 0.5, -1.5, -3.5 (mean 4.5); b -3, -1, 1, 3 (mean 5)
            assertThat(p.meanDeviation()).containsExactly(0.75, -0.25, -0.25, -0.25);
            // between positions 2 * (0.75^2 + 3 * 0.25^2) = 1.5 of a total 35 + 20
            assertThat(p.varianceShare()).isCloseTo(1.5 / 55, within(1e-12));
        }
    }
}
