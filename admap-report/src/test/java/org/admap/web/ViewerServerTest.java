package org.admap.web;

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
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ViewData;
import org.admap.run.Run;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web viewer's endpoints over HTTP, and what it refuses, on a scanned run as
 * {@code admap serve} serves it: from its columns until a change builds its store.
 */
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
        DemoRuns.scanned(run);
        DemoRuns.diagnose(run, DiagnoseOptions.paper(false));
        // opened as 'admap serve' opens it: the store is left to be built (with the flags) by a change
        server = ViewerServer.start(Run.openDeferred(run, Progress.Factory.NONE).directory(), "127.0.0.1", 0,
                ViewData.Options.forServe());
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
        assertThat(get("/static/admap.js").headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/javascript");
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

    /**
     * Sends a raw HTTP/1.1 request (any Host header) and returns the whole answer; a POST
     * carries the body {@code {}}.
     */
    static String raw(int port, String method, String path, String... headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            req.append(method.equals("POST") ? "Content-Length: 2\r\nConnection: close\r\n\r\n{}"
                    : "Connection: close\r\n\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onEveryAddressAForeignHostOrOriginIsRefused() throws Exception {
        try (ViewerServer wide = ViewerServer.start(new RunDirectory(run), "0.0.0.0", 0, ViewData.Options.forServe())) {
            int port = wide.address().getPort();
            String token = wide.access().token().orElseThrow();
            assertThat(raw(port, "GET", "/api/run", "Host", "evil.example:" + port, "X-Admap-Token", token))
                    .startsWith("HTTP/1.1 403").contains("--allow-host");
            assertThat(raw(port, "GET", "/api/run", "Host", "127.0.0.1:" + port, "X-Admap-Token", token))
                    .startsWith("HTTP/1.1 200");
            String change = raw(port, "POST", "/api/review", "Host", "127.0.0.1:" + port, "X-Admap-Token", token,
                    "Content-Type", "application/json", "X-Admap-Request", "1", "Origin", "http://evil.example");
            assertThat(change).startsWith("HTTP/1.1 403");
            assertThat(raw(port, "POST", "/api/review", "Host", "127.0.0.1:" + port, "X-Admap-Token", token,
                    "Content-Type", "application/json", "X-Admap-Request", "1", "Origin", "null"))
                    .startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void offLoopbackEveryRequestNeedsThePrintedToken() throws Exception {
        try (ViewerServer wide = ViewerServer.start(new RunDirectory(run), "0.0.0.0", 0, ViewData.Options.forServe())) {
            int port = wide.address().getPort();
            String host = "127.0.0.1:" + port;
            String token = wide.access().token().orElseThrow();
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            assertThat(wide.uriWithToken().getQuery()).isEqualTo("token=" + token);
            assertThat(raw(port, "GET", "/api/run", "Host", host)).startsWith("HTTP/1.1 401").contains("token");
            assertThat(raw(port, "GET", "/static/admap.js", "Host", host)).startsWith("HTTP/1.1 401");
            assertThat(raw(port, "GET", "/?token=wrong", "Host", host)).startsWith("HTTP/1.1 401");
            assertThat(raw(port, "GET", "/api/run", "Host", host, "X-Admap-Token", token + "x"))
                    .startsWith("HTTP/1.1 401");
            // the printed address hands the token over as a cookie and leads to the page without it
            String opened = raw(port, "GET", "/?token=" + token, "Host", host);
            assertThat(opened).startsWith("HTTP/1.1 303").containsIgnoringCase("Location: /\r\n");
            String cookie = opened.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie:"))
                    .findFirst().orElseThrow();
            assertThat(cookie).contains("admap_token_" + port + "=" + token).contains("HttpOnly")
                    .contains("SameSite=Strict");
            assertThat(raw(port, "GET", "/api/run", "Host", host, "Cookie", "other=1; admap_token_" + port + "="
                    + token)).startsWith("HTTP/1.1 200");
            assertThat(raw(port, "GET", "/api/run", "Host", host, "X-Admap-Token", token)).startsWith("HTTP/1.1 200");
        }
        assertThat(server.access().token()).as("on loopback no token is needed").isEmpty();
    }

    @Test
    void allowHostWidensTheHostCheckByName() throws Exception {
        try (ViewerServer named = ViewerServer.start(new RunDirectory(run), "127.0.0.1", 0,
                ViewData.Options.forServe(), java.util.List.of("MyHost.lan", "localhost:9000"))) {
            int port = named.address().getPort();
            assertThat(raw(port, "GET", "/api/reviews", "Host", "myhost.lan:" + port)).startsWith("HTTP/1.1 200");
            assertThat(raw(port, "GET", "/api/reviews", "Host", "localhost:9000")).startsWith("HTTP/1.1 200");
            assertThat(raw(port, "GET", "/api/reviews", "Host", "localhost:9001")).startsWith("HTTP/1.1 403");
            assertThat(raw(port, "GET", "/api/reviews", "Host", "other.lan:" + port)).startsWith("HTTP/1.1 403");
            assertThat(raw(port, "GET", "/api/reviews", "Host", "myhost.lan.evil.example:" + port))
                    .startsWith("HTTP/1.1 403");
        }
    }

    /** Asserts a 400 whose JSON message mentions {@code word}, and no stack trace. */
    private static void assertRefused(int status, String body, String word) throws Exception {
        assertThat(status).as(body).isEqualTo(400);
        assertThat(JSON.readTree(body).get("error").asText()).contains(word).doesNotContain("Exception")
                .doesNotContain("at org.");
    }

    private static void assertRefused(HttpResponse<byte[]> r, String word) throws Exception {
        assertRefused(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), word);
    }

    private static long fileCount(Path dir) throws Exception {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.count();
        }
    }

    private static HttpResponse<String> change(String path, String body) throws Exception {
        return post(path, body, "Content-Type", "application/json", "X-Admap-Request", "1");
    }

    @Test
    void everyQueryParameterIsCheckedWithA400AndAMessage() throws Exception {
        JsonNode far = json(get("/api/flags?page=4294968&size=500")); // page * size overflowed an int
        assertThat(far.get("total").asInt()).isEqualTo(7);
        assertThat(far.get("flags")).isEmpty();
        assertRefused(get("/api/flags?size=501"), "'size' must be in 1..500");
        assertRefused(get("/api/flags?size=0"), "'size'");
        assertRefused(get("/api/flags?page=-1"), "'page'");
        assertRefused(get("/api/flags?page=99999999999"), "'page'");
        assertRefused(get("/api/flags?page=1e3"), "whole number");
        assertRefused(get("/api/flags?reason=misanotated"), "'reason'");
        assertRefused(get("/api/flags?pgae=2"), "unknown parameter 'pgae'");
        assertRefused(get("/api/item?key=-1"), "'key'");
        assertRefused(get("/api/item?key=4294967298"), "'key'");
        assertRefused(get("/api/item"), "'key' is missing");
        assertRefused(get("/api/item?key=1&key=2"), "given twice");
        int port = server.address().getPort(); // a malformed escape: refused by the JDK's server itself
        assertThat(raw(port, "GET", "/api/item?key=%zz", "Host", "127.0.0.1:" + port)).startsWith("HTTP/1.1 400");
        assertRefused(get("/api/run?x=1"), "unknown parameter 'x'");
    }

    @Test
    void aKeyNeverWrapsAndAnExportOfAMissingKeyWritesNothing() throws Exception {
        HttpResponse<String> wrapped = change("/api/review", "{\"key\": 4294967298, \"mark\": \"drop\"}");
        assertRefused(wrapped.statusCode(), wrapped.body(), "'key'");
        assertThat(json(get("/api/reviews")).get("marks").has("2")).as("4294967298 must not wrap to 2").isFalse();
        for (String body : new String[] {"{\"key\": 2.5, \"mark\": \"drop\"}", "{\"key\": \"2\", \"mark\": \"drop\"}",
                "{\"key\": -1, \"mark\": \"drop\"}", "{\"key\": 50, \"mark\": \"drop\"}", "{\"mark\": \"drop\"}",
                "{\"key\": 2, \"mark\": 5}", "{\"key\": 2, \"mark\": \"drop\", \"extra\": 1}", "[2]"}) {
            HttpResponse<String> r = change("/api/review", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
        }
        assertThat(json(get("/api/reviews")).get("marks").has("2")).isFalse();

        Path exports = new RunDirectory(run).exportsDir();
        long before = fileCount(exports);
        HttpResponse<String> object = change("/api/export", "{\"keys\": {\"a\": 1}}");
        assertRefused(object.statusCode(), object.body(), "'keys' must be an array");
        HttpResponse<String> missing = change("/api/export", "{\"keys\": [1, 999]}");
        assertRefused(missing.statusCode(), missing.body(), "no instruction with key 999");
        HttpResponse<String> huge = change("/api/export", "{\"keys\": [4294967297]}");
        assertRefused(huge.statusCode(), huge.body(), "'keys'");
        HttpResponse<String> format = change("/api/export", "{\"keys\": [1], \"format\": 3}");
        assertRefused(format.statusCode(), format.body(), "'format' must be a string");
        long after = fileCount(exports);
        assertThat(after).as("no file written for a refused export").isEqualTo(before);
    }

    @Test
    void aRequestIsAnsweredWhileFiftyHalfOpenConnectionsAreHeld() throws Exception {
        java.util.List<Socket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket("127.0.0.1", server.address().getPort());
                // a request line without its end, then silence
                s.getOutputStream().write("GET /api/run HTTP/1.1\r\nHost: 127.0.0.1:"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                held.add(s);
            }
            HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/api/item?key=16"))
                    .timeout(java.time.Duration.ofSeconds(120)).build();
            HttpResponse<byte[]> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(json(answer).get("id").asText()).isEqualTo("demo-017");
            // answered while every one of the 50 was still open: not after the server gave up on them
            for (Socket s : held) {
                s.setSoTimeout(1);
                assertThat(stillOpen(s)).as("a half-open connection is still held").isTrue();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void theStoreIsOpenedOncePerBurstOfRequestsAndNeverForTheMapAlone() throws Exception {
        Path full = tmp.resolve("burst");
        DemoRuns.fullIngest(full);
        try (ViewerServer stored = ViewerServer.start(new RunDirectory(full), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            opensTheStoreOncePerBurst(stored);
        }
    }

    private static HttpResponse<byte[]> get(ViewerServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(s.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void opensTheStoreOncePerBurst(ViewerServer server) throws Exception {
        assertThat(get(server, "/api/run").statusCode()).isEqualTo(200);
        long before = server.storeOpenings();
        for (int i = 0; i < 20; i++) {
            assertThat(get(server, "/api/run").statusCode()).isEqualTo(200);
            assertThat(get(server, "/api/flags?page=0&size=5").statusCode()).isEqualTo(200);
        }
        // nothing of the run changed: the map served is current without asking the store
        assertThat(server.storeOpenings()).isEqualTo(before);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String path = i % 2 == 0 ? "/api/item?key=" + (i % 50) : "/api/reviews";
                answers.add(pool.submit(() -> get(server, path).statusCode()));
            }
            for (var a : answers) {
                assertThat(a.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(server.storeOpenings()).isGreaterThan(before);
        // and once the burst is over the store is let go, for other admap commands
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.holdsStore() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.holdsStore()).as("the store is closed when no request is in progress").isFalse();
    }

    private static boolean stillOpen(Socket s) throws Exception {
        try {
            return s.getInputStream().read() != -1;
        } catch (java.net.SocketTimeoutException e) {
            return true; // nothing to read and not closed
        } catch (java.net.SocketException e) {
            return false; // reset by the server
        }
    }

    @Test
    void theMeasureTheDiagnosisUsedIsNamedBesideTheMapsCorrelation() throws Exception {
        Path kendall = tmp.resolve("kendall");
        DemoRuns.scanned(kendall);
        DemoRuns.diagnose(kendall, new DiagnoseOptions(Correlation.KENDALL, 0, 0.01, 0.05, false));
        try (ViewerServer s = ViewerServer.start(new RunDirectory(kendall), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            JsonNode meta = JSON.readTree(HTTP.send(HttpRequest.newBuilder(s.uri().resolve("/api/run")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).get("meta");
            assertThat(meta.get("correlation").asText()).isEqualTo("cosine");
            assertThat(meta.get("diagnosisCorrelation").asText()).isEqualTo("kendall");
            JsonNode flags = JSON.readTree(HTTP.send(HttpRequest.newBuilder(s.uri().resolve(
                    "/api/flags?reason=misannotated")).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(flags.get("total").asInt()).as("kendall flags something on the demo").isPositive();
            int key = flags.at("/flags/0/key").asInt();
            JsonNode item = JSON.readTree(HTTP.send(HttpRequest.newBuilder(s.uri().resolve("/api/item?key=" + key))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(item.at("/rows/0/detail").asText()).contains("kendall");
            // the map's number is a cosine: it says so, and names the diagnosis's measure beside it
            assertThat(item.at("/map/correlationMeasure").asText()).isEqualTo("cosine");
            assertThat(item.get("diagnosisCorrelation").asText()).isEqualTo("kendall");
        }
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
        Run full = DemoRuns.fullIngest(other);

        try (ViewerServer s = ViewerServer.start(new RunDirectory(other), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            URI run0 = s.uri().resolve("/api/run");
            JsonNode before = JSON.readTree(HTTP.send(HttpRequest.newBuilder(run0).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(before.at("/meta/scores").asText()).isEqualTo("input");
            full.map("labels", Correlation.COSINE); // admap map DIR --scores labels
            JsonNode after = JSON.readTree(HTTP.send(HttpRequest.newBuilder(run0).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(after.at("/meta/scores").asText()).isEqualTo("labels");
            URI flags = s.uri().resolve("/api/flags");
            assertThat(JSON.readTree(HTTP.send(HttpRequest.newBuilder(flags).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).get("total").asInt()).isZero();
            full.diagnose(new DiagnoseOptions(Correlation.COSINE, 0.65, 0.01, 0.1, false), true, null);
            assertThat(JSON.readTree(HTTP.send(HttpRequest.newBuilder(flags).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).get("total").asInt()).isGreaterThan(0);
        }
    }
}
