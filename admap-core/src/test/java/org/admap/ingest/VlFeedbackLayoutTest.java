package org.admap.ingest;

import static org.admap.ingest.TestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.admap.ingest.group.GroupingOptions;
import org.admap.model.ImageRef;
import org.admap.model.Item;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VLFeedback as published: {@code prompt}, {@code img_path}, {@code completions} with GPT-4V
 * ratings of three aspects; the label is their mean (the paper's {@code formatting.py}), each
 * aspect can be the label, the score or a named score source, and the completions may come as
 * parallel lists (how {@code datasets} hands them over).
 */
class VlFeedbackLayoutTest {

    @TempDir
    Path dir;

    static String completion(String response, String model, String h, String vf, String ec) {
        return "{\"annotations\": {\"Helpfulness\": {\"Rating\": \"" + h + "\", \"Rationale\": \"r\"},"
                + " \"Visual Faithfulness\": {\"Rating\": \"" + vf + "\", \"Rationale\": \"r\"},"
                + " \"Ethical Considerations\": {\"Rating\": \"" + ec + "\", \"Rationale\": \"r\"}},"
                + " \"model\": \"" + model + "\", \"response\": \"" + response + "\"}";
    }

    private Path file() throws Exception {
        return TestFiles.jsonl(dir, "vlfeedback_80k.jsonl",
                "{\"id\": \"svit-1\", \"prompt\": \"What is on the table?\", \"models\": [\"llava\", \"qwen\"],"
                        + " \"completions\": [" + completion("A red cup.", "llava", "5", "4", "5") + ", "
                        + completion("A dog.", "qwen", "2", "1", "3") + "], \"img_path\": \"svit/1.jpg\"}",
                "{\"id\": \"m-2\", \"prompt\": \"Count the birds.\", \"models\": [\"a\", \"b\"],"
                        + " \"completions\": [" + completion("Three.", "a", "4", "N/A", "5") + ", "
                        + completion("Two.", "b", "3", "3", "3") + "], \"img_path\": \"/data/m/2.png\"}");
    }

    private static IngestOptions fields(String label, String score) {
        return new IngestOptions(Layout.AUTO, null, null, null, score, label, null, null, null, null,
                ScoreTransform.IDENTITY, false, false);
    }

    private static double[] labels(Item item) {
        return item.responses().stream().mapToDouble(Response::label).toArray();
    }

    @Test
    void isRecognisedAndLabelledByTheMeanOfTheThreeAspectsAsThePapersCode() throws Exception {
        try (DatasetReader reader = DatasetReader.open(file(), IngestOptions.defaults())) {
            List<Item> items = TestFiles.drain(reader);

            assertThat(reader.layout()).isEqualTo(Layout.VLFEEDBACK);
            assertThat(reader.layoutDescription()).isEqualTo("vlfeedback (label fine-grained_score)");
            Item first = items.get(0);
            assertThat(first.id()).isEqualTo("svit-1");
            assertThat(first.prompt()).isEqualTo("What is on the table?");
            assertThat(first.responses()).extracting(Response::text).containsExactly("A red cup.", "A dog.");
            assertThat(first.responses()).extracting(Response::model).containsExactly("llava", "qwen");
            assertThat(labels(first)).containsExactly(14 / 3.0, 2.0);
            // An aspect "N/A": the mean is undefined (the paper's int("N/A") stops), so no label.
            assertThat(labels(items.get(1))).containsExactly(Response.ABSENT, 3.0);
        }
    }

    @Test
    void theImagePathIsResolvedAgainstTheInputFilesFolder() throws Exception {
        List<Item> items = readAll(file());

        assertThat(items.get(0).images()).singleElement().satisfies(i -> {
            assertThat(i.source()).isEqualTo("svit/1.jpg");
            assertThat(i.kind()).isEqualTo(ImageRef.Kind.FILE);
            assertThat(i.location()).isEqualTo(dir.resolve("svit/1.jpg").toAbsolutePath().normalize().toString());
        });
        assertThat(items.get(1).images()).extracting(ImageRef::location).containsExactly(Path.of("/data/m/2.png")
                .toAbsolutePath().toString());
    }

    @Test
    void anAspectCanBeTheLabelTheScoreOrANamedScoreSource() throws Exception {
        Item vf = readAll(file(), fields("visual_faithfulness", "Helpfulness")).get(0);
        assertThat(labels(vf)).containsExactly(4.0, 1.0);
        assertThat(vf.responses()).extracting(Response::score).containsExactly(5.0, 2.0);

        IngestOptions named = IngestOptions.defaults().withGrouping(GroupingOptions.DEFAULTS.withScoreFields(
                List.of(new GroupingOptions.ScoreField("ethics", "ethical_considerations"))));
        Item withSource = readAll(file(), named).get(0);
        assertThat(withSource.responses()).extracting(r -> r.sources().get("ethics").value())
                .containsExactly(5.0, 3.0);
        assertThat(withSource.images()).as("named sources keep the image").hasSize(1);
    }

    @Test
    void completionsAsParallelListsReadTheSame() throws Exception {
        Path f = TestFiles.jsonl(dir, "hf.jsonl", "{\"id\": \"x\", \"prompt\": \"Q?\", \"completions\":"
                + " {\"annotations\": [{\"Helpfulness\": {\"Rating\": \"5\"}, \"Visual Faithfulness\": {\"Rating\":"
                + " \"5\"}, \"Ethical Considerations\": {\"Rating\": \"2\"}}, {\"Helpfulness\": {\"Rating\": \"1\"},"
                + " \"Visual Faithfulness\": {\"Rating\": \"1\"}, \"Ethical Considerations\": {\"Rating\": \"1\"}}],"
                + " \"model\": [\"a\", \"b\"], \"response\": [\"yes\", \"no\"]}}");

        Item item = readAll(f).get(0);

        assertThat(item.responses()).extracting(Response::text).containsExactly("yes", "no");
        assertThat(labels(item)).containsExactly(4.0, 1.0);
        assertThat(item.images()).isEmpty();
    }

    @Test
    void anUnknownAspectIsRefusedListingTheChoices() throws Exception {
        assertThatThrownBy(() -> readAll(file(), fields("honesty", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--label-field 'honesty' is not a VLFeedback annotation")
                .hasMessageContaining("visual_faithfulness");
    }

    @Test
    void ultraFeedbackRowsAreStillUltraFeedback() throws Exception {
        Path f = TestFiles.copyResource("ultrafeedback.jsonl", dir, "ultrafeedback.jsonl");
        try (DatasetReader reader = DatasetReader.open(f, IngestOptions.defaults())) {
            assertThat(reader.layout()).isEqualTo(Layout.ULTRAFEEDBACK);
        }
    }
}
