package org.admap.ingest;

import static org.admap.ingest.MultiResponseLayoutTest.sha256Prefix;
import static org.admap.ingest.TestFiles.jsonl;
import static org.admap.ingest.TestFiles.readAll;
import static org.admap.ingest.TestFiles.readOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.store.KeyedItem;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One response per row, with fields mapped by name (dotted paths for nested fields),
 * grouped into instructions by prompt or by an id field, and the AlpacaEval preset.
 */
class LongLayoutTest {

    private static final double NA = Response.ABSENT;

    /** An AlpacaEval annotation row, as in {@code <model>.annotations.json}. */
    private static String alpacaEval(String instruction, String output2, String generator2, String preference) {
        return "{\"instruction\": \"" + instruction + "\", \"output_1\": \"baseline answer\","
                + " \"generator_1\": \"gpt4_1106_preview\", \"dataset\": \"helpful_base\", \"output_2\": \"" + output2
                + "\", \"generator_2\": \"" + generator2 + "\", \"annotator\": \"weighted_alpaca_eval_gpt4_turbo\","
                + " \"preference\": " + preference + ", \"time_per_example\": 0.9, \"price_per_example\": 0.01,"
                + " \"raw_completion\": \"m\"}";
    }

    @TempDir
    Path dir;

    private List<Item> ingested(IngestOptions options, Path... files) throws Exception {
        List<Item> items = new ArrayList<>();
        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), options, files)) {
            store.forEachItem(RunStore.INPUT, null, (KeyedItem k) -> items.add(k.item()));
        }
        return items;
    }

    @Test
    void promptAndResponseFieldsAreRecognisedAsOneResponsePerRow() throws Exception {
        Path file = jsonl(dir, "long.jsonl",
                "{\"prompt\": \"p\", \"response\": \"a\", \"score\": 2, \"label\": 1, \"model\": \"m1\"}",
                "{\"prompt\": \"p\", \"response\": \"b\", \"score\": 4}");

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            List<Item> items = TestFiles.drain(reader);

            assertThat(reader.layout()).isEqualTo(Layout.LONG);
            assertThat(reader.groupsRows()).isTrue();
            assertThat(reader.layoutDescription()).isEqualTo("long (prompt 'prompt', response 'response')");
            assertThat(items).extracting(Item::id).containsOnly(sha256Prefix("p"));
            assertThat(items).extracting(i -> i.responses()).containsExactly(
                    List.of(new Response("a", 2, 1, "m1")), List.of(new Response("b", 4, NA, null)));
        }
    }

    @Test
    void fieldsAreMappedByName() throws Exception {
        Path file = jsonl(dir, "long.jsonl",
                "{\"question\": \"q\", \"answer\": \"a\", \"rating\": 9, \"human\": 5, \"llm\": \"m\", \"prompt\": " +
                        "\"no\"}");
        IngestOptions options = IngestOptions.defaults().withFields("question", "answer", "rating", "human", "llm",
                null);

        try (DatasetReader reader = DatasetReader.open(file, options)) {
            Item item = reader.next();

            assertThat(reader.layoutDescription()).isEqualTo("long (prompt 'question', response 'answer')");
            assertThat(item.prompt()).isEqualTo("q");
            assertThat(item.responses()).containsExactly(new Response("a", 9, 5, "m"));
        }
    }

    @Test
    void namingLongFieldsWinsOverAResponsesField() throws Exception {
        Path file = jsonl(dir, "long.jsonl", "{\"q\": \"q\", \"a\": \"a\", \"responses\": [\"x\"]}");
        IngestOptions options = IngestOptions.defaults().withFields("q", "a", null, null, null, null);

        try (DatasetReader reader = DatasetReader.open(file, options)) {
            assertThat(reader.layout()).isEqualTo(Layout.LONG);
        }
    }

    @Test
    void dottedPathsReachNestedFields() throws Exception {
        Path file = jsonl(dir, "long.jsonl", "{\"q\": {\"text\": \"question\"}, \"a\": {\"text\": \"answer\"},"
                + " \"eval\": {\"gpt4\": {\"score\": 3.5}}, \"meta\": {\"model\": \"m\"}}");
        IngestOptions options = IngestOptions.defaults()
                .withFields("q.text", "a.text", "eval.gpt4.score", null, "meta.model", null);

        Item item = readOne(file, options);

        assertThat(item.prompt()).isEqualTo("question");
        assertThat(item.responses()).containsExactly(new Response("answer", 3.5, NA, "m"));
    }

    @Test
    void aFieldWhoseNameHasDotsWinsOverTheNestedPath() throws Exception {
        Path file = jsonl(dir, "long.jsonl",
                "{\"prompt\": \"p\", \"response\": \"r\", \"eval.score\": 9, \"eval\": {\"score\": 1}}");
        IngestOptions options = IngestOptions.defaults().withFields(null, null, "eval.score", null, null, null);

        assertThat(readOne(file, options).responses().get(0).score()).isEqualTo(9);
    }

    @Test
    void dottedPathThroughAValueThatIsNotAnObjectNamesNoFieldTheRowsHave() throws Exception {
        Path file = jsonl(dir, "long.jsonl", "{\"prompt\": \"p\", \"response\": \"r\", \"eval\": 5}");
        IngestOptions options = IngestOptions.defaults().withFields(null, null, "eval.score", null, null, null);

        // no row has it: an error naming the fields seen, never a silent "no score" (FieldGuard)
        assertThatThrownBy(() -> readOne(file, options)).isInstanceOf(IngestException.class)
                .hasMessageContaining("--score-field 'eval.score' names a field not in any of its 1 rows");
    }

    @Test
    void rowsSharingAPromptFormOneItemAcrossFiles() throws Exception {
        Path first = jsonl(dir, "a.jsonl",
                "{\"prompt\": \"p\", \"response\": \"a1\", \"score\": 1}",
                "{\"prompt\": \"q\", \"response\": \"b1\", \"score\": 2}");
        Path second = jsonl(dir, "b.jsonl", "{\"prompt\": \"p\", \"response\": \"a2\", \"score\": 3}");

        List<Item> items = ingested(IngestOptions.defaults(), first, second);

        assertThat(items).extracting(Item::prompt).containsExactly("p", "q");
        assertThat(items.get(0).responses()).extracting(Response::text).containsExactly("a1", "a2");
    }

    @Test
    void idFieldGroupsRowsWhosePromptsDiffer() throws Exception {
        Path file = jsonl(dir, "long.jsonl",
                "{\"qid\": \"q1\", \"prompt\": \"Rate this.\", \"response\": \"a\", \"score\": 1}",
                "{\"qid\": \"q2\", \"prompt\": \"Rate this.\", \"response\": \"b\", \"score\": 2}",
                "{\"qid\": \"q1\", \"prompt\": \"Rate this, again.\", \"response\": \"c\", \"score\": 3}");
        IngestOptions options = IngestOptions.defaults().withFields(null, null, null, null, null, "qid");

        List<Item> items = ingested(options, file);

        assertThat(items).extracting(Item::id).containsExactly("q1", "q2");
        assertThat(items.get(0).prompt()).as("the first row's prompt").isEqualTo("Rate this.");
        assertThat(items.get(0).responses()).extracting(Response::text).containsExactly("a", "c");
    }

    @Test
    void anEmptyIdIsAnErrorWhenGroupingById() throws Exception {
        Path file = jsonl(dir, "long.jsonl", "{\"qid\": \" \", \"prompt\": \"p\", \"response\": \"a\", \"score\": 1}");
        IngestOptions options = IngestOptions.defaults().withFields(null, null, null, null, null, "qid");

        assertThatThrownBy(() -> ingested(options, file))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'qid': is empty; rows are grouped by this id");
    }

    @Test
    void missingIdFieldIsAnErrorWhenGroupingById() throws Exception {
        Path file = jsonl(dir, "long.jsonl", "{\"prompt\": \"p\", \"response\": \"a\"}");
        IngestOptions options = IngestOptions.defaults().withFields(null, null, null, null, null, "qid");

        assertThatThrownBy(() -> readAll(file, options)).isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ":1: field 'qid': missing (--id-field 'qid' names a field not in the"
                        + " first row; fields seen: prompt, response)");
    }

    @Test
    void scoreTransformAppliesToScoresNotLabels() throws Exception {
        Path file = jsonl(dir, "long.jsonl", "{\"prompt\": \"p\", \"response\": \"a\", \"score\": 5, \"label\": 5}",
                "{\"prompt\": \"p\", \"response\": \"b\", \"label\": 2}");
        IngestOptions options = IngestOptions.defaults().withScoreTransform(ScoreTransform.parse("(x - 1) / 4"));

        assertThat(readAll(file, options)).extracting(i -> i.responses().get(0))
                .containsExactly(new Response("a", 1.0, 5, null), new Response("b", NA, 2, null));
    }

    @Test
    void inputAndReferenceFieldsAreRead() throws Exception {
        Path file = jsonl(dir, "long.jsonl",
                "{\"prompt\": \"Translate.\", \"context\": \"cat\", \"gold\": \"chat\", \"response\": \"chat\"}");
        IngestOptions options = new IngestOptions(Layout.LONG, null, null, null, null, null, null, null,
                "context", "gold", ScoreTransform.IDENTITY, false, false);

        Item item = readOne(file, options);

        assertThat(item.input()).isEqualTo("cat");
        assertThat(item.reference()).isEqualTo("chat");
        assertThat(item.id()).isEqualTo(sha256Prefix("Translate.\n\ncat"));
    }

    // ---- the AlpacaEval preset ----------------------------------------------------------

    @Test
    void alpacaEvalFilesAreRecognisedAndReadWithThePreset() throws Exception {
        Path file = TestFiles.write(dir, "model.annotations.json", "[\n"
                + alpacaEval("Name a colour.", "Blue.", "phi-2", "1.75") + ",\n"
                + alpacaEval("Count to two.", "1, 2", "phi-2", "1.0") + "\n]");

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            List<Item> items = TestFiles.drain(reader);

            assertThat(reader.layout()).isEqualTo(Layout.LONG);
            assertThat(reader.layoutDescription()).isEqualTo("long (preset alpaca-eval)");
            assertThat(items.get(0).prompt()).isEqualTo("Name a colour.");
            assertThat(items.get(0).id()).isEqualTo(sha256Prefix("Name a colour."));
            assertThat(items).extracting(i -> i.responses().get(0)).containsExactly(
                    new Response("Blue.", 0.75, 0.75, "phi-2"),
                    new Response("1, 2", 0.0, 0.0, "phi-2"));
        }
    }

    @Test
    void alpacaEvalPresetCanBeNamedExplicitly() throws Exception {
        Path file = jsonl(dir, "annotations.jsonl", alpacaEval("i", "o", "g", "2.0"));

        Item item = readOne(file, IngestOptions.defaults().withPreset(Preset.ALPACA_EVAL));

        assertThat(item.responses()).containsExactly(new Response("o", 1.0, 1.0, "g"));
    }

    @Test
    void alpacaEvalWithoutPreferenceHasNeitherScoreNorLabel() throws Exception {
        Path file = jsonl(dir, "annotations.jsonl", alpacaEval("i", "o", "g", "null"));

        assertThat(readOne(file).responses()).containsExactly(new Response("o", NA, NA, "g"));
    }

    @Test
    void alpacaEvalWithAUserLabelFieldTakesLabelsFromIt() throws Exception {
        Path file = jsonl(dir, "annotations.jsonl", alpacaEval("i", "o", "g", "1.5").replace("}", ", \"human\": 1}"));
        IngestOptions options = new IngestOptions(Layout.AUTO, Preset.ALPACA_EVAL, null, null, null, "human", null,
                null,
                null, null, ScoreTransform.IDENTITY, false, false);

        assertThat(readOne(file, options).responses()).containsExactly(new Response("o", 0.5, 1, "g"));
    }

    @Test
    void alpacaEvalWithAUserTransformUsesItInsteadOfMinusOne() throws Exception {
        Path file = jsonl(dir, "annotations.jsonl", alpacaEval("i", "o", "g", "1.5"));
        IngestOptions options = IngestOptions.defaults().withScoreTransform(ScoreTransform.parse("x * 2"));

        assertThat(readOne(file, options).responses()).containsExactly(new Response("o", 3.0, 3.0, "g"));
    }

    @Test
    void namingOtherFieldsOnAnAlpacaEvalFileSwitchesThePresetOff() throws Exception {
        Path file = jsonl(dir, "annotations.jsonl", alpacaEval("i", "o", "g", "1.5"));
        IngestOptions options = IngestOptions.defaults().withFields("instruction", "output_1", null,
                null, "generator_1",
                null);

        try (DatasetReader reader = DatasetReader.open(file, options)) {
            assertThat(reader.layoutDescription()).isEqualTo("long (prompt 'instruction', response 'output_1')");
            assertThat(reader.next().responses())
                    .containsExactly(new Response("baseline answer", NA, NA, "gpt4_1106_preview"));
        }
    }

    @Test
    void presetNamesParseInEitherSpelling() {
        assertThat(Preset.parse("alpaca-eval")).isEqualTo(Preset.ALPACA_EVAL);
        assertThat(Preset.parse(" Alpaca_Eval ")).isEqualTo(Preset.ALPACA_EVAL);
        assertThat(Preset.ALPACA_EVAL).hasToString("alpaca-eval");
        assertThatThrownBy(() -> Preset.parse("alpaca"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown preset 'alpaca': expected one of [alpaca-eval]");
    }
}
