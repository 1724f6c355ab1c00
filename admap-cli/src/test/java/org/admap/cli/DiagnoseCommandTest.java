package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.admap.internal.store.RunStore;
import org.admap.testing.StandInServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diagnose's scorers, self-validation and text checks through the command line, on the demo. */
class DiagnoseCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path run;

    @BeforeEach
    void map() {
        run = tmp.resolve("run");
        Cli.mapDemo(run);
    }

    private static List<Double> labels(Path run) {
        List<Double> all = new ArrayList<>();
        try (RunStore store = RunStore.open(run.resolve(RunStore.FILE_NAME))) {
            store.forEachItemScores(RunStore.INPUT, s -> Arrays.stream(s.labels()).forEach(all::add));
        }
        return all;
    }

    private static CSVParser csv(Path file) throws Exception {
        Reader in = Files.newBufferedReader(file);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
    }

    @Test
    void aSelfValidationThatCannotRunWritesNothing() {
        Cli.Result r = Cli.run("diagnose", run.toString(), "--inject-flips", "150");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--inject-flips takes a percentage in (0, 100], got 150.0");
        assertThat(r.out()).doesNotContain("flagged");
        assertThat(run.resolve("flags.csv")).doesNotExist();
        assertThat(run.resolve("diagnosis.json")).doesNotExist();
        assertThat(run.resolve("flips.csv")).doesNotExist();
    }

    @Test
    void injectedFlipsAreMeasuredAndTheRunsLabelsAndFlagsAreUntouched() throws Exception {
        org.admap.run.Run.open(run, org.admap.Progress.Factory.NONE); // the store the labels are read from
        assertThat(Cli.run("diagnose", run.toString(), "--corr", "pearson").exit()).isZero();
        String flagsBefore = Files.readString(run.resolve("flags.csv"));
        List<Double> labelsBefore = labels(run);

        Cli.Result r = Cli.run("diagnose", run.toString(), "--corr", "pearson", "--inject-flips", "20", "--seed", "1");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("self-validation: flipped the labels of 8 of 40 instructions (20%, seed 1) in a"
                        + " copy; the run's labels are untouched")
                .containsPattern("flags about labels: precision 0\\.\\d{3} \\(\\d+ of \\d+ flagged\\), recall"
                        + " [01]\\.\\d{3} \\(\\d of 8 flipped\\)")
                .containsPattern("input\\s+0\\.9\\d\\d\\s+0\\.\\d{3}")
                .contains(", " + run.resolve("flips.csv"));
        assertThat(Files.readString(run.resolve("flags.csv"))).isEqualTo(flagsBefore);
        assertThat(labels(run)).isEqualTo(labelsBefore);

        JsonNode v = JSON.readTree(run.resolve("diagnosis.json").toFile()).get("self_validation");
        assertThat(v.get("injected").asInt()).isEqualTo(8);
        assertThat(v.get("eligible").asInt()).isEqualTo(40);
        assertThat(v.get("labels_were_scores").asBoolean()).isFalse();
        assertThat(v.at("/at_threshold/positives").asInt()).isEqualTo(8);
        assertThat(v.at("/ranking/0/scores").asText()).isEqualTo("input");
        assertThat(v.at("/ranking/0/roc_auc").asDouble()).isGreaterThan(0.9);
        assertThat(v.at("/by_reason/misannotated/hits").isNumber()).isTrue();
        try (CSVParser flips = csv(run.resolve("flips.csv"))) {
            assertThat(flips.getHeaderNames()).containsExactly("id", "injected", "suspicion", "flagged");
            List<CSVRecord> rows = flips.getRecords();
            assertThat(rows).hasSize(40);
            assertThat(rows.stream().filter(x -> x.get("injected").equals("1"))).hasSize(8);
        }
    }

    @Test
    void severalScorersAddTheirEvidenceAndTheirAgreementFlag() throws Exception {
        try (StandInServer server = StandInServer.start()) {
            assertThat(Cli.run("score", run.toString(), "--scorer", "judge", "--base-url", server.baseUrl(), "-q")
                    .exit()).isZero();
            assertThat(Cli.run("score", run.toString(), "--scorer", "reward", "--model", "rm", "--base-url",
                    server.root(), "-q").exit()).isZero();
        }

        Cli.Result r = Cli.run("diagnose", run.toString(), "--scorers", "all", "--scorer-quorum", "0.6",
                "--inject-flips", "25", "--seed", "3");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("scorers input, judge, reward: two or more had evidence on 50 instructions")
                .contains("scorers-disagree").containsPattern("consensus\\s+\\d\\.\\d{3}");
        try (CSVParser flags = csv(run.resolve("flags.csv"))) {
            assertThat(flags.getHeaderNames()).contains("scorers_against", "agreement:input", "agreement:judge",
                    "margin:reward", "confidence:reward");
            for (CSVRecord f : flags.getRecords()) {
                assertThat(f.get("scorers_with_evidence")).isIn("2", "3");
            }
        }
        JsonNode d = JSON.readTree(run.resolve("diagnosis.json").toFile());
        assertThat(d.at("/options/scorers").toString()).isEqualTo("[\"input\",\"judge\",\"reward\"]");
        assertThat(d.at("/options/scorer_quorum").asDouble()).isEqualTo(0.6);
        assertThat(d.at("/self_validation/ranking")).extracting(n -> n.get("scores").asText())
                .as("the map's source once, the other scorers, their consensus")
                .containsExactly("input", "judge", "reward", "consensus");
        assertThat(d.at("/bias")).as("the bias audit of the map's scores and of each scorer's, in diagnosis.json")
                .extracting(n -> n.get("scores").asText()).containsExactly("input", "judge", "reward");
        for (JsonNode audit : d.at("/bias")) {
            assertThat(audit.get("responses").asLong()).as(audit.toString()).isPositive();
            assertThat(audit.has("spearman_length_chars")).isTrue();
        }
        assertThat(r.out()).contains("bias of 'input'", "bias of 'judge'", "bias of 'reward'");
    }

    @Test
    void oneScorerSaysTheAgreementFlagNeedsTwo() {
        Cli.Result r = Cli.run("diagnose", run.toString(), "--scorers", "input");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("scorer input: its evidence is in flags.csv; scorers-disagree needs two or more"
                + " scorers").doesNotContain("had evidence on").doesNotContain("scorers-disagree 0");
    }

    @Test
    void theLabelsCannotJudgeThemselvesAndAllNeedsTwoScorers() {
        Cli.Result labels = Cli.run("diagnose", run.toString(), "--scorers", "input,labels");
        assertThat(labels.exit()).isEqualTo(2);
        assertThat(labels.err()).contains("'labels' cannot be a scorer");

        Cli.Result all = Cli.run("diagnose", run.toString(), "--scorers", "all");
        assertThat(all.exit()).isEqualTo(2);
        assertThat(all.err()).contains("one score source (input) besides the labels");

        Cli.Result tooFew = Cli.run("diagnose", run.toString(), "--inject-flips", "1");
        assertThat(tooFew.exit()).isEqualTo(2);
        assertThat(tooFew.err()).contains("inject a larger share");
    }

    @Test
    void textChecksCanBeSkipped() throws Exception {
        Cli.Result r = Cli.run("diagnose", run.toString(), "--no-duplicates");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("flagged 5:").contains("duplicate-responses 0");
        assertThat(JSON.readTree(run.resolve("diagnosis.json").toFile()).at("/options/duplicates").asBoolean())
                .isFalse();
    }

    @Test
    void aNewMapRemovesTheStaleFlips() throws Exception {
        assertThat(Cli.run("diagnose", run.toString(), "--inject-flips", "10").exit()).isZero();
        assertThat(run.resolve("flips.csv")).exists();
        assertThat(Cli.run("map", run.toString(), "--scores", "labels", "-q").exit()).isZero();
        assertThat(run.resolve("flips.csv")).doesNotExist();
    }
}
