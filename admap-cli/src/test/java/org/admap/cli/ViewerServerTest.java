package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.admap.RealData;
import org.admap.report.ViewData;
import org.admap.store.RunDirectory;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web viewer's endpoints over HTTP, and what it refuses. */
class ViewerServerTest {

    @TempDir
    static Path tmp;
    static Path run;
    static ViewerServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void serveTheDemo() throws Exception {
        run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("diagnose", run.toString()).exit()).isZero();
        server = ViewerServer.start(new RunDirectory(run), "127.0.0.1", 0, ViewData.Options.forServe());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void thePageLoadsItsScriptsFromThisServerOnly() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).contains("<script src=\"/static/echarts.min.js\"></script>")
                .contains("<script src=\"/static/admap.js\"></script>").contains("{\"mode\": \"serve\"}");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(get("/static/echarts.min.js").statusCode()).isEqualTo(200);
        assertThat(get("/static/admap.js").headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    }

    @Test
    void theMapComesAsJsonGzippedWhenAsked() throws Exception {
        JsonNode plain = json(get("/api/run"));
        assertThat(plain.get("mode").asText()).isEqualTo("serve");
        assertThat(plain.at("/points/key")).hasSize(50);
        assertThat(plain.has("details")).isFalse();
        HttpResponse<byte[]> zipped = get("/api/run", "Accept-Encoding", "gzip");
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(JSON.readTree(in).at("/points/key")).hasSize(50);
        }
    }

    @Test
    void anInstructionComesWhole() throws Exception {
        JsonNode item = json(get("/api/item?key=16"));
        assertThat(item.get("id").asText()).isEqualTo("demo-017");
        assertThat(item.get("prompt").asText()).contains("<script>alert(1)</script>");
        assertThat(item.get("responses")).hasSize(4);
        assertThat(item.at("/map/region").asText()).isNotEmpty();
        assertThat(get("/api/item?key=999").statusCode()).isEqualTo(404);
        assertThat(get("/api/item?key=abc").statusCode()).isEqualTo(400);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void flaggedInstructionsComeInPages() throws Exception {
        JsonNode page = json(get("/api/flags?page=0&size=2"));
        // 3 misannotated, 2 low-impact, 2 with whitespace-equal responses (demo-012, demo-029)
        assertThat(page.get("total").asInt()).isEqualTo(7);
        assertThat(page.get("flags")).hasSize(2);
        JsonNode last = json(get("/api/flags?page=3&size=2"));
        assertThat(last.get("flags")).hasSize(1);
        JsonNode mis = json(get("/api/flags?page=0&size=25&reason=misannotated"));
        assertThat(mis.get("total").asInt()).isEqualTo(3);
        assertThat(mis.at("/flags/0/rows/0/detail").asText()).startsWith("cosine");
    }

    @Test
    void searchLooksAtEveryPrompt() throws Exception {
        JsonNode r = json(get("/api/search?q=" + java.net.URLEncoder.encode("<SCRIPT>", StandardCharsets.UTF_8)));
        assertThat(r.get("keys")).hasSize(1);
        assertThat(r.at("/keys/0").asInt()).isEqualTo(16); // demo-017, line 17
    }

    @Test
    void changesNeedTheViewersOwnHeaderAndOrigin() throws Exception {
        String body = "{\"key\": 3, \"mark\": \"drop\"}";
        assertThat(post("/api/review", body).statusCode()).isEqualTo(403);
        assertThat(post("/api/review", body, "Content-Type", "text/plain", "X-Admap-Request", "1").statusCode())
                .isEqualTo(403);
        assertThat(post("/api/review", body, "Content-Type", "application/json", "X-Admap-Request", "1",
                "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(post("/api/review", "not json", "Content-Type", "application/json", "X-Admap-Request", "1")
                .statusCode()).isEqualTo(400);
        HttpResponse<String> ok = post("/api/review", body, "Content-Type", "application/json",
                "X-Admap-Request", "1");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(get("/api/reviews")).at("/marks/3").asText()).isEqualTo("drop");
        post("/api/review", "{\"key\": 3, \"mark\": null}", "Content-Type", "application/json", "X-Admap-Request", "1");
        assertThat(json(get("/api/reviews")).get("marks").has("3")).isFalse();
        assertThat(post("/api/review", "{\"key\": 3, \"mark\": \"burn\"}", "Content-Type", "application/json",
                "X-Admap-Request", "1").statusCode()).isEqualTo(400);
    }

    @Test
    void anotherHostNameIsRefused() throws Exception {
        // DNS rebinding: a page of evil.example that resolves to 127.0.0.1 sends Host: evil.example.
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/run HTTP/1.1\r\nHost: evil.example:" + server.address().getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403");
        }
        assertThat(get("/api/run").statusCode()).isEqualTo(200);
    }

    @Test
    void exportsComeOnlyFromTheExportsFolder() throws Exception {
        HttpResponse<String> r = post("/api/export", "{\"keys\": [0, 1, 2], \"format\": \"llama-factory\"}",
                "Content-Type", "application/json", "X-Admap-Request", "1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("file").asText()).endsWith(".llama-factory.json");
        assertThat(e.get("instructions").asInt()).isEqualTo(3);
        HttpResponse<byte[]> file = get(e.get("download").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(file.body()).isArray()).isTrue();
        assertThat(get(e.get("provenance").asText()).statusCode()).isEqualTo(200);
        assertThat(get("/exports/..%2Frun.duckdb").statusCode()).isEqualTo(404);
        assertThat(get("/exports/run.duckdb").statusCode()).isEqualTo(404);
        assertThat(post("/api/export", "{\"keys\": []}", "Content-Type", "application/json", "X-Admap-Request", "1")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/export", "{\"keys\": [1], \"format\": \"csv\"}", "Content-Type", "application/json",
                "X-Admap-Request", "1").statusCode()).isEqualTo(400);
    }

    @Test
    void aNewMapAndANewDiagnosisAreServedWithoutARestart() throws Exception {
        Path other = tmp.resolve("other");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", other.toString(), "-q", "--full-ingest")
                .exit()).isZero(); // the server is started on the store directly, not through 'serve'

        try (ViewerServer s = ViewerServer.start(new RunDirectory(other), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            URI run0 = s.uri().resolve("/api/run");
            JsonNode before = JSON.readTree(HTTP.send(HttpRequest.newBuilder(run0).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(before.at("/meta/scores").asText()).isEqualTo("input");
            assertThat(Cli.run("map", other.toString(), "--scores", "labels", "-q").exit()).isZero();
            JsonNode after = JSON.readTree(HTTP.send(HttpRequest.newBuilder(run0).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(after.at("/meta/scores").asText()).isEqualTo("labels");
            URI flags = s.uri().resolve("/api/flags");
            assertThat(JSON.readTree(HTTP.send(HttpRequest.newBuilder(flags).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).get("total").asInt()).isZero();
            assertThat(Cli.run("diagnose", other.toString(), "--low-impact", "0.1").exit()).isZero();
            assertThat(JSON.readTree(HTTP.send(HttpRequest.newBuilder(flags).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).get("total").asInt()).isGreaterThan(0);
        }
    }
}
