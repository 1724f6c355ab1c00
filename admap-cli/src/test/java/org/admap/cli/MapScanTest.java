package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.generate.SyntheticDataset;
import org.admap.ingest.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admap map} on JSON lines or JSON arrays of the multi-response, pairwise, ultrafeedback or long
 * layout computes the map from a parallel scan and defers the store: the outputs must be
 * byte for byte those of the full ingest ({@code --full-ingest}), whatever the number of
 * threads, and the store built later must serve every command as if it had been built at once.
 */
class MapScanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theDemoDataGivesTheSameMapCsvAsTheFullIngest() throws Exception {
        assertSameAsFullIngest(RealData.demo());
    }

    @Test
    void generatedDataGivesTheSameMapCsvAsTheFullIngestWithOneThreadOrThree() throws Exception {
        Path data = tmp.resolve("gen.jsonl");
        new SyntheticDataset(new SyntheticDataset.Spec(3000, 4, 5, 15, 0.05, 7, Layout.MULTI))
                .write(data, Progress.Factory.NONE);
        Path full = assertSameAsFullIngest(data);

        for (String threads : new String[] {"1", "3"}) {
            Path run = tmp.resolve("threads-" + threads);
            Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q", "--threads", threads);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(Files.mismatch(run.resolve("map.csv"), full.resolve("map.csv"))).isEqualTo(-1);
        }
    }

    /**
     * Prompts whose CSV field the scan transcodes from the literal's bytes, and those it
     * decodes first (\\u escapes, alpaca inputs): the same bytes.
     */
    @Test
    void promptsOfEveryShapeGiveTheSameMapCsvAsTheFullIngest() throws Exception {
        String[] prompts = {"plain", "with, comma", "\\\"quoted\\\" start", "say \\\"hi\\\"", "#hash", "!bang",
            " leading space", "trailing space ", "tab\\tinside", "\\ttab first", "two\\nlines", "cr\\r", "slash\\/es",
            "back\\\\slash", "caf\u00e9 \u4e2d\u6587 \ud83d\ude00", "\u00e9 trailing \u00e9", "escaped \\u00e9t\\u00e9",
            "pair \\ud83d\\ude00", "lone \\ud800", "nul \\u0000", "\\u0022quote escaped", "ctl \\b\\f", "", "  ",
            "a\u2028b", "x".repeat(3000) + ",y"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < prompts.length * 3; i++) {
            String input = i % 3 == 1 ? ", \"input\": \"the input, " + i + "\"" : i % 3 == 2 ? ", \"input\": \"\"" : "";
            sb.append("{\"id\": \"q").append(i).append("\", \"prompt\": \"").append(prompts[i % prompts.length])
                    .append('"').append(input).append(", \"responses\": [{\"text\": \"a\", \"score\": ")
                    .append(i % 5).append("}, {\"text\": \"b\", \"score\": ").append(i % 3 + 0.5).append("}]}\n");
        }
        Path data = tmp.resolve("shapes.jsonl");
        Files.writeString(data, sb); // (bytes that are not UTF-8 take the full ingest: JsonCsvFieldTest has them)

        Path full = assertSameAsFullIngest(data);

        String csv = Files.readString(full.resolve("map.csv"));
        assertThat(csv).contains("q1,\"with, comma\n\nthe input, 1\"").contains("q5,\"!bang\"");
    }

    @Test
    void pairwiseUltraFeedbackAndLongRowsGiveTheSameMapCsvAsTheFullIngest() throws Exception {
        for (Layout layout : new Layout[] {Layout.PAIRWISE, Layout.ULTRAFEEDBACK, Layout.LONG}) {
            Path data = tmp.resolve(layout.cliName() + ".jsonl");
            new SyntheticDataset(new SyntheticDataset.Spec(2000, layout == Layout.PAIRWISE ? 2 : 4, 5, 15, 0.05, 9,
                    layout)).write(data, Progress.Factory.NONE);
            Path full = assertSameAsFullIngest(data); // summary.json too: for long, its grouping counts
            assertThat(JSON.readTree(full.resolve("summary.json").toFile()).toString())
                    .contains("\"rows\":" + (layout == Layout.LONG ? 8000 : 2000)).contains("\"items\":2000");
        }
    }

    @Test
    void realPairwiseFilesAreScannedWithTheSameMapCsvAsTheFullIngest() throws Exception {
        // TRL's prompt, chosen, rejected; alpaca's instruction, input, chosen, rejected (gzip)
        assertSameAsFullIngest(RealData.require("trl-zen").resolve("standard_preference.jsonl"));
        assertSameAsFullIngest(RealData.require("ultrafeedback-pairs").resolve("lowavg-sample.jsonl.gz"));
    }

    @Test
    void jsonArraysOfEveryScannedLayoutGiveTheSameMapFlagsAndPairsAsTheFullIngest() throws Exception {
        for (Layout layout : new Layout[] {Layout.MULTI, Layout.PAIRWISE, Layout.ULTRAFEEDBACK, Layout.LONG}) {
            Path rows = tmp.resolve(layout.cliName() + "-rows.jsonl");
            new SyntheticDataset(new SyntheticDataset.Spec(1500, layout == Layout.PAIRWISE ? 2 : 4, 5, 15, 0.05, 4,
                    layout)).write(rows, Progress.Factory.NONE);
            Path array = prettyArray(rows, tmp.resolve(layout.cliName() + ".json"));
            Path full = assertSameAsFullIngest(array);
            Path scanned = tmp.resolve("scan-" + array.getFileName());
            // diagnose and select read the texts back from the array, element by element
            assertDiagnoseAndSelectAgreeWithoutAStore(scanned, full);
        }
    }

    @Test
    void realPairwiseFilesAsJsonArraysAreScannedWithTheSameMapCsvAsTheFullIngest() throws Exception {
        Path trl = RealData.require("trl-zen").resolve("standard_preference.jsonl");
        assertSameAsFullIngest(prettyArray(trl, tmp.resolve("standard_preference.json")));
    }

    @Test
    void csvAndTsvOfTheLongAndPairwiseLayoutsGiveTheSameMapFlagsAndPairsAsTheFullIngest() throws Exception {
        for (Layout layout : new Layout[] {Layout.LONG, Layout.PAIRWISE}) {
            Path rows = tmp.resolve(layout.cliName() + "-table.jsonl");
            new SyntheticDataset(new SyntheticDataset.Spec(1200, layout == Layout.PAIRWISE ? 2 : 4, 5, 15, 0.05, 6,
                    layout)).write(rows, Progress.Factory.NONE);
            for (String ext : new String[] {".csv", ".tsv"}) {
                Path table = table(rows, tmp.resolve(layout.cliName() + ext), ext.equals(".csv") ? ',' : '\t');
                Path full = assertSameAsFullIngest(table);
                Path scanned = tmp.resolve("scan-" + table.getFileName());
                // the commands after map read the texts from the run's copy of the table
                assertThat(scanned.resolve("input-0.jsonl")).isRegularFile();
                assertDiagnoseAndSelectAgreeWithoutAStore(scanned, full);
            }
        }
    }

    @Test
    void aGzipTableGivesTheSameMapFlagsAndPairsAsTheFullIngestWithoutTheStore() throws Exception {
        Path rows = tmp.resolve("long-gz-table.jsonl");
        new SyntheticDataset(new SyntheticDataset.Spec(1200, 4, 5, 15, 0.05, 7, Layout.LONG))
                .write(rows, Progress.Factory.NONE);
        Path plain = table(rows, tmp.resolve("long-table.csv"), ',');
        Path gzip = gzipped(plain);
        Path full = assertSameAsFullIngest(gzip);
        Path scanned = tmp.resolve("scan-" + gzip.getFileName());
        assertThat(scanned.resolve("input-0.jsonl")).as("the records as JSON lines").isRegularFile();
        assertDiagnoseAndSelectAgreeWithoutAStore(scanned, full);
    }

    /** {@code plain} gzip-compressed beside it, as {@code NAME.gz}. */
    private static Path gzipped(Path plain) throws Exception {
        Path gzip = plain.resolveSibling(plain.getFileName() + ".gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
            Files.copy(plain, out);
        }
        return gzip;
    }

    /**
     * Diagnoses both runs and selects their high-avg pairs: the scanned run builds no store,
     * and its flags and pairs are byte for byte those of the full ingest's run.
     */
    private static void assertDiagnoseAndSelectAgreeWithoutAStore(Path scanned, Path full) throws Exception {
        for (Path run : new Path[] {scanned, full}) {
            Cli.Result d = Cli.run("diagnose", run.toString(), "-q");
            assertThat(d.exit()).as(d.toString()).isZero();
            Cli.Result s = Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                    run.resolve("high-avg.jsonl").toString(), "-q");
            assertThat(s.exit()).as(s.toString()).isZero();
        }
        assertThat(scanned.resolve("run.duckdb")).as("texts read without a store").doesNotExist();
        assertThat(Files.mismatch(scanned.resolve("flags.csv"), full.resolve("flags.csv"))).as(scanned.toString())
                .isEqualTo(-1);
        assertThat(Files.mismatch(scanned.resolve("high-avg.jsonl"), full.resolve("high-avg.jsonl")))
                .as(scanned.toString()).isEqualTo(-1);
    }

    /** The rows of a JSON-lines file as a table with a header, every cell quoted where it must be. */
    private static Path table(Path jsonLines, Path out, char delimiter) throws Exception {
        java.util.List<JsonNode> rows = new java.util.ArrayList<>();
        java.util.LinkedHashSet<String> columns = new java.util.LinkedHashSet<>();
        for (String line : Files.readAllLines(jsonLines)) {
            if (!line.isBlank()) {
                JsonNode row = JSON.readTree(line);
                row.fieldNames().forEachRemaining(columns::add);
                rows.add(row);
            }
        }
        org.apache.commons.csv.CSVFormat format = org.apache.commons.csv.CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter).setRecordSeparator("\n").get();
        try (var printer = new org.apache.commons.csv.CSVPrinter(Files.newBufferedWriter(out), format)) {
            printer.printRecord(columns);
            for (JsonNode row : rows) {
                java.util.List<String> cells = new java.util.ArrayList<>();
                for (String c : columns) {
                    JsonNode v = row.get(c);
                    cells.add(v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
                }
                printer.printRecord(cells);
            }
        }
        return out;
    }

    /** The rows of a JSON-lines file as one JSON array, pretty-printed by Jackson: each element over many lines. */
    private static Path prettyArray(Path jsonLines, Path out) throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode array = JSON.createArrayNode();
        for (String line : Files.readAllLines(jsonLines)) {
            if (!line.isBlank()) {
                array.add(JSON.readTree(line));
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), array);
        return out;
    }

    @Test
    void gzipInputGivesTheSameMapCsvAsTheFullIngest() throws Exception {
        Path data = tmp.resolve("gen.jsonl.gz");
        new SyntheticDataset(new SyntheticDataset.Spec(2000, 3, 5, 15, 0.05, 3, Layout.MULTI))
                .write(data, Progress.Factory.NONE);
        assertSameAsFullIngest(data);
    }

    @Test
    void aGzipRunKeepsTheDecompressedInputAndServesTheCommandsAfterMapWithoutTheStore() throws Exception {
        Path plain = tmp.resolve("gen.jsonl");
        new SyntheticDataset(new SyntheticDataset.Spec(1500, 4, 5, 15, 0.05, 8, Layout.MULTI))
                .write(plain, Progress.Factory.NONE);
        Path gzip = gzipped(plain);
        Path full = assertSameAsFullIngest(gzip);
        Path scanned = tmp.resolve("scan-" + gzip.getFileName());
        assertThat(Files.mismatch(scanned.resolve("input-0.jsonl"), plain)).as("the decompressed copy").isEqualTo(-1);
        assertDiagnoseAndSelectAgreeWithoutAStore(scanned, full);

        // a new map of a plain file over it leaves no stale copy
        assertThat(Cli.run("map", plain.toString(), "--out", scanned.toString(), "--force", "-q").exit()).isZero();
        assertThat(scanned.resolve("input-0.jsonl")).doesNotExist();
    }

    @Test
    void aParquetRunKeepsItsRowsAsJsonLinesAndServesTheCommandsAfterMapWithoutTheStore() throws Exception {
        Path rows = tmp.resolve("rows.jsonl");
        new SyntheticDataset(new SyntheticDataset.Spec(1500, 4, 5, 15, 0.05, 9, Layout.MULTI))
                .write(rows, Progress.Factory.NONE);
        // inputs and references on some rows, so that the copy must carry them for the texts read back
        Path withExtras = tmp.resolve("rows-extras.jsonl");
        java.util.List<String> lines = new java.util.ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(rows)) {
            ObjectNode row = (ObjectNode) JSON.readTree(line);
            if (n % 3 == 0) {
                row.put("input", "context \"" + n + "\"\nline two");
            }
            if (n % 5 == 0) {
                row.put("reference", "the reference answer " + n);
            }
            lines.add(row.toString());
            n++;
        }
        Files.write(withExtras, lines);
        Path parquet = tmp.resolve("extras.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_json('" + withExtras + "', format = 'newline_delimited', columns ="
                    + " {id: 'VARCHAR', prompt: 'VARCHAR', input: 'VARCHAR', reference: 'VARCHAR', responses:"
                    + " 'STRUCT(text VARCHAR, score DOUBLE, label DOUBLE, model VARCHAR)[]'})) TO '" + parquet
                    + "' (FORMAT parquet)");
        }
        Path full = assertSameAsFullIngest(parquet);
        Path scanned = tmp.resolve("scan-" + parquet.getFileName());
        assertThat(scanned.resolve("input-0.jsonl")).as("the rows as JSON lines").isRegularFile();
        assertThat(scanned.resolve("columns.bin")).isRegularFile();
        for (Path run : new Path[] {scanned, full}) {
            assertThat(Cli.run("diagnose", run.toString(), "-q").exit()).isZero();
            for (String format : new String[] {"multi", "trl"}) {
                Cli.Result s = Cli.run("select", run.toString(), "--region", "high-avg", "--format", format, "--out",
                        run.resolve("high-avg-" + format + ".jsonl").toString(), "-q");
                assertThat(s.exit()).as(s.toString()).isZero();
            }
            assertThat(Cli.run("report", run.toString(), "-q").exit()).isZero();
        }
        assertThat(scanned.resolve("run.duckdb")).as("texts read from the copy").doesNotExist();
        assertThat(Files.mismatch(scanned.resolve("flags.csv"), full.resolve("flags.csv"))).isEqualTo(-1);
        for (String format : new String[] {"multi", "trl"}) {
            assertThat(Files.mismatch(scanned.resolve("high-avg-" + format + ".jsonl"),
                    full.resolve("high-avg-" + format + ".jsonl"))).as(format).isEqualTo(-1);
        }
        assertThat(Files.readString(scanned.resolve("high-avg-multi.jsonl"))).contains("line two");

        // a new map of a plain file over it leaves no stale copy
        assertThat(Cli.run("map", rows.toString(), "--out", scanned.toString(), "--force", "-q").exit()).isZero();
        assertThat(scanned.resolve("input-0.jsonl")).doesNotExist();
    }

    @Test
    void aGzipInputWithABadRowLeavesNeitherRunNorCopy() throws Exception {
        Path data = tmp.resolve("bad.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(data))) {
            out.write(("{\"prompt\": \"a\", \"responses\": [{\"text\": \"x\", \"score\": 1}]}\n"
                    + "{\"prompt\": \"b\", \"responses\": [{\"text\": \"x\", \"score\": \"high\"}]}\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path run = tmp.resolve("run");

        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("bad.jsonl.gz:2").contains("responses[0].score");
        assertThat(run).doesNotExist();
    }

    @Test
    void parquetInputGivesTheSameMapCsvAsTheFullIngest() throws Exception {
        Path jsonl = tmp.resolve("gen.jsonl");
        new SyntheticDataset(new SyntheticDataset.Spec(2000, 4, 5, 15, 0.05, 5, Layout.MULTI))
                .write(jsonl, Progress.Factory.NONE);
        Path parquet = tmp.resolve("gen.parquet");
        org.admap.bench.DuckDbReference.toParquet(jsonl, parquet);
        assertSameAsFullIngest(parquet);
    }

    @Test
    void theDeferredStoreIsBuiltByTheFirstCommandThatNeedsItAndServesItAsTheFullOneWould() throws Exception {
        Path scanned = tmp.resolve("scanned");
        Path full = tmp.resolve("full");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", scanned.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", full.toString(), "-q", "--full-ingest")
                .exit()).isZero();
        assertThat(scanned.resolve("run.duckdb")).doesNotExist();
        assertThat(scanned.resolve("store.pending.json")).isRegularFile();

        for (Path run : new Path[] {scanned, full}) {
            Cli.Result d = Cli.run("diagnose", run.toString());
            assertThat(d.exit()).as(d.toString()).isZero();
            Cli.Result s = Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                    run.resolve("high-avg.jsonl").toString());
            assertThat(s.exit()).as(s.toString()).isZero();
        }
        // diagnose and select read the columns and the input: neither needs the store
        assertThat(scanned.resolve("run.duckdb")).doesNotExist();
        assertThat(Files.mismatch(scanned.resolve("flags.csv"), full.resolve("flags.csv"))).isEqualTo(-1);
        assertThat(Files.mismatch(scanned.resolve("high-avg.jsonl"), full.resolve("high-avg.jsonl"))).isEqualTo(-1);
        // a diagnosis on the store needs it: that command builds it, and says what the full ingest says
        Cli.Result onStore = Cli.run("diagnose", scanned.toString(), "--on-store");
        assertThat(onStore.exit()).as(onStore.toString()).isZero();
        assertThat(scanned.resolve("run.duckdb")).isRegularFile();
        assertThat(scanned.resolve("store.pending.json")).doesNotExist();
        assertThat(Files.mismatch(scanned.resolve("flags.csv"), full.resolve("flags.csv"))).isEqualTo(-1);
        // a rebuild from the (now built) store gives the map the scan gave
        assertThat(Cli.run("map", scanned.toString(), "-q").exit()).isZero();
        assertThat(Files.mismatch(scanned.resolve("map.csv"), full.resolve("map.csv"))).isEqualTo(-1);
    }

    @Test
    void anInputChangedBeforeTheStoreIsBuiltIsReportedNotMisread() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(RealData.demo(), data);
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", data.toString(), "--out", run.toString(), "-q").exit()).isZero();
        Files.setLastModifiedTime(data, FileTime.from(Instant.now().plusSeconds(60)));

        Cli.Result r = Cli.run("diagnose", run.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(data.getFileName().toString()).contains("changed since its map was built");
        assertThat(run.resolve("run.duckdb")).doesNotExist();
    }

    @Test
    void aSameLengthEditWithItsTimePutBackIsCaughtByTheSampledContent() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(RealData.demo(), data);
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", data.toString(), "--out", run.toString(), "-q").exit()).isZero();
        FileTime modified = Files.getLastModifiedTime(data);
        byte[] bytes = Files.readAllBytes(data);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("demo-001");
        assertThat(at).isNotNegative();
        bytes[at + "demo-00".length()] = '9'; // demo-001 becomes demo-009: same length
        Files.write(data, bytes);
        Files.setLastModifiedTime(data, modified);

        Cli.Result r = Cli.run("select", run.toString(), "--region", "high-avg", "--out",
                tmp.resolve("x.jsonl").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).hasLineCount(1).contains(data.getFileName().toString())
                .contains("its content differs");
        assertThat(run.resolve("run.duckdb")).doesNotExist();
    }

    @Test
    void aRowTheScanDoesNotReadExactlyTakesTheFullIngestWithItsPreciseError() throws Exception {
        Path data = tmp.resolve("bad.jsonl");
        Files.writeString(data,
                "{\"prompt\": \"a\", \"responses\": [{\"text\": \"x\", \"score\": 1}, {\"text\": \"y\", \"score\": " +
                        "2}]}\n"
                + "{\"prompt\": \"b\", \"responses\": [{\"text\": \"x\", \"score\": 1}, {\"text\": \"y\", \"score\": " +
                        "\"high\"}]}\n");
        Path run = tmp.resolve("run");

        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("bad.jsonl:2").contains("responses[1].score");
        assertThat(run).doesNotExist();
    }

    /** Maps the file both ways and checks map.csv bytes and summary.json (but for times) are equal. */
    private Path assertSameAsFullIngest(Path data) throws Exception {
        Path scanned = tmp.resolve("scan-" + data.getFileName());
        Path full = tmp.resolve("full-" + data.getFileName());
        Cli.Result a = Cli.run("map", data.toString(), "--out", scanned.toString(), "-q");
        assertThat(a.exit()).as(a.toString()).isZero();
        Cli.Result b = Cli.run("map", data.toString(), "--out", full.toString(), "-q", "--full-ingest");
        assertThat(b.exit()).as(b.toString()).isZero();

        assertThat(scanned.resolve("store.pending.json")).as("the scan took the input").isRegularFile();
        assertThat(Files.mismatch(scanned.resolve("map.csv"), full.resolve("map.csv"))).isEqualTo(-1);
        assertThat(withoutTimes(scanned)).isEqualTo(withoutTimes(full));
        return full;
    }

    private static JsonNode withoutTimes(Path run) throws Exception {
        ObjectNode summary = (ObjectNode) JSON.readTree(run.resolve("summary.json").toFile());
        summary.remove("seconds");
        summary.remove("created");
        ((ObjectNode) summary.get("map")).remove("created");
        return summary;
    }
}
