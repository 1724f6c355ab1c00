package org.admap.ingest;

import static org.admap.ingest.MultiResponseLayoutTest.sha256Prefix;
import static org.admap.ingest.TestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UltraFeedback's raw rows: the label comes from {@code fine-grained_score} unless another
 * annotation is named; a rating of "N/A" leaves the response without one.
 */
class UltraFeedbackLayoutTest {

    private static final double NA = Response.ABSENT;

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeFixture() throws Exception {
        file = TestFiles.copyResource("ultrafeedback.jsonl", dir, "ultrafeedback.jsonl");
    }

    private static IngestOptions fields(String label, String score) {
        return new IngestOptions(Layout.AUTO, null, null, null, score, label, null, null, null, null,
                ScoreTransform.IDENTITY, false, false);
    }

    private static double[] labels(Item item) {
        return item.responses().stream().mapToDouble(Response::label).toArray();
    }

    private static double[] scores(Item item) {
        return item.responses().stream().mapToDouble(Response::score).toArray();
    }

    @Test
    void isRecognisedByItsCompletionsAndReadsTextsModelsAndDerivedIds() throws Exception {
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            List<Item> items = TestFiles.drain(reader);

            assertThat(reader.layout()).isEqualTo(Layout.ULTRAFEEDBACK);
            assertThat(reader.layoutDescription()).isEqualTo("ultrafeedback (label fine-grained_score)");
            Item first = items.get(0);
            assertThat(first.prompt()).isEqualTo("Name two planets.");
            assertThat(first.id()).isEqualTo(sha256Prefix("Name two planets."));
            assertThat(first.responses()).extracting(Response::text, Response::model).containsExactly(
                    tuple("Mars and Venus.", "alpaca-7b"),
                    tuple("Jupiter and Saturn, both gas giants.", "gpt-4"),
                    tuple("The Moon.", "falcon-40b-instruct"));
            assertThat(items.get(1).prompt()).isEqualTo("Say hello in French.");
        }
    }

    @Test
    void labelIsTheFineGrainedScoreByDefaultAndThereAreNoScores() throws Exception {
        List<Item> items = readAll(file);

        assertThat(labels(items.get(0))).containsExactly(4.75, 4.5, 1.25);
        assertThat(labels(items.get(1))).containsExactly(4.0, NA);
        assertThat(items).flatMap(Item::responses).noneMatch(Response::hasScore);
    }

    @Test
    void overallScoreCanBeTheLabel() throws Exception {
        List<Item> items = readAll(file, fields("overall_score", null));

        assertThat(labels(items.get(0))).containsExactly(7.5, 9, 2);
        assertThat(labels(items.get(1))).containsExactly(8, 3);
    }

    @Test
    void anAspectsRatingCanBeTheLabelWithNotApplicableLeftAbsent() throws Exception {
        List<Item> truthfulness = readAll(file, fields("truthfulness", null));
        List<Item> helpfulness = readAll(file, fields("helpfulness", null));

        assertThat(labels(truthfulness.get(0))).containsExactly(NA, 5, 1);
        assertThat(labels(helpfulness.get(0))).containsExactly(4, 5, 1);
    }

    @Test
    void ratingsKeptPerAnnotatorPassUseTheFirstAndMissingAspectsAreAbsent() throws Exception {
        List<Item> items = readAll(file, fields("helpfulness", null));

        assertThat(labels(items.get(1))).containsExactly(5, NA);
    }

    @Test
    void scoreFieldAddsAScoreBesideTheLabelAndOnlyItIsTransformed() throws Exception {
        IngestOptions options = fields(null, "honesty").withScoreTransform(ScoreTransform.parse("x / 5"));

        try (DatasetReader reader = DatasetReader.open(file, options)) {
            Item first = reader.next();

            assertThat(reader.layoutDescription()).isEqualTo("ultrafeedback (label fine-grained_score, score honesty)");
            assertThat(scores(first)).containsExactly(1.0, 1.0, NA);
            assertThat(labels(first)).containsExactly(4.75, 4.5, 1.25);
        }
    }

    @Test
    void instructionFollowingIsAnAnnotationToo() throws Exception {
        List<Item> items = readAll(file, fields("instruction_following", "overall_score"));

        assertThat(labels(items.get(0))).containsExactly(5, 4, 2);
        assertThat(scores(items.get(0))).containsExactly(7.5, 9, 2);
    }

    @Test
    void unknownLabelFieldIsAClearError() {
        assertThatThrownBy(() -> readAll(file, fields("helpfullness", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--label-field 'helpfullness' is not an UltraFeedback annotation: expected one of"
                        + " fine-grained_score, overall_score, helpfulness, honesty, instruction_following,"
                        + " truthfulness");
    }

    @Test
    void unknownScoreFieldIsAClearError() {
        assertThatThrownBy(() -> readAll(file, fields(null, "score")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--score-field 'score' is not an UltraFeedback annotation");
    }

    @Test
    void explicitIdIsKept() throws Exception {
        Path withId = TestFiles.jsonl(dir, "ids.jsonl", "{\"id\": \"uf-1\", \"instruction\": \"i\","
                + " \"completions\": [{\"response\": \"r\", \"fine-grained_score\": 3}]}");

        assertThat(readAll(withId)).extracting(Item::id).containsExactly("uf-1");
    }

    @Test
    void emptyCompletionsIsAnError() throws Exception {
        Path empty = TestFiles.jsonl(dir, "empty.jsonl", "{\"instruction\": \"i\", \"completions\": []}");

        assertThatThrownBy(() -> readAll(empty)).isInstanceOf(IngestException.class)
                .hasMessage(empty + ":1: field 'completions': is empty; an instruction needs responses");
    }

    @Test
    void completionWithoutResponseNamesItsIndex() throws Exception {
        Path bad = TestFiles.jsonl(dir, "bad.jsonl", "{\"instruction\": \"i\", \"completions\": ["
                + "{\"response\": \"r\"}, {\"model\": \"m\"}]}");

        assertThatThrownBy(() -> readAll(bad)).isInstanceOf(IngestException.class)
                .hasMessage(bad + ":1: field 'completions[1].response': missing");
    }

    @Test
    void forcedLayoutReadsTheSameAsRecognised() throws Exception {
        assertThat(readAll(file, IngestOptions.defaults().withLayout(Layout.ULTRAFEEDBACK))).isEqualTo(readAll(file));
    }
}
