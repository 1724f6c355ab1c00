package org.admap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.model.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldGuardTest {

    @TempDir
    Path tmp;

    private Path write(String... lines) throws Exception {
        Path p = tmp.resolve("rows.jsonl");
        Files.write(p, List.of(lines));
        return p;
    }

    private static List<Item> readAll(Path file, IngestOptions options) throws Exception {
        List<Item> items = new ArrayList<>();
        try (DatasetReader r = DatasetReader.open(file, options)) {
            for (Item i; (i = r.next()) != null; ) {
                items.add(i);
            }
        }
        return items;
    }

    private static IngestOptions longWith(String score, String label) {
        return IngestOptions.defaults().withLayout(Layout.LONG).withFields("q", "a", score, label, null, null);
    }

    @Test
    void aMisspeltScoreFieldIsAnErrorListingTheFieldsAndTheClosest() throws Exception {
        Path f = write("{\"q\": \"p\", \"a\": \"x\", \"score\": 1}", "{\"q\": \"p\", \"a\": \"y\", \"score\": 2}");
        assertThatThrownBy(() -> readAll(f, longWith("scroe", null)))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("--score-field 'scroe' names a field not in any of its 2 rows")
                .hasMessageContaining("fields seen: q, a, score")
                .hasMessageContaining("did you mean 'score'?");
    }

    @Test
    void aPrefixOfALongerFieldIsSuggestedToo() throws Exception {
        Path f = write("{\"q\": \"p\", \"a\": \"x\", \"gpt4_score\": 1}");
        assertThatThrownBy(() -> readAll(f, longWith("scor", null)))
                .hasMessageContaining("did you mean 'gpt4_score'?");
    }

    @Test
    void aListIndexIsNotReadAndTheMessageSaysWhatIs() throws Exception {
        Path f = write("{\"q\": \"p\", \"a\": \"x\", \"gpt4_score\": [5, 4, 5]}");
        assertThatThrownBy(() -> readAll(f, longWith("gpt4_score[0]", null)))
                .hasMessageContaining("a list index is not read: give 'gpt4_score'");
    }

    @Test
    void aFieldThatOnlySomeRowsHaveIsFine() throws Exception {
        Path f = write("{\"q\": \"p\", \"a\": \"x\"}", "{\"q\": \"p\", \"a\": \"y\", \"rating\": 3}");
        assertThat(readAll(f, longWith("rating", null))).hasSize(2);
    }

    @Test
    void aFieldEmptyInEveryRowIsNamedAsEmpty() throws Exception {
        Path f = write("{\"q\": \"p\", \"a\": \"x\", \"label\": null}", "{\"q\": \"p\", \"a\": \"y\", \"label\": " +
                "\"\"}");
        assertThatThrownBy(() -> readAll(f, longWith(null, "label")))
                .hasMessageContaining("--label-field 'label' names a field that is empty in any of its 2 rows");
    }

    @Test
    void aRequiredFieldMissingFromTheFirstRowFailsAtOnceWithTheFieldsSeen() throws Exception {
        Path f = write("{\"question\": \"p\", \"a\": \"x\"}");
        assertThatThrownBy(() -> readAll(f, longWith(null, null)))
                .hasMessageContaining("rows.jsonl:1: field 'q': missing (--prompt-field 'q' names a field not in"
                        + " the first row")
                .hasMessageContaining("fields seen: question, a");
    }

    @Test
    void nestedFieldsAreSeenByTheirDottedPath() throws Exception {
        Path f = write("{\"q\": \"p\", \"a\": \"x\", \"meta\": {\"judge\": 3}}");
        assertThatThrownBy(() -> readAll(f, longWith("meta.jduge", null)))
                .hasMessageContaining("meta.judge").hasMessageContaining("did you mean 'meta.judge'?");
        assertThat(readAll(f, longWith("meta.judge", null)).get(0).responses().get(0).score()).isEqualTo(3);
    }
}
