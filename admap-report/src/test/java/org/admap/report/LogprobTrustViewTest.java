package org.admap.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.admap.Progress;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreWriter;
import org.admap.run.Run;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust section of a map whose scores are one judgment per response with a
 * log-probability spread each ({@code score --logprobs}, one sample, no calibration): the
 * page gives the judge's spread it holds, one judgment's sd and a score's standard error, and
 * says that the spread is within one judgment, not measured between two.
 */
class LogprobTrustViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path run;
    static JsonNode data;
    /** The spreads written, whose mean square is one judgment's variance. */
    static final List<Double> SPREADS = new ArrayList<>();

    /** 50 instructions x 4 responses, judged once each with a spread, mapped on the judge, reported. */
    @BeforeAll
    static void reportLogprobScores() throws Exception {
        Random random = new Random(5);
        Path file = ReportedRun.writeFourResponseLines(tmp.resolve("plain.jsonl"), 50, random);
        run = ReportedRun.map(file, tmp.resolve("run"));
        List<ScoreWriter.Row> rows = new ArrayList<>();
        try (RunStore store = Run.open(run, Progress.Factory.NONE).openStore()) {
            store.forEachItem(RunStore.INPUT, null, ki -> {
                double level = 2 + 6 * random.nextDouble();
                for (int pos = 0; pos < ki.item().responses().size(); pos++) {
                    // an expected value over the score tokens (not a whole grade) and its spread
                    double value = Math.max(1, Math.min(10, level + 1.5 * random.nextGaussian()));
                    double spread = 0.2 + 1.2 * random.nextDouble();
                    SPREADS.add(spread);
                    rows.add(new ScoreWriter.Row(ki.key(), pos, "judge", "judge-logprobs", "p" + ki.key(),
                            "r" + ki.key() + "." + pos, value, null, "{\"score\": 5}", 0, 0, 0, 0, 1, null, null,
                            "stand-in", Instant.now(), 0, spread, "logprobs"));
                }
            });
            try (ScoreWriter w = store.openScoreWriter()) {
                w.write(rows);
            }
        }
        Run.open(run, Progress.Factory.NONE).map("judge", Correlation.COSINE);
        ReportedRun.diagnose(run);
        ReportedRun.report(run, RunReport.Settings.defaults(new org.admap.internal.store.RunDirectory(run)));
        data = ReportPages.data(Files.readString(run.resolve("report.html")));
    }

    @Test
    void theTrustDataHoldsTheMeanSpreadAsOneJudgmentsSdAndAScoresStandardError() throws Exception {
        double meanSquare = SPREADS.stream().mapToDouble(s -> s * s).average().orElseThrow();
        JsonNode stability = JSON.readTree(run.resolve("summary.json").toFile()).at("/map/stability");
        assertThat(stability.get("samples_per_score").asInt()).isEqualTo(1);
        assertThat(stability.get("noise_from").asText()).as("the estimate's own word").isEqualTo("logprobs");
        assertThat(stability.get("judgment_variance").asDouble()).isCloseTo(meanSquare, within(1e-9));
        JsonNode trust = data.get("trust");
        assertThat(trust.get("estimate")).as("the estimate is summary.json's, as it is").isEqualTo(stability);
        assertThat(trust.get("noiseFrom").asText()).isEqualTo("logprobs");
        assertThat(trust.get("judgmentSd").asDouble()).isCloseTo(Math.sqrt(meanSquare), within(1e-9));
        assertThat(trust.get("standardError").asDouble()).isCloseTo(Math.sqrt(meanSquare), within(1e-9));
    }

    /** The page's script under Node (as TrustViewTest): the numbers the data holds, and what they are. */
    @Test
    void thePageShowsTheSpreadAndSaysItIsWithinOneJudgment() throws Exception {
        JsonNode page = PageScript.render(run.resolve("report.html"), tmp);
        String shown = page.get("trust").asText();
        JsonNode trust = data.get("trust");
        String sd = TrustViewTest.threeDigits(trust.get("judgmentSd").asDouble());
        String se = TrustViewTest.threeDigits(trust.get("standardError").asDouble());
        assertThat(shown).contains("Judge's own spread: sd " + sd + " per judgment, SE of a score " + se)
                .contains("within-judgment spread").contains("not a between-judgment noise")
                .contains("scores are one judgment each").doesNotContain("mean of 1 judgment")
                .doesNotContain("NaN");
    }
}
