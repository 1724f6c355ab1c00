package org.admap.score;

import java.net.URI;
import java.util.Locale;

/**
 * Where a score was made, as a key: two servers give the same scores only if they are the
 * same server, so a stored score is copied to another response only when both endpoints
 * {@linkplain #same are the same} (unless the user opts in to sharing across endpoints).
 *
 * <p>The key of a URL is its scheme, host, port (the scheme's default written out) and path
 * without a trailing slash, in lower case but for the path: {@code HTTP://Example.com/v1/} and
 * {@code http://example.com:80/v1} are one endpoint. A user name, password, query or
 * fragment is never part of it, so no credential that a URL may carry ends up in a key or in
 * a line printed from it. An endpoint that is not a URL ({@code in-process}, a local model)
 * is its own key.
 */
public final class Endpoint {

    private Endpoint() {
    }

    /** The key of an endpoint; the empty string for none. */
    public static String key(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return "";
        }
        URI uri;
        try {
            uri = URI.create(endpoint.strip());
        } catch (IllegalArgumentException notAUrl) {
            return endpoint.strip();
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return endpoint.strip();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port >= 0 ? ":" + port : "") + path;
    }

    /**
     * Whether a score stored with the endpoint {@code stored} was made by the server at
     * {@code current}: the same key, or a batch of that server (the Batch API's scores record
     * their batch's address, {@code BASE/batches/ID}).
     */
    public static boolean same(String stored, String current) {
        String s = key(stored);
        String c = key(current);
        return s.equals(c) || (!c.isEmpty() && s.startsWith(c + "/batches/"));
    }
}
