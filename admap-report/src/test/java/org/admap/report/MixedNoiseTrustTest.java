package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.admap.Progress;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreWriter;
import org.admap.run.Run;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust section of a map on a scorer's source that mixes single judgments (no spread) with a
 * few responses judged three times: one judgment is the most common count, so a guess from the
 * count would call the noise a log-probability spread; the estimate knows it came from the
 * repeated judgments and says so in summary.json ({@code noise_from}), which the page shows. A
 * summary written before that field is still read, by the old inference.
 */
class MixedNoiseTrustTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path run;

    /** 60 instructions x 4 responses; "judge" judged each once, and every fourth instruction's responses 3 times. */
    @BeforeAll
    static void mapMixedScores() throws Exception {
        Random random = new Random(11);
        Path file = ReportedRun.writeFourResponseLines(tmp.resolve("plain.jsonl"), 60, random);
        run = ReportedRun.map(file, tmp.resolve("run"));
        List<ScoreWriter.Row> rows = new ArrayList<>();
        try (RunStore store = Run.open(run, Progress.Factory.NONE).openStore()) {
            store.forEachItem(RunStore.INPUT, null, ki -> {
                int samples = ki.key() % 4 == 0 ? 3 : 1;
                for (int pos = 0; pos < ki.item().responses().size(); pos++) {
                    double level = 1 + random.nextInt(10);
                    for (int s = 0; s < samples; s++) {
                        double grade = Math.max(1, Math.min(10, level + random.nextInt(3) - 1));
                        rows.add(new ScoreWriter.Row(ki.key(), pos, "judge", "judge-mixed", "p" + ki.key(),
                                "r" + ki.key() + "." + pos, grade, null, "{\"score\": 5}", 0, 0, 0, 0, 1, null, null,
                                "stand-in", Instant.now(), s, Double.NaN, ScoreWriter.PLAIN));
                    }
                }
            });
            try (ScoreWriter w = store.openScoreWriter()) {
                w.write(rows);
            }
        }
        Run.open(run, Progress.Factory.NONE).map("judge", Correlation.COSINE);
    }

    private static JsonNode reportTrust() throws Exception {
        ReportedRun.report(run, RunReport.Settings.defaults(new RunDirectory(run)));
        return ReportPages.data(Files.readString(run.resolve("report.html"))).get("trust");
    }

    @Test
    void aMixedSourceIsLabelledSamplesAndAnOldSummaryIsStillRead() throws Exception {
        JsonNode stability = JSON.readTree(run.resolve("summary.json").toFile()).at("/map/stability");
        assertThat(stability.get("samples_per_score").asInt()).as("most responses were judged once").isEqualTo(1);
        assertThat(stability.get("calibration_responses").asLong()).as("the 15 instructions judged 3 times")
                .isEqualTo(15 * 4);
        assertThat(stability.get("noise_from").asText()).isEqualTo("samples");
        JsonNode trust = reportTrust();
        assertThat(trust.get("noiseFrom").asText()).isEqualTo("samples");
        assertThat(trust.get("judgmentSd").asDouble()).isPositive();

        // the same run's summary as an admap before noise_from wrote it: read, by the inference of then
        byte[] summary = Files.readAllBytes(run.resolve("summary.json"));
        ObjectNode old = (ObjectNode) JSON.readTree(summary);
        ((ObjectNode) old.at("/map/stability")).remove("noise_from");
        JSON.writeValue(run.resolve("summary.json").toFile(), old);
        JsonNode before;
        try {
            before = reportTrust();
        } finally {
            Files.write(run.resolve("summary.json"), summary); // the other tests see this run's own summary
        }
        assertThat(before.get("estimate").has("noise_from")).isFalse();
        assertThat(before.get("noiseFrom").asText()).as("the count-based guess, as before").isEqualTo("logprobs");
        assertThat(before.get("judgmentSd")).isEqualTo(trust.get("judgmentSd"));
        assertThat(before.get("regions")).isEqualTo(trust.get("regions"));
    }

    /** The page's script under Node: a source judged more than once for some responses only. */
    @Test
    void thePageDoesNotSayTheScoresAreOneJudgmentEach() throws Exception {
        assertThat(reportTrust().get("noiseFrom").asText()).isEqualTo("samples");
        JsonNode page = PageScript.render(run.resolve("report.html"), Files.createTempDirectory(run, "page"));
        assertThat(page.get("trust").asText()).contains("scores are the mean of their judgments (most often 1)")
                .doesNotContain("mean of 1 judgment").doesNotContain("scores are one judgment each");
    }
}
