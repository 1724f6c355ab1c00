package org.admap.internal.ingest.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan of CSV and TSV files, cut at record starts by quote parity, against what the full ingest reads. */
class CsvScanTest {

    @TempDir
    Path dir;

    @Test
    void csvAndTsvOfEveryLayoutTheyHoldAreScannedAsTheFullIngestReadsThem() throws Exception {
        for (char delimiter : new char[] {',', '\t'}) {
            String ext = delimiter == ',' ? ".csv" : ".tsv";
            for (String layout : new String[] {"long", "pairwise", "multi"}) {
                Path plain = write(layout + ext, table(layout, 400, delimiter, layout.hashCode()));
                // gzip: decompressed as a stream, cut into blocks at record ends by quote parity
                for (Path file : List.of(plain, gzip(plain))) {
                    assertScannedAsTheFullIngestReads(file, layout);
                }
            }
        }
    }

    private static void assertScannedAsTheFullIngestReads(Path file, String layout) throws Exception {
        List<ScannedRows.Row> expected = ScannedRows.filtersOf(layout.equals("long")
                ? LongScanTest.grouped(file) : ScannedRows.fullIngest(file));
        assertThat(expected).as(file.toString()).hasSizeGreaterThan(100);
        for (int threads : new int[] {1, 3}) {
            for (long minRange : new long[] {1, 613, 1 << 22}) {
                ScannedScores scan = ScoreScan.scan(List.of(file), threads, Progress.Factory.NONE, minRange);
                assertThat(scan.layout(0).layout().cliName()).isEqualTo(layout);
                assertThat(ScannedRows.withFilters(scan))
                        .as("%s, %d threads, ranges of %d bytes", file.getFileName(), threads, minRange)
                        .isEqualTo(expected);
                if (minRange == 1) {
                    assertThat(scan.chunkCount()).as("the file was cut").isGreaterThan(1);
                }
            }
        }
    }

    private Path gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(file));
        }
        return gz;
    }

    @Test
    void aTablesCopyAsJsonLinesHoldsEveryTextWhereTheScanRecordedIt() throws Exception {
        for (String layout : new String[] {"long", "pairwise", "multi"}) {
            Path plain = write(layout + "-copied.csv", table(layout, 300, ',', layout.hashCode() + 1));
            for (Path file : List.of(plain, gzip(plain))) {
                List<ScannedRows.Row> expected = layout.equals("long") ? LongScanTest.grouped(file)
                        : ScannedRows.fullIngest(file);
                for (long minRange : new long[] {1, 1 << 22}) {
                    Path copy = dir.resolve(file.getFileName() + "-" + minRange + ".jsonl");
                    // no prompt kept in memory with the smaller ranges: all are read back from the copy
                    ScannedScores scan = ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, minRange,
                            minRange == 1 ? new PromptBudget(0) : PromptBudget.ofHeap(), i -> copy);
                    assertThat(ScannedRows.of(scan, copy)).as("%s, ranges of %d bytes", file, minRange)
                            .isEqualTo(expected);
                    // and the copy is JSON lines the full ingest reads as the table
                    List<ScannedRows.Row> fromCopy = layout.equals("long") ? LongScanTest.grouped(copy)
                            : ScannedRows.fullIngest(copy);
                    assertThat(fromCopy).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void recordsTheFullIngestReadsOtherwiseOrRefusesAreLeftToIt() throws Exception {
        String header = "prompt,response,score\n";
        String ok = "p,a,1\n";
        List<String> others = List.of(
                "p,a\"b,1\n", // a quote inside an unquoted cell
                "p,\"a\"b,1\n", // text after a quoted cell
                "p,\"a,1\n", // a quote that never ends
                "p,a,1,extra\n",
                "p,a\n",
                "p,a,four\n",
                "p,a,NaN\n",
                "p,a,1e999\n",
                "p,a,\"[1, 2]\"\n",
                " \n"); // a record of one blank cell
        for (String row : others) {
            Path plain = write("other.csv", header + ok + row + ok);
            for (Path file : List.of(plain, gzip(plain))) {
                for (long minRange : new long[] {1, 1 << 22}) {
                    assertThatThrownBy(() -> ScoreScan.scan(List.of(file), 2, Progress.Factory.NONE, minRange))
                            .as(row).isInstanceOf(NotScannable.class);
                }
            }
        }
        Path system = write("system.csv", "prompt,chosen,rejected,system\np,a,b,\n");
        assertThatThrownBy(() -> ScoreScan.scan(List.of(system), 1, Progress.Factory.NONE, 1))
                .isInstanceOf(NotScannable.class).hasMessageContaining("system");
    }

    @Test
    void aGzipTableWhoseHeaderOutgrowsTheFirstReadIsScannedAsTheFullIngestReadsIt() throws Exception {
        String longName = "\"a note, " + "n".repeat(6000) + "\"";
        StringBuilder table = new StringBuilder("prompt,response," + longName + ",score\n");
        for (int i = 0; i < 200; i++) {
            table.append("p").append(i / 2).append(",\"answer ").append(i).append("\",x,").append(i % 7).append('\n');
        }
        Path gz = gzip(write("wide.csv", table.toString()));
        List<ScannedRows.Row> expected = ScannedRows.filtersOf(LongScanTest.grouped(gz));
        assertThat(expected).hasSize(100);
        for (long minRange : new long[] {1, 1 << 22}) {
            assertThat(ScannedRows.withFilters(ScoreScan.scan(List.of(gz), 2, Progress.Factory.NONE, minRange)))
                    .isEqualTo(expected);
        }
    }

    @Test
    void csvIsScannedWithTheDefaultOptionsGzipIncluded() throws Exception {
        Path csv = write("l.csv", "prompt,response,score\np,a,1\n");
        assertThat(ScoreScan.unsupportedReason(List.of(csv), IngestOptions.defaults())).isNull();
        assertThat(ScoreScan.unsupportedReason(List.of(csv), IngestOptions.defaults().withLayout(Layout.LONG)))
                .isNull();
        Path gzip = dir.resolve("l.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(Files.readAllBytes(csv));
        }
        assertThat(ScoreScan.unsupportedReason(List.of(gzip), IngestOptions.defaults())).isNull();
    }

    /**
     * A table of {@code n} instructions in a layout, its columns in a random order (with
     * columns the layout ignores), cells quoted when they must be and at random when they
     * need not, doubled quotes, line breaks and delimiters inside quoted cells, CRLF and LF,
     * empty lines, a byte-order mark, non-ASCII text, and numbers as the spreadsheets give
     * them: padded, signed, exponents, empty or N/A.
     */
    private static String table(String layout, int n, char delimiter, long seed) {
        Random r = new Random(seed);
        List<String> columns = new ArrayList<>(switch (layout) {
            case "long" -> List.of("prompt", "response", "score", "label", "model", "id", "note");
            case "pairwise" -> List.of(r.nextBoolean() ? "prompt" : "instruction", "input", "chosen", "rejected",
                    "score_chosen", "score_rejected", "id", "chosen_model", "rejected_model", "note");
            default -> List.of("id", "prompt", "input", "responses", "note");
        });
        Collections.shuffle(columns, r);
        List<List<String>> rows = new ArrayList<>();
        for (int x = 0; x < n; x++) {
            int i = x;
            String prompt = "Prompt " + i + (r.nextBoolean() ? ", with \"quotes\"\nand a line" : "")
                    + (r.nextInt(4) == 0 ? " caf\u00e9 \u4e2d\u6587" : "") + (r.nextInt(9) == 0 ? "\ttab\\n" : "");
            int k = layout.equals("pairwise") ? 1 : 1 + r.nextInt(4);
            if (layout.equals("multi")) {
                StringBuilder responses = new StringBuilder("[");
                for (int j = 0; j < k; j++) {
                    responses.append(j == 0 ? "" : ", ").append("{\"text\": \"answer ").append(j)
                            .append(r.nextBoolean() ? " \\\"q\\\"\\n\\u00e9" : "").append("\", \"score\": ")
                            .append(r.nextInt(50) / 10.0).append(r.nextBoolean() ? ", \"model\": \"m" + j + "\"" : "")
                            .append("}");
                }
                rows.add(cells(columns, c -> switch (c) {
                    case "id" -> r.nextInt(3) == 0 ? "" : "q" + i;
                    case "prompt" -> prompt;
                    case "input" -> r.nextInt(4) == 0 ? "the input " + i : "";
                    case "responses" -> responses.append("]").toString();
                    default -> "ignored " + i;
                }));
                continue;
            }
            for (int j = 0; j < k; j++) {
                int jj = j;
                rows.add(cells(columns, c -> switch (c) {
                    case "prompt", "instruction" -> prompt;
                    case "input" -> r.nextInt(4) == 0 ? "input " + i : "";
                    case "response", "chosen" -> "answer " + jj + " of " + i + (r.nextBoolean() ? ",\r\n\"x\"" : "");
                    case "rejected" -> "worse " + i;
                    case "score", "label" -> number(r);
                    case "score_chosen" -> i % 5 == 0 ? "" : String.valueOf(r.nextInt(10));
                    case "score_rejected" -> i % 5 == 0 ? " N/A " : " " + r.nextInt(10) + ".5";
                    case "model", "chosen_model", "rejected_model" -> r.nextInt(3) == 0 ? "" : "m" + jj;
                    case "id" -> r.nextInt(3) == 0 ? " " : "id-" + i;
                    default -> "ignored \"" + i + "\"";
                }));
            }
        }
        if (layout.equals("long")) {
            // an instruction's rows together half the time, apart otherwise
            List<List<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < rows.size(); ) {
                int run = 1 + r.nextInt(3);
                runs.add(rows.subList(i, Math.min(rows.size(), i + run)));
                i += run;
            }
            Collections.shuffle(runs, r);
            rows = new ArrayList<>();
            for (List<List<String>> run : runs) {
                rows.addAll(run);
            }
        }
        StringBuilder out = new StringBuilder(r.nextBoolean() ? "\uFEFF" : "");
        out.append(line(columns, delimiter, r)).append("\n");
        for (List<String> row : rows) {
            out.append(line(row, delimiter, r)).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
            if (r.nextInt(25) == 0) {
                out.append("\n");
            }
        }
        return out.toString();
    }

    private static List<String> cells(List<String> columns, java.util.function.Function<String, String> cell) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            out.add(cell.apply(c));
        }
        return out;
    }

    private static String number(Random r) {
        String[] spellings = {"", "N/A", "na", " 3 ", "+2", "-0", "4.", ".5", "1e1", "2.25", "7", "0.1"};
        return spellings[r.nextInt(spellings.length)];
    }

    private static String line(List<String> cells, char delimiter, Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                b.append(delimiter);
            }
            boolean must = c.indexOf(delimiter) >= 0 || c.contains("\"") || c.contains("\n") || c.contains("\r");
            if (must || r.nextInt(4) == 0) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
