package org.admap.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ViewData;
import org.admap.run.Run;
import org.admap.run.RunException;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admap serve} on a scanned run: the map, points, details, search and flags come from
 * its columns and inputs, with no store built, and equal what the viewer serves from the store
 * of the same data; the first change builds the store, says so, and the viewer goes on from it.
 */
class ScannedRunServeTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode get(ViewerServer s, String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(s.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> change(ViewerServer s, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(s.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .headers("Content-Type", "application/json", "X-Admap-Request", "1").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ViewerServer serve(Path dir, List<String> notices) throws Exception {
        return ViewerServer.start(Run.openDeferred(dir, Progress.Factory.NONE).directory(), "127.0.0.1", 0,
                ViewData.Options.forServe(), List.of(), Progress.Factory.NONE, notices::add);
    }

    @Test
    void everyViewOfAScannedRunEqualsTheStoresAndNoStoreIsBuilt() throws Exception {
        Path scanned = tmp.resolve("scanned");
        DemoRuns.scanned(scanned);
        DemoRuns.diagnose(scanned, DiagnoseOptions.paper(false));
        Path full = tmp.resolve("full");
        DemoRuns.fullIngest(full).diagnose(DiagnoseOptions.paper(false), true, null);
        List<String> notices = new CopyOnWriteArrayList<>();
        try (ViewerServer columns = serve(scanned, notices); ViewerServer store = serve(full, notices)) {
            assertThat(get(columns, "/api/run").get("points")).isEqualTo(get(store, "/api/run").get("points"));
            assertThat(get(columns, "/api/run").at("/points/key")).hasSize(50);
            JsonNode flags = get(columns, "/api/flags?size=500");
            assertThat(flags.get("total").asInt()).isEqualTo(7);
            assertThat(flags).isEqualTo(get(store, "/api/flags?size=500"));
            for (int key = 0; key < 50; key++) {
                assertThat(get(columns, "/api/item?key=" + key)).as("item " + key)
                        .isEqualTo(get(store, "/api/item?key=" + key));
            }
            for (String q : List.of("<SCRIPT>", "demo-017", "the", "  demo-003 ", "no such words anywhere", " ")) {
                String path = "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
                assertThat(get(columns, path)).as(q).isEqualTo(get(store, path));
            }
            assertThat(get(columns, "/api/search?q=%3CSCRIPT%3E").at("/keys/0").asInt()).isEqualTo(16);
            assertThat(get(columns, "/api/reviews").get("marks")).isEmpty();
            assertThat(HTTP.send(HttpRequest.newBuilder(columns.uri().resolve("/api/item?key=50")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(columns.storeOpenings()).isZero();
        }
        RunDirectory dir = new RunDirectory(scanned);
        assertThat(dir.store()).as("no store built for looking").doesNotExist();
        assertThat(dir.deferredStore()).exists();
        assertThat(notices).as("only the search index's progress").allMatch(n -> n.contains("for search"));
        assertThat(dir.dir().resolve(org.admap.report.TextSearchIndex.FILE)).isRegularFile();
    }

    @Test
    void theFirstReviewBuildsTheStoreSayingSoAndTheViewerGoesOnFromIt() throws Exception {
        Path scanned = tmp.resolve("review");
        DemoRuns.scanned(scanned);
        DemoRuns.diagnose(scanned, DiagnoseOptions.paper(false));
        RunDirectory dir = new RunDirectory(scanned);
        List<String> notices = new CopyOnWriteArrayList<>();
        try (ViewerServer s = serve(scanned, notices)) {
            JsonNode points = get(s, "/api/run").get("points");
            JsonNode item = get(s, "/api/item?key=16");
            assertThat(dir.store()).doesNotExist();
            HttpResponse<String> marked = change(s, "/api/review", "{\"key\": 16, \"mark\": \"drop\"}");
            assertThat(marked.statusCode()).as(marked.body()).isEqualTo(200);
            assertThat(notices).anyMatch(n -> n.contains("building the run store"));
            assertThat(dir.store()).exists();
            assertThat(dir.deferredStore()).doesNotExist();
            assertThat(get(s, "/api/reviews").at("/marks/16").asText()).isEqualTo("drop");
            // served from the store now: the same map, the flags carried into it, the item marked
            assertThat(get(s, "/api/run").get("points")).isEqualTo(points);
            assertThat(get(s, "/api/flags").get("total").asInt()).isEqualTo(7);
            JsonNode after = get(s, "/api/item?key=16");
            assertThat(after.get("review").asText()).isEqualTo("drop");
            assertThat(after.get("prompt")).isEqualTo(item.get("prompt"));
            assertThat(s.storeOpenings()).isPositive();
            int built = notices.size();
            assertThat(change(s, "/api/review", "{\"key\": 16, \"mark\": null}").statusCode()).isEqualTo(200);
            assertThat(notices).as("the store is built once").hasSize(built);
        }
    }

    @Test
    void anExportOfAScannedRunReadsItsColumnsAsTheStoreWouldUntilAReviewBuildsTheStore() throws Exception {
        Path scanned = tmp.resolve("export");
        DemoRuns.scanned(scanned);
        Path full = tmp.resolve("export-full");
        DemoRuns.fullIngest(full);
        String body = "{\"keys\": [0, 1, 2, 16, 40], \"format\": \"trl\", \"pairs\": \"best-worst\"}";
        List<String> notices = new CopyOnWriteArrayList<>();
        JsonNode fromColumns;
        JsonNode fromStore;
        try (ViewerServer s = serve(scanned, notices); ViewerServer f = serve(full, new CopyOnWriteArrayList<>())) {
            fromColumns = exported(s, body);
            fromStore = exported(f, body);
            assertThat(new RunDirectory(scanned).store()).as("an export builds no store").doesNotExist();
            assertThat(notices).noneMatch(n -> n.contains("building the run store"));
            assertThat(fromColumns.get("instructions").asInt()).isEqualTo(5);
            for (String field : List.of("instructions", "records", "withoutPairs", "skippedDropped", "notes")) {
                assertThat(fromColumns.get(field)).as(field).isEqualTo(fromStore.get(field));
            }
            assertThat(Files.readAllBytes(Path.of(fromColumns.get("path").asText())))
                    .isEqualTo(Files.readAllBytes(Path.of(fromStore.get("path").asText())));

            // a review builds the store; the next export obeys it
            assertThat(change(s, "/api/review", "{\"key\": 16, \"mark\": \"drop\"}").statusCode()).isEqualTo(200);
            assertThat(new RunDirectory(scanned).store()).exists();
            JsonNode afterReview = exported(s, body);
            assertThat(afterReview.get("instructions").asInt()).isEqualTo(4);
            assertThat(afterReview.get("skippedDropped").asInt()).isEqualTo(1);
        }
    }

    private static JsonNode exported(ViewerServer s, String body) throws Exception {
        HttpResponse<String> r = change(s, "/api/export", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aNewDiagnosisOfAScannedRunIsServedWithoutARestart() throws Exception {
        Path scanned = tmp.resolve("rediagnosed");
        DemoRuns.scanned(scanned);
        try (ViewerServer s = serve(scanned, new CopyOnWriteArrayList<>())) {
            assertThat(get(s, "/api/flags").get("total").asInt()).isZero();
            DemoRuns.diagnose(scanned, new DiagnoseOptions(Correlation.COSINE, 0.65, 0.01, 0.1, false));
            assertThat(get(s, "/api/flags").get("total").asInt()).isGreaterThan(0);
        }
        assertThat(new RunDirectory(scanned).store()).doesNotExist();
    }

    @Test
    void aChangedInputStopsTheViewerAtStartNamingTheFile() throws Exception {
        Path input = tmp.resolve("demo.jsonl");
        Files.copy(DemoRuns.demo(), input);
        Path scanned = tmp.resolve("changed");
        org.admap.run.Run.create(new org.admap.run.CreateOptions(List.of(input.toString()), null,
                org.admap.ingest.IngestOptions.defaults(), scanned, false, null, Correlation.COSINE, 1, false, false),
                Progress.Factory.NONE);
        Files.writeString(input, "\n", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> serve(scanned, new CopyOnWriteArrayList<>())).isInstanceOf(RunException.class)
                .hasMessageContaining(input.toString());
    }
}
