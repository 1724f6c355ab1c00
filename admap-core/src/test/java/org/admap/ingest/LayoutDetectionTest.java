package org.admap.ingest;

import static org.admap.ingest.TestFiles.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.admap.model.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layout is recognised from the first row's defining fields, most specific first, and
 * {@code --layout} overrides the recognition.
 */
class LayoutDetectionTest {

    @TempDir
    Path dir;

    private Layout detected(String firstRow, IngestOptions options) throws Exception {
        try (DatasetReader reader = DatasetReader.open(jsonl(dir, "f.jsonl", firstRow), options)) {
            return reader.layout();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"prompt\": \"p\", \"responses\": [\"a\"]}                                        | MULTI",
        "{\"instruction\": \"i\", \"completions\": [{\"response\": \"r\"}]}                 | ULTRAFEEDBACK",
        "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}                          | PAIRWISE",
        "{\"instruction\": \"i\", \"input\": \"\", \"chosen\": \"a\", \"rejected\": \"b\"}    | PAIRWISE",
        "{\"chosen\": \"\\n\\nHuman: x\\n\\nAssistant: a\", \"rejected\": \"\\n\\nHuman: x\\n\\nAssistant: b\"} | " +
                "PAIRWISE",
        "{\"prompt\": \"p\", \"response\": \"r\"}                                           | LONG",
        "{\"instruction\": \"i\", \"output_2\": \"o\", \"preference\": 1.5}                  | LONG",
        "{\"prompt\": \"p\", \"responses\": [\"a\"], \"chosen\": \"a\", \"rejected\": \"b\"}   | MULTI",
    })
    void layoutIsRecognisedFromTheFirstRow(String row, Layout expected) throws Exception {
        assertThat(detected(row, IngestOptions.defaults())).isEqualTo(expected);
    }

    @Test
    void alpacaRowWithChosenIsAPairNotAnAlpacaEvalFile() throws Exception {
        assertThat(detected("{\"instruction\": \"i\", \"output_2\": \"o\", \"preference\": 1.5, \"chosen\": \"a\","
                + " \"rejected\": \"b\"}", IngestOptions.defaults())).isEqualTo(Layout.PAIRWISE);
    }

    @Test
    void onlyChosenWithoutRejectedIsNotAPair() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"chosen\": \"a\"}");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ": cannot recognise the layout from the first row's fields"
                        + " [prompt, chosen]; tried, in order: multi ('responses'), vlfeedback ('completions' +"
                        + " 'img_path' or 'image', or Visual Faithfulness ratings), ultrafeedback ('completions'),"
                        + " nectar ('prompt' + 'answers' list), pku-saferlhf ('response_0' + 'response_1'), arena"
                        + " ('response_a' + 'response_b', or 'conversation_a' + 'conversation_b'), llamafactory-v1"
                        + " ('chosen_messages' + 'rejected_messages'), sharegpt ('conversations' + 'chosen' +"
                        + " 'rejected'), pairwise ('chosen' + 'rejected'),");
    }

    @Test
    void forcedLayoutIsUsedEvenWhenTheRowsSayOtherwise() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\"]}");

        assertThatThrownBy(() -> TestFiles.readAll(file, IngestOptions.defaults().withLayout(Layout.PAIRWISE)))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ":1: field 'chosen': missing");
    }

    @Test
    void forcedLongLayoutReadsPromptAndResponseFields() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"response\": \"r\", \"responses\": 3}");

        List<Item> items = TestFiles.readAll(file, IngestOptions.defaults().withLayout(Layout.LONG));

        assertThat(items).hasSize(1);
        assertThat(items.get(0).responses().get(0).text()).isEqualTo("r");
    }

    @Test
    void laterRowsAreReadInTheFirstRowsLayout() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\"]}",
                "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}");

        assertThatThrownBy(() -> TestFiles.readAll(file)).isInstanceOf(IngestException.class)
                .hasMessage(file + ":2: field 'responses': missing");
    }

    @Test
    void eachFileOfARunIsRecognisedOnItsOwn() throws Exception {
        Path multi = jsonl(dir, "multi.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"]}");
        Path pairs = jsonl(dir, "pairs.jsonl", "{\"prompt\": \"q\", \"chosen\": \"a\", \"rejected\": \"b\"}");

        try (var store = TestFiles.ingest(dir.resolve("run.duckdb"), IngestOptions.defaults(), multi, pairs)) {
            assertThat(store.inputs()).extracting(r -> r.layout()).containsExactly("multi-response", "pairwise");
            assertThat(store.itemCount()).isEqualTo(2);
        }
    }

    @Test
    void layoutNamesParseAndUnknownOnesListTheChoices() {
        assertThat(Layout.parse(" Pairwise ")).isEqualTo(Layout.PAIRWISE);
        assertThat(Layout.parse("ultrafeedback")).isEqualTo(Layout.ULTRAFEEDBACK);
        assertThat(Layout.LONG).hasToString("long");
        assertThatThrownBy(() -> Layout.parse("wide"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown layout 'wide': expected one of [auto, multi, ultrafeedback, vlfeedback, pairwise,"
                        + " sharegpt,"
                        + " llamafactory-v1, unpaired, pku-saferlhf, arena, nectar, helpsteer, long]");
    }
}
