package org.admap.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.admap.map.MapJob;
import org.admap.model.MapPoint;
import org.admap.report.RunView;
import org.admap.report.ViewData;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import org.admap.store.ItemDetails;
import org.admap.store.Reviews;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import org.admap.store.StoreBusyException;
import org.admap.store.StoreException;

/**
 * The local web viewer of a run ({@code admap serve}): the interactive map of the report,
 * fed by small JSON endpoints over the run store, plus what only a live server can do:
 * export a selection as DPO pairs (into {@code DIR/exports/}, offered for download), mark
 * instructions reviewed / keep / drop ({@link Reviews}, which {@code admap select} obeys), and
 * search and page over every instruction with its full texts.
 *
 * <p>Endpoints: {@code GET /} the page; {@code /static/*} its script, style and ECharts;
 * {@code GET /api/run} the map ({@link ViewData}, built once per map); {@code GET /api/item?key=K};
 * {@code GET /api/reviews}; {@code GET /api/search?q=TEXT}; {@code GET /api/flags?page=&size=&reason=};
 * {@code POST /api/review} {@code {"key": K, "mark": "drop"}}; {@code POST /api/export}
 * {@code {"keys": [...], "format": "trl", "pairs": "all", "by": "labels"}};
 * {@code GET /exports/NAME}.
 *
 * <p>The store is opened for each request and closed after it, so other admap commands
 * (a {@code select} in another terminal) can use the run while the viewer is idle; requests
 * are handled one at a time. Safety: the page's Content-Security-Policy allows only its own
 * scripts; when bound to a loopback address, requests must name that address in their
 * {@code Host} header (no DNS rebinding); changes need a JSON body and an
 * {@code X-Admap-Request} header, which a page of another site cannot send without the
 * browser asking this server first (and it never agrees).
 */
public final class ViewerServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXPORT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final int MAX_BODY = 64 << 20;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private final RunDirectory run;
    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean loopback;
    private final ViewData.Options viewOptions;

    // The current map, as served: rebuilt when the run gets a new map.
    private String mapCreated;
    private byte[] runJson;
    private byte[] runJsonGzip;
    private MapPoint[] pointByKey;
    private Map<Integer, List<ItemDetails.FlagRow>> flags;
    private List<Integer> flagKeys;
    private Map<Integer, String> flagExcerpts;

    private ViewerServer(RunDirectory run, HttpServer server, ExecutorService executor, boolean loopback,
                         ViewData.Options viewOptions) {
        this.run = run;
        this.server = server;
        this.executor = executor;
        this.loopback = loopback;
        this.viewOptions = viewOptions;
    }

    /**
     * Starts serving a run; the map is read before this returns, so a run without one fails
     * here.
     *
     * @param port the port, 0 for any free one
     */
    public static ViewerServer start(RunDirectory run, String host, int port, ViewData.Options options)
            throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admap-serve");
            t.setDaemon(true);
            return t;
        });
        ViewerServer viewer = new ViewerServer(run, server, executor, address.isLoopbackAddress(), options);
        try {
            viewer.currentMap(); // fail now, not at the first request, when there is no map
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            executor.shutdown();
            throw e;
        }
        server.setExecutor(executor);
        server.createContext("/", viewer::handle);
        server.start();
        return viewer;
    }

    /** The address the viewer listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8765/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** Stops serving, letting a request in progress finish (up to a few seconds). */
    @Override
    public void close() {
        server.stop(2);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- dispatch -------------------------------------------------------------------------

    /** An answer: status, type and body. */
    private record Answer(int status, String type, byte[] body, Map<String, String> headers) {

        static Answer json(int status, Object value) throws IOException {
            return new Answer(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value), Map.of());
        }

        static Answer error(int status, String message) throws IOException {
            ObjectNode o = JSON.createObjectNode();
            o.put("error", message);
            return json(status, o);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Answer answer;
        try {
            answer = route(ex);
        } catch (BadRequest e) {
            answer = Answer.error(e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            answer = Answer.error(400, e.getMessage());
        } catch (StoreException e) {
            answer = Answer.error(503, e.getMessage());
        } catch (Exception e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.println("admap serve: internal error on " + ex.getRequestURI() + ": " + trace);
            answer = Answer.error(500, "internal error: " + e);
        }
        send(ex, answer);
    }

    private Answer route(HttpExchange ex) throws Exception {
        if (!hostAllowed(ex)) {
            throw new BadRequest(403, "this viewer answers only requests to " + uri().getAuthority());
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Map<String, String> query = query(ex.getRequestURI());
        if (method.equals("GET") || method.equals("HEAD")) {
            switch (path) {
                case "/", "/index.html":
                    return new Answer(200, "text/html; charset=utf-8", page().getBytes(StandardCharsets.UTF_8),
                            Map.of());
                case "/static/admap.js":
                    return asset("text/javascript; charset=utf-8", WebAssets.script());
                case "/static/admap.css":
                    return asset("text/css; charset=utf-8", WebAssets.style());
                case "/static/echarts.min.js":
                    return asset("text/javascript; charset=utf-8", WebAssets.echarts());
                case "/api/run":
                    return runAnswer(ex);
                case "/api/reviews":
                    return reviews();
                case "/api/item":
                    return item(intParam(query, "key"));
                case "/api/search":
                    return search(query.getOrDefault("q", ""));
                case "/api/flags":
                    return flagPage(query);
                default:
                    if (path.startsWith("/exports/")) {
                        return download(path.substring("/exports/".length()));
                    }
                    throw new BadRequest(404, "no such page: " + path);
            }
        }
        if (method.equals("POST")) {
            checkChangeRequest(ex);
            JsonNode body = readBody(ex);
            return switch (path) {
                case "/api/review" -> review(body);
                case "/api/export" -> export(body);
                default -> throw new BadRequest(404, "no such endpoint: " + path);
            };
        }
        throw new BadRequest(405, "method " + method + " not allowed");
    }

    // ---- pages and data -------------------------------------------------------------------

    private static Answer asset(String type, String text) {
        return new Answer(200, type, text.getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-cache"));
    }

    private static String page() {
        return WebAssets.fill(WebAssets.page(), Map.of(
                "csp", CSP,
                "title", "admap serve",
                "styles", "<link rel=\"stylesheet\" href=\"/static/admap.css\">",
                "data", "{\"mode\": \"serve\"}",
                "scripts", "<script src=\"/static/echarts.min.js\"></script>\n"
                        + "<script src=\"/static/admap.js\"></script>"));
    }

    /** Runs {@code work} on the run store, opened for it; waits a little when another process has it. */
    private <T> T withStore(Function<RunStore, T> work) {
        StoreBusyException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            RunStore store;
            try {
                store = RunStore.open(run.store());
            } catch (StoreBusyException e) {
                last = e;
                sleep(250);
                continue;
            }
            try (store) {
                return work.apply(store);
            }
        }
        throw new StoreException(last.getMessage() + "; try again in a moment", last);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads (or reloads, after a new 'admap map' or 'admap diagnose') the map and everything
     * derived from it.
     */
    private synchronized void currentMap() throws IOException {
        String created = withStore(s -> s.info(MapJob.INFO_CREATED).orElse("")) + "|" + diagnosisTime();
        if (runJson != null && created.equals(mapCreated)) {
            return;
        }
        IOException[] failure = {null};
        withStore(store -> {
            try {
                RunView view = RunView.load(store);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
                Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
                    new ViewData(run, view, viewOptions).write(g);
                }
                runJson = bytes.toByteArray();
                ByteArrayOutputStream zipped = new ByteArrayOutputStream(runJson.length / 4 + 64);
                try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                    gz.write(runJson);
                }
                runJsonGzip = zipped.toByteArray();
                pointByKey = new MapPoint[(int) store.itemCount()];
                for (MapPoint p : view.points()) {
                    pointByKey[p.key()] = p;
                }
                ItemDetails details = ItemDetails.of(store);
                Map<Integer, List<ItemDetails.FlagRow>> byKey = new TreeMap<>();
                for (ItemDetails.FlagRow f : details.flags()) {
                    byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
                }
                flags = byKey;
                flagKeys = new ArrayList<>(byKey.keySet());
                Map<Integer, String> excerpts = new HashMap<>();
                details.forEachExcerpt(200, (key, id, text) -> {
                    if (byKey.containsKey(key)) {
                        excerpts.put(key, text);
                    }
                });
                flagExcerpts = excerpts;
                mapCreated = created;
            } catch (IOException e) {
                failure[0] = e;
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private String diagnosisTime() {
        try {
            return Files.exists(run.diagnosisJson()) ? Files.getLastModifiedTime(run.diagnosisJson()).toString() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private Answer runAnswer(HttpExchange ex) throws IOException {
        currentMap();
        String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
        if (accept != null && accept.contains("gzip")) {
            return new Answer(200, "application/json; charset=utf-8", runJsonGzip, Map.of("Content-Encoding", "gzip"));
        }
        return new Answer(200, "application/json; charset=utf-8", runJson, Map.of());
    }

    private Answer reviews() throws IOException {
        Map<Integer, Reviews.Mark> marks = withStore(s -> Reviews.of(s).all());
        ObjectNode o = JSON.createObjectNode();
        ObjectNode m = o.putObject("marks");
        marks.forEach((k, v) -> m.put(Integer.toString(k), v.cliName()));
        return Answer.json(200, o);
    }

    private Answer item(int key) throws IOException {
        currentMap();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean found = withStore(store -> {
            var detail = ItemDetails.of(store).item(key, viewOptions.maxTextChars());
            if (detail.isEmpty()) {
                return false;
            }
            Reviews.Mark mark = Reviews.of(store).all().get(key);
            try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
                ViewData.writeItem(g, detail.get(), key < pointByKey.length ? pointByKey[key] : null,
                        flags.getOrDefault(key, List.of()), mark == null ? null : mark.cliName());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return true;
        });
        if (!found) {
            throw new BadRequest(404, "no instruction with key " + key);
        }
        return new Answer(200, "application/json; charset=utf-8", bytes.toByteArray(), Map.of());
    }

    private Answer search(String q) throws IOException {
        BitSet keys = withStore(s -> ItemDetails.of(s).search(q));
        ObjectNode o = JSON.createObjectNode();
        var arr = o.putArray("keys");
        keys.stream().forEach(arr::add);
        return Answer.json(200, o);
    }

    private Answer flagPage(Map<String, String> query) throws IOException {
        currentMap();
        int page = Math.max(0, query.containsKey("page") ? intParam(query, "page") : 0);
        int size = Math.max(1, Math.min(500, query.containsKey("size") ? intParam(query, "size") : 25));
        String reason = query.getOrDefault("reason", "");
        List<Integer> keys = reason.isEmpty() ? flagKeys : flagKeys.stream()
                .filter(k -> flags.get(k).stream().anyMatch(f -> f.reason().equals(reason))).toList();
        ObjectNode o = JSON.createObjectNode();
        o.put("total", keys.size());
        o.put("page", page);
        o.put("size", size);
        var list = o.putArray("flags");
        for (int i = page * size; i < Math.min(keys.size(), page * size + size); i++) {
            int key = keys.get(i);
            ObjectNode f = list.addObject();
            f.put("key", key);
            MapPoint p = key < pointByKey.length ? pointByKey[key] : null;
            f.put("id", p != null ? p.id() : "");
            f.put("text", flagExcerpts.getOrDefault(key, ""));
            var rows = f.putArray("rows");
            for (ItemDetails.FlagRow r : flags.get(key)) {
                ObjectNode row = rows.addObject();
                row.put("reason", r.reason());
                r.fields().forEach((name, v) -> row.putPOJO(name, v));
            }
        }
        return Answer.json(200, o);
    }

    // ---- changes --------------------------------------------------------------------------

    private Answer review(JsonNode body) throws IOException {
        int key = body.path("key").asInt(-1);
        JsonNode markNode = body.path("mark");
        Reviews.Mark mark = markNode.isNull() || markNode.isMissingNode() ? null : Reviews.Mark.parse(markNode.asText());
        currentMap();
        if (key < 0 || key >= pointByKey.length) {
            throw new BadRequest(400, "no instruction with key " + key);
        }
        String id = withStore(store -> {
            String itemId = pointByKey[key] != null ? pointByKey[key].id()
                    : ItemDetails.of(store).item(key, 1).map(ItemDetails.Detail::id).orElse(null);
            if (itemId == null) {
                return null;
            }
            Reviews.of(store).set(key, itemId, mark);
            return itemId;
        });
        if (id == null) {
            throw new BadRequest(400, "no instruction with key " + key);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("key", key);
        o.put("id", id);
        o.put("mark", mark == null ? null : mark.cliName());
        return Answer.json(200, o);
    }

    private Answer export(JsonNode body) throws IOException {
        ExportFormat format = ExportFormat.parse(body.path("format").asText("trl"));
        PairMode mode = PairMode.parse(body.path("pairs").asText("all"));
        PairBuilder.By by = switch (body.path("by").asText("labels").toLowerCase(Locale.ROOT)) {
            case "labels", "label" -> PairBuilder.By.LABELS;
            case "scores", "score" -> PairBuilder.By.SCORES;
            default -> throw new BadRequest(400, "by must be labels or scores");
        };
        BitSet keys = new BitSet();
        for (JsonNode k : body.path("keys")) {
            if (!k.canConvertToInt() || k.asInt() < 0) {
                throw new BadRequest(400, "keys must be item keys (numbers)");
            }
            keys.set(k.asInt());
        }
        if (keys.isEmpty()) {
            throw new BadRequest(400, "nothing selected: select points on the map first");
        }
        String description = body.path("description").asText("selection in admap serve");
        Files.createDirectories(run.exportsDir());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String ext = switch (format) {
            case TRL -> ".trl.jsonl";
            case LLAMA_FACTORY -> ".llama-factory.json";
            case PARQUET -> ".parquet";
            case MULTI -> ".multi.jsonl";
        };
        Path out = run.exportsDir().resolve("selection-" + stamp + "-" + keys.cardinality() + ext);
        for (int i = 2; Files.exists(out); i++) {
            out = run.exportsDir().resolve("selection-" + stamp + "-" + keys.cardinality() + "-" + i + ext);
        }
        StringWriter notes = new StringWriter();
        SelectionExport.Result r = SelectionExport.exportKeys(run, keys, description + " (admap serve)",
                new SelectionExport.Options(mode, by, format), out, new PrintWriter(notes, true));
        ObjectNode o = JSON.createObjectNode();
        o.put("file", out.getFileName().toString());
        o.put("path", out.toAbsolutePath().normalize().toString());
        o.put("download", "/exports/" + out.getFileName());
        o.put("provenance", "/exports/" + SelectionExport.provenancePath(out).getFileName());
        o.put("format", format.cliName());
        o.put("instructions", r.instructions());
        o.put("records", r.records());
        o.put("withoutPairs", r.withoutPairs());
        o.put("skippedDropped", r.skippedDropped());
        o.put("notes", notes.toString().strip());
        return Answer.json(200, o);
    }

    private Answer download(String name) throws IOException {
        if (!EXPORT_NAME.matcher(name).matches()) {
            throw new BadRequest(404, "no such export");
        }
        Path file = run.exportsDir().resolve(name).normalize();
        if (!file.getParent().equals(run.exportsDir().normalize()) || !Files.isRegularFile(file)) {
            throw new BadRequest(404, "no such export: " + name);
        }
        String type = name.endsWith(".parquet") ? "application/vnd.apache.parquet" : "application/json; charset=utf-8";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Disposition", "attachment; filename=\"" + name + "\"");
        return new Answer(200, type, Files.readAllBytes(file), headers);
    }

    // ---- HTTP plumbing --------------------------------------------------------------------

    /** Rejects requests whose Host is not this server (DNS rebinding) when bound to loopback. */
    private boolean hostAllowed(HttpExchange ex) {
        if (!loopback) {
            return true;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return false;
        }
        int port = server.getAddress().getPort();
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port) || h.equals("[::1]:" + port)
                || h.equals(uri().getAuthority().toLowerCase(Locale.ROOT));
    }

    /**
     * A change must come from this viewer's page: a JSON body and the X-Admap-Request header
     * (another site's page cannot send those without a CORS preflight, which is never
     * granted), and an Origin, when the browser sends one, that is this server.
     */
    private void checkChangeRequest(HttpExchange ex) throws BadRequest {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")
                || ex.getRequestHeaders().getFirst("X-Admap-Request") == null) {
            throw new BadRequest(403, "changes need a JSON body and the X-Admap-Request header");
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && loopback) {
            String host = ex.getRequestHeaders().getFirst("Host");
            if (!origin.equalsIgnoreCase("http://" + host)) {
                throw new BadRequest(403, "changes are accepted from this viewer's own page only");
            }
        }
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new BadRequest(413, "request too large");
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new BadRequest(400, "the body is not JSON: " + e.getMessage());
            }
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    private static int intParam(Map<String, String> query, String name) throws BadRequest {
        try {
            return Integer.parseInt(query.getOrDefault(name, ""));
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "parameter '" + name + "' must be a whole number");
        }
    }

    private static void send(HttpExchange ex, Answer a) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", a.type());
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", CSP);
        if (!a.headers().containsKey("Cache-Control")) {
            h.set("Cache-Control", "no-store");
        }
        a.headers().forEach(h::set);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(a.status(), head ? -1 : a.body().length == 0 ? -1 : a.body().length);
        if (!head && a.body().length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        }
        ex.close();
    }

    /** A request the viewer refuses, with its HTTP status. */
    private static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
