package org.admap.ingest;

import static org.admap.ingest.TestFiles.jsonl;
import static org.admap.ingest.TestFiles.readAll;
import static org.admap.ingest.TestFiles.readOne;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** admap's own layout: one row per instruction with a list of responses. */
class MultiResponseLayoutTest {

    @TempDir
    Path dir;

    /** The first 16 hex digits of the SHA-256 of a text, computed here without {@link ItemIds}. */
    static String sha256Prefix(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 16);
    }

    @Test
    void givenIdsAreKeptAsTheyAre() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"id\": \"q-17\", \"prompt\": \"p\", \"responses\": [\"a\"]}",
                "{\"id\": 42, \"prompt\": \"p\", \"responses\": [\"a\"]}");

        assertThat(readAll(file)).extracting(Item::id).containsExactly("q-17", "42");
    }

    @Test
    void missingIdIsDerivedFromTheSha256OfThePrompt() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"Why is the sky blue? \u00e9\", \"responses\": [\"a\"]}",
                "{\"id\": null, \"prompt\": \"Why is the sky blue? \u00e9\", \"responses\": [\"a\"]}");

        List<Item> items = readAll(file);

        assertThat(items).extracting(Item::id).containsOnly(sha256Prefix("Why is the sky blue? \u00e9"));
        assertThat(items.get(0).id()).hasSize(16).matches("[0-9a-f]{16}");
    }

    @Test
    void derivedIdCoversTheFullPromptWithItsInput() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                "{\"prompt\": \"Translate.\", \"input\": \"cat\", \"responses\": [\"chat\"]}",
                "{\"prompt\": \"Translate.\", \"input\": \"dog\", \"responses\": [\"chien\"]}",
                "{\"prompt\": \"Translate.\", \"input\": \"\", \"responses\": [\"?\"]}");

        List<Item> items = readAll(file);

        assertThat(items).extracting(Item::id).containsExactly(
                sha256Prefix("Translate.\n\ncat"), sha256Prefix("Translate.\n\ndog"), sha256Prefix("Translate."));
        assertThat(items.get(0).fullPrompt()).isEqualTo("Translate.\n\ncat");
        assertThat(items.get(0).prompt()).isEqualTo("Translate.");
        assertThat(items.get(0).input()).isEqualTo("cat");
    }

    @Test
    void emptyIdIsTreatedAsNoIdAndDerived() throws Exception {
        // A CSV cannot leave a cell out: an empty id cell means the row has no id.
        Path file = TestFiles.write(dir, "f.csv", """
                id,prompt,responses
                ,first,"[""a""]"
                x-2,second,"[""b""]"
                ,third,"[""c""]"
                """);

        assertThat(readAll(file)).extracting(Item::id)
                .containsExactly(sha256Prefix("first"), "x-2", sha256Prefix("third"));
    }

    @Test
    void plainStringResponsesHaveNoScoreLabelOrModel() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [\"first\", \"\", {\"text\": \"third\","
                + " \"score\": 3}]}");

        assertThat(readOne(file).responses()).containsExactly(
                new Response("first", Response.ABSENT, Response.ABSENT, null),
                new Response("", Response.ABSENT, Response.ABSENT, null),
                new Response("third", 3, Response.ABSENT, null));
    }

    @Test
    void inputAndReferenceAreKept() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"Summarise.\", \"input\": \"A long text.\","
                + " \"reference\": \"Short.\", \"responses\": [{\"text\": \"Brief.\", \"score\": 0.5}]}");

        Item item = readOne(file);

        assertThat(item.prompt()).isEqualTo("Summarise.");
        assertThat(item.input()).isEqualTo("A long text.");
        assertThat(item.reference()).isEqualTo("Short.");
        assertThat(item.responses()).containsExactly(new Response("Brief.", 0.5, Response.ABSENT, null));
    }

    @Test
    void absentInputIsEmptyAndAbsentReferenceIsNull() throws Exception {
        Item item = readOne(jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\"]}"));

        assertThat(item.input()).isEmpty();
        assertThat(item.reference()).isNull();
    }

    @Test
    void scoresAndLabelsAreIndependentAndEitherMayBeMissing() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": ["
                + "{\"text\": \"a\", \"score\": 7.5, \"label\": 4, \"model\": \"m1\"},"
                + "{\"text\": \"b\", \"label\": 2},"
                + "{\"text\": \"c\", \"score\": -3, \"label\": null},"
                + "{\"text\": \"d\", \"score\": \"6.25\", \"label\": \" 1 \"}]}");

        assertThat(readOne(file).responses()).containsExactly(
                new Response("a", 7.5, 4, "m1"),
                new Response("b", Response.ABSENT, 2, null),
                new Response("c", -3, Response.ABSENT, null),
                new Response("d", 6.25, 1, null));
    }

    @Test
    void notAvailableAndEmptyStringsReadAsNoScore() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": ["
                + "{\"text\": \"a\", \"score\": \"N/A\", \"label\": \"n/a\"},"
                + "{\"text\": \"b\", \"score\": \"\", \"label\": \"NA\"}]}");

        assertThat(readOne(file).responses()).allSatisfy(r -> {
            assertThat(r.hasScore()).isFalse();
            assertThat(r.hasLabel()).isFalse();
        });
    }

    @Test
    void scoreTransformChangesScoresButNotLabels() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": ["
                + "{\"text\": \"a\", \"score\": 5, \"label\": 5}, {\"text\": \"b\", \"label\": 1}]}");
        IngestOptions options = IngestOptions.defaults().withScoreTransform(ScoreTransform.parse("(x - 1) / 4"));

        assertThat(readOne(file, options).responses()).containsExactly(
                new Response("a", 1.0, 5, null),
                new Response("b", Response.ABSENT, 1, null));
    }

    @Test
    void labelsFromScoresCopiesTheTransformedScore() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": ["
                + "{\"text\": \"a\", \"score\": 3, \"label\": 9}, {\"text\": \"b\"}]}");
        IngestOptions options = new IngestOptions(Layout.MULTI, null, null, null, null, null, null, null, null, null,
                ScoreTransform.parse("x * 2"), true, false);

        assertThat(readOne(file, options).responses()).containsExactly(
                new Response("a", 6, 6, null),
                new Response("b", Response.ABSENT, Response.ABSENT, null));
    }

    @Test
    void responseModelsThatAreNumbersBecomeText() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"model\": 7}]}");

        assertThat(readOne(file).responses().get(0).model()).isEqualTo("7");
    }

    @Test
    void layoutDescribesItself() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{\"prompt\": \"p\", \"responses\": [\"a\"]}");

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            assertThat(reader.layout()).isEqualTo(Layout.MULTI);
            assertThat(reader.layoutDescription()).isEqualTo("multi-response");
            assertThat(reader.groupsRows()).isFalse();
        }
    }
}
