package org.admap.internal.ingest.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.admap.internal.score.http.RetryPolicy;

/**
 * Where the Hugging Face Hub is and how to talk to it: what {@link HubDataset} and
 * {@link InputResolver} are made with.
 *
 * @param endpoint the Hub's address ({@link HubDataset#DEFAULT_ENDPOINT}, or a mirror)
 * @param token    the access token, or null
 * @param cache    the cache's root: files go to {@code cache/datasets/OWNER/NAME/REVISION/PATH}
 * @param retry    retries of a listing page or a download after a broken connection, 429 or 5xx
 * @param timeout  to connect, and the longest silence of a server while it answers
 */
public record HubSettings(URI endpoint, String token, Path cache, RetryPolicy retry, Duration timeout) {

    public HubSettings {
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
    public static HubSettings of(URI endpoint, String token, Path cache) {
        return new HubSettings(endpoint, token, cache,
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
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "***") + ", cache=" + cache
                + ", retry=" + retry + ", timeout=" + timeout + "]";
    }
}
