package org.admap.select;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.model.Item;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.model.Response;
import org.admap.model.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every export format, read back with the tools a user would read it with. */
class PairExporterTest {

    private static final double NA = Double.NaN;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PairBuilder PAIRS = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS);
    private static final String UNICODE = "café naïve ¿cómo estás? — ≤ ≈ ° 漢字 עברית \uD83D\uDE00 e\u0301 " +
            "\t\"quoted\"\\ \n";

    @TempDir
    Path dir;

    private static final Item ALPACA = new Item("q1", "Translate to French:", "Good morning, " + UNICODE,
            "Bonjour", List.of(
                    new Response("Bonjour " + UNICODE, 9.5, 5, "sage-70b"),
                    new Response("Bonsoir", 4.0, 2, null),
                    new Response("Hello", NA, 1, "tiny-chat-1b")),
            SourceLocation.line("test", 1));

    private static final Item PLAIN = new Item("q2", "Say hi\nin two lines", "", null, List.of(
            new Response("hi\nthere", 7.0, 4, null),
            new Response("hello", 3.25, NA, null)),
            SourceLocation.line("test", 2));

    private static final MapPoint ALPACA_POINT = new MapPoint(0, "q1", 2, 6.75, 7.5625, 2.75, Region.HIGH_AVG,
            0.875);
    private static final MapPoint PLAIN_POINT = new MapPoint(1, "q2", 2, 5.125, 3.515625, 1.875, Region.HIGH_VAR,
            NA);

    private Path export(ExportFormat format, String fileName, Item... items) throws IOException {
        Path file = dir.resolve(fileName);
        try (PairExporter out = PairExporter.create(format, file)) {
            for (Item item : items) {
                out.write(item, item == ALPACA ? ALPACA_POINT : item == PLAIN ? PLAIN_POINT : null,
                        PAIRS.pairs(item));
            }
            out.commit();
        }
        return file;
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    private static Double number(JsonNode node) {
        return node.isNull() ? null : node.doubleValue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    // ---- TRL ---------------------------------------------------------------------------

    @Test
    void trlJsonLinesHaveExactlyTheFiveTrlFields() throws IOException {
        Path file = export(ExportFormat.TRL, "pairs.jsonl", ALPACA, PLAIN);

        List<JsonNode> rows = jsonLines(file);

        // ALPACA: labels 5, 2, 1 -> 3 pairs; PLAIN: one label -> none
        assertThat(rows).hasSize(3);
        assertThat(rows).allSatisfy(row -> assertThat(fieldNames(row))
                .containsExactly("id", "prompt", "chosen", "rejected", "score_chosen", "score_rejected"));
        assertThat(rows).allSatisfy(row -> assertThat(row.get("id").textValue()).isEqualTo("q1"));
        JsonNode first = rows.get(0);
        assertThat(first.get("prompt").textValue()).isEqualTo(ALPACA.fullPrompt())
                .isEqualTo("Translate to French:\n\nGood morning, " + UNICODE);
        assertThat(first.get("chosen").textValue()).isEqualTo("Bonjour " + UNICODE);
        assertThat(first.get("rejected").textValue()).isEqualTo("Bonsoir");
        // ranked by labels (5 > 2), but score_* are the responses' scores, as admap reads them back
        assertThat(first.get("score_chosen").doubleValue()).isEqualTo(9.5);
        assertThat(first.get("score_rejected").doubleValue()).isEqualTo(4.0);
        assertThat(rows.get(2).get("chosen").textValue()).isEqualTo("Bonsoir");
        assertThat(rows.get(2).get("rejected").textValue()).isEqualTo("Hello");
        // an absent score is null, never NaN; a pair's scores go together, as admap reads them back
        assertThat(rows.get(2).get("score_rejected").isNull()).isTrue();
        assertThat(rows.get(2).get("score_chosen").isNull()).isTrue();
    }

    @Test
    void aJsonFileNameGivesAJsonArray() throws IOException {
        Path file = export(ExportFormat.TRL, "pairs.json", ALPACA);

        JsonNode root = JSON.readTree(file.toFile());

        assertThat(root.isArray()).isTrue();
        assertThat(root).hasSize(3);
        assertThat(root.get(1).get("chosen").textValue()).isEqualTo("Bonjour " + UNICODE);
        assertThat(root.get(1).get("rejected").textValue()).isEqualTo("Hello");
    }

    @Test
    void anExportWithNothingInItIsStillValid() throws IOException {
        assertThat(JSON.readTree(export(ExportFormat.TRL, "none.json", PLAIN).toFile())).isEmpty();
        assertThat(jsonLines(export(ExportFormat.TRL, "none.jsonl", PLAIN))).isEmpty();
    }

    @Test
    void jsonLinesAndArraysAreByteExact() throws IOException {
        Item scored = new Item("q2", PLAIN.prompt(), "", null, List.of(new Response("hi\nthere", 7.0, 4, null),
                new Response("hello", 3.25, 1, null)), SourceLocation.line("t", 2));
        Item again = new Item("q3", scored.prompt(), "", null, scored.responses(), SourceLocation.line("t", 3));
        String first = "{\"id\":\"q2\",\"prompt\":\"Say hi\\nin two lines\",\"chosen\":\"hi\\nthere\","
                + "\"rejected\":\"hello\",\"score_chosen\":7.0,\"score_rejected\":3.25}";
        String second = first.replace("q2", "q3");
        assertThat(Files.readString(export(ExportFormat.TRL, "two.jsonl", scored, again)))
                .isEqualTo(first + "\n" + second + "\n");
        assertThat(Files.readString(export(ExportFormat.TRL, "two.json", scored, again)))
                .isEqualTo("[" + first + "," + second + "]\n");
        assertThat(Files.readString(export(ExportFormat.TRL, "empty.jsonl", PLAIN))).isEqualTo("\n");
        assertThat(Files.readString(export(ExportFormat.TRL, "empty.json", PLAIN))).isEqualTo("[]\n");
    }

    @Test
    void textsOfEveryKindAreWrittenAsJacksonWritesThem() throws IOException {
        String[] texts = {"plain ascii text?", "a \"quote\" and a \\ backslash", "tab\there\nnewline\r\b\f",
            "\u0001\u001f control", "caf\u00e9 \u00ff", "\u0100 above latin-1 ?", "\u6f22\u5b57?", "\uD83D\uDE00 emoji",
            "del \u007f", "?", "", "slash / and </script>"};
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            responses.add(new Response(texts[i], i, i, null));
        }
        Item item = new Item("t\u00e9?", "prompt \u0100?", "", null, responses, SourceLocation.line("t", 1));
        Path file = export(ExportFormat.TRL, "kinds.jsonl", item);
        List<JsonNode> rows = jsonLines(file);
        assertThat(rows).hasSize(texts.length * (texts.length - 1) / 2);
        StringBuilder expected = new StringBuilder();
        com.fasterxml.jackson.core.JsonFactory factory = new com.fasterxml.jackson.core.JsonFactory();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = factory.createGenerator(bytes)) {
            g.setPrettyPrinter(new com.fasterxml.jackson.core.util.MinimalPrettyPrinter("\n"));
            for (Pair p : PAIRS.pairs(item)) {
                g.writeStartObject();
                g.writeStringField("id", item.id());
                g.writeStringField("prompt", item.fullPrompt());
                g.writeStringField("chosen", p.chosen().text());
                g.writeStringField("rejected", p.rejected().text());
                g.writeNumberField("score_chosen", p.chosen().score());
                g.writeNumberField("score_rejected", p.rejected().score());
                g.writeEndObject();
            }
            g.writeRaw('\n');
        }
        expected.append(bytes.toString(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo(expected.toString());
    }

    private static final Item WITHOUT_PAIRS = new Item("q9", "p", "", null,
            List.of(new Response("same", 1, 1, null), new Response("same", 2, 2, null)), SourceLocation.line("t", 9));

    @Test
    void recordsEncodedOnManyThreadsAndAppendedInOrderAreTheFileWrittenInOrder() throws IOException {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Item base = i % 3 == 0 ? ALPACA : i % 3 == 1 ? PLAIN : WITHOUT_PAIRS;
            items.add(new Item("id" + i, base.prompt(), base.input(), base.reference(), base.responses(),
                    base.source()));
        }
        for (ExportFormat format : List.of(ExportFormat.TRL, ExportFormat.TRL_CHAT, ExportFormat.SHAREGPT,
                ExportFormat.LLAMA_FACTORY, ExportFormat.LISTWISE, ExportFormat.MULTI, ExportFormat.KTO)) {
            for (String ext : List.of(".jsonl", ".json")) {
                Path inOrder = dir.resolve(format + "-order" + ext);
                Path parallel = dir.resolve(format + "-parallel" + ext);
                long records;
                try (PairExporter out = PairExporter.create(format, inOrder)) {
                    for (Item item : items) {
                        if (format == ExportFormat.KTO) {
                            out.writeUnpaired(item, null, PAIRS.completions(item));
                        } else {
                            out.write(item, null, PAIRS.pairs(item));
                        }
                    }
                    out.commit();
                    records = out.records();
                }
                try (PairExporter out = PairExporter.create(format, parallel)) {
                    assertThat(out.encodesInParallel()).isTrue();
                    out.prepare(items.get(0));
                    PairExporter.Encoded[] encoded = items.parallelStream().map(item -> {
                        try {
                            return format == ExportFormat.KTO ? out.encodeUnpaired(item, null, PAIRS.completions(item))
                                    : out.encode(item, null, PAIRS.pairs(item));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toArray(PairExporter.Encoded[]::new);
                    for (PairExporter.Encoded e : encoded) {
                        out.append(e);
                    }
                    out.commit();
                    assertThat(out.records()).isEqualTo(records).isPositive();
                }
                assertThat(Files.mismatch(inOrder, parallel)).as(format + ext).isEqualTo(-1L);
            }
        }
    }

    // ---- LLaMA-Factory -----------------------------------------------------------------

    @Test
    void llamaFactoryRowsKeepInstructionAndInputApart() throws IOException {
        Path file = export(ExportFormat.LLAMA_FACTORY, "pairs.json", ALPACA);

        JsonNode root = JSON.readTree(file.toFile());

        assertThat(root).hasSize(3);
        assertThat(root).allSatisfy(row -> assertThat(fieldNames(row))
                .containsExactly("instruction", "input", "chosen", "rejected", "id"));
        assertThat(root.get(0).get("instruction").textValue()).isEqualTo("Translate to French:");
        assertThat(root.get(0).get("input").textValue()).isEqualTo("Good morning, " + UNICODE);
        assertThat(root.get(0).get("chosen").textValue()).isEqualTo("Bonjour " + UNICODE);
    }

    @Test
    void llamaFactoryWithoutInputWritesAnEmptyInput() throws IOException {
        Item noInput = new Item("q3", "Name a colour", "", null,
                List.of(new Response("blue", NA, 2, null), new Response("", NA, 1, null)),
                SourceLocation.line("test", 3));

        JsonNode row = jsonLines(export(ExportFormat.LLAMA_FACTORY, "pairs.jsonl", noInput)).get(0);

        assertThat(row.get("input").textValue()).isEmpty();
        assertThat(row.get("rejected").textValue()).isEmpty();
    }

    // ---- multi -------------------------------------------------------------------------

    @Test
    void multiWritesTheNeutralLayoutThatAdmapReadsBackAsTheSameItems() throws IOException {
        Path file = export(ExportFormat.MULTI, "items.jsonl", ALPACA, PLAIN);

        List<Item> read = new ArrayList<>();
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            for (Item item; (item = reader.next()) != null; ) {
                read.add(item);
            }
        }

        assertThat(read).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Item expected = i == 0 ? ALPACA : PLAIN;
            Item actual = read.get(i);
            assertThat(actual.id()).isEqualTo(expected.id());
            assertThat(actual.prompt()).isEqualTo(expected.prompt());
            assertThat(actual.input()).isEqualTo(expected.input());
            assertThat(actual.reference()).isEqualTo(expected.reference());
            assertThat(actual.responses()).isEqualTo(expected.responses());
        }
    }

    @Test
    void multiAddsTheMapsNumbersToEachInstruction() throws IOException {
        List<JsonNode> rows = jsonLines(export(ExportFormat.MULTI, "items.jsonl", ALPACA, PLAIN));

        JsonNode alpacaMap = rows.get(0).get("map");
        assertThat(alpacaMap.get("region").textValue()).isEqualTo("high-avg");
        assertThat(alpacaMap.get("mean").doubleValue()).isEqualTo(6.75);
        assertThat(alpacaMap.get("variance").doubleValue()).isEqualTo(7.5625);
        assertThat(alpacaMap.get("correlation").doubleValue()).isEqualTo(0.875);
        JsonNode plainMap = rows.get(1).get("map");
        assertThat(plainMap.get("region").textValue()).isEqualTo("high-var");
        assertThat(plainMap.has("correlation")).as("undefined correlation is left out").isFalse();
        // absent numbers are left out, never written as NaN or null
        assertThat(rows.get(1).get("responses").get(1).has("label")).isFalse();
        assertThat(rows.get(0).get("responses").get(2).has("score")).isFalse();
    }

    @Test
    void multiCountsInstructionsNotPairs() throws IOException {
        Path file = dir.resolve("items.jsonl");
        try (PairExporter out = PairExporter.create(ExportFormat.MULTI, file)) {
            out.write(ALPACA, ALPACA_POINT, PAIRS.pairs(ALPACA));
            out.write(PLAIN, null, List.of());
            assertThat(out.records()).isEqualTo(2);
            out.commit();
        }

        assertThat(jsonLines(file).get(1).has("map")).isFalse();
    }

    // ---- parquet -----------------------------------------------------------------------

    @Test
    void parquetHoldsTheTrlColumnsAndRowsAsDuckDbReadsThem() throws Exception {
        Path parquet = export(ExportFormat.PARQUET, "pairs.parquet", ALPACA, PLAIN);
        List<JsonNode> trl = jsonLines(export(ExportFormat.TRL, "pairs.jsonl", ALPACA, PLAIN));

        List<String> columns = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('"
                     + parquet.toString().replace("'", "''") + "')")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            while (rs.next()) {
                rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5), rs.getObject(6)});
            }
        }

        assertThat(columns).containsExactly("id", "prompt", "chosen", "rejected", "score_chosen",
                "score_rejected");
        assertThat(rows).hasSize(trl.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode t = trl.get(i);
            assertThat(rows.get(i)).containsExactly(t.get("id").textValue(), t.get("prompt").textValue(),
                    t.get("chosen").textValue(), t.get("rejected").textValue(), number(t.get("score_chosen")),
                    number(t.get("score_rejected")));
        }
    }

    @Test
    void parquetGoesToPathsWithQuotesAndSpaces() throws Exception {
        Path parquet = export(ExportFormat.PARQUET, "it's a \"test\".parquet", ALPACA);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('"
                     + parquet.toString().replace("'", "''") + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
        }
        assertThat(filesInDir()).containsExactly("it's a \"test\".parquet");
    }

    // ---- atomic output -----------------------------------------------------------------

    @Test
    void closingWithoutCommitLeavesNoFileAndNoTempFileBehind() throws IOException {
        for (ExportFormat format : ExportFormat.values()) {
            Path file = dir.resolve("out-" + format.cliName() + (format == ExportFormat.PARQUET ? ".parquet"
                    : ".jsonl"));
            try (PairExporter out = PairExporter.create(format, file)) {
                if (format == ExportFormat.KTO) {
                    out.writeUnpaired(ALPACA, ALPACA_POINT, PAIRS.completions(ALPACA));
                } else {
                    out.write(ALPACA, ALPACA_POINT, PAIRS.pairs(ALPACA));
                }
                assertThat(out.records()).isPositive();
                // no commit: an error would end the export here
            }

            assertThat(filesInDir()).as(format.cliName()).isEmpty();
        }
    }

    @Test
    void aCommittedExportReplacesAnOlderFileOfTheSameName() throws IOException {
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, "old content\n");

        export(ExportFormat.TRL, "pairs.jsonl", ALPACA);

        assertThat(jsonLines(file)).hasSize(3);
        assertThat(filesInDir()).containsExactly("pairs.jsonl");
    }

    @Test
    void anAbandonedExportLeavesAnOlderFileUntouched() throws IOException {
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, "old content\n");

        try (PairExporter out = PairExporter.create(ExportFormat.TRL, file)) {
            out.write(ALPACA, ALPACA_POINT, PAIRS.pairs(ALPACA));
        }

        assertThat(Files.readString(file)).isEqualTo("old content\n");
        assertThat(filesInDir()).containsExactly("pairs.jsonl");
    }

    // ---- texts -------------------------------------------------------------------------

    @Test
    void hugeTextsGoThroughUnchangedInEveryFormat() throws Exception {
        String huge = ("a long response with Unicode " + UNICODE).repeat(60_000); // about 5 MB
        Item item = new Item("big", "Write a lot" + UNICODE, "", null,
                List.of(new Response(huge, NA, 2, null), new Response("short", NA, 1, null)),
                SourceLocation.line("test", 1));

        JsonNode trl = jsonLines(export(ExportFormat.TRL, "big.jsonl", item)).get(0);
        assertThat(trl.get("chosen").textValue()).isEqualTo(huge);
        assertThat(trl.get("prompt").textValue()).isEqualTo("Write a lot" + UNICODE);

        JsonNode llama = JSON.readTree(export(ExportFormat.LLAMA_FACTORY, "big.json", item).toFile()).get(0);
        assertThat(llama.get("chosen").textValue()).isEqualTo(huge);

        try (DatasetReader reader = DatasetReader.open(export(ExportFormat.MULTI, "big-items.jsonl", item),
                IngestOptions.defaults())) {
            assertThat(reader.next().responses().get(0).text()).isEqualTo(huge);
        }

        Path parquet = export(ExportFormat.PARQUET, "big.parquet", item);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT prompt, chosen FROM read_parquet('"
                     + parquet.toString().replace("'", "''") + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Write a lot" + UNICODE);
            assertThat(rs.getString(2)).isEqualTo(huge);
        }
    }

    @Test
    void controlCharactersSurviveJsonAndParquet() throws IOException, SQLException {
        String text = "nul\u0000 bell\u0007 escape\u001b del\u007f line\u2028separator";
        Item item = new Item("ctl", "control " + text, "", null,
                List.of(new Response(text, NA, 2, null), new Response("plain", NA, 1, null)),
                SourceLocation.line("test", 1));

        Iterator<JsonNode> rows = jsonLines(export(ExportFormat.TRL, "ctl.jsonl", item)).iterator();
        assertThat(rows.next().get("chosen").textValue()).isEqualTo(text);

        Path parquet = export(ExportFormat.PARQUET, "ctl.parquet", item);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT chosen FROM read_parquet('"
                     + parquet.toString().replace("'", "''") + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(text);
        }
    }

    /**
     * Scores are written as Double.toString writes them, through a cache of their texts: many
     * distinct scores (more than the cache holds, so slots are shared) each keep their own text,
     * and an instruction's texts, remembered across its pairs, are those of its own responses.
     */
    @Test
    void manyDistinctScoresAndTextsAreEachWrittenAsThemselves() throws IOException {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            items.add(new Item("m" + i, "prompt " + i, i % 3 == 0 ? "input " + i : "", null, List.of(
                    new Response("a" + i, i / 7.0, 3, null),
                    new Response("b" + i, -i / 3.0 - 0.1, 1, null),
                    new Response(i % 5 == 0 ? "a" + i : "c " + UNICODE + i, 1e-9 * i, 2, null)),
                    SourceLocation.line("test", i + 1)));
        }
        List<JsonNode> rows = jsonLines(export(ExportFormat.TRL, "many.jsonl", items.toArray(Item[]::new)));
        List<String> lines = Files.readAllLines(dir.resolve("many.jsonl"), StandardCharsets.UTF_8);
        int at = 0;
        for (Item item : items) {
            for (Pair p : PAIRS.pairs(item)) {
                JsonNode row = rows.get(at);
                assertThat(row.get("id").asText()).isEqualTo(item.id());
                assertThat(row.get("prompt").asText()).isEqualTo(item.fullPrompt());
                assertThat(row.get("chosen").asText()).isEqualTo(p.chosen().text());
                assertThat(row.get("rejected").asText()).isEqualTo(p.rejected().text());
                assertThat(lines.get(at)).contains("\"score_chosen\":" + Double.toString(p.chosen().score()) + ",")
                        .endsWith("\"score_rejected\":" + Double.toString(p.rejected().score()) + "}");
                at++;
            }
        }
        assertThat(at).isEqualTo(rows.size()).isGreaterThan(3000);
    }
}
