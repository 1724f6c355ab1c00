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
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.admap.diagnose.Reason;
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
 * <p>The store is opened for each burst of requests and closed after it, so other admap commands
 * (a {@code select} in another terminal) can use the run while the viewer is idle. Requests
 * are served concurrently, in {@code admap serve} each within a read deadline
 * ({@link #useReadDeadlines()}): a client that sends half a request stalls nobody. Those
 * that read the store do so at the same time, each on its own connection (a duplicate of the
 * first); changes take turns on the first. Safety: the page's
 * Content-Security-Policy allows only its own scripts; requests must name this viewer in
 * their {@code Host} header, on every address (no DNS rebinding), and off loopback carry its
 * access token ({@link ViewerAccess}); changes need a JSON body and an
 * {@code X-Admap-Request} header, which a page of another site cannot send without the
 * browser asking this server first (and it never agrees).
 */
public final class ViewerServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Requests in progress at most; more wait in line. A client that sends half a request
     * holds one of them until the read deadline, so many slow clients cannot stall the rest.
     */
    private static final int MAX_THREADS = 128;
    private static final int BACKLOG = 256;
    /** Seconds to receive a whole request (line, headers, body) and to send a whole answer. */
    public static final long REQUEST_DEADLINE_S = 10;
    public static final long ANSWER_DEADLINE_S = 300;

    /**
     * Gives this process's HTTP servers the viewer's deadlines: a request must arrive whole
     * within {@value #REQUEST_DEADLINE_S} s and its answer be taken within
     * {@value #ANSWER_DEADLINE_S} s, or the connection is closed. The JDK's server reads them
     * (and sends small answers without delay) once, from system properties, when its first
     * server starts, so a process that serves
     * (admap serve) calls this before anything else starts a server; a value the user set
     * ({@code -Dsun.net.httpserver.maxReqTime=S}) wins. Not done on class loading: other
     * servers of the same process (test stand-ins) keep the JDK's defaults.
     */
    public static void useReadDeadlines() {
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_DEADLINE_S));
        setIfAbsent("sun.net.httpserver.maxRspTime", Long.toString(ANSWER_DEADLINE_S));
        // The JDK's server writes an answer's headers and body apart: without TCP_NODELAY,
        // Nagle's algorithm meets the client's delayed ACK and a small answer waits 40 ms.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
    private static final Pattern EXPORT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final int MAX_BODY = 64 << 20;
    private static final int MAX_PAGE_SIZE = 500;
    private static final int MAX_DESCRIPTION = 10_000;
    /** The query parameters each GET endpoint takes; the others take none. */
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "/", List.of(ViewerAccess.TOKEN_PARAMETER),
            "/api/item", List.of("key"),
            "/api/search", List.of("q"),
            "/api/flags", List.of("page", "size", "reason"));
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private final RunDirectory run;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ViewerAccess access;
    private final ViewData.Options viewOptions;

    /** The current map, as served: replaced whole when the run gets a new map or diagnosis. */
    private volatile MapState map;

    /**
     * Requests use the store under the read lock, at the same time (each on its own connection,
     * {@link #readers}); closing the store (end of a burst, an export) takes the write lock, so
     * it waits for every request using it.
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock storeUse =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Changes to the store (a review) and map reloads take turns on the first connection. */
    private final ReentrantLock storeLock = new ReentrantLock(true);
    private final Object opening = new Object();
    private volatile RunStore openStore; // opened under opening, closed under storeUse's write lock
    /** Idle duplicates of {@link #openStore}: one per request that reads at the same time, at most MAX_THREADS. */
    private final java.util.concurrent.ConcurrentLinkedDeque<RunStore> readers =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** Requests being handled: the store is closed when the last of a burst ends. */
    private final AtomicInteger active = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong storeOpenings = new java.util.concurrent.atomic.AtomicLong();
    /** The run's files as they were when {@link #map} was last found current (see {@link #stamp}). */
    private volatile String mapStamp;

    /**
     * The map and what is derived from it, built once per map and diagnosis.
     *
     * @param pointByKey the map's point of each item key, null for an unmapped item
     */
    private record MapState(String created, byte[] json, byte[] jsonGzip, MapPoint[] pointByKey,
                            Map<Integer, List<ItemDetails.FlagRow>> flags, List<Integer> flagKeys,
                            Map<Integer, String> excerpts, ViewData.Measures measures) {

        MapPoint point(int key) {
            return key >= 0 && key < pointByKey.length ? pointByKey[key] : null;
        }

        int items() {
            return pointByKey.length;
        }
    }

    private ViewerServer(RunDirectory run, HttpServer server, ExecutorService executor, ViewerAccess access,
                         ViewData.Options viewOptions) {
        this.run = run;
        this.server = server;
        this.executor = executor;
        this.access = access;
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
        return start(run, host, port, options, List.of());
    }

    /**
     * Starts serving a run, answering also the host names in {@code allowHosts} ({@link ViewerAccess}).
     *
     * @param port the port, 0 for any free one
     */
    public static ViewerServer start(RunDirectory run, String host, int port, ViewData.Options options,
                                     List<String> allowHosts) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), BACKLOG);
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "admap-serve-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        ViewerAccess access = ViewerAccess.of(address, server.getAddress().getPort(), allowHosts);
        ViewerServer viewer = new ViewerServer(run, server, executor, access, options);
        try {
            viewer.currentMap(); // fail now, not at the first request, when there is no map
            viewer.closeStoreIfIdle();
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

    /**
     * The page's address, e.g. {@code http://127.0.0.1:8765/}; for a viewer on {@code 0.0.0.0},
     * with an address of this machine.
     */
    public URI uri() {
        return URI.create("http://" + access.printedHost() + ":" + server.getAddress().getPort() + "/");
    }

    /**
     * The address to open: {@link #uri()}, with the access token where the viewer needs one
     * (off loopback). Opening it sets the token as a cookie and leads to {@link #uri()}.
     */
    public URI uriWithToken() {
        return access.token().map(t -> uri().resolve("/?" + ViewerAccess.TOKEN_PARAMETER + "=" + t)).orElse(uri());
    }

    /**
     * How often the viewer has opened the run store: once per burst of requests that read it
     * (opening costs more than most answers), never for a request that needs only the map.
     */
    public long storeOpenings() {
        return storeOpenings.get();
    }

    /** Whether the viewer holds the run store now (only while requests are in progress). */
    public boolean holdsStore() {
        storeUse.writeLock().lock();
        try {
            return openStore != null;
        } finally {
            storeUse.writeLock().unlock();
        }
    }

    /** The viewer's access rules (host names, token). */
    public ViewerAccess access() {
        return access;
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
        active.incrementAndGet();
        try {
            answer(ex);
        } finally {
            if (active.decrementAndGet() == 0) {
                closeStoreIfIdle();
            }
        }
    }

    private void answer(HttpExchange ex) throws IOException {
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
        String host = ex.getRequestHeaders().getFirst("Host");
        if (!access.hostAllowed(host)) {
            throw new BadRequest(403, "this viewer answers only requests to " + uri().getAuthority() + ", not to "
                    + host + " (to reach it by that name, start 'admap serve' with --allow-host NAME)");
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Map<String, String> query = query(ex.getRequestURI());
        if (!access.tokenPresented(ex.getRequestHeaders().getFirst(ViewerAccess.TOKEN_HEADER),
                ex.getRequestHeaders().get("Cookie"))) {
            String offered = query.get(ViewerAccess.TOKEN_PARAMETER);
            if (method.equals("GET") && path.equals("/") && offered != null && access.matches(offered)) {
                // the printed address: hand the token over as a cookie, and drop it from the address bar
                return new Answer(303, "text/plain; charset=utf-8", new byte[0],
                        Map.of("Location", "/", "Set-Cookie", access.setCookie()));
            }
            throw new BadRequest(401, "this viewer needs its access token: open the address that 'admap serve'"
                    + " printed at start (with ?" + ViewerAccess.TOKEN_PARAMETER + "=...), or send the "
                    + ViewerAccess.TOKEN_HEADER + " header");
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            checkParameters(path, query);
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
                    return item(keyParam(query.get("key")));
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
            checkParameters(path, query);
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

    /**
     * Runs {@code work} on the run store's first connection, one at a time (changes, map
     * reloads). The store is opened for the first of a burst of requests and closed when the
     * last request in progress ends (not after each: opening it costs far more than most
     * answers), so other admap commands can use the run while the viewer is idle.
     */
    private <T> T withStore(Function<RunStore, T> work) {
        storeUse.readLock().lock();
        try {
            storeLock.lock();
            try {
                return work.apply(primary());
            } catch (RuntimeException e) {
                dropPrimary(); // a failed store is opened afresh by the next request
                throw e;
            } finally {
                storeLock.unlock();
            }
        } finally {
            storeUse.readLock().unlock(); // closed by closeStoreIfIdle when no request is in progress
        }
    }

    /**
     * Runs read-only {@code work} on a connection of its own (a duplicate of the first), so
     * item lookups, searches and review reads of concurrent requests do not take turns.
     */
    private <T> T withReadStore(Function<RunStore, T> work) {
        storeUse.readLock().lock();
        try {
            RunStore reader = readers.pollFirst();
            if (reader == null) {
                RunStore first = primary();
                synchronized (opening) {
                    reader = first.duplicate();
                }
            }
            T result;
            try {
                result = work.apply(reader);
            } catch (RuntimeException e) {
                reader.close(); // not handed to the next request
                throw e;
            }
            readers.addFirst(reader);
            return result;
        } finally {
            storeUse.readLock().unlock();
        }
    }

    /**
     * Closes a failed first connection (call under storeLock: no one else uses it); its
     * duplicates keep the database open, and the next request opens a first one afresh.
     */
    private void dropPrimary() {
        synchronized (opening) {
            RunStore s = openStore;
            if (s != null) {
                openStore = null;
                s.close();
            }
        }
    }

    /** The first connection, opened when a burst begins; call under storeUse's read lock. */
    private RunStore primary() {
        RunStore s = openStore;
        if (s != null) {
            return s;
        }
        synchronized (opening) {
            if (openStore == null) {
                openStore = openStore();
            }
            return openStore;
        }
    }

    /** Closes the store when no request is in progress (the end of a burst, or outside any request). */
    private void closeStoreIfIdle() {
        storeUse.writeLock().lock();
        try {
            if (active.get() == 0) {
                closeStore();
            }
        } finally {
            storeUse.writeLock().unlock();
        }
    }

    /** Work that opens the store itself (an export): waits for the requests using it, with the store closed. */
    private <T> T withStoreClosed(StoreWork<T> work) throws IOException {
        storeUse.writeLock().lock();
        try {
            closeStore();
            return work.run();
        } finally {
            storeUse.writeLock().unlock();
        }
    }

    /** Work on the run that may fail with an IOException. */
    @FunctionalInterface
    private interface StoreWork<T> {
        T run() throws IOException;
    }

    /** Closes every connection; call under storeUse's write lock (no request is using one). */
    private void closeStore() {
        RuntimeException failure = null;
        for (RunStore r; (r = readers.pollFirst()) != null; ) {
            try {
                r.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (openStore != null) {
            RunStore s = openStore;
            openStore = null;
            s.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Opens the run store; waits a little when another process has it. */
    private RunStore openStore() {
        StoreBusyException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            RunStore store;
            try {
                store = RunStore.open(run.store());
                storeOpenings.incrementAndGet();
            } catch (StoreBusyException e) {
                last = e;
                sleep(250);
                continue;
            }
            return store;
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
    private MapState currentMap() throws IOException {
        MapState current = map;
        String stamp = stamp();
        if (current != null && stamp.equals(mapStamp)) {
            return current; // no file of the run changed: no need to ask the store
        }
        return reloadMap(stamp);
    }

    private synchronized MapState reloadMap(String stamp) throws IOException {
        String created = withStore(s -> s.info(MapJob.INFO_CREATED).orElse("")) + "|" + diagnosisTime();
        MapState current = map;
        if (current != null && created.equals(current.created())) {
            mapStamp = stamp;
            return current;
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
                byte[] json = bytes.toByteArray();
                ByteArrayOutputStream zipped = new ByteArrayOutputStream(json.length / 4 + 64);
                try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                    gz.write(json);
                }
                MapPoint[] pointByKey = new MapPoint[(int) store.itemCount()];
                for (MapPoint p : view.points()) {
                    pointByKey[p.key()] = p;
                }
                ItemDetails details = ItemDetails.of(store);
                Map<Integer, List<ItemDetails.FlagRow>> byKey = new TreeMap<>();
                for (ItemDetails.FlagRow f : details.flags()) {
                    byKey.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
                }
                Map<Integer, String> excerpts = new HashMap<>();
                details.forEachExcerpt(200, (key, id, text) -> {
                    if (byKey.containsKey(key)) {
                        excerpts.put(key, text);
                    }
                });
                map = new MapState(created, json, zipped.toByteArray(), pointByKey, byKey,
                        List.copyOf(byKey.keySet()), excerpts, ViewData.measures(run, view));
            } catch (IOException e) {
                failure[0] = e;
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        mapStamp = stamp;
        return map;
    }

    /**
     * The size and modification time of the store, its write-ahead log and the diagnosis:
     * while they stay the same, neither a new map nor a new diagnosis can have come, and the
     * map served is current without a query. Any change (a review written here too) makes
     * the next request ask the store which map it holds.
     */
    private String stamp() {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(run.store(), run.store().resolveSibling(run.store().getFileName() + ".wal"),
                run.diagnosisJson())) {
            try {
                var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                sb.append(a.size()).append('@').append(a.lastModifiedTime().to(TimeUnit.NANOSECONDS)).append(';');
            } catch (IOException absent) {
                sb.append("-;");
            }
        }
        return sb.toString();
    }

    private String diagnosisTime() {
        try {
            return Files.exists(run.diagnosisJson()) ? Files.getLastModifiedTime(run.diagnosisJson()).toString() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private Answer runAnswer(HttpExchange ex) throws IOException {
        MapState m = currentMap();
        String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
        if (accept != null && accept.contains("gzip")) {
            return new Answer(200, "application/json; charset=utf-8", m.jsonGzip(), Map.of("Content-Encoding", "gzip"));
        }
        return new Answer(200, "application/json; charset=utf-8", m.json(), Map.of());
    }

    /** The marks as last read, with the {@link #stamp} of the run's files then: read again when they change. */
    private record ReviewsRead(String stamp, Map<Integer, Reviews.Mark> marks) {
    }

    private volatile ReviewsRead reviewsRead;

    /** The review marks, read from the store again only when the run's files changed. */
    private Map<Integer, Reviews.Mark> marks() {
        String stamp = stamp(); // taken before reading: a change while reading is read next time
        ReviewsRead read = reviewsRead;
        if (read == null || !read.stamp().equals(stamp)) {
            read = new ReviewsRead(stamp, withReadStore(s -> Reviews.of(s).all()));
            reviewsRead = read;
        }
        return read.marks();
    }

    private Answer reviews() throws IOException {
        Map<Integer, Reviews.Mark> marks = marks();
        ObjectNode o = JSON.createObjectNode();
        ObjectNode m = o.putObject("marks");
        marks.forEach((k, v) -> m.put(Integer.toString(k), v.cliName()));
        return Answer.json(200, o);
    }

    private Answer item(int key) throws IOException {
        MapState m = currentMap();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Reviews.Mark mark = marks().get(key); // the cached marks: no query of every review per item
        boolean found = withReadStore(store -> {
            var detail = ItemDetails.of(store).item(key, viewOptions.maxTextChars());
            if (detail.isEmpty()) {
                return false;
            }
            try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
                ViewData.writeItem(g, detail.get(), m.point(key), m.flags().getOrDefault(key, List.of()),
                        mark == null ? null : mark.cliName(), m.measures(), ItemDetails.of(store).uncertainty(key));
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
        BitSet keys = withReadStore(s -> ItemDetails.of(s).search(q));
        ObjectNode o = JSON.createObjectNode();
        var arr = o.putArray("keys");
        keys.stream().forEach(arr::add);
        return Answer.json(200, o);
    }

    private Answer flagPage(Map<String, String> query) throws IOException {
        int page = intParam(query, "page", 0, 0, Integer.MAX_VALUE);
        int size = intParam(query, "size", 25, 1, MAX_PAGE_SIZE);
        String reason = query.getOrDefault("reason", "");
        if (!reason.isEmpty() && Arrays.stream(Reason.values()).noneMatch(r -> r.cliName().equals(reason))) {
            throw new BadRequest(400, "parameter 'reason' must be empty (every flag) or one of "
                    + Arrays.stream(Reason.values()).map(Reason::cliName).toList() + ", got '" + reason + "'");
        }
        MapState m = currentMap();
        List<Integer> keys = reason.isEmpty() ? m.flagKeys() : m.flagKeys().stream()
                .filter(k -> m.flags().get(k).stream().anyMatch(f -> f.reason().equals(reason))).toList();
        ObjectNode o = JSON.createObjectNode();
        o.put("total", keys.size());
        o.put("page", page);
        o.put("size", size);
        var list = o.putArray("flags");
        long first = (long) page * size; // a page past the end is empty, never an overflow
        for (long i = first; i < Math.min(keys.size(), first + size); i++) {
            int key = keys.get((int) i);
            ObjectNode f = list.addObject();
            f.put("key", key);
            MapPoint p = m.point(key);
            f.put("id", p != null ? p.id() : "");
            f.put("text", m.excerpts().getOrDefault(key, ""));
            var rows = f.putArray("rows");
            for (ItemDetails.FlagRow r : m.flags().get(key)) {
                ObjectNode row = rows.addObject();
                row.put("reason", r.reason());
                r.fields().forEach((name, v) -> row.putPOJO(name, v));
            }
        }
        return Answer.json(200, o);
    }

    // ---- changes --------------------------------------------------------------------------

    private Answer review(JsonNode body) throws IOException {
        checkFields(body, "key", "mark");
        if (!body.has("key")) {
            throw new BadRequest(400, "'key' is missing: the body is {\"key\": K, \"mark\": \"drop\"}");
        }
        int key = keyValue(body.get("key"), "key");
        JsonNode markNode = body.path("mark");
        if (!markNode.isNull() && !markNode.isMissingNode() && !markNode.isTextual()) {
            throw new BadRequest(400, "'mark' must be reviewed, keep, drop or null, got " + markNode);
        }
        Reviews.Mark mark = markNode.isNull() || markNode.isMissingNode() ? null
                : Reviews.Mark.parse(markNode.asText());
        MapState m = currentMap();
        if (key >= m.items()) {
            throw new BadRequest(400, "no instruction with key " + key + " (this run has keys 0.."
                    + (m.items() - 1) + ")");
        }
        String id = withStore(store -> {
            String itemId = m.point(key) != null ? m.point(key).id()
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
        checkFields(body, "keys", "format", "pairs", "by", "description");
        ExportFormat format = ExportFormat.parse(textField(body, "format", "trl"));
        PairMode mode = PairMode.parse(textField(body, "pairs", "all"));
        PairBuilder.By by = switch (textField(body, "by", "labels").toLowerCase(Locale.ROOT)) {
            case "labels", "label" -> PairBuilder.By.LABELS;
            case "scores", "score" -> PairBuilder.By.SCORES;
            default -> throw new BadRequest(400, "by must be labels or scores");
        };
        JsonNode keyList = body.path("keys");
        if (!keyList.isArray() && !keyList.isMissingNode()) {
            throw new BadRequest(400, "'keys' must be an array of item keys, got " + abbreviate(keyList.toString()));
        }
        MapState m = currentMap();
        BitSet keys = new BitSet();
        for (JsonNode k : keyList) {
            int key = keyValue(k, "keys");
            if (key >= m.items()) {
                throw new BadRequest(400, "no instruction with key " + key + " (this run has keys 0.."
                        + (m.items() - 1) + "): nothing exported");
            }
            keys.set(key);
        }
        if (keys.isEmpty()) {
            throw new BadRequest(400, "nothing selected: select points on the map first");
        }
        String description = textField(body, "description", "selection in admap serve");
        if (description.length() > MAX_DESCRIPTION) {
            throw new BadRequest(400, "'description' is longer than " + MAX_DESCRIPTION + " characters");
        }
        Files.createDirectories(run.exportsDir());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String ext = switch (format) {
            case LLAMA_FACTORY -> ".llama-factory.json";
            case SHAREGPT -> ".sharegpt.json";
            case PARQUET -> ".parquet";
            default -> "." + format.cliName() + ".jsonl";
        };
        Path out = run.exportsDir().resolve("selection-" + stamp + "-" + keys.cardinality() + ext);
        for (int i = 2; Files.exists(out); i++) {
            out = run.exportsDir().resolve("selection-" + stamp + "-" + keys.cardinality() + "-" + i + ext);
        }
        StringWriter notes = new StringWriter();
        Path file = out;
        SelectionExport.Result r = withStoreClosed(() -> SelectionExport.exportKeys(run, keys,
                description + " (admap serve)", new SelectionExport.Options(mode, by, format), file,
                new PrintWriter(notes, true)));
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
        var headers = ex.getRequestHeaders();
        if (!access.originAllowed(headers.getFirst("Origin"), headers.getFirst("Host"))) {
            throw new BadRequest(403, "changes are accepted from this viewer's own page only");
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

    private static Map<String, String> query(URI uri) throws BadRequest {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&", -1)) {
            int eq = part.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "the query is not URL-encoded: " + e.getMessage());
            }
            if (q.put(k, v) != null) {
                throw new BadRequest(400, "parameter '" + k + "' is given twice");
            }
        }
        return q;
    }

    /** Refuses a parameter the endpoint does not take (a typo must not pass as the default). */
    private static void checkParameters(String path, Map<String, String> query) throws BadRequest {
        List<String> known = PARAMETERS.getOrDefault(path, List.of());
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw new BadRequest(400, "unknown parameter '" + name + "' for " + path
                        + (known.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", known) + ")"));
            }
        }
    }

    /** A whole-number parameter in {@code min..max}; {@code otherwise} when it is absent. */
    private static int intParam(Map<String, String> query, String name, int otherwise, int min, int max)
            throws BadRequest {
        String text = query.get(name);
        if (text == null) {
            return otherwise;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "parameter '" + name + "' must be a whole number, got '" + abbreviate(text)
                    + "'");
        }
        if (value < min || value > max) {
            throw new BadRequest(400, "parameter '" + name + "' must be in " + min + ".." + max + ", got " + value);
        }
        return (int) value;
    }

    /** The {@code key} parameter: a whole number from 0. */
    private static int keyParam(String text) throws BadRequest {
        if (text == null) {
            throw new BadRequest(400, "parameter 'key' is missing (/api/item?key=K)");
        }
        return intParam(Map.of("key", text), "key", 0, 0, Integer.MAX_VALUE);
    }

    /** An item key in a JSON body: a whole number from 0 that fits, never wrapped or rounded. */
    private static int keyValue(JsonNode node, String field) throws BadRequest {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            throw new BadRequest(400, "'" + field + "' must hold item keys (whole numbers from 0), got "
                    + abbreviate(String.valueOf(node)));
        }
        return node.asInt();
    }

    /** Refuses a JSON body that is not an object or has a field the endpoint does not know. */
    private static void checkFields(JsonNode body, String... fields) throws BadRequest {
        if (!body.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object");
        }
        List<String> known = List.of(fields);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new BadRequest(400, "unknown field '" + abbreviate(name) + "' (known: " + String.join(", ", known)
                        + ")");
            }
        }
    }

    private static String textField(JsonNode body, String field, String otherwise) throws BadRequest {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return otherwise;
        }
        if (!node.isTextual()) {
            throw new BadRequest(400, "'" + field + "' must be a string, got " + abbreviate(node.toString()));
        }
        return node.asText();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
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
