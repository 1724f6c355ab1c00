package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ReportPages;
import org.admap.report.ViewData;
import org.admap.run.Run;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagnose} on a scanned run takes the columns' way by default and builds no store;
 * the store a later command builds (serve, score; report reads the columns) then holds that
 * diagnosis: the report's data and the viewer's flags are those of a full ingest diagnosed on
 * its store, and diagnosis.json gets the bias audit the columns could not make.
 */
class ColumnsDiagnosisCarriedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    /** How the side file is left before the commands after diagnose read it. */
    private enum SideFile { AS_WRITTEN, OLDER_GZIPPED_JSON_LINES, OLDEST_PLAIN_JSON_LINES }

    @Test
    void theDemosColumnsDiagnosisReachesTheReportAndTheViewer() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(Path.of("../examples/demo.jsonl"), data, StandardCopyOption.REPLACE_EXISTING);
        carried(data, SideFile.AS_WRITTEN);
    }

    @Test
    void theFlagsAnOlderAdmapKeptAsGzippedJsonLinesAreReadTheSame() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(Path.of("../examples/demo.jsonl"), data, StandardCopyOption.REPLACE_EXISTING);
        carried(data, SideFile.OLDER_GZIPPED_JSON_LINES);
    }

    @Test
    void theFlagsAnOlderAdmapKeptUncompressedForTheStoreAreReadTheSame() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(Path.of("../examples/demo.jsonl"), data, StandardCopyOption.REPLACE_EXISTING);
        carried(data, SideFile.OLDEST_PLAIN_JSON_LINES);
    }

    @Test
    void aGeneratedRunsColumnsDiagnosisReachesTheReportAndTheViewer() throws Exception {
        Path data = tmp.resolve("g.jsonl");
        Cli.Result g = Cli.run("generate", "--instructions", "1500", "--out", data.toString(), "-q");
        assertThat(g.exit()).as(g.toString()).isZero();
        carried(data, SideFile.AS_WRITTEN);
    }

    /** The demo mapped into {@code tmp/run} and diagnosed on its columns (so with the side file). */
    private Path demoMappedAndDiagnosed() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(Path.of("../examples/demo.jsonl"), data, StandardCopyOption.REPLACE_EXISTING);
        Path run = tmp.resolve("run");
        ok("map", data.toString(), "--out", run.toString(), "-q");
        ok("diagnose", run.toString());
        return run;
    }

    @Test
    void flagsThatDoNotFitTheBuiltStoreAreDroppedWithTheirDiagnosisNeverMisplaced() throws Exception {
        Path run = demoMappedAndDiagnosed();
        Path side = run.resolve(".flags-for-store.bin");
        List<SideFlags.Row> rows = new ArrayList<>(SideFlags.read(side));
        assertThat(rows).isNotEmpty().allMatch(r -> r.id() != null && !r.id().isEmpty());
        // a row whose key holds another instruction in the store than in the scan
        rows.set(0, rows.get(0).withId("not-this-one"));
        SideFlags.write(side, rows);
        Run.open(run, Progress.Factory.NONE); // builds the store, as serve, score and compare do
        ok("report", run.toString());
        assertThat(run.resolve("run.duckdb")).isRegularFile();
        assertThat(side).doesNotExist();
        assertThat(run.resolve("flags.csv")).doesNotExist();
        assertThat(run.resolve("diagnosis.json")).doesNotExist();
        assertThat(reportData(run).get("flags")).isEmpty();
        ok("diagnose", run.toString()); // diagnosing again, now on the store, brings the flags back
        assertThat(run.resolve("flags.csv")).isRegularFile();
    }

    @Test
    void aSideFileCutShortIsAOneLineErrorThatSaysToDiagnoseAgain() throws Exception {
        Path run = demoMappedAndDiagnosed();
        Path side = run.resolve(".flags-for-store.bin");
        byte[] whole = Files.readAllBytes(side);
        Files.write(side, java.util.Arrays.copyOf(whole, whole.length - 5)); // inside the last row's detail
        Cli.Result r = Cli.run("report", run.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as("one line").hasSize(1);
        assertThat(r.err()).contains(side.toString()).contains("cut short").contains("admap diagnose");
        assertThat(run.resolve("report.html")).as("no page half written").doesNotExist();
        ok("diagnose", run.toString());
        ok("report", run.toString());
        assertThat(reportData(run).get("flags")).isNotEmpty();
    }

    /** @param sideFile leave the side file as diagnose wrote it, or rewrite it as an older admap wrote it */
    private void carried(Path data, SideFile sideFile) throws Exception {
        Path slow = tmp.resolve("slow");
        ok("map", data.toString(), "--out", slow.toString(), "--full-ingest", "-q");
        Cli.Result onStore = ok("diagnose", slow.toString());
        assertThat(onStore.out()).contains("bias of");
        ok("report", slow.toString());

        Path fast = tmp.resolve("fast");
        ok("map", data.toString(), "--out", fast.toString(), "-q");
        Cli.Result onColumns = ok("diagnose", fast.toString());
        assertThat(fast.resolve("run.duckdb")).as("diagnose builds no store").doesNotExist();
        Path side = fast.resolve(".flags-for-store.bin");
        assertThat(side).isRegularFile();
        List<SideFlags.Row> rows = SideFlags.read(side);
        assertThat(rows).isNotEmpty();
        Path older = fast.resolve(".flags-for-store.jsonl");
        if (sideFile == SideFile.OLDER_GZIPPED_JSON_LINES) {
            gzip(older, SideFlags.jsonLines(rows));
            Files.delete(side);
        } else if (sideFile == SideFile.OLDEST_PLAIN_JSON_LINES) {
            Files.writeString(older, SideFlags.jsonLines(rows));
            Files.delete(side);
        }
        assertThat(onColumns.out()).doesNotContain("bias of");
        assertThat(Files.readString(fast.resolve("flags.csv"))).isEqualTo(Files.readString(slow.resolve("flags.csv")));
        // the flags of a diagnosis on the columns are the store's (only the bias audit awaits the texts)
        assertThat(onColumns.out().replace(fast.toString(), "RUN"))
                .isEqualTo(onStore.out().replace(slow.toString(), "RUN")
                        .replaceAll("(?m)^(bias of |  mean score).*\\R", ""));

        Path served = tmp.resolve("served");
        ok("map", data.toString(), "--out", served.toString(), "-q");
        ok("diagnose", served.toString(), "--on-columns"); // the former opt-in, now the default: accepted
        assertThat(served.resolve("run.duckdb")).doesNotExist();

        ok("report", fast.toString()); // from the columns: no store
        assertThat(fast.resolve("run.duckdb")).doesNotExist();
        assertThat(reportData(fast).get("flags")).as("the columns report reads the side file's flags")
                .isNotEmpty().isEqualTo(reportData(slow).get("flags"));
        Run.open(fast, Progress.Factory.NONE); // builds the store, as serve, score and compare do
        ok("report", fast.toString());
        assertThat(fast.resolve("run.duckdb")).isRegularFile();
        assertThat(side).as("consumed by the store's build").doesNotExist();
        assertThat(older).as("an older admap's too").doesNotExist();
        assertThat(withoutTimes(fast)).isEqualTo(withoutTimes(slow)); // the bias audit included
        JsonNode a = reportData(fast);
        JsonNode b = reportData(slow);
        assertThat(a.get("flags")).isNotEmpty().isEqualTo(b.get("flags"));
        assertThat(a.at("/points/key")).isEqualTo(b.at("/points/key"));
        assertThat(a.at("/points/flags")).isEqualTo(b.at("/points/flags"));
        assertThat(a.get("details")).isEqualTo(b.get("details"));
        assertThat(a.get("reasons")).isEqualTo(b.get("reasons"));

        JsonNode viewedFast = viewerFlags(served); // serve builds the store
        JsonNode viewedSlow = viewerFlags(slow);
        assertThat(viewedFast).isNotEmpty();
        assertThat(viewedFast).isEqualTo(viewedSlow);
        assertThat(withoutTimes(served)).isEqualTo(withoutTimes(slow));

        // once the store exists it is the run's truth: diagnose takes the store's way and the same flags
        Cli.Result again = ok("diagnose", fast.toString());
        assertThat(again.out()).contains("bias of");
        assertThat(Files.readString(fast.resolve("flags.csv"))).isEqualTo(Files.readString(slow.resolve("flags.csv")));
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isZero();
        return r;
    }

    private static void gzip(Path file, String text) throws Exception {
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static JsonNode reportData(Path run) throws Exception {
        return ReportPages.data(Files.readString(run.resolve("report.html")));
    }

    /** Every flag the viewer lists, opening the run as {@code admap serve} does. */
    private static JsonNode viewerFlags(Path dir) throws Exception {
        RunDirectory run = Run.open(dir, Progress.Factory.NONE).directory();
        ViewerServer server = ViewerServer.start(run, "127.0.0.1", 0, ViewData.Options.forServe());
        try {
            com.fasterxml.jackson.databind.node.ArrayNode all = JSON.createArrayNode();
            for (int page = 0; ; page++) {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.uri().resolve(
                        "/api/flags?page=" + page + "&size=500")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                JsonNode flags = JSON.readTree(r.body()).get("flags");
                if (flags.isEmpty()) {
                    return all;
                }
                all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) flags);
            }
        } finally {
            server.close();
        }
    }

    private static JsonNode withoutTimes(Path run) throws Exception {
        ObjectNode d = (ObjectNode) JSON.readTree(run.resolve("diagnosis.json").toFile());
        d.remove("created");
        ((ObjectNode) d.get("map")).remove("created"); // when each run's map was made
        return d;
    }
}
