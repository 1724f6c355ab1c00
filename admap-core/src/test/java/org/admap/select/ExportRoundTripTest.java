package org.admap.select;

import org.admap.ingest.Layout;
import java.util.Map;
import java.util.LinkedHashMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.admap.RealData;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.model.Item;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.admap.model.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pair format read back to the same pairs (prompt, chosen, rejected): by admap's own
 * reader (TRL standard and conversational, alpaca, sharegpt, KTO), and field by field with
 * Jackson (sharegpt, KTO, and listwise, which no layout reads); and each format's
 * fields checked against its consumer's own files (LLaMA-Factory's demo data and
 * {@code dataset_info.json}, TRL's test datasets) where they are present.
 */
class ExportRoundTripTest {

    private static final double NA = Double.NaN;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PairBuilder PAIRS = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS);

    @TempDir
    Path dir;

    /** A plain prompt with an alpaca input: three labelled responses, three pairs. */
    private static final Item PLAIN = new Item("p1", "Translate to French:", "Good morning", null, List.of(
            new Response("Bonjour", 9.0, 3, null),
            new Response("Bonsoir", 5.0, 2, null),
            new Response("Hello", NA, 1, null)),
            SourceLocation.line("test", 1));

    /**
     * A conversation: a system turn, an earlier exchange and the turn the responses answer.
     * Its prompt is the turns flattened as admap flattens chat messages ("Role: content"
     * paragraphs), which is what admap reads a message-list prompt back as.
     */
    private static final List<Turn> TURNS = List.of(
            new Turn("system", "You are terse."),
            new Turn("user", "Name a colour."),
            new Turn("assistant", "Blue."),
            new Turn("user", "Another one,  please.\n"));
    private static final Item CHAT = new Item("c1",
            "System: You are terse.\n\nUser: Name a colour.\n\nAssistant: Blue.\n\nUser: Another one,  please.\n",
            "", null, List.of(
                    new Response("Red.", 8.0, 2, null),
                    new Response(" green ", 2.5, 1, null),
                    new Response("Blue.", 1.0, 0, null)),
            SourceLocation.line("test", 2), TURNS);

    /** What a pair is, format aside. */
    private record Triple(String prompt, String chosen, String rejected) {
    }

    private Path export(ExportFormat format, String name, Item... items) throws IOException {
        Path file = dir.resolve(name);
        try (PairExporter out = PairExporter.create(format, file)) {
            for (Item item : items) {
                if (format == ExportFormat.KTO) {
                    out.writeUnpaired(item, null, PAIRS.completions(item));
                } else {
                    out.write(item, null, PAIRS.pairs(item));
                }
            }
            out.commit();
        }
        return file;
    }

    private static List<Triple> expected(Item... items) {
        List<Triple> out = new ArrayList<>();
        for (Item item : items) {
            for (Pair p : PAIRS.pairs(item)) {
                out.add(new Triple(item.fullPrompt(), p.chosen().text(), p.rejected().text()));
            }
        }
        return out;
    }

    /** The pairs admap reads from a file: each row one instruction, label 1 chosen, 0 rejected. */
    private static List<Triple> readByAdmap(Path file) throws IOException {
        List<Triple> out = new ArrayList<>();
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            for (Item item; (item = reader.next()) != null; ) {
                Response chosen = item.responses().get(0);
                Response rejected = item.responses().get(1);
                assertThat(chosen.label()).isEqualTo(1.0);
                assertThat(rejected.label()).isEqualTo(0.0);
                out.add(new Triple(item.fullPrompt(), chosen.text(), rejected.text()));
            }
        }
        return out;
    }

    private static List<JsonNode> rows(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        if (file.toString().endsWith(".json")) {
            JSON.readTree(file.toFile()).forEach(rows::add);
            return rows;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    private static Set<String> fields(JsonNode row) {
        Set<String> names = new HashSet<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- TRL standard ------------------------------------------------------------------

    @Test
    void trlStandardReadsBackAsTheSamePairsAndScores() throws IOException {
        Path file = export(ExportFormat.TRL_STANDARD, "standard.jsonl", PLAIN, CHAT);

        assertThat(readByAdmap(file)).containsExactlyElementsOf(expected(PLAIN, CHAT));
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            Item first = reader.next();
            assertThat(first.id()).isEqualTo("p1");
            assertThat(first.responses()).extracting(Response::score).containsExactly(9.0, 5.0);
        }
        assertThat(rows(file)).allSatisfy(row -> assertThat(row.get("prompt").isTextual()).isTrue());
    }

    @Test
    void trlStandardHasTheFieldsOfTrlsOwnStandardPreferenceFile() throws IOException {
        Path trl = RealData.require("trl-zen").resolve("standard_preference.jsonl");
        Set<String> theirs = fields(rows(trl).get(0));

        JsonNode ours = rows(export(ExportFormat.TRL_STANDARD, "standard.jsonl", PLAIN)).get(0);

        assertThat(fields(ours)).containsAll(theirs);
        for (String f : theirs) {
            assertThat(ours.get(f).getNodeType()).as(f).isEqualTo(rows(trl).get(0).get(f).getNodeType());
        }
    }

    // ---- TRL conversational ------------------------------------------------------------

    @Test
    void aConversationMakesTrlRowsMessageListsThatReadBackAsTheSamePairs() throws IOException {
        Path file = export(ExportFormat.TRL, "chat.jsonl", CHAT, PLAIN); // the first item decides: messages

        List<JsonNode> rows = rows(file);
        JsonNode first = rows.get(0);
        assertThat(first.get("prompt").isArray()).isTrue();
        assertThat(first.get("prompt")).hasSize(4);
        assertThat(first.at("/prompt/0/role").textValue()).isEqualTo("system");
        assertThat(first.at("/prompt/3/content").textValue()).isEqualTo("Another one,  please.\n");
        assertThat(first.at("/chosen/0/role").textValue()).isEqualTo("assistant");
        assertThat(first.at("/chosen/0/content").textValue()).isEqualTo("Red.");
        // a plain prompt in the same file is one user message, so every row has one schema
        JsonNode plain = rows.get(3);
        assertThat(plain.get("prompt")).hasSize(1);
        assertThat(plain.at("/prompt/0/role").textValue()).isEqualTo("user");
        assertThat(plain.at("/prompt/0/content").textValue()).isEqualTo(PLAIN.fullPrompt());

        assertThat(readByAdmap(file)).containsExactlyElementsOf(expected(CHAT, PLAIN));
    }

    @Test
    void plainPromptsMakeTrlRowsTextAndTrlChatForcesMessages() throws IOException {
        assertThat(rows(export(ExportFormat.TRL, "plain.jsonl", PLAIN, CHAT)))
                .allSatisfy(row -> assertThat(row.get("prompt").isTextual()).isTrue());
        Path chat = export(ExportFormat.TRL_CHAT, "forced.jsonl", PLAIN);
        assertThat(rows(chat)).allSatisfy(row -> assertThat(row.get("prompt").isArray()).isTrue());
        assertThat(readByAdmap(chat)).containsExactlyElementsOf(expected(PLAIN));
    }

    @Test
    void trlChatHasTheShapeOfTrlsOwnConversationalPreferenceFile() throws IOException {
        JsonNode theirs = rows(RealData.require("trl-zen").resolve("conversational_preference.jsonl")).get(0);

        JsonNode ours = rows(export(ExportFormat.TRL_CHAT, "chat.jsonl", CHAT)).get(0);

        assertThat(fields(ours)).containsAll(fields(theirs));
        for (String f : List.of("prompt", "chosen", "rejected")) {
            assertThat(fields(ours.get(f).get(0))).as(f).isEqualTo(fields(theirs.get(f).get(0)));
        }
    }

    // ---- LLaMA-Factory alpaca ----------------------------------------------------------

    @Test
    void alpacaReadsBackAsTheSamePairsWithInstructionAndInputApart() throws IOException {
        Path file = export(ExportFormat.LLAMA_FACTORY, "alpaca.json", PLAIN);

        assertThat(readByAdmap(file)).containsExactlyElementsOf(expected(PLAIN));
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            Item first = reader.next();
            assertThat(first.prompt()).isEqualTo("Translate to French:");
            assertThat(first.input()).isEqualTo("Good morning");
            assertThat(first.id()).isEqualTo("p1");
        }
    }

    @Test
    void alpacaEntryIsTheOneLlamaFactoryDocuments() throws IOException {
        Path info = RealData.require("llamafactory-demo").resolve("dataset_info.json");
        JsonNode documented = JSON.readTree(info.toFile()).get("ultrafeedback"); // an alpaca ranking entry

        JsonNode ours = DatasetInfo.entry(ExportFormat.LLAMA_FACTORY, dir.resolve("high-avg.json"), false);

        assertThat(ours.get("ranking")).isEqualTo(documented.get("ranking"));
        assertThat(ours.has("formatting")).as("alpaca is the default formatting").isFalse();
        documented.get("columns").fields().forEachRemaining(c ->
                assertThat(ours.at("/columns/" + c.getKey()).textValue()).isEqualTo(c.getValue().textValue()));
    }

    // ---- LLaMA-Factory sharegpt --------------------------------------------------------

    /** The pairs of a sharegpt export, read as LLaMA-Factory reads them (its default tags). */
    private static List<Triple> readShareGpt(Path file, List<List<Turn>> turns) throws IOException {
        List<Triple> out = new ArrayList<>();
        for (JsonNode row : rows(file)) {
            List<Turn> prompt = new ArrayList<>();
            for (JsonNode m : row.get("conversations")) {
                prompt.add(new Turn(m.get("from").textValue(), m.get("value").textValue()));
            }
            turns.add(prompt);
            assertThat(row.at("/chosen/from").textValue()).isEqualTo("gpt");
            assertThat(row.at("/rejected/from").textValue()).isEqualTo("gpt");
            String text = prompt.size() == 1 ? prompt.get(0).content() : null;
            out.add(new Triple(text, row.at("/chosen/value").textValue(), row.at("/rejected/value").textValue()));
        }
        return out;
    }

    @Test
    void sharegptKeepsTheTurnsAndReadsBackAsTheSamePairs() throws IOException {
        Path file = export(ExportFormat.SHAREGPT, "sharegpt.json", CHAT, PLAIN);

        List<List<Turn>> turns = new ArrayList<>();
        List<Triple> read = readShareGpt(file, turns);

        List<Triple> chat = expected(CHAT);
        List<Triple> plain = expected(PLAIN);
        assertThat(read).hasSize(chat.size() + plain.size());
        for (int i = 0; i < chat.size(); i++) {
            assertThat(turns.get(i)).containsExactly(new Turn("system", "You are terse."),
                    new Turn("human", "Name a colour."), new Turn("gpt", "Blue."),
                    new Turn("human", "Another one,  please.\n"));
            assertThat(read.get(i).chosen()).isEqualTo(chat.get(i).chosen());
            assertThat(read.get(i).rejected()).isEqualTo(chat.get(i).rejected());
        }
        assertThat(read.subList(chat.size(), read.size())).containsExactlyElementsOf(plain);
        assertThat(rows(file)).allSatisfy(row -> assertThat(fields(row))
                .containsExactlyInAnyOrder("conversations", "chosen", "rejected", "id"));
    }

    @Test
    void sharegptReadsBackThroughAdmapsOwnReaderAsTheSamePairsAndTurns() throws IOException {
        Path file = export(ExportFormat.SHAREGPT, "sharegpt-admap.json", CHAT, PLAIN);

        assertThat(readByAdmap(file)).containsExactlyElementsOf(expected(CHAT, PLAIN));
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            assertThat(reader.layout()).isEqualTo(Layout.SHAREGPT);
            assertThat(reader.next().turns()).containsExactlyElementsOf(TURNS);
        }
    }

    @Test
    void sharegptHasTheShapeAndEntryOfLlamaFactorysOwnDpoDemo() throws IOException {
        Path demo = RealData.require("llamafactory-demo");
        JsonNode theirs;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(demo.resolve("dpo_en_demo.json.gz")))) {
            theirs = JSON.readTree(in);
        }
        Set<String> roles = new HashSet<>();
        theirs.forEach(row -> row.get("conversations").forEach(m -> roles.add(m.get("from").textValue())));

        Path file = export(ExportFormat.SHAREGPT, "high-avg.json", CHAT, PLAIN);
        JsonNode ours = JSON.readTree(file.toFile());

        for (JsonNode row : ours) {
            assertThat(fields(row)).containsAll(fields(theirs.get(0)));
            row.get("conversations").forEach(m -> {
                assertThat(fields(m)).isEqualTo(fields(theirs.get(0).get("conversations").get(0)));
                assertThat(roles).contains(m.get("from").textValue());
            });
            assertThat(fields(row.get("chosen"))).isEqualTo(fields(theirs.get(0).get("chosen")));
        }
        // the entry: LLaMA-Factory's own for its demo, with our file name (tags spelt out at their defaults)
        JsonNode documented = JSON.readTree(demo.resolve("dataset_info.json").toFile()).get("dpo_en_demo");
        JsonNode entry = DatasetInfo.entry(ExportFormat.SHAREGPT, file, true);
        assertThat(entry.get("file_name").textValue()).isEqualTo("high-avg.json");
        assertThat(entry.get("formatting")).isEqualTo(documented.get("formatting"));
        assertThat(entry.get("ranking")).isEqualTo(documented.get("ranking"));
        assertThat(entry.get("columns")).isEqualTo(documented.get("columns"));
        assertThat(entry.at("/tags/role_tag").textValue()).isEqualTo("from");
        assertThat(entry.at("/tags/assistant_tag").textValue()).isEqualTo("gpt");
    }

    // ---- KTO ---------------------------------------------------------------------------

    @Test
    void ktoWritesEveryValuedResponseLabelledByTheInstructionsMean() throws IOException {
        Path file = export(ExportFormat.KTO, "kto.jsonl", PLAIN, CHAT);

        List<JsonNode> rows = rows(file);

        // PLAIN labels 3, 2, 1 (mean 2): only 3 is above; CHAT labels 2, 1, 0 (mean 1): only 2
        assertThat(rows).hasSize(6);
        assertThat(rows).extracting(r -> r.get("completion").textValue())
                .containsExactly("Bonjour", "Bonsoir", "Hello", "Red.", " green ", "Blue.");
        assertThat(rows).extracting(r -> r.get("label").booleanValue())
                .containsExactly(true, false, false, true, false, false);
        assertThat(rows).extracting(r -> r.get("id").textValue()).containsExactly("p1", "p1", "p1", "c1", "c1", "c1");
        assertThat(rows.get(0).get("prompt").textValue()).isEqualTo(PLAIN.fullPrompt());
        assertThat(rows.get(0).get("score").doubleValue()).isEqualTo(9.0);
        assertThat(rows.get(2).get("score").isNull()).isTrue();
        // read back: each instruction's responses, the desirable ones above the undesirable ones
        assertThat(rows.get(3).get("prompt").textValue()).isEqualTo(CHAT.fullPrompt());
    }

    @Test
    void ktoReadsBackThroughAdmapsOwnReaderAsEachInstructionsResponsesWithTheirLabels() throws IOException {
        Path file = export(ExportFormat.KTO, "kto-admap.jsonl", PLAIN, CHAT);

        Map<String, List<String>> desirable = new LinkedHashMap<>();
        Map<String, List<String>> undesirable = new LinkedHashMap<>();
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            assertThat(reader.layout()).isEqualTo(Layout.UNPAIRED);
            for (Item item; (item = reader.next()) != null; ) {
                for (Response r : item.responses()) {
                    (r.label() == 1.0 ? desirable : undesirable)
                            .computeIfAbsent(item.fullPrompt(), k -> new ArrayList<>()).add(r.text());
                }
            }
        }
        assertThat(desirable).containsExactly(Map.entry(PLAIN.fullPrompt(), List.of("Bonjour")),
                Map.entry(CHAT.fullPrompt(), List.of("Red.")));
        assertThat(undesirable).containsExactly(Map.entry(PLAIN.fullPrompt(), List.of("Bonsoir", "Hello")),
                Map.entry(CHAT.fullPrompt(), List.of(" green ", "Blue.")));
    }

    @Test
    void ktoOfAConversationIsTrlsConversationalUnpairedShape() throws IOException {
        JsonNode theirs = rows(RealData.require("trl-zen").resolve("conversational_unpaired_preference.jsonl"))
                .get(0);

        List<JsonNode> ours = rows(export(ExportFormat.KTO, "kto.jsonl", CHAT));

        assertThat(fields(ours.get(0))).containsAll(fields(theirs));
        assertThat(ours.get(0).get("prompt")).hasSize(4);
        assertThat(ours.get(0).at("/completion/0/role").textValue()).isEqualTo("assistant");
        assertThat(ours.get(0).get("label").isBoolean()).isTrue();
        assertThat(DatasetInfo.entry(ExportFormat.KTO, dir.resolve("kto.jsonl"), true))
                .as("LLaMA-Factory cannot join TRL's conversational prompt and completion").isNull();
    }

    @Test
    void ktoStandardEntryIsLlamaFactorysUltrafeedbackKtoEntry() throws IOException {
        JsonNode documented = JSON.readTree(RealData.require("llamafactory-demo").resolve("dataset_info.json")
                .toFile()).get("ultrafeedback_kto");

        JsonNode entry = DatasetInfo.entry(ExportFormat.KTO, dir.resolve("kto.jsonl"), false);

        assertThat(entry.get("columns")).isEqualTo(documented.get("columns"));
        assertThat(fields(rows(export(ExportFormat.KTO, "kto.jsonl", PLAIN)).get(0)))
                .contains("prompt", "completion", "label");
    }

    @Test
    void anInstructionWhoseValuesAllTieGivesNoCompletion() {
        Item tied = new Item("t", "q", "", null, List.of(new Response("a", NA, 2, null),
                new Response("b", NA, 2, null)), SourceLocation.line("test", 3));
        assertThat(PAIRS.completions(tied)).isEmpty();
    }

    // ---- listwise ----------------------------------------------------------------------

    @Test
    void listwiseHoldsTheBestAgainstEveryLowerResponseBestFirst() throws IOException {
        Path file = export(ExportFormat.LISTWISE, "listwise.jsonl", PLAIN);

        List<JsonNode> rows = rows(file);

        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("chosen").textValue()).isEqualTo("Bonjour");
        assertThat(row.get("rejected")).extracting(JsonNode::textValue).containsExactly("Bonsoir", "Hello");
        assertThat(row.get("score_chosen").doubleValue()).isEqualTo(9.0);
        assertThat(row.get("score_rejected").get(0).doubleValue()).isEqualTo(5.0);
        assertThat(row.get("score_rejected").get(1).isNull()).isTrue();
        // expanded into pairs it gives the pairs of the best response
        List<Triple> pairs = new ArrayList<>();
        row.get("rejected").forEach(r -> pairs.add(new Triple(row.get("prompt").textValue(),
                row.get("chosen").textValue(), r.textValue())));
        assertThat(expected(PLAIN)).containsAll(pairs);
    }

    // ---- at most N pairs per prompt -----------------------------------------------------

    @Test
    void maxPairsPerPromptKeepsTheLargestMarginsInResponseOrder() {
        Item four = new Item("f", "q", "", null, List.of(new Response("a", NA, 4, null),
                new Response("b", NA, 3, null), new Response("c", NA, 2, null), new Response("d", NA, 1, null)),
                SourceLocation.line("test", 4));

        List<Pair> two = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS, 2).pairs(four);

        // margins: a-b 1, a-c 2, a-d 3, b-c 1, b-d 2, c-d 1: keep a-d (3) and a-c (2, first of the 2s)
        assertThat(two).extracting(p -> p.chosen().text() + ">" + p.rejected().text())
                .containsExactly("a>c", "a>d");
        assertThat(new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS, 0).pairs(four)).hasSize(6);
        assertThat(new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS, 9).pairs(four)).hasSize(6);
    }

    // ---- dataset_info.json -------------------------------------------------------------

    @Test
    void registeringKeepsTheOtherEntriesOfAnExistingDatasetInfo() throws IOException {
        Files.writeString(dir.resolve("dataset_info.json"), "{\"mine\": {\"file_name\": \"mine.json\"}}");

        DatasetInfo.register(dir, "high-avg", DatasetInfo.entry(ExportFormat.SHAREGPT, dir.resolve("high-avg.json"),
                true));
        DatasetInfo.register(dir, "low-avg", DatasetInfo.entry(ExportFormat.LLAMA_FACTORY,
                dir.resolve("low-avg.json"), false));

        JsonNode info = JSON.readTree(dir.resolve("dataset_info.json").toFile());
        assertThat(fields(info)).containsExactlyInAnyOrder("mine", "high-avg", "low-avg");
        assertThat(info.at("/high-avg/formatting").textValue()).isEqualTo("sharegpt");
    }

    @Test
    void anEntryOfTheSameNameForAnotherFileIsNeverReplaced() throws IOException {
        Path info = dir.resolve("dataset_info.json");
        Files.writeString(info, "{\"high-avg\": {\"file_name\": \"theirs.json\"}}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetInfo.register(dir, "high-avg",
                        DatasetInfo.entry(ExportFormat.SHAREGPT, dir.resolve("high-avg.json"), true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registers 'high-avg'")
                .hasMessageContaining("theirs.json");
        assertThat(Files.readString(info)).contains("theirs.json");
        // the same file again (an export written anew) replaces its own entry
        Files.writeString(info, "{\"high-avg\": {\"file_name\": \"high-avg.json\"}}");
        DatasetInfo.register(dir, "high-avg", DatasetInfo.entry(ExportFormat.SHAREGPT, dir.resolve("high-avg.json"),
                true));
        assertThat(JSON.readTree(info.toFile()).at("/high-avg/formatting").textValue()).isEqualTo("sharegpt");
    }

    @Test
    void aDatasetInfoThatIsNotAnObjectIsRefusedByName() throws IOException {
        Files.writeString(dir.resolve("dataset_info.json"), "[1, 2]");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetInfo.register(dir, "x",
                        DatasetInfo.entry(ExportFormat.LLAMA_FACTORY, dir.resolve("x.json"), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("dataset_info.json").toString())
                .hasMessageContaining("expected a JSON object");
    }
}
