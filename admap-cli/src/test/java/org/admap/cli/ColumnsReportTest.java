package org.admap.cli;

import static org.admap.cli.ScanAndIngestRuns.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.Map;
import org.admap.internal.columns.OlderColumns;
import org.admap.internal.columns.PromptExcerpts;
import org.admap.internal.columns.RunColumns;
import org.admap.report.ReportPages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} on a scanned run reads its columns and the input, and builds no store: the
 * report's data (points, colourings, flags, diagnosis, summary, the embedded instructions with
 * their lines) and its pictures are those of {@code report} on a full ingest of the same file
 * diagnosed on its store, but for times, the run's path, the bias audit (which needs every text,
 * and so a store) and the last bits of sums the database adds in its own order.
 */
class ColumnsReportTest {

    @TempDir
    Path tmp;

    @Test
    void theDemoReportsTheSameFromItsColumnsAsFromTheStore() throws Exception {
        Path data = ScanAndIngestRuns.demo(tmp);
        same(data, true);
    }

    @Test
    void aGeneratedFileReportsTheSameFromItsColumnsAsFromTheStore() throws Exception {
        Path data = ScanAndIngestRuns.generated(tmp, 400);
        same(data, true);
        // a sampled report: fewer points and details than instructions
        Path slow = tmp.resolve("slow");
        Path fast = tmp.resolve("fast");
        ok("report", slow.toString(), "--max-points", "150", "--details", "40", "--max-text", "50");
        ok("report", fast.toString(), "--max-points", "150", "--details", "40", "--max-text", "50");
        assertThat(normalised(fast)).isEqualTo(normalised(slow));
        assertThat(fast.resolve("run.duckdb")).doesNotExist();
    }

    @Test
    void rowsOfEveryPlainShapeReportTheSameUndiagnosed() throws Exception {
        same(shapes(), false);
    }

    @Test
    void withoutTheExcerptsMapWroteAReportReadsThemFromTheInputsAndIsTheSame() throws Exception {
        same(shapes(), false, RunColumns.VERSION, false);
    }

    @Test
    void columnsOfAnOlderAdmapWithoutModelsReportTheSameByReadingTheModelsFromTheInput() throws Exception {
        same(shapes(), false, 1);
    }

    @Test
    void unpackedColumnsOfAnOlderAdmapReportTheSame() throws Exception {
        same(ScanAndIngestRuns.generated(tmp, 1500), true, 2);
    }

    /** Rows of every plain shape the scan takes, in a file. */
    private Path shapes() throws Exception {
        // ids given, missing and repeated; inputs, references, models; plain-string responses;
        // unicode, a byte-order mark and CRLF line ends; blank lines (the lines must still count)
        Path data = tmp.resolve("shapes.jsonl");
        StringBuilder b = new StringBuilder("\uFEFF");
        for (int i = 0; i < 60; i++) {
            String id = i % 7 == 0 ? "" : i % 11 == 0 ? "\"id\": \"dup\", " : "\"id\": \"r" + i + "\", ";
            String input = i % 3 == 0 ? ", \"input\": \"ctx \\\"" + i + "\\\" \\u00e9\"" : "";
            String reference = i % 4 == 0 ? ", \"reference\": \"ref\\n" + i + "\"" : "";
            String plain = i % 10 == 0 ? ", \"just text \\ud83d\\ude00\"" : "";
            // plain ASCII prompts too, long and with runs of spaces: map cuts their excerpts in their bytes
            String prompt = i % 5 == 1 ? "  Long   question " + i + "  " + "word   ".repeat(i) + " "
                    : "Question " + i + " \\u2603   tab\\t";
            b.append("{").append(id).append("\"prompt\": \"").append(prompt).append("\"")
                    .append(input).append(reference).append(", \"responses\": [")
                    .append("{\"text\": \"a").append(i).append("\", \"score\": ").append(i % 10)
                    .append(", \"label\": ").append((i * 7) % 5).append(", \"model\": \"m").append(i % 3).append("\"},")
                    .append(" {\"model\": null, \"text\": \"b\\n").append(i).append("\", \"score\": ")
                    .append((i * 3) % 10 + 0.5).append(", \"label\": ").append(i % 4).append("}, ")
                    .append("{\"text\": \"c").append(i).append("\", \"score\": ").append((i * 13) % 10)
                    .append(", \"label\": null, \"extra\": [1, {\"model\": \"not-this\"}]}").append(plain)
                    .append("], \"meta\": {\"responses\": [{\"model\": \"nor-this\"}]}}")
                    .append(i % 2 == 0 ? "\r\n" : "\n");
            if (i == 30 || i == 31) {
                b.append("\n");
            }
        }
        Files.writeString(data, b);
        return data;
    }

    @Test
    void aChangedInputIsAnErrorNamingItAndNoStoreIsBuilt() throws Exception {
        Path data = ScanAndIngestRuns.demo(tmp);
        Path run = tmp.resolve("run");
        ok("map", data.toString(), "--out", run.toString(), "-q");
        FileTime then = Files.getLastModifiedTime(data);
        // the same size and time, other bytes: the sampled blocks' hash finds it before any text is read
        String text = Files.readString(data, StandardCharsets.UTF_8);
        Files.writeString(data, text.replace("dictionary", "DICTIONARY"));
        Files.setLastModifiedTime(data, then);
        Cli.Result r = Cli.run("report", run.toString());
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains(data.toAbsolutePath().toString()).contains("changed");
        assertThat(r.err().strip().lines()).as("one line").hasSize(1);
        assertThat(run.resolve("report.html")).doesNotExist();
        assertThat(run.resolve("run.duckdb")).doesNotExist();
        Files.delete(data);
        r = Cli.run("report", run.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(data.toAbsolutePath().toString());
        assertThat(run.resolve("run.duckdb")).doesNotExist();
    }

    private void same(Path data, boolean diagnose) throws Exception {
        same(data, diagnose, RunColumns.VERSION);
    }

    /**
     * @param version rewrite the scanned run's columns as an admap of this columns version
     *                wrote them (1: without models; 2: unpacked), or leave them as {@code map}
     *                wrote them ({@link RunColumns#VERSION})
     */
    private void same(Path data, boolean diagnose, int version) throws Exception {
        same(data, diagnose, version, true);
    }

    /**
     * @param excerpts keep the prompt excerpts map wrote beside the columns; without them the
     *                 report reads each prompt from the input
     */
    private void same(Path data, boolean diagnose, int version, boolean excerpts) throws Exception {
        ScanAndIngestRuns runs = ScanAndIngestRuns.map(data, tmp);
        Path slow = runs.slow();
        Path fast = runs.fast();
        assertThat(OlderColumns.version(fast)).as("columns version map writes").isEqualTo(RunColumns.VERSION);
        assertThat(fast.resolve(PromptExcerpts.FILE)).as("map writes the excerpts").isRegularFile();
        if (!excerpts) {
            Files.delete(fast.resolve(PromptExcerpts.FILE));
        }
        if (version != RunColumns.VERSION) {
            OlderColumns.rewrite(fast, version);
            assertThat(OlderColumns.version(fast)).isEqualTo(version);
        }
        if (diagnose) {
            ok("diagnose", slow.toString());
            ok("diagnose", fast.toString());
        }
        Cli.Result a = ok("report", slow.toString());
        Cli.Result b = ok("report", fast.toString());
        assertThat(fast.resolve("run.duckdb")).as("report builds no store").doesNotExist();
        assertThat(lines(b.out(), fast)).isEqualTo(lines(a.out(), slow));
        JsonNode fastData = normalised(fast);
        JsonNode slowData = normalised(slow);
        assertThat(fastData.get("details")).isNotEmpty();
        if (diagnose) {
            assertThat(fastData.get("flags")).isNotEmpty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = slowData.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(fastData.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(fastData).isEqualTo(slowData);
        String fastPage = Files.readString(fast.resolve("report.html"));
        String slowPage = Files.readString(slow.resolve("report.html"));
        assertThat(ReportPages.markup(fastPage)).isEqualTo(ReportPages.markup(slowPage));
        assertThat(svg(fast)).as("map.svg").isEqualTo(svg(slow));
    }

    /** The picture without the clip paths' ids, which JFreeSVG numbers by the clock. */
    private static String svg(Path run) throws Exception {
        return Files.readString(run.resolve("map.svg")).replaceAll("_[0-9]+clip", "_clip");
    }

    /** What report printed, without the times and the run's path. */
    private static String lines(String out, Path run) {
        return out.replace(run.toString(), "RUN").replaceAll("[0-9.]+ s\\)", "T s)")
                .replaceAll("\\(([0-9.]+) (KB|MB);", "(SIZE;");
    }

    /** The report's data without what differs by nature, its numbers to 12 significant digits. */
    private static JsonNode normalised(Path run) throws Exception {
        ObjectNode d = (ObjectNode) ReportPages.data(Files.readString(run.resolve("report.html")));
        ObjectNode meta = (ObjectNode) d.get("meta");
        meta.remove("created");
        meta.remove("mapCreated");
        meta.remove("run");
        if (d.get("diagnosis") instanceof ObjectNode diagnosis) {
            diagnosis.remove("created");
            diagnosis.remove("bias"); // the store's build adds it to a columns diagnosis
            ((ObjectNode) diagnosis.get("map")).remove("created");
        }
        return round(d);
    }

    private static JsonNode round(JsonNode n) {
        if (n.isDouble() || n.isFloat()) {
            return DoubleNode.valueOf(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.11e",
                    n.doubleValue())));
        }
        if (n instanceof ObjectNode o) {
            o.fields().forEachRemaining(e -> e.setValue(round(e.getValue())));
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, round(a.get(i)));
            }
        }
        return n;
    }
}
