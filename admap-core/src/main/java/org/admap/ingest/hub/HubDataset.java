package org.admap.ingest.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.Progress;
import org.admap.score.http.RetryPolicy;
import org.admap.score.http.Secrets;

/**
 * Brings the data files of a Hugging Face Hub dataset into a local cache, so that they can
 * be read like any local input.
 *
 * <p>It lists the dataset's files (the Hub's tree API, recursively, page by page), keeps
 * the data files admap reads ({@code .parquet}, {@code .jsonl}, {@code .json}, {@code .csv},
 * {@code .tsv}, the text ones optionally {@code .gz}) under the address's path, and
 * downloads each into {@code CACHE/datasets/OWNER/NAME/REVISION/PATH}:
 * <ul>
 *   <li>through a {@code .part} file: a broken download resumes where it stopped, with an
 *       HTTP {@code Range} request;</li>
 *   <li>verified: the size the listing gives, and its SHA-256 (the {@code lfs.oid}) or git
 *       blob id where the listing has one; a file that does not verify is downloaded again,
 *       and after the retries the fetch fails saying so;</li>
 *   <li>once: a cached file whose size and hash match is used as it is.</li>
 * </ul>
 * The token ({@code HF_TOKEN}) goes as a bearer header to the Hub itself only, not to the
 * storage servers the Hub redirects downloads to; it never appears in a message, a file or
 * the run store. Problems the user can fix (no such dataset, a gated one without a token, no
 * data files under the path) are {@link HubException}s with one-line messages.
 *
 * <p>Example:
 * <pre>{@code
 * HubDataset hub = new HubDataset(HubDataset.Settings.of(HubDataset.DEFAULT_ENDPOINT,
 *         System.getenv("HF_TOKEN"), HubDataset.Settings.defaultCache(System.getenv())));
 * HubDataset.Download d = hub.fetch(HubUri.parse("hf://datasets/OWNER/NAME/data"), Progress.Factory.NONE);
 * List<Path> files = d.paths();
 * }</pre>
 */
public final class HubDataset {

    /** The Hugging Face Hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern DATA = Pattern.compile(".*\\.(parquet|((jsonl|ndjson|json|csv|tsv)(\\.gz)?))",
            Pattern.CASE_INSENSITIVE);
    private static final String TOKEN_HINT = "accept its terms on its Hub page if it is gated, and set HF_TOKEN to an"
            + " access token of an account that may read it";

    /**
     * Where the Hub is and how to talk to it.
     *
     * @param endpoint the Hub's address ({@link #DEFAULT_ENDPOINT}, or a mirror)
     * @param token    the access token, or null
     * @param cache    the cache's root: files go to {@code cache/datasets/OWNER/NAME/REVISION/PATH}
     * @param retry    retries of a listing page or a download after a broken connection, 429 or 5xx
     * @param timeout  to connect, and the longest silence of a server while it answers
     */
    public record Settings(URI endpoint, String token, Path cache, RetryPolicy retry, Duration timeout) {

        public Settings {
            String url = endpoint.toString();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            endpoint = URI.create(url);
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new IllegalArgumentException("--hf-endpoint '" + url + "' is not a URL such as"
                        + " https://huggingface.co");
            }
            token = token == null || token.isBlank() ? null : token.strip();
        }

        /** The usual settings: 5 retries, a minute to answer. */
        public static Settings of(URI endpoint, String token, Path cache) {
            return new Settings(endpoint, token, cache,
                    new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20)), Duration.ofSeconds(60));
        }

        /** {@code $ADMAP_CACHE/hub}, else {@code ~/.cache/admap/hub}. */
        public static Path defaultCache(Map<String, String> environment) {
            String dir = environment.get("ADMAP_CACHE");
            Path root = dir != null && !dir.isBlank() ? Path.of(dir)
                    : Path.of(System.getProperty("user.home"), ".cache", "admap");
            return root.resolve("hub");
        }

        /** Without the token. */
        @Override
        public String toString() {
            return "Settings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "***") + ", cache=" + cache
                    + ", retry=" + retry + ", timeout=" + timeout + "]";
        }
    }

    /**
     * A data file of the dataset, in the cache.
     *
     * @param path       its path in the dataset
     * @param size       its size in bytes, as listed (and verified)
     * @param sha256     its SHA-256 as listed (files stored with LFS), or null
     * @param local      where it is in the cache
     * @param downloaded whether this fetch downloaded it (false: the cached copy was good)
     */
    public record HubFile(String path, long size, String sha256, Path local, boolean downloaded) {
    }

    /**
     * What a fetch brought.
     *
     * @param uri    the address fetched
     * @param folder the cache folder of the dataset's revision
     * @param files  its data files, in path order
     */
    public record Download(HubUri uri, Path folder, List<HubFile> files) {

        public Download {
            files = List.copyOf(files);
        }

        /** The local files, in path order. */
        public List<Path> paths() {
            return files.stream().map(HubFile::local).toList();
        }

        /** Bytes of all files. */
        public long bytes() {
            return files.stream().mapToLong(HubFile::size).sum();
        }

        /** How many files were downloaded rather than taken from the cache. */
        public long downloadedCount() {
            return files.stream().filter(HubFile::downloaded).count();
        }
    }

    /** A file as the tree listing gives it. */
    private record Listed(String path, long size, String sha256, String gitOid) {
    }

    private final Settings settings;

    public HubDataset(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Lists the dataset's data files under the address's path and brings each into the cache.
     *
     * @param progress reports bytes, cached files counting as done at once
     * @throws HubException for problems the user can fix, and for files that do not verify
     */
    public Download fetch(HubUri uri, Progress.Factory progress) throws IOException, InterruptedException {
        List<Listed> listed = dataFiles(uri);
        Path root = settings.cache().resolve("datasets").resolve(uri.owner()).resolve(uri.name())
                .resolve(uri.revision().replace("/", "%2F")).toAbsolutePath().normalize();
        long total = listed.stream().mapToLong(f -> Math.max(0, f.size())).sum();
        List<HubFile> files = new ArrayList<>();
        try (Progress bar = progress.start("downloading " + uri, total, "B")) {
            long[] done = {0};
            for (Listed f : listed) {
                Path local = root.resolve(f.path()).normalize();
                if (!local.startsWith(root)) {
                    throw new HubException(uri + ": the Hub lists a file outside the dataset ('" + f.path() + "')");
                }
                files.add(fetchFile(uri, f, local, bar, done));
            }
        }
        return new Download(uri, root, files);
    }

    // ---- listing ---------------------------------------------------------------------------------

    /** The data files under the address's path (or the file it names), in path order. */
    private List<Listed> dataFiles(HubUri uri) throws IOException, InterruptedException {
        String path = uri.path();
        boolean oneFile = !path.isEmpty() && DATA.matcher(path).matches();
        String folder = oneFile ? (path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "") : path;
        List<Listed> all = list(uri, folder);
        List<Listed> data = new ArrayList<>();
        for (Listed f : all) {
            boolean under = oneFile ? f.path().equals(path)
                    : path.isEmpty() || f.path().startsWith(path + "/");
            if (under && DATA.matcher(f.path()).matches()) {
                data.add(f);
            }
        }
        if (data.isEmpty()) {
            String seen = all.stream().map(Listed::path).limit(8).reduce((a, b) -> a + ", " + b).orElse("nothing");
            throw new HubException(uri + ": no data files (.parquet, .jsonl, .json, .csv, .tsv, optionally .gz) "
                    + (path.isEmpty() ? "in the dataset" : oneFile ? "named '" + path + "'" : "under '" + path + "'")
                    + " at revision '" + uri.revision() + "' (it has: " + seen + (all.size() > 8 ? ", ..." : "")
                    + ")");
        }
        data.sort(Comparator.comparing(Listed::path));
        return data;
    }

    /** Every file under a folder of the dataset ("" for all), following the listing's pages. */
    private List<Listed> list(HubUri uri, String folder) throws IOException, InterruptedException {
        URI next = URI.create(settings.endpoint() + "/api/datasets/" + uri.owner() + "/" + uri.name() + "/tree/"
                + encode(uri.revision()) + (folder.isEmpty() ? "" : "/" + encodePath(folder))
                + "?recursive=true&expand=false");
        List<Listed> files = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            if (page > 100_000) {
                throw new HubException(uri + ": the Hub's file listing does not end");
            }
            Page p = listingPage(uri, folder, next);
            JsonNode list = JSON.readTree(p.body());
            if (!list.isArray()) {
                throw new HubException(uri + ": the Hub at " + settings.endpoint() + " answered the file listing with"
                        + " something else than a list: " + excerpt(p.body()));
            }
            for (JsonNode e : list) {
                if (!"file".equals(e.path("type").asText())) {
                    continue;
                }
                JsonNode lfs = e.path("lfs");
                String sha = lfs.path("oid").isTextual() ? lfs.path("oid").asText().toLowerCase(Locale.ROOT) : null;
                long size = e.path("size").isNumber() ? e.path("size").asLong()
                        : lfs.path("size").isNumber() ? lfs.path("size").asLong() : -1;
                String gitOid = sha == null && e.path("oid").isTextual() ? e.path("oid").asText() : null;
                files.add(new Listed(e.path("path").asText(), size, sha, gitOid));
            }
            next = p.next();
        }
        return files;
    }

    private record Page(String body, URI next) {
    }

    private Page listingPage(HubUri uri, String folder, URI url) throws InterruptedException {
        RetryPolicy retry = settings.retry();
        String problem = null;
        for (int attempt = 1; attempt <= retry.maxRetries() + 1; attempt++) {
            Answer r;
            try {
                r = open(url, null, true);
            } catch (IOException e) {
                problem = "cannot reach it (" + oneLine(e.toString()) + ")";
                pause(retry.backoff(attempt), attempt);
                continue;
            }
            int status = r.status();
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8);
            } catch (IOException e) {
                problem = "the listing broke off (" + oneLine(e.toString()) + ")";
                pause(retry.backoff(attempt), attempt);
                continue;
            }
            if (status == 200) {
                return new Page(body, nextPage(r.headers(), url));
            }
            if (status == 429 || status == 408 || status >= 500) {
                problem = "HTTP " + status;
                Duration wait = status == 429 ? RetryPolicy.requestedWait(r.headers()).orElse(retry.backoff(attempt))
                        : retry.backoff(attempt);
                if (wait.compareTo(retry.maxRequestedWait()) > 0) {
                    throw new HubException(uri + ": the Hub at " + settings.endpoint() + " is rate limiting (HTTP "
                            + status + ") and asks to wait " + RetryPolicy.inWords(wait) + " ("
                            + RetryPolicy.requestHeader(r.headers()) + "), more than "
                            + RetryPolicy.inWords(retry.maxRequestedWait()) + ": try again later");
                }
                pause(wait, attempt);
                continue;
            }
            throw refused(uri, folder, status, r.headers(), body, null);
        }
        throw new HubException(uri + ": cannot list the dataset's files at " + settings.endpoint() + ": " + problem
                + " after " + (retry.maxRetries() + 1) + " attempts");
    }

    private static URI nextPage(HttpHeaders headers, URI current) {
        for (String link : headers.allValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                return current.resolve(m.group(1));
            }
        }
        return null;
    }

    /** The one-line message of an answer no retry can change. */
    private HubException refused(HubUri uri, String folder, int status, HttpHeaders headers, String body,
                                 String file) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String what = file == null ? "" : " (" + file + ")";
        if ("RevisionNotFound".equals(code)) {
            return new HubException(uri + ": the dataset has no revision '" + uri.revision() + "'");
        }
        if ("EntryNotFound".equals(code) && file == null) {
            return new HubException(uri + ": no data files under '" + folder + "' at revision '" + uri.revision()
                    + "' (the dataset has no such folder)");
        }
        if ("GatedRepo".equals(code) || ((status == 401 || status == 403) && !"RepoNotFound".equals(code))) {
            return new HubException(uri + ": access denied (HTTP " + status + ")" + what + ": "
                    + (settings.token() == null ? "the dataset is gated or private; " + TOKEN_HINT
                            : "HF_TOKEN was refused or its account may not read this dataset; " + TOKEN_HINT));
        }
        if (status == 404 || "RepoNotFound".equals(code)) {
            if (file != null) {
                return new HubException(uri + ": " + file + " is listed but the Hub cannot serve it (HTTP " + status
                        + ")");
            }
            return new HubException(uri + ": repository not found: no dataset " + uri.repo() + " on "
                    + settings.endpoint() + " (check OWNER/NAME"
                    + (settings.token() == null ? "; a private dataset needs HF_TOKEN)" : ")"));
        }
        return new HubException(uri + ": the Hub at " + settings.endpoint() + " answered HTTP " + status + what
                + excerpt(body).transform(e -> e.isEmpty() ? "" : ": " + e));
    }

    // ---- downloading ----------------------------------------------------------------------------

    private HubFile fetchFile(HubUri uri, Listed f, Path local, Progress bar, long[] done)
            throws IOException, InterruptedException {
        if (Files.isRegularFile(local)) {
            if (verify(local, f) == null) {
                done[0] += Files.size(local);
                bar.advanceTo(done[0]);
                return new HubFile(f.path(), Files.size(local), f.sha256(), local, false);
            }
            Files.delete(local); // stale: the revision moved, or the copy was damaged
        }
        Files.createDirectories(local.getParent());
        Path part = local.resolveSibling(local.getFileName() + ".part");
        URI url = URI.create(settings.endpoint() + "/datasets/" + uri.owner() + "/" + uri.name() + "/resolve/"
                + encode(uri.revision()) + "/" + encodePath(f.path()));
        RetryPolicy retry = settings.retry();
        String problem = null;
        for (int attempt = 1; attempt <= retry.maxRetries() + 1; attempt++) {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (f.size() >= 0 && have > f.size()) {
                Files.delete(part);
                have = 0;
            }
            if (f.size() < 0 || have < f.size()) {
                String failure = download(uri, f, url, part, have, bar, done[0]);
                long now = Files.isRegularFile(part) ? Files.size(part) : 0;
                if (failure == null && f.size() >= 0 && now < f.size()) {
                    failure = "downloaded " + now + " bytes where the Hub lists " + f.size();
                }
                if (failure != null) { // resumed from the part file at the next attempt
                    problem = failure;
                    pause(retry.backoff(attempt), attempt);
                    continue;
                }
            }
            String bad = verify(part, f);
            if (bad == null) {
                Files.move(part, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                done[0] += Files.size(local);
                bar.advanceTo(done[0]);
                return new HubFile(f.path(), Files.size(local), f.sha256(), local, true);
            }
            problem = bad;
            Files.deleteIfExists(part); // a complete file that does not verify: start over
        }
        throw new HubException(uri + ": " + f.path() + ": " + problem + ", after " + (retry.maxRetries() + 1)
                + " attempts (the partial download is kept in " + part.getFileName() + " when it is resumable)");
    }

    /**
     * Downloads into the part file from byte {@code have} on; returns null when the body
     * arrived whole, else what went wrong (the part file keeps what arrived).
     */
    private String download(HubUri uri, Listed f, URI url, Path part, long have, Progress bar, long before)
            throws IOException {
        Answer r;
        try {
            r = open(url, have > 0 ? "bytes=" + have + "-" : null, false);
        } catch (IOException e) {
            return "cannot reach " + settings.endpoint() + " (" + oneLine(e.toString()) + ")";
        }
        int status = r.status();
        if (status != 200 && status != 206) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            if (status == 416) {
                Files.deleteIfExists(part);
                return "the Hub refused to resume (HTTP 416)";
            }
            if (status == 429 || status == 408 || status >= 500) {
                RetryPolicy.requestedWait(r.headers()).ifPresent(w -> sleepQuietly(w));
                return "HTTP " + status;
            }
            throw refused(uri, "", status, r.headers(), body, f.path());
        }
        boolean append = status == 206 && have > 0;
        if (append) {
            long start = contentRangeStart(r.headers()).orElse(-1L);
            if (start != have) {
                r.body().close();
                Files.deleteIfExists(part);
                return "the Hub resumed at byte " + start + " instead of " + have;
            }
        }
        long written = append ? have : 0;
        try (InputStream in = r.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            long reported = written;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                written += n;
                if (written - reported >= 1 << 20) {
                    bar.advanceTo(before + written);
                    reported = written;
                }
            }
        } catch (IOException e) {
            bar.advanceTo(before + written);
            return "the connection broke after " + written + " of " + f.size() + " bytes";
        }
        bar.advanceTo(before + written);
        return null;
    }

    /** Null when the file has the listed size and hash, else what differs. */
    private static String verify(Path file, Listed f) throws IOException {
        long size = Files.size(file);
        if (f.size() >= 0 && size != f.size()) {
            return "downloaded " + size + " bytes where the Hub lists " + f.size();
        }
        if (f.sha256() != null) {
            String actual = digest(file, "SHA-256", null);
            if (!actual.equals(f.sha256())) {
                return "the SHA-256 of the download (" + actual + ") is not the Hub's (" + f.sha256() + ")";
            }
        } else if (f.gitOid() != null && f.gitOid().length() == 40) {
            String actual = digest(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.UTF_8));
            if (!actual.equalsIgnoreCase(f.gitOid())) {
                return "the git blob id of the download (" + actual + ") is not the Hub's (" + f.gitOid() + ")";
            }
        }
        return null;
    }

    private static String digest(Path file, String algorithm, byte[] header) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java", e);
        }
        if (header != null) {
            md.update(header);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Optional<Long> contentRangeStart(HttpHeaders headers) {
        return headers.firstValue("Content-Range").flatMap(v -> {
            Matcher m = Pattern.compile("bytes\\s+(\\d+)-").matcher(v);
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        });
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    /** An answer: its status, headers and body (the error body for 4xx and 5xx). */
    private record Answer(int status, HttpHeaders headers, InputStream body) {
    }

    /**
     * GETs a URL, following redirects by hand: the token goes to the Hub's own host only,
     * never to the storage a download is redirected to (signed URLs need no token, and some
     * storage refuses a second credential). {@link HttpURLConnection} rather than
     * {@code HttpClient}: it has a read timeout, so a stalled download fails (and is resumed)
     * instead of waiting forever.
     *
     * @param api whether this is a call of the Hub's API (the file listing): its answer is
     *            trusted, so it must come from the Hub itself, and a redirect to another origin
     *            is refused; downloads may be served elsewhere (they are verified by hash)
     */
    private Answer open(URI start, String range, boolean api) throws IOException {
        URI uri = start;
        int ms = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        for (int hop = 0; hop < 10; hop++) {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setRequestProperty("User-Agent", "admap");
            c.setRequestProperty("Accept-Encoding", "identity");
            if (range != null) {
                c.setRequestProperty("Range", range);
            }
            if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
                c.setRequestProperty("Authorization", "Bearer " + settings.token());
            }
            int status = c.getResponseCode();
            Map<String, List<String>> fields = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null) {
                    fields.put(k, v);
                }
            });
            HttpHeaders headers = HttpHeaders.of(fields, (k, v) -> true);
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                Optional<String> location = headers.firstValue("Location");
                c.disconnect();
                if (location.isEmpty()) {
                    throw new IOException("a redirect without a Location");
                }
                URI target = uri.resolve(location.get().strip());
                if (target.getScheme() == null || target.getHost() == null
                        || !(target.getScheme().equalsIgnoreCase("https")
                                || target.getScheme().equalsIgnoreCase("http"))) {
                    throw new HubException("the Hub at " + origin(settings.endpoint()) + " redirected to an address"
                            + " that is not an http(s) URL: refusing it");
                }
                if (api && !sameOrigin(target, settings.endpoint())) {
                    throw new HubException("refusing a redirect (HTTP " + status + ") of the Hub's file listing from "
                            + origin(settings.endpoint()) + " to " + origin(target) + ": the listing, and HF_TOKEN,"
                            + " stay with the Hub; give --hf-endpoint the address that answers");
                }
                uri = target;
                continue;
            }
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Answer(status, headers, body == null ? InputStream.nullInputStream() : body);
        }
        throw new IOException("more than 10 redirects");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static String origin(URI u) {
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port(u);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String segment : path.split("/")) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(encode(segment));
        }
        return sb.toString();
    }

    private void pause(Duration wait, int attempt) throws InterruptedException {
        if (attempt <= settings.retry().maxRetries()) {
            Thread.sleep(wait.toMillis());
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(Math.min(d.toMillis(), 60_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's message in one line, without anything that looks like a token. */
    private String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body;
        try {
            JsonNode n = JSON.readTree(body);
            if (n.path("error").isTextual()) {
                text = n.path("error").asText();
            } else if (n.path("error").path("message").isTextual()) {
                text = n.path("error").path("message").asText();
            }
        } catch (IOException notJson) {
            // the body as it is
        }
        return oneLine(Secrets.redact(text, settings.token()));
    }

    private String oneLine(String s) {
        String flat = Secrets.redact(s, settings.token()).replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
