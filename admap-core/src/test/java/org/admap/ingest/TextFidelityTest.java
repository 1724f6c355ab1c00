package org.admap.ingest;

import static org.admap.ingest.TestFiles.readAll;
import static org.admap.ingest.TestFiles.withoutSources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.admap.internal.store.RunStore;
import org.admap.model.Item;
import org.admap.model.Response;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Huge texts and any Unicode go through every reader and the run store unchanged. */
class TextFidelityTest {

    /** Texts that break naive readers: every kind of character the data may hold, except NUL. */
    static final List<String> TRICKY = List.of(
            "emoji \uD83D\uDE00 \uD83D\uDC4D\uD83C\uDFFD and a family \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
            "surrogate pairs: \uD834\uDD1E \uD835\uDD4F \uD841\uDF0E (G clef, double-struck X, CJK extension B)",
            "RTL: \u0645\u0631\u062D\u0628\u0627 \u200F\u05E9\u05DC\u05D5\u05DD\u200F and \u202Eoverride\u202C back",
            "controls: \u0001\u0007\b\f\u000B\u001B\u001F\u007F\u0085\u009F end",
            "line separators \u2028 and \u2029 inside one line",
            "CRLF\r\nand a lone CR\r and a tab\t and LF\n",
            "combining: e\u0301 n\u0303 a\u0308\u0304",
            "a byte-order mark in the middle \uFEFF of the text",
            "quotes \" ' ` \u201Cmixed\u201D, commas, and a backslash \\ and \\n written out",
            "noncharacters \uFFFE \uFFFF and private use \uE000 \uDB80\uDC00",
            "[\"looks like JSON\", {\"score\": 1}]",
            "  leading and trailing spaces  ",
            "");

    @TempDir
    Path dir;

    /** One item per tricky text, the text as prompt and as the response. */
    private static List<Item> trickyItems() {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < TRICKY.size(); i++) {
            String prompt = "prompt " + i + ": " + TRICKY.get(i);
            items.add(new Item("t" + i, prompt, "", null,
                    List.of(new Response(TRICKY.get(i), i, Response.ABSENT, null)), null));
        }
        return items;
    }

    /** Writes items as JSON lines in the long layout, with Jackson writing raw UTF-8. */
    private static String jsonLines(List<Item> items) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Item item : items) {
            sb.append(JsonSupport.MAPPER.writeValueAsString(longRow(item))).append('\n');
        }
        return sb.toString();
    }

    private static String jsonArray(List<Item> items) throws IOException {
        ArrayNode array = JsonSupport.MAPPER.createArrayNode();
        items.forEach(i -> array.add(longRow(i)));
        return JsonSupport.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(array);
    }

    private static ObjectNode longRow(Item item) {
        Response r = item.responses().get(0);
        return JsonSupport.MAPPER.createObjectNode().put("id", item.id()).put("prompt", item.prompt())
                .put("response", r.text()).put("score", r.score());
    }

    private static String delimited(List<Item> items, char delimiter) throws IOException {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setDelimiter(delimiter).get())) {
            printer.printRecord("id", "prompt", "response", "score");
            for (Item item : items) {
                Response r = item.responses().get(0);
                printer.printRecord(item.id(), item.prompt(), r.text(), r.score());
            }
        }
        return out.toString();
    }

    private static Path parquet(Path file, List<Item> items) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (n INTEGER, id VARCHAR, prompt VARCHAR, response VARCHAR, score DOUBLE)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < items.size(); i++) {
                    Item item = items.get(i);
                    ps.setInt(1, i);
                    ps.setString(2, item.id());
                    ps.setString(3, item.prompt());
                    ps.setString(4, item.responses().get(0).text());
                    ps.setDouble(5, item.responses().get(0).score());
                    ps.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("COPY (SELECT id, prompt, response, score FROM t ORDER BY n) TO " + TestFiles.sqlPath(file)
                        + " (FORMAT parquet)");
            }
        }
        return file;
    }

    /** Reads items by id, as the long layout gives them (one response each). */
    private static IngestOptions byId() {
        return IngestOptions.defaults().withFields(null, null, null, null, null, "id");
    }

    interface Writer {
        Path write(Path dir, List<Item> items) throws Exception;
    }

    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(Named.of("JSON lines", (Writer) (d, items) ->
                        TestFiles.write(d, "t.jsonl", jsonLines(items)))),
                Arguments.of(Named.of("JSON lines, gzip", (Writer) (d, items) ->
                        TestFiles.gzip(d, "t.jsonl.gz", jsonLines(items)))),
                Arguments.of(Named.of("JSON array", (Writer) (d, items) ->
                        TestFiles.write(d, "t.json", jsonArray(items)))),
                Arguments.of(Named.of("CSV", (Writer) (d, items) ->
                        TestFiles.write(d, "t.csv", delimited(items, ',')))),
                Arguments.of(Named.of("TSV", (Writer) (d, items) ->
                        TestFiles.write(d, "t.tsv", delimited(items, '\t')))),
                Arguments.of(Named.of("Parquet", (Writer) (d, items) -> parquet(d.resolve("t.parquet"), items))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void trickyUnicodeGoesThroughUnchanged(Writer writer) throws Exception {
        List<Item> items = trickyItems();
        Path file = writer.write(dir, items);

        assertThat(withoutSources(readAll(file, byId()))).isEqualTo(items);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void fiveMegabyteResponseGoesThroughUnchanged(Writer writer) throws Exception {
        List<Item> items = List.of(new Item("huge", "Write a lot.", "", null,
                List.of(new Response(hugeText(5 << 20), 1, Response.ABSENT, null)), null));
        Path file = writer.write(dir, items);

        assertThat(withoutSources(readAll(file, byId()))).isEqualTo(items);
    }

    @Test
    void trickyAndHugeTextsGoThroughTheRunStoreUnchanged() throws Exception {
        List<Item> items = new ArrayList<>(trickyItems());
        items.add(new Item("huge", "Write a lot.", "", null,
                List.of(new Response(hugeText(5 << 20), 1, Response.ABSENT, null)), null));
        Path file = TestFiles.write(dir, "t.jsonl", jsonLines(items));

        List<Item> stored = new ArrayList<>();
        try (RunStore store = TestFiles.ingest(dir.resolve("run.duckdb"), byId(), file)) {
            store.forEachItem(RunStore.INPUT, null, k -> stored.add(k.item()));
        }

        assertThat(withoutSources(stored)).isEqualTo(items);
    }

    @Test
    void hugeBadValueGivesAShortMessage() throws Exception {
        String value = hugeText(5 << 20);
        Path file = TestFiles.write(dir, "t.jsonl", JsonSupport.MAPPER.writeValueAsString(
                JsonSupport.MAPPER.createObjectNode().put("prompt", "p").put("response", "r").put("score", value))
                        + "\n");

        IngestException e = catchThrowableOfType(IngestException.class, () -> readAll(file));

        assertThat(e.getMessage()).startsWith(file + ":1: field 'score': expected a number, got \"");
        assertThat(e.getMessage().length()).isLessThan(file.toString().length() + 120);
    }

    static Stream<Arguments> bomFiles() {
        return Stream.of(
                Arguments.of("prefs.jsonl", "with-bom.jsonl", false),
                Arguments.of("prefs.jsonl", "with-bom.jsonl.gz", true),
                Arguments.of("prefs.jsonl", "with-bom.json", false),
                Arguments.of("prefs.json", "with-bom.json", false),
                Arguments.of("prefs.json", "with-bom.json.gz", true),
                Arguments.of("prefs.csv", "with-bom.csv", false),
                Arguments.of("prefs.tsv", "with-bom.tsv", false),
                Arguments.of("prefs.csv", "with-bom.csv.gz", true));
    }

    @ParameterizedTest(name = "{1} made from {0}")
    @MethodSource("bomFiles")
    void byteOrderMarkAtTheStartOfAFileIsNotPartOfTheData(String fixture, String name, boolean gzip)
            throws Exception {
        String text = "\uFEFF" + TestFiles.resource(fixture);
        Path file = gzip ? TestFiles.gzip(dir, name, text) : TestFiles.write(dir, name, text);
        assertThat(Files.readAllBytes(file)).startsWith(gzip ? new byte[] {0x1f, (byte) 0x8b}
                : "\uFEFF".getBytes(StandardCharsets.UTF_8));

        assertThat(withoutSources(readAll(file))).isEqualTo(FileFormatsTest.PREFS);
    }

    @Test
    void byteOrderMarkInsideTheFirstTextIsKept() throws Exception {
        Path file = TestFiles.write(dir, "t.jsonl", "\uFEFF{\"prompt\": \"\uFEFFp\", \"responses\": [\"\uFEFF\"]}\n");

        Item item = TestFiles.readOne(file);

        assertThat(item.prompt()).isEqualTo("\uFEFFp");
        assertThat(item.responses().get(0).text()).isEqualTo("\uFEFF");
    }

    /**
     * About {@code chars} UTF-16 chars of varied text: paragraphs with quotes, newlines and
     * characters outside the Basic Multilingual Plane, so that buffer boundaries fall everywhere.
     */
    static String hugeText(int chars) {
        String[] pieces = {"The quick brown fox ", "jumps \"over\" ", "the lazy dog.\n", "\uD83D\uDE00 ",
                "\u00e9t\u00e9 ", "\u05E9\u05DC\u05D5\u05DD ", "tab\there, ", "back\\slash; ", "\uD834\uDD1E\n\n"};
        StringBuilder sb = new StringBuilder(chars + 32);
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(pieces[(i * 7) % pieces.length]).append(i % 1000).append(' ');
        }
        return sb.toString();
    }
}
