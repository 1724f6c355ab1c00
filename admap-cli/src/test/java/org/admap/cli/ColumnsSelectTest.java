package org.admap.cli;

import static org.admap.cli.ScanAndIngestRuns.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code select} on a scanned run reads its columns and the input, and builds no store: every
 * region (random included) in every format gives the same bytes as {@code select} on a full
 * ingest of the same file, and the same provenance but for its times and run path.
 */
class ColumnsSelectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REGIONS = List.of("high-avg", "low-avg", "high-var", "all", "random");
    private static final List<String> FORMATS = List.of("trl", "trl-chat", "sharegpt", "llama-factory", "kto",
            "listwise", "multi");

    @TempDir
    Path tmp;

    @Test
    void theDemoSelectsTheSameFromItsColumnsAsFromTheStore() throws Exception {
        Path data = ScanAndIngestRuns.demo(tmp);
        same(data, REGIONS, FORMATS);
    }

    @Test
    void aGeneratedFileSelectsTheSameFromItsColumnsAsFromTheStore() throws Exception {
        Path data = ScanAndIngestRuns.generated(tmp, 1200);
        same(data, REGIONS, List.of("trl", "kto", "multi"));
    }

    @Test
    void rowsOfEveryPlainShapeSelectTheSame() throws Exception {
        // ids given, missing and repeated; inputs, references, models; plain-string responses;
        // escapes, unicode, a byte-order mark and CRLF line ends; a blank line
        Path data = tmp.resolve("shapes.jsonl");
        StringBuilder b = new StringBuilder("\uFEFF");
        for (int i = 0; i < 60; i++) {
            String id = i % 7 == 0 ? "" : i % 11 == 0 ? "\"id\": \"dup\", " : "\"id\": " + (i % 5 == 0 ? i : "\"r" + i
                    + "\"") + ", ";
            String input = i % 3 == 0 ? ", \"input\": \"ctx \\\"" + i + "\\\" \\u00e9\"" : "";
            String reference = i % 4 == 0 ? ", \"reference\": \"ref\\n" + i + "\"" : i % 9 == 0
                    ? ", \"reference\": null" : "";
            String plain = i % 10 == 0 ? ", \"just text\"" : "";
            b.append("{").append(id).append("\"prompt\": \"Question ").append(i).append(" \\u2603 \\\\ tab\\t\"")
                    .append(input).append(reference).append(", \"responses\": [")
                    .append("{\"text\": \"a").append(i).append("\", \"score\": ").append(i % 10)
                    .append(", \"label\": ").append((i * 7) % 5).append(", \"model\": \"m").append(i % 3).append("\"},")
                    .append(" {\"model\": null, \"text\": \"b\\n").append(i).append("\", \"score\": ")
                    .append((i * 3) % 10 + 0.5).append(", \"label\": ").append(i % 4).append("}, ")
                    .append("{\"text\": \"c").append(i).append("\", \"score\": ").append((i * 13) % 10)
                    .append(", \"label\": null, \"extra\": [1, {\"x\": 2}]}").append(plain).append("]}")
                    .append(i % 2 == 0 ? "\r\n" : "\n");
            if (i == 30) {
                b.append("\n");
            }
        }
        Files.writeString(data, b);
        same(data, REGIONS, FORMATS);
    }

    @Test
    void instructionsWhoseValuesTieSelectTheSame() throws Exception {
        // a scanned run's select does not read the texts of instructions whose labels (or
        // scores) all tie: the first one tied, ties by labels but not scores, one valued
        // response, no labels, 0 and -0, and identical texts of differing labels among them
        Path data = tmp.resolve("ties.jsonl");
        String[][] labels = {{"2", "2", "2"}, {"1", "3", "2"}, {"2", "2", "2"}, {"null", "4", "null"},
            {"null", "null", "null"}, {"0", "-0.0", "0.0"}, {"1", "2", "1"}, {"5", "5", "5"}};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            String[] l = labels[i % labels.length];
            b.append("{\"id\": \"t").append(i).append("\", \"prompt\": \"Question ").append(i)
                    .append("\", \"responses\": [");
            for (int r = 0; r < l.length; r++) {
                String text = i % labels.length == 6 && r < 2 ? "same" : "answer " + r + " of " + i;
                b.append(r == 0 ? "" : ", ").append("{\"text\": \"").append(text).append("\", \"score\": ")
                        .append((i * 7 + r * 3) % 10).append(", \"label\": ").append(l[r]).append("}");
            }
            b.append("]}\n");
        }
        Files.writeString(data, b);
        same(data, REGIONS, FORMATS);
    }

    @Test
    void textsWithEscapesAndUnicodeSelectTheSameAsTheFullIngestReadsThem() throws Exception {
        // the exported items are put together from the literals the columns point at: every
        // escape JSON has, raw multi-byte UTF-8, surrogate pairs, blank and escaped references,
        // models spelled two ways, and rows that the scan reads with Jackson (an exponent)
        String[] texts = {"plain", "q \\\"quoted\\\" \\\\ back", "\\/\\b\\f\\n\\r\\t", "\\u0041\\u00e9\\u4e16",
            "\\ud83d\\ude00 pair", "raw \u00e9\u4e16\ud83d\ude00", "", "  spaced  ", "\\u0000nul"};
        String[] references = {"", ", \"reference\": \"  \"", ", \"reference\": \"\\u0020\"",
            ", \"reference\": \"r\\u00e9f \\\"x\\\"\"", ", \"reference\": null", ", \"reference\": \"\u4e16\""};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            String score = i % 8 == 0 ? "1e0" : Integer.toString(i % 10);
            String model = i % 2 == 0 ? "gpt-4" : "gpt\\u002d4";
            b.append("{\"id\": \"e").append(i).append("\", \"prompt\": \"P ").append(texts[i % texts.length])
                    .append("\"").append(i % 5 == 0 ? ", \"input\": \"in " + texts[(i + 3) % texts.length] + "\"" : "")
                    .append(references[i % references.length]).append(", \"responses\": [")
                    .append("{\"text\": \"").append(texts[i % texts.length]).append(i).append("\", \"score\": ")
                    .append(score).append(", \"label\": ").append(i % 3).append(", \"model\": \"").append(model)
                    .append("\"}, {\"text\": \"").append(texts[(i + 1) % texts.length]).append("\", \"score\": ")
                    .append((i * 7) % 10).append(", \"label\": ").append(i % 4)
                    .append(", \"model\": \"m\\u00e9\"}, \"").append(texts[(i + 2) % texts.length]).append("\"]}\n");
        }
        Path data = tmp.resolve("escapes.jsonl");
        Files.writeString(data, b);
        same(data, REGIONS, FORMATS);
    }

    @Test
    void aChangedInputIsAnErrorNamingItNeverAWrongText() throws Exception {
        Path data = ScanAndIngestRuns.demo(tmp);
        Path run = tmp.resolve("run");
        ok("map", data.toString(), "--out", run.toString(), "-q");
        FileTime then = Files.getLastModifiedTime(data);
        // the same size and time, other bytes: the check of each text read finds it
        byte[] bytes = Files.readAllBytes(data);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(data, text.replace("dictionary", "DICTIONARY"));
        Files.setLastModifiedTime(data, then);
        Cli.Result r = Cli.run("select", run.toString(), "--region", "all", "--out", tmp.resolve("x.jsonl").toString());
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).contains(data.toAbsolutePath().toString()).contains("changed");
        assertThat(tmp.resolve("x.jsonl")).doesNotExist();
        // a new modification time is found before any text is read
        Files.setLastModifiedTime(data, FileTime.fromMillis(then.toMillis() + 5000));
        r = Cli.run("select", run.toString(), "--region", "all", "--out", tmp.resolve("x.jsonl").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(data.toAbsolutePath().toString()).contains("changed since its map");
        assertThat(run.resolve("run.duckdb")).doesNotExist();
    }

    private void same(Path data, List<String> regions, List<String> formats) throws Exception {
        ScanAndIngestRuns runs = ScanAndIngestRuns.map(data, tmp);
        Path slow = runs.slow();
        Path fast = runs.fast();
        for (String region : regions) {
            for (String format : formats) {
                String name = region + "." + format + (format.equals("listwise") || format.equals("multi")
                        || format.startsWith("trl") || format.equals("kto") ? ".jsonl" : ".json");
                Path a = Files.createDirectories(tmp.resolve("out-slow").resolve(format)).resolve(name);
                Path b = Files.createDirectories(tmp.resolve("out-fast").resolve(format)).resolve(name);
                Cli.Result ra = ok("select", slow.toString(), "--region", region, "--format", format, "--out",
                        a.toString());
                Cli.Result rb = ok("select", fast.toString(), "--region", region, "--format", format, "--out",
                        b.toString());
                String what = region + " as " + format;
                assertThat(rb.out().replace(b.toString(), "OUT").replace(tmp.resolve("out-fast").toString(), "DIR"))
                        .as(what).isEqualTo(ra.out().replace(a.toString(), "OUT")
                                .replace(tmp.resolve("out-slow").toString(), "DIR"));
                assertThat(rb.err()).as(what).isEqualTo(ra.err());
                assertThat(Files.readAllBytes(b)).as(what).isEqualTo(Files.readAllBytes(a));
                assertThat(provenance(b)).as(what).isEqualTo(provenance(a));
                assertThat(fast.resolve("run.duckdb")).as("select builds no store").doesNotExist();
            }
        }
        // Parquet and the options of pairing, on one region each
        for (String[] extra : List.of(new String[] {"--region", "high-avg", "--max-pairs-per-prompt", "1"},
                new String[] {"--region", "random", "--seed", "7", "--fraction", "0.5"},
                new String[] {"--region", "all", "--pairs", "best-worst"},
                new String[] {"--region", "all", "--fraction", "0.3", "--pair-by", "scores"})) {
            for (String ext : List.of(".jsonl", ".parquet")) {
                String name = String.join("_", extra).replace("-", "") + ext;
                Path a = tmp.resolve("out-slow").resolve(name);
                Path b = tmp.resolve("out-fast").resolve(name);
                List<String> args = new java.util.ArrayList<>(List.of("select", slow.toString(), "--out",
                        a.toString()));
                args.addAll(List.of(extra));
                Cli.Result ra = Cli.run(args.toArray(String[]::new));
                args.set(1, fast.toString());
                args.set(3, b.toString());
                Cli.Result rb = Cli.run(args.toArray(String[]::new));
                assertThat(rb.exit()).as(rb.toString()).isEqualTo(ra.exit());
                assertThat(rb.err()).isEqualTo(ra.err());
                if (ra.exit() == 0) {
                    assertThat(Files.readAllBytes(b)).as(name).isEqualTo(Files.readAllBytes(a));
                    assertThat(provenance(b)).as(name).isEqualTo(provenance(a));
                }
            }
        }
        assertThat(fast.resolve("run.duckdb")).doesNotExist();
    }

    /** The provenance without what differs by nature: when and from which run directory. */
    private static JsonNode provenance(Path out) throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree(out.resolveSibling(out.getFileName() + ".provenance.json").toFile());
        p.remove("created");
        p.remove("run");
        ((ObjectNode) p.get("map")).remove("created");
        return p;
    }
}
