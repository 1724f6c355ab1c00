package org.admap.internal.ingest.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.internal.score.http.RetryPolicy;

/**
 * The data files of a dataset on the Hub: its tree API, recursively, page by page (the
 * {@code Link: rel="next"} header), with retries of a page after a broken connection, 429 or
 * 5xx; kept are the files admap reads under the address's path, or the one file it names.
 */
final class HubListing {

    /** The names of the data files admap reads. */
    static final Pattern DATA = Pattern.compile(".*\\.(parquet|((jsonl|ndjson|json|csv|tsv)(\\.gz)?))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final HubHttp http;
    private final HubSettings settings;

    HubListing(HubHttp http) {
        this.http = http;
        this.settings = http.settings();
    }

    /** The data files under the address's path (or the file it names), in path order. */
    List<ListedFile> dataFiles(HubUri uri) throws IOException, InterruptedException {
        String path = uri.path();
        boolean oneFile = !path.isEmpty() && DATA.matcher(path).matches();
        String folder = oneFile ? (path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "") : path;
        List<ListedFile> all = list(uri, folder);
        List<ListedFile> data = new ArrayList<>();
        for (ListedFile f : all) {
            boolean under = oneFile ? f.path().equals(path)
                    : path.isEmpty() || f.path().startsWith(path + "/");
            if (under && DATA.matcher(f.path()).matches()) {
                data.add(f);
            }
        }
        if (data.isEmpty()) {
            String seen = all.stream().map(ListedFile::path).limit(8).reduce((a, b) -> a + ", " + b).orElse("nothing");
            throw new HubException(uri + ": no data files (.parquet, .jsonl, .json, .csv, .tsv, optionally .gz) "
                    + (path.isEmpty() ? "in the dataset" : oneFile ? "named '" + path + "'" : "under '" + path + "'")
                    + " at revision '" + uri.revision() + "' (it has: " + seen + (all.size() > 8 ? ", ..." : "")
                    + ")");
        }
        data.sort(Comparator.comparing(ListedFile::path));
        return data;
    }

    /** Every file under a folder of the dataset ("" for all), following the listing's pages. */
    private List<ListedFile> list(HubUri uri, String folder) throws IOException, InterruptedException {
        URI next = URI.create(settings.endpoint() + "/api/datasets/" + uri.owner() + "/" + uri.name() + "/tree/"
                + HubHttp.encode(uri.revision()) + (folder.isEmpty() ? "" : "/" + HubHttp.encodePath(folder))
                + "?recursive=true&expand=false");
        List<ListedFile> files = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            if (page > 100_000) {
                throw new HubException(uri + ": the Hub's file listing does not end");
            }
            Page p = listingPage(uri, folder, next);
            JsonNode list = HubHttp.JSON.readTree(p.body());
            if (!list.isArray()) {
                throw new HubException(uri + ": the Hub at " + settings.endpoint() + " answered the file listing with"
                        + " something else than a list: " + http.excerpt(p.body()));
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
                files.add(new ListedFile(e.path("path").asText(), size, sha, gitOid));
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
            HubHttp.Answer r;
            try {
                r = http.open(url, null, true);
            } catch (IOException e) {
                problem = "cannot reach it (" + http.oneLine(e.toString()) + ")";
                http.pause(retry.backoff(attempt), attempt);
                continue;
            }
            int status = r.status();
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8);
            } catch (IOException e) {
                problem = "the listing broke off (" + http.oneLine(e.toString()) + ")";
                http.pause(retry.backoff(attempt), attempt);
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
                http.pause(wait, attempt);
                continue;
            }
            throw http.refused(uri, folder, status, r.headers(), body, null);
        }
        throw new HubException(uri + ": cannot list the dataset's files at " + settings.endpoint() + ": " + problem
                + " after " + (retry.maxRetries() + 1) + " attempts");
    }

    static URI nextPage(HttpHeaders headers, URI current) {
        for (String link : headers.allValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                return current.resolve(m.group(1));
            }
        }
        return null;
    }
}
