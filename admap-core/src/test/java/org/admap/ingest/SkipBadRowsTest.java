package org.admap.ingest;

import static org.admap.ingest.TestFiles.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.admap.Progress;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --skip-bad-rows} the good rows still come through, and the bad ones are
 * counted by reason with a few full messages as examples.
 */
class SkipBadRowsTest {

    private static final IngestOptions SKIP = IngestOptions.defaults().withSkipBadRows(true);

    @TempDir
    Path dir;

    private static String row(String prompt, String score) {
        return "{\"prompt\": \"" + prompt + "\", \"responses\": [{\"text\": \"a\", \"score\": 1},"
                + " {\"text\": \"b\", \"score\": " + score + "}]}";
    }

    @Test
    void goodRowsComeThroughAndBadRowsAreCountedByReason() throws Exception {
        Path file = jsonl(dir, "f.jsonl",
                row("one", "2"),
                "{\"prompt\": \"broken\", ",
                row("two", "\"abc\""),
                row("three", "3"),
                row("four", "\"xyz\""),
                "{\"prompt\": \"five\", \"responses\": [{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\","
                        + " \"score\": \"high\"}]}",
                row("six", "4"));

        try (DatasetReader reader = DatasetReader.open(file, SKIP)) {
            List<Item> items = TestFiles.drain(reader);

            assertThat(items).extracting(Item::prompt).containsExactly("one", "three", "six");
            assertThat(items).extracting(i -> i.source().line()).containsExactly(1L, 4L, 7L);
            assertThat(reader.rowsRead()).isEqualTo(7);
            BadRows bad = reader.badRows();
            assertThat(bad.count()).isEqualTo(4);
            assertThat(bad.byReason()).contains(entry("responses[].score: expected a number, got ...", 3L));
            assertThat(bad.byReason().keySet()).anyMatch(r -> r.startsWith("malformed JSON"));
            assertThat(bad.byReason().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
            assertThat(bad.examples()).containsExactly(
                    bad.examples().get(0),
                    file + ":3: field 'responses[1].score': expected a number, got \"abc\"",
                    file + ":5: field 'responses[1].score': expected a number, got \"xyz\"",
                    file + ":6: field 'responses[2].score': expected a number, got \"high\"");
            assertThat(bad.examples().get(0)).startsWith(file + ":2: malformed JSON");
        }
    }

    @Test
    void examplesStopAtFiveButTheCountGoesOn() throws Exception {
        String[] lines = new String[9];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i % 3 == 0 ? row("good " + i, "1") : "{\"prompt\": \"bad " + i + "\", \"responses\": []}";
        }
        Path file = jsonl(dir, "f.jsonl", lines);

        try (DatasetReader reader = DatasetReader.open(file, SKIP)) {
            assertThat(TestFiles.drain(reader)).hasSize(3);
            assertThat(reader.badRows().count()).isEqualTo(6);
            assertThat(reader.badRows().examples()).hasSize(BadRows.EXAMPLES);
            assertThat(reader.badRows().byReason())
                    .containsExactly(entry("responses: is empty; an instruction needs responses", 6L));
        }
    }

    @Test
    void malformedRowBeforeTheFirstGoodRowIsSkippedToo() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{oops", "", "not json either", row("first good", "2"), row("second", "3"));

        try (DatasetReader reader = DatasetReader.open(file, SKIP)) {
            List<Item> items = TestFiles.drain(reader);

            assertThat(reader.layout()).isEqualTo(Layout.MULTI);
            assertThat(items).extracting(Item::prompt).containsExactly("first good", "second");
            assertThat(reader.rowsRead()).isEqualTo(4);
            assertThat(reader.badRows().count()).isEqualTo(2);
            assertThat(reader.badRows().examples()).hasSize(2);
            assertThat(reader.badRows().examples().get(0)).startsWith(file + ":1: malformed JSON");
            assertThat(reader.badRows().examples().get(1)).startsWith(file + ":3: malformed JSON");
        }
    }

    @Test
    void malformedFirstRowFailsWithoutSkipping() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{oops", row("good", "2"));

        assertThatThrownBy(() -> TestFiles.readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ":1: malformed JSON");
    }

    @Test
    void firstRowThatParsesButDoesNotFitItsLayoutStillDecidesTheLayoutAndIsSkipped() throws Exception {
        Path file = jsonl(dir, "f.jsonl", row("bad", "\"high\""), row("good", "2"));

        try (DatasetReader reader = DatasetReader.open(file, SKIP)) {
            assertThat(TestFiles.drain(reader)).extracting(Item::prompt).containsExactly("good");
            assertThat(reader.layout()).isEqualTo(Layout.MULTI);
            assertThat(reader.badRows().count()).isEqualTo(1);
            assertThat(reader.rowsRead()).isEqualTo(2);
        }
    }

    @Test
    void fileWithNoReadableRowSaysHowManyWereBad() throws Exception {
        Path file = jsonl(dir, "f.jsonl", "{oops", "[1]", "nope");

        assertThatThrownBy(() -> TestFiles.readAll(file, SKIP))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ": holds no readable rows (3 bad)");
    }

    @Test
    void badCsvRowsAreSkippedByRow() throws Exception {
        Path file = TestFiles.write(dir, "f.csv", """
                prompt,response,score
                p,a,1
                p,b
                p,c,lots
                p,d,4
                """);

        try (DatasetReader reader = DatasetReader.open(file, SKIP)) {
            assertThat(TestFiles.drain(reader)).extracting(i -> i.responses().get(0).text()).containsExactly("a", "d");
            assertThat(reader.badRows().examples()).containsExactly(
                    file + " row 2: has 2 cells, the header has 3",
                    file + " row 3: field 'score': expected a number, got \"lots\"");
        }
    }

    @Test
    void badElementsOfAJsonArrayAreSkipped() throws Exception {
        Path file = TestFiles.write(dir, "f.json", """
                [
                  {"prompt": "p", "responses": ["a"]},
                  7,
                  {"prompt": "q", "responses": []},
                  {"prompt": "r", "responses": ["b"]}
                ]
                """);

        try (DatasetReader reader = DatasetReader.open(file, SKIP)) {
            assertThat(TestFiles.drain(reader)).extracting(Item::prompt).containsExactly("p", "r");
            assertThat(reader.badRows().count()).isEqualTo(2);
            assertThat(reader.rowsRead()).isEqualTo(4);
        }
    }

    @Test
    void ingestAddsUpBadRowsOverFilesAndRecordsThemPerInput() throws Exception {
        Path first = jsonl(dir, "first.jsonl", row("a", "1"), "{oops", row("b", "2"));
        Path second = jsonl(dir, "second.jsonl", row("c", "\"x\""), row("d", "\"y\""), row("e", "3"));

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            IngestReport report = Ingest.run(List.of(first, second), SKIP, store, Progress.Factory.NONE);

            assertThat(report.items()).isEqualTo(3);
            assertThat(report.responses()).isEqualTo(6);
            assertThat(report.badRows().count()).isEqualTo(3);
            assertThat(report.badRows().examples()).hasSize(3);
            assertThat(report.files()).extracting(IngestReport.FileReport::rows, IngestReport.FileReport::badRows)
                    .containsExactly(tuple(3L, 1L),
                            tuple(3L, 2L));
            assertThat(store.inputs()).extracting(InputFileRecord::rowsRead, InputFileRecord::badRows)
                    .containsExactly(tuple(3L, 1L),
                            tuple(3L, 2L));
            assertThat(store.itemCount()).isEqualTo(3);
        }
    }

    @Test
    void fileProblemsAreNeverSkipped() throws Exception {
        Path good = jsonl(dir, "good.jsonl", row("a", "1"));
        Path empty = TestFiles.write(dir, "empty.jsonl", "");

        try (RunStore store = RunStore.create(dir.resolve("run.duckdb"))) {
            assertThatThrownBy(() -> Ingest.run(List.of(good, empty), SKIP, store, Progress.Factory.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage(empty + ": is empty");
            assertThat(store.itemCount()).as("checked before reading any file").isZero();
        }
    }
}
