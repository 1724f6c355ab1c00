package org.admap.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.admap.Progress;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ViewData;

/**
 * The local web viewer of a run ({@code admap serve}): the interactive map of the report,
 * fed by small JSON endpoints, plus what only a live server can do: export a selection as DPO
 * pairs (into {@code DIR/exports/}, offered for download), mark instructions reviewed / keep /
 * drop ({@link org.admap.internal.store.Reviews}, which {@code admap select} obeys), and search and page
 * over every instruction with its full texts.
 *
 * <p>Endpoints: {@code GET /} the page; {@code /static/*} its script, style and ECharts
 * ({@link PageHandler}); {@code GET /api/run} the map ({@link ViewData}, built once per map) and
 * {@code GET /api/flags?page=&size=&reason=} ({@link MapHandler}); {@code GET /api/item?key=K} and
 * {@code GET /api/search?q=TEXT} ({@link ItemHandler}); {@code GET /api/reviews} and
 * {@code POST /api/review} {@code {"key": K, "mark": "drop"}} ({@link ReviewHandler});
 * {@code POST /api/export} {@code {"keys": [...], "format": "trl", "pairs": "all", "by": "labels"}}
 * and {@code GET /exports/NAME} ({@link ExportHandler}).
 *
 * <p>A run with a store is served from it, the store opened for each burst of requests and
 * closed after it ({@link StoreConnections}), so other admap commands can use the run while the
 * viewer is idle. A scanned run ({@code admap map} on plain JSON lines) is served from its
 * columns and its inputs read by offset ({@link ColumnViewerSource}), so the viewer starts in
 * the time of a report; the first review builds its store, saying so (an export before it
 * reads the columns too), and from then on the store is served ({@link MapCache}). Requests are served concurrently, in
 * {@code admap serve} each within a read deadline ({@link #useReadDeadlines()}): a client that
 * sends half a request stalls nobody. Safety ({@link RequestGuard}): the page's
 * Content-Security-Policy allows only its own scripts; requests must name this viewer in their
 * {@code Host} header, on every address (no DNS rebinding), and off loopback carry its access
 * token ({@link ViewerAccess}); changes need a JSON body and an {@code X-Admap-Request} header,
 * which a page of another site cannot send without the browser asking this server first (and
 * it never agrees).
 */
public final class ViewerServer implements AutoCloseable {

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

    private final HttpServer server;
    private final ExecutorService executor;
    private final ViewerAccess access;
    private final StoreConnections store;
    private final MapCache cache;

    private ViewerServer(HttpServer server, ExecutorService executor, ViewerAccess access, StoreConnections store,
                         MapCache cache) {
        this.server = server;
        this.executor = executor;
        this.access = access;
        this.store = store;
        this.cache = cache;
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
        return start(run, host, port, options, allowHosts, Progress.Factory.NONE,
                line -> System.err.println(line));
    }

    /**
     * Starts serving a run, as {@link #start(RunDirectory, String, int, ViewData.Options, List)};
     * a scanned run's store, when a change first needs it, is built reporting to
     * {@code progress}, after a line to {@code notices} that says so.
     *
     * @param port the port, 0 for any free one
     */
    public static ViewerServer start(RunDirectory run, String host, int port, ViewData.Options options,
                                     List<String> allowHosts, Progress.Factory progress,
                                     Consumer<String> notices) throws IOException {
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
        StoreConnections store = new StoreConnections(run, progress, notices);
        MapCache cache = new MapCache(run, store, options, notices);
        ViewerServer viewer = new ViewerServer(server, executor, access, store, cache);
        try {
            cache.current(); // fail now, not at the first request, when there is no map
            store.closeIfIdle();
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            executor.shutdown();
            closeQuietly(cache);
            throw e;
        }
        ViewerRouter router = new ViewerRouter(new RequestGuard(access, viewer.uri()), store, new MapHandler(cache),
                new ItemHandler(cache, options), new ReviewHandler(cache, store), new ExportHandler(run, cache, store));
        server.setExecutor(executor);
        server.createContext("/", router::handle);
        server.start();
        return viewer;
    }

    private static void closeQuietly(MapCache cache) {
        try {
            cache.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure that stopped the start is the one to report
        }
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
     * (opening costs more than most answers), never for a request that needs only the map,
     * and never on a scanned run until a change builds its store.
     */
    public long storeOpenings() {
        return store.openings();
    }

    /** Whether the viewer holds the run store now (only while requests are in progress). */
    public boolean holdsStore() {
        return store.holds();
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
        store.closeIfIdle();
        try {
            cache.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
