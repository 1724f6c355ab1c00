package org.admap.internal.score.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.admap.internal.json.Json;
import org.admap.score.ScoringAbortedException;

/**
 * A JSON-over-HTTP client for OpenAI-compatible servers (OpenAI, Azure, vLLM, Ollama,
 * llama.cpp, TGI/TEI) with the fault handling every scorer needs:
 * <ul>
 *   <li>429: waits what the server asks ({@code Retry-After}, {@code retry-after-ms},
 *       {@code x-ratelimit-reset-*}) and pauses every thread of the scorer meanwhile;</li>
 *   <li>5xx, 408, timeouts, dropped connections: exponential backoff with jitter, up to
 *       {@link RetryPolicy#maxRetries()};</li>
 *   <li>401, 403, 404 and an unreachable server: {@link ScoringAbortedException}, since
 *       every other call would fail the same way;</li>
 *   <li>other 4xx: {@link ApiException} at once (retrying cannot help).</li>
 * </ul>
 * Requests go through a shared {@link RateLimiter}. The API key is sent as a bearer token
 * and never appears in an exception, a log line or a returned body ({@link Secrets}).
 *
 * <p>Redirects are followed by hand, and only within the base URL's origin (scheme, host and
 * port): a server that redirects elsewhere would receive the key and could answer in the real
 * server's name, so such a redirect ends scoring with a message naming both origins.
 *
 * <p>Thread-safe.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * How to reach a server.
     *
     * @param baseUrl    e.g. {@code https://api.openai.com/v1} or {@code http://localhost:8000/v1}
     * @param apiKey     the key, or null for servers without one
     * @param timeout    per attempt: the whole exchange, from sending to the body's last byte
     * @param retry      retry policy
     * @param limiter    the rate limiter shared by the scorer's threads
     * @param headers    extra headers (e.g. Azure's {@code api-key}), values secret too
     * @param maxBodyBytes the largest answer read: a longer one is a failed call, read no further,
     *                   so a hostile or broken server cannot fill the memory
     */
    public record ApiSettings(URI baseUrl, String apiKey, Duration timeout, RetryPolicy retry, RateLimiter limiter,
                           Map<String, String> headers, long maxBodyBytes) {

        public ApiSettings {
            String url = baseUrl.toString();
            if (url.endsWith("/")) {
                baseUrl = URI.create(url.substring(0, url.length() - 1));
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LIMIT) {
                throw new IllegalArgumentException("--max-response-mb must be from 1 B to " + (MAX_BODY_LIMIT >> 20)
                        + " MB, got " + maxBodyBytes + " B");
            }
        }

        /** ApiSettings with the default answer size limit ({@link #DEFAULT_MAX_BODY_BYTES}). */
        public ApiSettings(URI baseUrl, String apiKey, Duration timeout, RetryPolicy retry, RateLimiter limiter,
                        Map<String, String> headers) {
            this(baseUrl, apiKey, timeout, retry, limiter, headers, DEFAULT_MAX_BODY_BYTES);
        }

        /** These settings with another answer size limit. */
        public ApiSettings withMaxBodyBytes(long bytes) {
            return new ApiSettings(baseUrl, apiKey, timeout, retry, limiter, headers, bytes);
        }
    }

    /**
     * 64 MiB: a thousand times a judge's answer, and room for an embedding answer of a few
     * thousand long vectors.
     */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

    /** The most a body can be at all (it is held in one array). */
    public static final long MAX_BODY_LIMIT = Integer.MAX_VALUE - 16;

    private final ApiSettings settings;
    private final HttpClient http;

    public ApiClient(ApiSettings settings) {
        this.settings = settings;
        boolean plain = "http".equalsIgnoreCase(settings.baseUrl().getScheme());
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .version(plain ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER) // by hand, within the origin: see send
                .build();
    }

    public ApiSettings settings() {
        return settings;
    }

    /** What this client's requests wait for now (a rate limit's pause), in words, or empty. */
    public Optional<String> waiting() {
        return settings.limiter().waiting();
    }

    /** The URL of a path under the base URL (for messages: never holds a secret). */
    public String url(String path) {
        return settings.baseUrl() + path;
    }

    /**
     * POSTs a JSON body and returns the JSON answer, retrying as the class describes.
     *
     * @param estimatedTokens for the tokens-per-minute limit
     */
    public ApiResponse postJson(String path, JsonNode body, long estimatedTokens)
            throws ApiException, InterruptedException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request", e);
        }
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        return send(path, request, estimatedTokens, true);
    }

    /** GETs a JSON resource. */
    public ApiResponse getJson(String path) throws ApiException, InterruptedException {
        return send(path, request(path).GET(), 0, true);
    }

    /** GETs a resource as text (a file's content). */
    public ApiResponse getText(String path) throws ApiException, InterruptedException {
        return send(path, request(path).GET(), 0, false);
    }

    /** POSTs a multipart form (file uploads), built by the caller. */
    public ApiResponse postMultipart(String path, String boundary, byte[] body)
            throws ApiException, InterruptedException {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(path, request, 0, true);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .header("User-Agent", "admap");
        if (settings.apiKey() != null && !settings.apiKey().isEmpty()) {
            b.header("Authorization", "Bearer " + settings.apiKey());
        }
        settings.headers().forEach(b::header);
        return b;
    }

    private ApiResponse send(String path, HttpRequest.Builder builder, long tokens, boolean expectJson)
            throws ApiException, InterruptedException {
        HttpRequest request = builder.build();
        RetryPolicy retry = settings.retry();
        long start = System.nanoTime();
        String lastProblem = null;
        int lastStatus = -1;
        String lastBody = null;
        for (int attempt = 1; attempt <= retry.maxRetries() + 1; attempt++) {
            settings.limiter().acquire(tokens);
            HttpResponse<byte[]> response;
            try {
                response = exchange(request);
            } catch (HttpTimeoutException e) {
                lastProblem = "no whole answer within " + seconds(settings.timeout())
                        + " (--timeout covers the headers and the body)";
                lastStatus = -1;
                backoff(retry, attempt);
                continue;
            } catch (CappedBody.TooLarge e) {
                throw new ApiException(-1, "the answer of " + url(path) + " is larger than the limit of "
                        + CappedBody.size(e.limit()) + " (--max-response-mb): not read", null, attempt);
            } catch (CappedBody.Failed e) {
                // Out of memory, or another error on the client's threads while reading: nothing
                // can be relied on any more, so the run ends (cleanly) instead of hanging.
                throw new ScoringAbortedException("reading the answer of " + url(path) + " failed: " + e.getCause()
                        + "; lower --concurrency or --max-response-mb, or give Java more memory", e.getCause());
            } catch (ConnectException e) {
                lastProblem = "cannot connect";
                lastStatus = -1;
                if (attempt > retry.maxRetries()) {
                    throw new ScoringAbortedException("cannot reach " + url(path) + " after " + attempt
                            + " attempts: is the server running, and is --base-url right?", e);
                }
                backoff(retry, attempt);
                continue;
            } catch (IOException e) {
                lastProblem = "connection failed (" + redact(e.getMessage()) + ")";
                lastStatus = -1;
                backoff(retry, attempt);
                continue;
            }
            int status = response.statusCode();
            String text = redact(new String(response.body(), StandardCharsets.UTF_8));
            long latency = (System.nanoTime() - start) / 1_000_000;
            lastStatus = status;
            lastBody = excerpt(text);
            if (status >= 200 && status < 300) {
                if (!expectJson) {
                    return new ApiResponse(status, null, text, attempt, latency);
                }
                try {
                    return new ApiResponse(status, JSON.readTree(text), text, attempt, latency);
                } catch (JsonProcessingException e) {
                    // A proxy's error page or a truncated answer: worth another try.
                    lastProblem = "the server answered HTTP " + status + " with malformed JSON";
                    backoff(retry, attempt);
                    continue;
                }
            }
            if (status == 429) {
                Optional<Duration> asked = RetryPolicy.requestedWait(response.headers());
                Duration wait = asked.orElse(retry.backoff(attempt));
                String header = RetryPolicy.requestHeader(response.headers());
                if (asked.isPresent() && wait.compareTo(retry.maxRequestedWait()) > 0) {
                    throw new ApiException(status, "rate limited (HTTP 429) by " + origin(request.uri())
                            + ", which asks to wait " + RetryPolicy.inWords(wait) + " (" + header + "): more than"
                            + " --max-retry-wait " + RetryPolicy.inWords(retry.maxRequestedWait())
                            + ", so the request failed", text, attempt);
                }
                settings.limiter().pause(wait, "rate limited (HTTP 429) by " + request.uri().getHost()
                        + (header.isEmpty() ? "" : ", as asked (" + header + ")"));
                lastProblem = "rate limited (HTTP 429)";
                continue; // the limiter holds the next attempt back
            }
            if (status == 401 || status == 403) {
                throw new ScoringAbortedException("the server at " + url(path) + " refused the request (HTTP "
                        + status + "): check the API key" + detail(text));
            }
            if (status == 404) {
                throw new ScoringAbortedException("HTTP 404 from " + url(path) + ": is --base-url right (it usually"
                        + " ends in /v1), and does the server serve this model?" + detail(text));
            }
            if (status == 408 || status == 409 || status >= 500) {
                lastProblem = "HTTP " + status;
                backoff(retry, attempt);
                continue;
            }
            throw new ApiException(status, "HTTP " + status + " from " + url(path) + detail(text), text, attempt);
        }
        throw new ApiException(lastStatus, "gave up after " + (retry.maxRetries() + 1) + " attempts at " + url(path)
                + ": " + lastProblem, lastBody, retry.maxRetries() + 1);
    }

    private static final int MAX_REDIRECTS = 5;

    /**
     * One exchange, following redirects that stay within the base URL's origin (the same
     * method, body and headers go to the new address); a redirect to another origin is
     * refused before anything is sent there.
     */
    private HttpResponse<byte[]> exchange(HttpRequest first) throws IOException, InterruptedException {
        HttpRequest request = first;
        for (int hop = 0; ; hop++) {
            HttpResponse<byte[]> response = sendOnce(request);
            int status = response.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (location.isEmpty()) {
                return response; // not followable: reported as the HTTP status it is
            }
            URI target;
            try {
                target = request.uri().resolve(location.get().strip());
            } catch (IllegalArgumentException e) {
                throw new ScoringAbortedException("the server at " + origin(request.uri()) + " redirected to an"
                        + " address that is not a URL: refusing it");
            }
            if (target.getScheme() == null || target.getHost() == null || !origin(target).equals(origin(first.uri()))) {
                throw new ScoringAbortedException("refusing a redirect (HTTP " + status + ") from "
                        + origin(first.uri()) + " to " + (target.getHost() == null ? "an address without a host"
                        : origin(target)) + ": the API key and the data are never sent to another origin;"
                        + " give --base-url the address that answers");
            }
            if (hop >= MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects");
            }
            request = HttpRequest.newBuilder(request, (name, value) -> true).uri(target).build();
        }
    }

    /** One request and its answer, read up to the size limit. */
    /**
     * One request and its answer, read up to the size limit, all within the timeout: a
     * server that sends its headers at once and then a byte now and then fails the attempt
     * when the time is up (the request's own timeout covers the headers only).
     */
    private HttpResponse<byte[]> sendOnce(HttpRequest request) throws IOException, InterruptedException {
        AtomicReference<CappedBody> body = new AtomicReference<>();
        HttpResponse.BodyHandler<byte[]> capped = CappedBody.handler(settings.maxBodyBytes());
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info -> {
            HttpResponse.BodySubscriber<byte[]> s = capped.apply(info);
            body.set((CappedBody) s);
            return s;
        });
        try {
            return answer.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(answer, body.get());
            throw new HttpTimeoutException("no whole answer within the timeout");
        } catch (InterruptedException e) {
            abandon(answer, body.get());
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof Error || cause instanceof RuntimeException) {
                throw new CappedBody.Failed(cause);
            }
            throw new IOException(cause);
        }
    }

    /** Gives up an exchange: the connection is dropped, not left to drip on. */
    private static void abandon(CompletableFuture<?> answer, CappedBody body) {
        if (body != null) {
            body.cancel();
        }
        answer.cancel(true);
    }

    /** {@code scheme://host:port}, the port always written (the default one of the scheme when absent). */
    static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    private void backoff(RetryPolicy retry, int attempt) throws InterruptedException {
        if (attempt <= retry.maxRetries()) {
            Thread.sleep(retry.backoff(attempt).toMillis());
        }
    }

    private String redact(String text) {
        String r = Secrets.redact(text, settings.apiKey());
        for (String v : settings.headers().values()) {
            r = Secrets.redact(r, v);
        }
        return r;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s",
                d.toMillis() / 1e3);
    }

    private static String detail(String body) {
        String e = excerpt(body);
        return e.isEmpty() ? "" : ": " + e;
    }

    /** The server's error message when it sends OpenAI's error object, else the body's start. */
    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode message = n.path("error").path("message");
            if (message.isTextual()) {
                return oneLine(message.asText());
            }
            if (n.path("error").isTextual()) {
                return oneLine(n.path("error").asText());
            }
            if (n.path("detail").isTextual()) {
                return oneLine(n.path("detail").asText());
            }
        } catch (IOException notJson) {
            // fall through
        }
        return oneLine(body);
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** Reads the key from an environment variable; null (and no header) when it is unset or empty. */
    public static String keyFromEnvironment(String variable) {
        String v = System.getenv(variable);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Whether a base URL points at OpenAI itself (where a key is required). */
    public static boolean isOpenAi(URI baseUrl) {
        return Optional.ofNullable(baseUrl.getHost()).map(h -> h.toLowerCase(Locale.ROOT).endsWith("openai.com"))
                .orElse(false);
    }
}
