package org.admap.ingest;

import static org.admap.ingest.TestFiles.copyResource;
import static org.admap.ingest.TestFiles.readAll;
import static org.admap.ingest.TestFiles.resource;
import static org.admap.ingest.TestFiles.withoutSources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.admap.model.Item;
import org.admap.model.ItemIds;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same three instructions, written in every file format admap reads, come out as the
 * same items; formats are recognised from the name and checked against the content.
 */
class FileFormatsTest {

    /** What every fixture {@code prefs.*} holds (sources left out: they differ by format). */
    static final List<Item> PREFS = List.of(
            new Item("colour-1", "Name a primary colour.", "", null, List.of(
                    new Response("Red.", 8.5, 5, "model-a"),
                    new Response("Purple.", 2, 1, "model-b")), null),
            new Item("french-2", "Translate to French.", "good morning", null, List.of(
                    new Response("bonjour", 9, 5, "model-a"),
                    new Response("bonsoir", 4.25, 2, null),
                    new Response("salut", Response.ABSENT, 3, "model-c")), null),
            new Item("haiku-3", "Write a haiku about rain, with \"quotes\", a comma and\na line break.", "", null,
                    List.of(new Response("Soft rain on the roof,\nthe gutters hum their one note;\ncats watch,"
                                    + " unconvinced.", 7, 4, "model-b"),
                            new Response("Rain.", -1.5, 1, "model-c")), null));

    @TempDir
    Path dir;

    /** Makes one fixture file in a folder. */
    interface Fixture {
        Path make(Path dir) throws Exception;
    }

    static Stream<Arguments> everyFormat() {
        return Stream.of(
                format("JSON lines", FileFormat.JSONL, false,
                        d -> copyResource("prefs.jsonl", d, "prefs.jsonl")),
                format("JSON lines, gzip", FileFormat.JSONL, true,
                        d -> TestFiles.gzip(d, "prefs.jsonl.gz", resource("prefs.jsonl"))),
                format("JSON array", FileFormat.JSON, false,
                        d -> copyResource("prefs.json", d, "prefs.json")),
                format("JSON array, gzip", FileFormat.JSON, true,
                        d -> TestFiles.gzip(d, "prefs.json.gz", resource("prefs.json"))),
                format(".json holding JSON lines", FileFormat.JSONL, false,
                        d -> copyResource("prefs.jsonl", d, "prefs.json")),
                format(".json.gz holding JSON lines", FileFormat.JSONL, true,
                        d -> TestFiles.gzip(d, "prefs.json.gz", resource("prefs.jsonl"))),
                format(".ndjson", FileFormat.JSONL, false,
                        d -> copyResource("prefs.jsonl", d, "prefs.ndjson")),
                format("CSV with a JSON responses column", FileFormat.CSV, false,
                        d -> copyResource("prefs.csv", d, "prefs.csv")),
                format("CSV, gzip", FileFormat.CSV, true,
                        d -> TestFiles.gzip(d, "prefs.csv.gz", resource("prefs.csv"))),
                format("TSV", FileFormat.TSV, false,
                        d -> copyResource("prefs.tsv", d, "prefs.tsv")),
                format("Parquet written by DuckDB", FileFormat.PARQUET, false,
                        FileFormatsTest::parquet),
                format("gzip named .jsonl, found by its magic bytes", FileFormat.JSONL, true,
                        d -> TestFiles.gzip(d, "prefs.jsonl", resource("prefs.jsonl"))),
                format("gzip named .json, found by its magic bytes", FileFormat.JSON, true,
                        d -> TestFiles.gzip(d, "prefs.json", resource("prefs.json"))),
                format("plain text named .jsonl.gz", FileFormat.JSONL, false,
                        d -> copyResource("prefs.jsonl", d, "prefs.jsonl.gz")),
                format("no extension, JSON lines content", FileFormat.JSONL, false,
                        d -> copyResource("prefs.jsonl", d, "prefs")),
                format(".txt holding a gzip JSON array", FileFormat.JSON, true,
                        d -> TestFiles.gzip(d, "prefs.txt", resource("prefs.json"))));
    }

    private static Arguments format(String name, FileFormat format, boolean gzip, Fixture fixture) {
        return Arguments.of(Named.of(name, fixture), format, gzip);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyFormat")
    void everyFormatReadsToTheSameItems(Fixture fixture, FileFormat format, boolean gzip) throws Exception {
        Path file = fixture.make(dir);

        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            assertThat(reader.format()).isEqualTo(new FileFormat.Detected(file, format, gzip));
            assertThat(reader.layout()).isEqualTo(Layout.MULTI);
            assertThat(withoutSources(TestFiles.drain(reader))).isEqualTo(PREFS);
            assertThat(reader.rowsRead()).isEqualTo(3);
            assertThat(reader.badRows().count()).isZero();
        }
    }

    @Test
    void jsonLinesItemsKnowTheirLine() throws Exception {
        Path file = copyResource("prefs.jsonl", dir, "prefs.jsonl");

        assertThat(readAll(file)).extracting(Item::source).containsExactly(
                SourceLocation.line(file.toString(), 1),
                SourceLocation.line(file.toString(), 2),
                SourceLocation.line(file.toString(), 3));
    }

    @Test
    void jsonArrayItemsKnowTheLineTheirObjectStartsOn() throws Exception {
        Path file = copyResource("prefs.json", dir, "prefs.json");

        assertThat(readAll(file)).extracting(Item::source).containsExactly(
                SourceLocation.line(file.toString(), 2),
                SourceLocation.line(file.toString(), 10),
                SourceLocation.line(file.toString(), 20));
    }

    @Test
    void csvRowsAreNumberedAfterTheHeaderEvenWhenACellSpansLines() throws Exception {
        Path file = copyResource("prefs.csv", dir, "prefs.csv");

        assertThat(readAll(file)).extracting(Item::source).containsExactly(
                SourceLocation.row(file.toString(), 1),
                SourceLocation.row(file.toString(), 2),
                SourceLocation.row(file.toString(), 3));
    }

    @Test
    void parquetRowsAreNumberedFromOne() throws Exception {
        Path file = parquet(dir);

        assertThat(readAll(file)).extracting(i -> i.source().toString()).containsExactly(
                file + " row 1", file + " row 2", file + " row 3");
    }

    @Test
    void parquetColumnsWithAnyNameAreRead() throws Exception {
        // DuckDB resolves a column before a table alias of the same name: no name may hide the row.
        Path file = dir.resolve("odd-names.parquet");
        TestFiles.duckdb("COPY (SELECT 'p' AS prompt, 'r' AS response, 1 AS t, 2 AS T_, 3 AS read_parquet)"
                + " TO " + TestFiles.sqlPath(file) + " (FORMAT parquet)");

        assertThat(withoutSources(readAll(file))).containsExactly(new Item(
                ItemIds.fromPrompt("p"), "p", "", null,
                List.of(new Response("r", Response.ABSENT, Response.ABSENT, null)), null));
    }

    @Test
    void blankLinesInJsonLinesAreSkippedButCounted() throws Exception {
        String[] lines = resource("prefs.jsonl").split("\n");
        Path file = TestFiles.write(dir, "gaps.jsonl", "\n" + lines[0] + "\n\n   \n" + lines[1] + "\r\n" + lines[2]);

        List<Item> items = readAll(file);

        assertThat(withoutSources(items)).isEqualTo(PREFS);
        assertThat(items).extracting(i -> i.source().line()).containsExactly(2L, 5L, 6L);
    }

    @Test
    void detectReportsFormatAndCompression() throws Exception {
        Path plain = copyResource("prefs.csv", dir, "data.CSV");
        Path gz = TestFiles.gzip(dir, "data.TSV.GZ", resource("prefs.tsv"));

        assertThat(FileFormat.detect(plain)).isEqualTo(new FileFormat.Detected(plain, FileFormat.CSV, false));
        assertThat(FileFormat.detect(gz)).isEqualTo(new FileFormat.Detected(gz, FileFormat.TSV, true));
    }

    @Test
    void emptyFileFailsNamingTheFile() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.jsonl"));

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ": is empty");
    }

    @Test
    void directoryFailsNamingIt() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("data.jsonl"));

        assertThatThrownBy(() -> readAll(sub))
                .isInstanceOf(IngestException.class)
                .hasMessage(sub + ": is a directory, expected a data file");
    }

    @Test
    void missingFileFailsNamingIt() {
        Path missing = dir.resolve("nowhere.jsonl");

        assertThatThrownBy(() -> readAll(missing))
                .isInstanceOf(IngestException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void unknownExtensionWithContentThatIsNotJsonFailsNamingTheFile() throws Exception {
        Path file = TestFiles.write(dir, "notes.txt", "prompt: hello\n");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ": unknown file format")
                .hasMessageContaining(".jsonl, .json, .csv, .tsv or .parquet");
    }

    @Test
    void gzipCompressedParquetIsRefusedWithAHint() throws Exception {
        Path parquet = parquet(dir);
        Path gz = TestFiles.gzip(dir, "prefs.parquet.gz", Files.readAllBytes(parquet));

        assertThatThrownBy(() -> readAll(gz))
                .isInstanceOf(IngestException.class)
                .hasMessageStartingWith(gz + ": gzip-compressed Parquet is not supported");
    }

    @Test
    void parquetNameOnAnotherFormatFailsNamingTheFile() throws Exception {
        Path file = copyResource("prefs.jsonl", dir, "prefs.parquet");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ": cannot read as Parquet")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void fileOfBlankLinesHoldsNoRows() throws Exception {
        Path file = TestFiles.write(dir, "blank.jsonl", "\n  \n\n");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ": holds no rows");
    }

    @Test
    void emptyJsonArrayHoldsNoRows() throws Exception {
        Path file = TestFiles.write(dir, "none.json", " [ ] ");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ": holds no rows");
    }

    @Test
    void csvWithOnlyAHeaderHoldsNoRows() throws Exception {
        Path file = TestFiles.write(dir, "header.csv", "id,prompt,responses\n");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ": holds no rows");
    }

    @Test
    void emptyGzipFileHoldsNoRows() throws Exception {
        Path file = TestFiles.gzip(dir, "nothing.jsonl.gz", new byte[0]);

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessage(file + ": holds no rows");
    }

    @Test
    void jsonFileWhoseTopLevelIsNotAnArrayOrObjectFailsNamingTheFile() throws Exception {
        Path file = TestFiles.write(dir, "scalar.json", "42\n");

        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(IngestException.class)
                .hasMessageStartingWith(file + ":1: ")
                .hasMessageContaining("expected a JSON object per line, got 42");
    }

    /** The fixture as Parquet, written by DuckDB with list-of-struct responses as the Hub has them. */
    static Path parquet(Path dir) throws Exception {
        Path file = dir.resolve("prefs.parquet");
        TestFiles.duckdb(
                "CREATE TABLE prefs (id VARCHAR, prompt VARCHAR, input VARCHAR,"
                        + " responses STRUCT(text VARCHAR, score DOUBLE, label INTEGER, model VARCHAR)[])",
                "INSERT INTO prefs VALUES"
                        + " ('colour-1', 'Name a primary colour.', '', ["
                        + "   {'text': 'Red.', 'score': 8.5, 'label': 5, 'model': 'model-a'},"
                        + "   {'text': 'Purple.', 'score': 2, 'label': 1, 'model': 'model-b'}]),"
                        + " ('french-2', 'Translate to French.', 'good morning', ["
                        + "   {'text': 'bonjour', 'score': 9, 'label': 5, 'model': 'model-a'},"
                        + "   {'text': 'bonsoir', 'score': 4.25, 'label': 2, 'model': NULL},"
                        + "   {'text': 'salut', 'score': NULL, 'label': 3, 'model': 'model-c'}]),"
                        + " ('haiku-3', 'Write a haiku about rain, with \"quotes\", a comma and' || chr(10)"
                        + "     || 'a line break.', NULL, ["
                        + "   {'text': 'Soft rain on the roof,' || chr(10) || 'the gutters hum their one note;'"
                        + "       || chr(10) || 'cats watch, unconvinced.', 'score': 7, 'label': 4, 'model': " +
                                "'model-b'},"
                        + "   {'text': 'Rain.', 'score': -1.5, 'label': 1, 'model': 'model-c'}])",
                "COPY (SELECT * FROM prefs ORDER BY id) TO " + TestFiles.sqlPath(file) + " (FORMAT parquet)");
        return file;
    }
}
