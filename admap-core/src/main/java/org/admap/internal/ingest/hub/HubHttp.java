package org.admap.internal.ingest.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.Secrets;

/**
 * admap's HTTP client of the Hub: GETs with redirects followed by hand (the token goes to the
 * Hub's own origin only), time-outs on connect and on a silent server, the one-line messages
 * of answers no retry can change, and messages that never hold the token.
 */
final class HubHttp {

    static final ObjectMapper JSON = Json.MAPPER;
    private static final String TOKEN_HINT = "accept its terms on its Hub page if it is gated, and set HF_TOKEN to an"
            + " access token of an account that may read it";

    private final HubSettings settings;

    HubHttp(HubSettings settings) {
        this.settings = settings;
    }

    HubSettings settings() {
        return settings;
    }

    /** An answer: its status, headers and body (the error body for 4xx and 5xx). */
    record Answer(int status, HttpHeaders headers, InputStream body) {
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
    Answer open(URI start, String range, boolean api) throws IOException {
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
            Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
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

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static String origin(URI u) {
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port(u);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String segment : path.split("/")) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(encode(segment));
        }
        return sb.toString();
    }

    /** Waits before the next attempt; not after the last. */
    void pause(Duration wait, int attempt) throws InterruptedException {
        if (attempt <= settings.retry().maxRetries()) {
            Thread.sleep(wait.toMillis());
        }
    }

    /** The one-line message of an answer no retry can change. */
    HubException refused(HubUri uri, String folder, int status, HttpHeaders headers, String body,
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

    /** The server's message in one line, without anything that looks like a token. */
    String excerpt(String body) {
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

    /** A message in one line of at most 200 characters, without the token. */
    String oneLine(String s) {
        String flat = Secrets.redact(s, settings.token()).replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
