package org.admap.internal.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Flag;
import org.admap.diagnose.Reason;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreWriter;
import org.admap.stats.Correlation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diagnosis over a whole run: ingest, map, diagnose, flags.csv. */
class DiagnoseJobTest {

    /** The first version's columns, then admap's additions (readers by name keep working). */
    private static final List<String> FLAGS_HEADER = List.of("id", "prompt", "reasons", "correlation", "margin",
            "mean", "variance", "n", "detail", "rank_agreement", "confidence", "duplicate_responses", "duplicate_of",
            "duplicate_kind");

    @TempDir
    Path dir;

    private RunStore ingest(Path file) throws IOException {
        RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME));
        Ingest.run(List.of(file), IngestOptions.defaults(), store, Progress.Factory.NONE);
        return store;
    }

    /** Diagnoses a run the way {@code admap diagnose} does, after {@code admap map}. */
    private static Diagnosis mapAndDiagnose(RunStore store) {
        String source = MapJob.defaultSource(store);
        MapJob.run(store, source, Correlation.COSINE);
        boolean independent = "independent".equals(store.info(MapJob.INFO_LABELS).orElseThrow());
        return DiagnoseJob.run(store, source, DiagnoseOptions.paper(independent));
    }

    @Test
    void theDemosPlantedMisannotationsAreExactlyTheOnesFlagged() throws IOException {
        Diagnosis diagnosis;
        try (RunStore store = ingest(RealData.demo())) {
            diagnosis = mapAndDiagnose(store);
        }

        List<Flag> misannotated = diagnosis.flags().stream().filter(f -> f.reasons().contains(Reason.MISANNOTATED))
                .toList();
        assertThat(misannotated).extracting(Flag::id).containsExactly("demo-007", "demo-023", "demo-041");
        // cosine of labels and scores, worked out from the file (numpy agrees)
        assertThat(misannotated).extracting(Flag::correlation).satisfiesExactly(
                c -> assertThat(c).isCloseTo(0.5669347141848576, within(1e-12)),
                c -> assertThat(c).isCloseTo(0.5864468611132132, within(1e-12)),
                c -> assertThat(c).isCloseTo(0.5696048220684916, within(1e-12)));
        assertThat(misannotated).allSatisfy(f -> assertThat(f.detail()).startsWith("cosine 0.5"));
        assertThat(diagnosis.examined()).isEqualTo(50);
        assertThat(diagnosis.correlationDefined()).isEqualTo(50);
        assertThat(diagnosis.bottomCorrelation()).as("int(50 * 0.01) = 0: no bottom share").isNaN();
        // int(50 * 0.05) = 2 lowest variances: demo-010 and demo-034 tie at 0.0325
        assertThat(diagnosis.flags().stream().filter(f -> f.reasons().contains(Reason.LOW_IMPACT)).map(Flag::id))
                .containsExactly("demo-010", "demo-034");
        // the two items whose responses repeat each other, whitespace aside (examples/README.md)
        assertThat(diagnosis.flags().stream().filter(f -> f.reasons().contains(Reason.DUPLICATE_RESPONSES))
                .map(Flag::id)).containsExactly("demo-012", "demo-029");
        assertThat(diagnosis.countsByReason()).containsEntry(Reason.DUPLICATE_INSTRUCTION, 0L)
                .containsEntry(Reason.SCORERS_DISAGREE, 0L);
        assertThat(diagnosis.flags()).hasSize(7);
    }

    @Test
    void theStoreHoldsOneFlagRowPerInstructionAndReasonWithItsThreshold() throws Exception {
        Path storeFile;
        try (RunStore store = ingest(RealData.demo())) {
            mapAndDiagnose(store);
            storeFile = store.file();
        }

        Map<String, double[]> rows = new HashMap<>();
        Map<String, String> details = new HashMap<>();
        try (Connection c = readOnly(storeFile); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT i.id, f.reason, f.value, f.threshold, f.detail"
                     + " FROM flags f JOIN items i USING (item_key) ORDER BY item_key, reason")) {
            while (rs.next()) {
                String key = rs.getString(1) + "/" + rs.getString(2);
                rows.put(key, new double[] {rs.getDouble(3), rs.getDouble(4)});
                details.put(key, rs.getString(5));
            }
        }

        assertThat(rows.keySet()).containsExactlyInAnyOrder("demo-007/misannotated", "demo-010/low-impact",
                "demo-012/duplicate-responses", "demo-023/misannotated", "demo-029/duplicate-responses",
                "demo-034/low-impact", "demo-041/misannotated");
        assertThat(rows.get("demo-007/misannotated")[0]).isCloseTo(0.5669347141848576, within(1e-12));
        assertThat(rows.get("demo-007/misannotated")[1]).isEqualTo(0.65);
        assertThat(rows.get("demo-010/low-impact")[0]).isCloseTo(0.0325, within(1e-12));
        assertThat(rows.get("demo-010/low-impact")[1]).isCloseTo(0.0325, within(1e-12));
        assertThat(details.get("demo-041/misannotated")).isEqualTo("cosine 0.5696 <= 0.6500");
        assertThat(rows.get("demo-012/duplicate-responses")).containsExactly(1.0, 1.0);
        assertThat(details.get("demo-012/duplicate-responses"))
                .isEqualTo("1 of 4 responses repeats another (whitespace aside)");
    }

    @Test
    void flagsCsvHasOneRowPerFlaggedInstructionWithTheNumbersOfTheDiagnosis() throws IOException {
        Path csv = dir.resolve("flags.csv");
        Diagnosis diagnosis;
        try (RunStore store = ingest(RealData.demo())) {
            diagnosis = mapAndDiagnose(store);
            FlagsCsv.write(store, diagnosis, csv);
        }

        List<CSVRecord> records = parse(csv);

        assertThat(records).hasSize(diagnosis.flags().size());
        for (int i = 0; i < records.size(); i++) {
            CSVRecord r = records.get(i);
            Flag f = diagnosis.flags().get(i);
            assertThat(r.get("id")).isEqualTo(f.id());
            assertThat(r.get("reasons")).isEqualTo(f.reasons().stream().sorted().map(Reason::cliName)
                    .collect(Collectors.joining(";")));
            assertThat(Double.parseDouble(r.get("correlation"))).isEqualTo(f.correlation());
            assertThat(r.isConsistent()).isTrue();
            assertThat(r.get("margin")).as("no pair in the demo").isEmpty();
            assertThat(Double.parseDouble(r.get("mean"))).isEqualTo(f.mean());
            assertThat(Double.parseDouble(r.get("variance"))).isEqualTo(f.variance());
            assertThat(Integer.parseInt(r.get("n"))).isEqualTo(4);
            assertThat(r.get("detail")).isEqualTo(f.detail());
            assertThat(r.get("rank_agreement")).isEqualTo(Double.isNaN(f.rankAgreement()) ? ""
                    : Double.toString(f.rankAgreement()));
            assertThat(r.get("confidence")).as("no scorer states a confidence or a spread").isEmpty();
            assertThat(Integer.parseInt(r.get("duplicate_responses"))).isEqualTo(f.duplicateResponses());
            assertThat(r.get("duplicate_of")).isEmpty();
        }
        assertThat(records.get(0).get("prompt")).startsWith("A shirt costs $40. It is discounted by 25%");
    }

    @Test
    void flagsCsvCutsLongPromptsTo200CharactersOnOneLine() throws IOException {
        String longPrompt = "Summarise this,\n\"quoted\" paragraph:\n\n" + "word ".repeat(100);
        Path data = writeJsonLines(List.of(
                item("long", longPrompt, new double[] {5, 1, 1}, new double[] {1, 5, 5}),
                item("short", "A short, \"quoted\" prompt", new double[] {1, 2, 3}, new double[] {1, 2, 3})));
        Path csv = dir.resolve("flags.csv");
        try (RunStore store = ingest(data)) {
            FlagsCsv.write(store, mapAndDiagnose(store), csv);
        }

        List<CSVRecord> records = parse(csv);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.get("id")).isEqualTo("long");
            String expected = longPrompt.strip().replaceAll("\\s+", " ").substring(0, 200) + "...";
            assertThat(r.get("prompt")).isEqualTo(expected).startsWith("Summarise this, \"quoted\" paragraph: word");
            assertThat(r.get("reasons")).isEqualTo("misannotated");
        });
    }

    @Test
    void theExcerptNeverCutsACharacterInHalf() {
        String prompt = "x".repeat(199) + "\uD83D\uDE00" + "tail"; // an emoji across the 200th char

        assertThat(FlagsCsv.excerpt(prompt)).isEqualTo("x".repeat(199) + "...");
        assertThat(FlagsCsv.excerpt("  short\n\tprompt ")).isEqualTo("short prompt");
        assertThat(FlagsCsv.excerpt("y".repeat(200))).isEqualTo("y".repeat(200));
    }

    @Test
    void pairsAreFlaggedWhenTheirScoresPreferTheRejectedResponse() throws IOException {
        // two responses per instruction: the pair rule, and the margin column
        Path data = writeJsonLines(List.of(
                item("flipped", "Which is better?", new double[] {1, 0}, new double[] {0.2, 0.9}),
                item("agreed", "And here?", new double[] {1, 0}, new double[] {0.9, 0.2})));
        Path csv = dir.resolve("flags.csv");
        try (RunStore store = ingest(data)) {
            FlagsCsv.write(store, mapAndDiagnose(store), csv);
        }

        assertThat(parse(csv)).singleElement().satisfies(r -> {
            assertThat(r.get("id")).isEqualTo("flipped");
            assertThat(r.get("reasons")).isEqualTo("score-prefers-rejected");
            assertThat(Double.parseDouble(r.get("margin"))).isCloseTo(-0.7, within(1e-12));
            assertThat(r.get("correlation")).isEmpty();
        });
    }

    @Test
    void labelsThatAreTheScoresGiveNoMisannotationFlags() throws IOException {
        // labels equal to scores everywhere: the map's labels relation is "scores"
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double[] s = {i % 3, 1 + (i % 5), 9 - (i % 7)};
            items.add(item("q" + i, "prompt " + i, s, s));
        }
        items.add(item("flat", "flat prompt", new double[] {2, 2, 2}, new double[] {2, 2, 2}));
        Diagnosis diagnosis;
        try (RunStore store = ingest(writeJsonLines(items))) {
            diagnosis = mapAndDiagnose(store);
            assertThat(store.info(MapJob.INFO_LABELS)).contains("scores");
        }

        assertThat(diagnosis.options().labelsIndependent()).isFalse();
        assertThat(diagnosis.correlationDefined()).isZero();
        assertThat(diagnosis.countsByReason()).containsEntry(Reason.MISANNOTATED, 0L)
                .containsEntry(Reason.SCORE_PREFERS_REJECTED, 0L);
        // int(31 * 0.05) = 1: the flat item
        assertThat(diagnosis.flags()).extracting(Flag::id).containsExactly("flat");
    }

    @Test
    void repeatedInstructionsAcrossTheDatasetAreFlaggedWithTheFirstOccurrence() throws IOException {
        Path data = writeJsonLines(List.of(
                item("a", "What is 2 + 2?", new double[] {1, 2, 3}, new double[] {1, 2, 3}),
                item("b", "Name a prime.", new double[] {1, 2, 3}, new double[] {1, 2, 4}),
                item("c", "what is 2+2", new double[] {1, 2, 3}, new double[] {1, 3, 5}),
                item("d", "What is 2 + 2?", new double[] {3, 2, 1}, new double[] {1, 4, 9})));
        Path csv = dir.resolve("flags.csv");
        try (RunStore store = ingest(data)) {
            FlagsCsv.write(store, mapAndDiagnose(store), csv);
        }

        List<CSVRecord> records = parse(csv);

        assertThat(records).extracting(r -> r.get("id")).containsExactly("c", "d");
        assertThat(records.get(0).get("reasons")).isEqualTo("duplicate-instruction");
        assertThat(records.get(0).get("duplicate_of")).isEqualTo("a");
        assertThat(records.get(0).get("duplicate_kind")).isEqualTo("normalised");
        assertThat(records.get(1).get("reasons")).isEqualTo("misannotated;duplicate-instruction");
        assertThat(records.get(1).get("duplicate_kind")).isEqualTo("exact");
        assertThat(records.get(1).get("detail")).endsWith("; repeats a (exact)");
    }

    @Test
    void scorersAgreeingAgainstTheLabelsAreFlaggedWithEachScorersEvidenceInFlagsCsv() throws IOException {
        // the data's own scores follow the labels; two scorers reverse item "q0" and agree on "q1"
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(item("q" + i, "prompt " + i, new double[] {3, 2, 1}, new double[] {9, 5, 1}));
        }
        Path csv = dir.resolve("flags.csv");
        Diagnosis diagnosis;
        try (RunStore store = ingest(writeJsonLines(items))) {
            writeScores(store, "judge", new double[][] {{2, 5, 9}, {9, 5, 1}, {9, 1, 5}});
            writeScores(store, "reward", new double[][] {{-1, 0, 2}, {2, 0, -1}, {2, 0, -1}});
            MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            DiagnoseOptions options = DiagnoseOptions.paper(true).withScorers(List.of("judge", "reward"), 1, 0.5);
            diagnosis = DiagnoseJob.run(store, RunStore.INPUT, options);
            FlagsCsv.write(store, diagnosis, csv);
        }

        assertThat(diagnosis.flags()).extracting(Flag::id).containsExactly("q0");
        assertThat(diagnosis.scorersEvaluated()).isEqualTo(3);
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            assertThat(parser.getHeaderNames()).endsWith("scorers_against", "scorers_with_evidence",
                    "scorer_agreement", "agreement:judge", "margin:judge", "confidence:judge", "agreement:reward",
                    "margin:reward", "confidence:reward");
            CSVRecord r = parser.getRecords().get(0);
            assertThat(r.get("reasons")).isEqualTo("scorers-disagree");
            assertThat(r.get("scorers_against")).isEqualTo("2");
            assertThat(r.get("scorers_with_evidence")).isEqualTo("2");
            assertThat(Double.parseDouble(r.get("scorer_agreement"))).isEqualTo(1.0);
            // cosine((3,2,1), (2,5,9)) = (6 + 10 + 9) / sqrt(14 * 110) = 0.6370...
            assertThat(Double.parseDouble(r.get("agreement:judge"))).isCloseTo(25 / Math.sqrt(14 * 110.0),
                    within(1e-12));
            assertThat(r.get("margin:judge")).isEmpty();
        }
    }

    @Test
    void aScorersStatedConfidenceReachesThePairsFlag() throws IOException {
        // a judge asked for a confidence (a custom rubric) answers {"score": s, "confidence": c}
        Path data = writeJsonLines(List.of(
                item("pair", "Which is better?", new double[] {1, 0}, new double[] {0.9, 0.2})));
        Path csv = dir.resolve("flags.csv");
        try (RunStore store = ingest(data)) {
            List<ScoreWriter.Row> rows = List.of(
                    new ScoreWriter.Row(0, 0, "judge", "judge-v1", "p", "r0", 3, null,
                            "{\"score\": 3, \"confidence\": 0.9}", 0, 0, 0, 0, 1, null, null, "m", Instant.now()),
                    new ScoreWriter.Row(0, 1, "judge", "judge-v1", "p", "r1", 8, null,
                            "{\"score\": 8, \"confidence\": 0.6}", 0, 0, 0, 0, 1, null, null, "m", Instant.now()));
            try (ScoreWriter w = store.openScoreWriter()) {
                w.write(rows);
            }
            MapJob.run(store, "judge", Correlation.COSINE);
            FlagsCsv.write(store, DiagnoseJob.run(store, "judge", DiagnoseOptions.paper(true)), csv);
        }

        assertThat(parse(csv)).singleElement().satisfies(r -> {
            assertThat(r.get("reasons")).isEqualTo("score-prefers-rejected");
            assertThat(Double.parseDouble(r.get("margin"))).isEqualTo(-5.0);
            assertThat(Double.parseDouble(r.get("confidence"))).isCloseTo(0.75, within(1e-12));
            assertThat(Double.parseDouble(r.get("rank_agreement"))).isEqualTo(-1.0);
        });
    }

    @Test
    void aJudgesLogprobSpreadIsItsConfidence() throws IOException {
        // --logprobs stores each score's spread; on the source's scale (3..8, half range 2.5) a spread of
        // 0.45 is a confidence of 0.82 and one of 1.35 of 0.46
        Path data = writeJsonLines(List.of(
                item("pair", "Which is better?", new double[] {1, 0}, new double[] {0.9, 0.2})));
        Path csv = dir.resolve("flags.csv");
        try (RunStore store = ingest(data)) {
            List<ScoreWriter.Row> rows = List.of(
                    new ScoreWriter.Row(0, 0, "judge", "judge-v1", "p", "r0", 3, null, "{\"score\": 3}", 0, 0, 0, 0,
                            1, null, null, "m", Instant.now(), 0, 0.45, "logprobs"),
                    new ScoreWriter.Row(0, 1, "judge", "judge-v1", "p", "r1", 8, null, "{\"score\": 8}", 0, 0, 0, 0,
                            1, null, null, "m", Instant.now(), 0, 1.35, "logprobs"));
            try (ScoreWriter w = store.openScoreWriter()) {
                w.write(rows);
            }
            MapJob.run(store, "judge", Correlation.COSINE);
            FlagsCsv.write(store, DiagnoseJob.run(store, "judge", DiagnoseOptions.paper(true)), csv);
        }

        assertThat(parse(csv)).singleElement().satisfies(r ->
                assertThat(Double.parseDouble(r.get("confidence"))).isCloseTo((0.82 + 0.46) / 2, within(1e-12)));
    }

    @Test
    void aScorerThatIsTheLabelsOrAbsentIsRefused() throws IOException {
        try (RunStore store = ingest(RealData.demo())) {
            MapJob.run(store, RunStore.INPUT, Correlation.COSINE);
            for (String bad : List.of("labels", "judge")) {
                DiagnoseOptions options = DiagnoseOptions.paper(true).withScorers(List.of("input", bad), 1, 0.5);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> DiagnoseJob.run(store, "input", options))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(bad.equals("labels") ? "cannot be a scorer" : "no scores from 'judge'");
            }
            assertThat(DiagnoseJob.availableScorers(store)).containsExactly("input");
        }
    }

    // ---- fixtures ----------------------------------------------------------------------

    /** Stores a scorer source's scores, {@code values[item][response]}, as a scorer would. */
    private static void writeScores(RunStore store, String source, double[][] values) {
        List<ScoreWriter.Row> rows = new ArrayList<>();
        for (int key = 0; key < values.length; key++) {
            for (int pos = 0; pos < values[key].length; pos++) {
                rows.add(new ScoreWriter.Row(key, pos, source, source + "-v1", "p" + key, "r" + key + "." + pos,
                        values[key][pos], null, null, 0, 0, 0, 0, 1, null, null, "test", Instant.now()));
            }
        }
        try (ScoreWriter w = store.openScoreWriter()) {
            w.write(rows);
        }
    }

    private static Map<String, Object> item(String id, String prompt, double[] labels, double[] scores) {
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            responses.add(Map.of("text", "response " + i + " to " + id, "label", labels[i], "score", scores[i]));
        }
        return Map.of("id", id, "prompt", prompt, "responses", responses);
    }

    private Path writeJsonLines(List<Map<String, Object>> items) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> item : items) {
            text.append(json.writeValueAsString(item)).append('\n');
        }
        Path file = dir.resolve("fixture.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static List<CSVRecord> parse(Path csv) throws IOException {
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            assertThat(parser.getHeaderNames()).isEqualTo(FLAGS_HEADER);
            return parser.getRecords();
        }
    }

    private static Connection readOnly(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p);
    }
}
