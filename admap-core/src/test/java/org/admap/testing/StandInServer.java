package org.admap.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A local stand-in for the servers admap talks to, started by tests on 127.0.0.1 with a free
 * port: OpenAI-compatible chat completions (a judge), embeddings, files and batches; a vLLM
 * {@code /pooling} and a TEI {@code /predict} reward model; and the Hugging Face Hub's tree
 * listing and file downloads. Everything it answers is deterministic, derived from the
 * request's text, so tests can compute the expected scores.
 *
 * <p>It can be told to misbehave: add latency, answer 429 with {@code Retry-After}, fail
 * with 500, hang past the client's timeout, answer malformed JSON or an unparseable judge
 * reply, refuse structured outputs, drop a download half way. It counts every request and
 * remembers which (instruction, response) pairs were judged, so tests can prove that no
 * call was made twice.
 */
public final class StandInServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESPONSE = Pattern.compile("\\[Response (\\d+)]\\n(.*?)(?=\\n\\n\\[Response " +
            "\\d+]\\n|\\z)",
            Pattern.DOTALL);
    /** The instruction, or a conversation's transcript, of a judging prompt. */
    private static final Pattern INSTRUCTION = Pattern.compile(
            "\\[(?:Instruction|Conversation)]\\n(.*?)(?:\\n\\[End of conversation])?\\n\\n\\[Response", Pattern.DOTALL);
    private static final Pattern ONE_RESPONSE = Pattern.compile("\\[Response]\\n(.*?)\\n\\nAnswer with",
            Pattern.DOTALL);

    private final HttpServer server;
    private final ExecutorService executor;

    // ---- behaviour, settable by tests ----
    private volatile long latencyMs;
    private volatile int rateLimitFirst;          // the first N requests get 429
    private volatile int rateLimitEvery;          // every N-th request gets 429 (0: never)
    private volatile double retryAfterSeconds = 0.05;
    private volatile int serverErrorEvery;        // every N-th request gets 500
    private volatile int hangEvery;               // every N-th request sleeps hangMs
    private volatile long hangMs = 5_000;
    private volatile int malformedJsonEvery;      // every N-th 200 has a body that is not JSON
    private volatile int unparseableReplyEvery;   // every N-th judge reply has no score (a stricter ask fixes it)
    private volatile boolean alwaysUnparseable;   // judge replies never hold a score
    private volatile boolean refuseJsonSchema;    // 400 on response_format json_schema
    private volatile String requiredKey;          // 401 unless "Bearer <key>"
    private volatile int batchPollsUntilDone = 2;
    private volatile long dropDownloadAfterBytes = -1; // first download of each file is cut after N bytes
    private volatile String poolingShape = "list";   // how /pooling shapes data[0].data
    private volatile List<String> teiLabels = List.of("LABEL_0"); // the /predict model's labels
    private volatile long dropDownloadStallMs;    // ... after going silent this long (a stalled connection)
    private volatile int batchLineFailureEvery;   // every N-th line of a batch fails (500, in the error file)
    private volatile boolean hubLfs;              // the tree listing gives every file an lfs object (sha256)
    private volatile String hubToken;             // hub requests get 401 unless "Bearer <token>"
    private volatile String batchEndStatus = "completed"; // how batches created from now on end
    private volatile int batchEndAnswered = -1;   // lines answered before a batch that does not complete ends
    private volatile String logprobs = "full";    // how chat answers asked for log-probabilities carry them
    private volatile boolean digitRationales;     // judge rationales full of digits (and of digit alternatives)
    private volatile int rationaleChars;          // a full rationale padded to this length (0: the short default)
    private volatile boolean noisy;               // at temperature > 0 the score moves by -1..+1 with the seed
    private volatile int freshNoise;              // > 0: at temperature > 0, an independent -n..+n per seed
    private volatile java.util.function.BiPredicate<String, Long> noisyCall = (i, seed) -> true; // which calls
    private volatile int redirectStatus;          // every request answered with this 3xx ...
    private volatile String redirectTo;           // ... and Location: redirectTo + the request's path
    private volatile String hubRedirectTo;        // hub downloads redirected to redirectTo + path (a storage host)
    private volatile long dripMs;                 // answers sent one byte every dripMs after the headers
    private volatile long hugeBodyBytes;          // answers padded with spaces to this many bytes
    private volatile String usageRaw;             // usage.prompt_tokens of chat and pooling answers, as JSON text
    private volatile String judgeContent;         // every judge reply's content, as it is
    private volatile String rewardRaw;            // the /pooling reward, as JSON number text
    private volatile Map<String, String> rateLimitHeaders; // headers of the 429s instead of Retry-After

    // ---- what happened ----
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> judged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> judgedWithSeed = new ConcurrentHashMap<>();
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> chatBodies = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> poolingBodies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong promptTokens = new AtomicLong();
    private final CompletionsStandIn completions = new CompletionsStandIn();

    // ---- files, batches, hub ----
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> batches = new ConcurrentHashMap<>();
    private final Map<String, Object[]> batchEnds = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Path> hubRepos = new ConcurrentHashMap<>();
    private final Set<String> droppedOnce = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> hubListedSizes = new ConcurrentHashMap<>();
    private final Map<String, String> hubListedSha256 = new ConcurrentHashMap<>();
    private final List<String> hubRanges = Collections.synchronizedList(new ArrayList<>());

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's
        // algorithm meets the client's delayed ACK and every answer waits 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private StandInServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        executor = Executors.newFixedThreadPool(300, r -> {
            Thread t = new Thread(r, "stand-in");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static StandInServer start() throws IOException {
        StandInServer s = new StandInServer();
        s.server.start();
        return s;
    }

    /** {@code http://127.0.0.1:PORT/v1}, the OpenAI-style base URL. */
    public String baseUrl() {
        return root() + "/v1";
    }

    /** {@code http://127.0.0.1:PORT}, for vLLM/TEI paths and the Hub. */
    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- configuration ----------------------------------------------------------------------

    /**
     * How judge answers carry log-probabilities when a request asks for them ({@code logprobs:
     * true}): {@code full} (OpenAI's shape, every digit run one token: "10" is one token),
     * {@code digits} (one token per digit, as Llama 2 and Mistral write numbers: 10 is "1" then
     * "0"), {@code none} (no {@code logprobs} at all), {@code null} ({@code "logprobs": null}),
     * {@code truncated} (the token list stops before the score), {@code malformed} (tokens that
     * do not spell the answer), {@code malformed-number} (a score token's logprob is not a number),
     * {@code no-alternatives} (no {@code top_logprobs}).
     */
    public StandInServer logprobs(String mode) {
        this.logprobs = mode;
        return this;
    }

    /** Judge rationales full of digits, whose tokens have digit alternatives too. */
    public StandInServer digitRationales(boolean on) {
        this.digitRationales = on;
        return this;
    }

    /** Full rationales padded to {@code chars} characters (about 150 tokens at 600), for measuring tokens. */
    public StandInServer rationaleChars(int chars) {
        this.rationaleChars = chars;
        return this;
    }

    /** A judge whose score moves by -1, 0 or +1 with the request's seed when its temperature is above 0. */
    public StandInServer noisy(boolean on) {
        this.noisy = on;
        return this;
    }

    /**
     * A judge that adds fresh noise to every judgment at temperature above 0: the score moves by a
     * uniform whole number from {@code -spread} to {@code +spread}, clipped to 1..10, drawn by a
     * mixing hash of the response and the request's seed, so that two seeds (two samples, two
     * runs with other {@code --seed}s) give independent draws while a repeated request gets the
     * same answer. Unlike {@link #noisy}, whose draws at neighbouring seeds are correlated (the
     * seed is the last character of a string hash). 0 turns it off.
     */
    public StandInServer freshNoise(int spread) {
        this.freshNoise = spread;
        return this;
    }

    /** The fresh-noise judge's score ({@link #freshNoise}) at a seed. */
    public static int freshNoiseScore(String response, long seed, int spread) {
        long z = response.strip().hashCode() * 0x9E3779B97F4A7C15L + seed * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        int moved = judgeScore(response) + (int) Math.floorMod(z, (long) (2 * spread + 1)) - spread;
        return Math.max(1, Math.min(10, moved));
    }

    private int noisyJudgeScore(String response, long seed, boolean noise) {
        if (!noise) {
            return judgeScore(response);
        }
        int spread = freshNoise;
        return spread > 0 ? freshNoiseScore(response, seed, spread) : noisyScore(response, seed);
    }

    /**
     * A {@linkplain #noisy noisy} judge's noise only on the calls whose instruction text and
     * seed match: the others get the exact score (samples that agree: a standard error of 0).
     */
    public StandInServer noisyOnly(java.util.function.BiPredicate<String, Long> instructionAndSeed) {
        this.noisyCall = instructionAndSeed;
        return this;
    }

    public StandInServer latency(long ms) {
        this.latencyMs = ms;
        return this;
    }

    public StandInServer rateLimitFirst(int n, double retryAfterSeconds) {
        this.rateLimitFirst = n;
        this.retryAfterSeconds = retryAfterSeconds;
        return this;
    }

    public StandInServer rateLimitEvery(int n) {
        this.rateLimitEvery = n;
        return this;
    }

    public StandInServer serverErrorEvery(int n) {
        this.serverErrorEvery = n;
        return this;
    }

    public StandInServer hangEvery(int n, long ms) {
        this.hangEvery = n;
        this.hangMs = ms;
        return this;
    }

    public StandInServer malformedJsonEvery(int n) {
        this.malformedJsonEvery = n;
        return this;
    }

    public StandInServer unparseableReplyEvery(int n) {
        this.unparseableReplyEvery = n;
        return this;
    }

    public StandInServer alwaysUnparseable(boolean on) {
        this.alwaysUnparseable = on;
        return this;
    }

    public StandInServer refuseJsonSchema(boolean on) {
        this.refuseJsonSchema = on;
        return this;
    }

    public StandInServer requireKey(String key) {
        this.requiredKey = key;
        return this;
    }

    public StandInServer batchPollsUntilDone(int n) {
        this.batchPollsUntilDone = n;
        return this;
    }

    /** Every N-th line of a batch fails with HTTP 500 and goes to the batch's error file (0: none). */
    public StandInServer batchLineFailureEvery(int n) {
        this.batchLineFailureEvery = n;
        return this;
    }

    /**
     * How the batches created from now on end: {@code completed} (the default), or
     * {@code expired} / {@code cancelled} after answering only their first {@code answered}
     * lines (the others are listed in the error file as not run, as OpenAI does), or
     * {@code failed} (validation failed: no output at all).
     */
    public StandInServer batchesEnd(String status, int answered) {
        this.batchEndStatus = status;
        this.batchEndAnswered = answered;
        return this;
    }

    /** Serves the files under {@code dir} as the Hub dataset {@code owner/name}. */
    public StandInServer hubDataset(String repo, Path dir) {
        hubRepos.put(repo, dir);
        return this;
    }

    /** Lists every Hub file with an {@code lfs} object holding its SHA-256, as the Hub does for LFS files. */
    public StandInServer hubLfs(boolean on) {
        this.hubLfs = on;
        return this;
    }

    /** Answers Hub requests with 401 unless they carry this bearer token (a gated dataset). */
    public StandInServer hubRequireToken(String token) {
        this.hubToken = token;
        return this;
    }

    /** Lists a Hub file with a wrong size (the listing lies, or the download is not the file listed). */
    public StandInServer hubListSize(String repo, String path, long size) {
        hubListedSizes.put(repo + ":" + path, size);
        return this;
    }

    /** Lists a Hub file with this SHA-256 in its lfs object (implies nothing else about other files). */
    public StandInServer hubListSha256(String repo, String path, String sha256) {
        hubListedSha256.put(repo + ":" + path, sha256);
        return this;
    }

    /** Like {@link #dropDownloadsAfter}, but the server first goes silent for {@code ms} (a stalled download). */
    public StandInServer stallDownloadsAfter(long bytes, long ms) {
        this.dropDownloadAfterBytes = bytes;
        this.dropDownloadStallMs = ms;
        return this;
    }

    /** The Range headers of Hub downloads, in order. */
    public List<String> hubRanges() {
        return hubRanges;
    }

    /** Cuts the first download of every file after this many bytes (a broken connection). */
    public StandInServer dropDownloadsAfter(long bytes) {
        this.dropDownloadAfterBytes = bytes;
        return this;
    }

    /**
     * How {@code /pooling} shapes its answer's {@code data[0].data}: {@code "list"} (default,
     * {@code [reward]}), {@code "scalar"} ({@code reward}) or {@code "tokens"} (per-token lists,
     * {@code [[-1, 0.5], [0, 0.25], [1, reward]]}), as vLLM does for different poolers.
     */
    public StandInServer poolingShape(String shape) {
        this.poolingShape = shape;
        return this;
    }

    /**
     * The labels of the {@code /predict} model. The first label's score is the {@link #reward},
     * the i-th other's is i minus the reward; the answer lists them highest score first, as TEI
     * does, so which label comes first changes from one response to the next.
     */
    public StandInServer teiLabels(String... labels) {
        this.teiLabels = List.of(labels);
        return this;
    }

    /**
     * Answers every request with {@code status} (301, 302, 307, 308) and
     * {@code Location: root + path}: a server sending its clients, and their key, elsewhere.
     */
    public StandInServer redirectTo(int status, String root) {
        this.redirectStatus = status;
        this.redirectTo = root;
        return this;
    }

    /** Redirects Hub downloads to {@code root} + the same path, as the Hub sends downloads to its storage. */
    public StandInServer hubRedirectDownloadsTo(String root) {
        this.hubRedirectTo = root;
        return this;
    }

    /** Sends the headers of every answer at once, then its body one byte every {@code ms} (0: off). */
    public StandInServer dripBody(long ms) {
        this.dripMs = ms;
        return this;
    }

    /** Pads every chat and pooling answer with spaces up to {@code bytes} (0: off), streamed without a length. */
    public StandInServer hugeBody(long bytes) {
        this.hugeBodyBytes = bytes;
        return this;
    }

    /** Reports {@code usage.prompt_tokens} as this JSON number text ("1e30", "-5", "10000..."); null: the real count.
     * */
    public StandInServer usagePromptTokens(String json) {
        this.usageRaw = json;
        return this;
    }

    /** Every judge reply's content, word for word (null: the deterministic judge). */
    public StandInServer judgeContent(String content) {
        this.judgeContent = content;
        return this;
    }

    /** The /pooling reward as this JSON number text (null: the deterministic reward). */
    public StandInServer rewardRaw(String json) {
        this.rewardRaw = json;
        return this;
    }

    /** The first {@code n} requests get 429 with these headers (e.g. {@code Retry-After: 100000}). */
    public StandInServer rateLimitFirst(int n, Map<String, String> headers) {
        this.rateLimitFirst = n;
        this.rateLimitHeaders = Map.copyOf(headers);
        return this;
    }

    /** The language model behind {@code /v1/completions} (echo and log-probabilities), to set and observe. */
    public CompletionsStandIn completions() {
        return completions;
    }

    // ---- observation ------------------------------------------------------------------------

    public int requests() {
        return requests.get();
    }

    public int requests(String path) {
        AtomicInteger n = byPath.get(path);
        return n == null ? 0 : n.get();
    }

    /** How many times each (instruction, response) was judged successfully. */
    /** How often each (instruction, response, seed) was judged: one key per judgment asked for. */
    public Map<String, AtomicInteger> judgedWithSeed() {
        return judgedWithSeed;
    }

    public Map<String, AtomicInteger> judged() {
        return judged;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    public List<JsonNode> chatBodies() {
        return chatBodies;
    }

    /** The bodies of the {@code /pooling} requests received. */
    public List<JsonNode> poolingBodies() {
        return poolingBodies;
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public long promptTokens() {
        return promptTokens.get();
    }

    // ---- the deterministic "models" ---------------------------------------------------------

    /** The stand-in judge's score of a response: 1..10 from a hash of its text. */
    public static int judgeScore(String response) {
        return 1 + Math.floorMod(response.strip().hashCode(), 10);
    }

    /** The noisy judge's score at a seed (temperature above 0): the score moved by -1, 0 or +1, within 1..10. */
    public static int noisyScore(String response, long seed) {
        int moved = judgeScore(response) + Math.floorMod((response.strip() + "#" + seed).hashCode(), 3) - 1;
        return Math.max(1, Math.min(10, moved));
    }

    /**
     * The probabilities the stand-in's log-probabilities give the tokens at a score written as
     * {@code s}: 0.6 for s, 0.2 for each neighbour within 1..10, and 0.05 for a token that is
     * not a score. Renormalised over the scores, that is what {@code --logprobs} should read.
     */
    public static Map<Integer, Double> scoreTokenProbabilities(int s) {
        Map<Integer, Double> p = new java.util.TreeMap<>();
        p.put(s, 0.6);
        if (s > 1) {
            p.put(s - 1, 0.2);
        }
        if (s < 10) {
            p.put(s + 1, 0.2);
        }
        return p;
    }

    /** The expected score {@code --logprobs} should read for a written score s of the stand-in. */
    public static double expectedScore(int s) {
        double total = 0;
        double sum = 0;
        for (Map.Entry<Integer, Double> e : scoreTokenProbabilities(s).entrySet()) {
            total += e.getValue();
            sum += e.getKey() * e.getValue();
        }
        return sum / total;
    }

    /** The stand-in reward model's logit of (prompt, response). */
    public static double reward(String prompt, String response) {
        return Math.floorMod((prompt + "\u0000" + response).hashCode(), 2001) / 100.0 - 10.0;
    }

    /** The stand-in embedding: an 8-dimensional bag of character trigrams, so similar texts are close. */
    public static float[] embedding(String text) {
        float[] v = new float[8];
        String t = text.toLowerCase();
        for (int i = 0; i + 3 <= t.length(); i++) {
            v[Math.floorMod(t.substring(i, i + 3).hashCode(), 8)] += 1;
        }
        if (t.length() < 3) {
            v[0] += 1;
        }
        return v;
    }

    /** The stand-in reference writer's answer to a prompt. */
    public static String referenceAnswer(String prompt) {
        return "A careful answer to: " + prompt.strip();
    }

    // ---- dispatch ---------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        int n = requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        byPath.computeIfAbsent(path.replaceAll("/(file|batch)-\\d+", "/$1-ID"), k -> new AtomicInteger())
                .incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizations.add(auth);
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (redirectTo != null) {
                String query = ex.getRequestURI().getRawQuery();
                ex.getResponseHeaders().add("Location", redirectTo + path + (query == null ? "" : "?" + query));
                send(ex, redirectStatus, "");
                return;
            }
            if (path.startsWith("/api/datasets/") || path.startsWith("/datasets/")) {
                hub(ex, path);
                return;
            }
            if (requiredKey != null && !("Bearer " + requiredKey).equals(auth)) {
                send(ex, 401, "{\"error\": {\"message\": \"Incorrect API key provided: " + mask(auth)
                        + ". You can find your API key at https://platform.openai.com.\", \"type\": "
                        + "\"invalid_request_error\"}}");
                return;
            }
            if (latencyMs > 0) {
                sleep(latencyMs);
            }
            if (n <= rateLimitFirst || (rateLimitEvery > 0 && n % rateLimitEvery == 0)) {
                Map<String, String> headers = rateLimitHeaders;
                if (headers != null) {
                    headers.forEach(ex.getResponseHeaders()::add);
                } else {
                    ex.getResponseHeaders().add("Retry-After", Double.toString(retryAfterSeconds));
                }
                send(ex, 429, "{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"requests\"}}");
                return;
            }
            if (serverErrorEvery > 0 && n % serverErrorEvery == 0) {
                send(ex, 500, "{\"error\": {\"message\": \"The server had an error\"}}");
                return;
            }
            if (hangEvery > 0 && n % hangEvery == 0) {
                sleep(hangMs);
            }
            if (malformedJsonEvery > 0 && n % malformedJsonEvery == 0) {
                send(ex, 200, "<html>502 Bad Gateway</html>");
                return;
            }
            String method = ex.getRequestMethod();
            if (path.equals("/v1/chat/completions")) {
                chat(ex, JSON.readTree(body), n);
            } else if (path.equals("/v1/completions")) {
                String[] answer = completions.answer(JSON.readTree(body));
                send(ex, Integer.parseInt(answer[0]), answer[1]);
            } else if (path.equals("/v1/embeddings")) {
                embeddings(ex, JSON.readTree(body));
            } else if (path.equals("/pooling")) {
                pooling(ex, JSON.readTree(body));
            } else if (path.equals("/predict")) {
                predict(ex, JSON.readTree(body));
            } else if (path.equals("/v1/files") && method.equals("POST")) {
                upload(ex, body);
            } else if (path.startsWith("/v1/files/") && path.endsWith("/content")) {
                String id = path.substring("/v1/files/".length(), path.length() - "/content".length());
                byte[] content = files.get(id);
                if (content == null) {
                    send(ex, 404, "{\"error\": {\"message\": \"No such file\"}}");
                } else {
                    sendBytes(ex, 200, content, "application/octet-stream");
                }
            } else if (path.equals("/v1/batches") && method.equals("POST")) {
                createBatch(ex, JSON.readTree(body));
            } else if (path.startsWith("/v1/batches/")) {
                pollBatch(ex, path.substring("/v1/batches/".length()));
            } else {
                send(ex, 404, "{\"error\": {\"message\": \"Unknown path " + path + "\"}}");
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"error\": {\"message\": \"stand-in failure: " + e + "\"}}");
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    // ---- chat: the judge and the reference writer -------------------------------------------

    private void chat(HttpExchange ex, JsonNode request, int n) throws IOException {
        chatBodies.add(request);
        if (refuseJsonSchema && "json_schema".equals(request.path("response_format").path("type").asText())) {
            send(ex, 400, "{\"error\": {\"message\": \"Invalid parameter: 'response_format' of type 'json_schema'"
                    + " is not supported with this model.\", \"param\": \"response_format\"}}");
            return;
        }
        answer(ex, JSON.writeValueAsString(chatAnswer(request, n)));
    }

    /** Sends a 200 answer, dripped or padded when told to. */
    private void answer(HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        if (dripMs <= 0 && hugeBodyBytes <= 0) {
            sendBytes(ex, 200, body, "application/json");
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0); // chunked: no length announced
        try (OutputStream out = ex.getResponseBody()) {
            out.flush();
            if (dripMs > 0) {
                for (byte b : body) {
                    sleep(dripMs);
                    out.write(b);
                    out.flush();
                }
                return;
            }
            out.write(body, 0, body.length - 1); // all but the closing brace, then spaces
            byte[] spaces = new byte[1 << 16];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (long sent = body.length; sent < hugeBodyBytes; sent += spaces.length) {
                out.write(spaces);
            }
            out.write('}');
        } catch (IOException ignored) {
            // the client gave up (a cap or a deadline)
        }
    }

    /**
     * A message's text: its content string, or the text parts of an OpenAI vision content list
     * ({@code [{"type": "text", "text": ...}, {"type": "image_url", ...}]}) joined.
     */
    static String contentText(JsonNode content) {
        if (!content.isArray()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                sb.append(part.path("text").asText());
            }
        }
        return sb.toString();
    }

    /** The chat answer to a request (also used for batch lines). */
    private ObjectNode chatAnswer(JsonNode request, int n) {
        JsonNode messages = request.path("messages");
        String user = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText()) && user.isEmpty()) {
                user = contentText(m.path("content")); // the first: a stricter follow-up only repeats the request
            }
        }
        boolean stricter = messages.size() > 2;
        String content;
        if (!user.contains("[Instruction]") && !user.contains("[Conversation]")) {
            content = referenceAnswer(user); // not a judging prompt: write a reference answer
        } else if (alwaysUnparseable || (!stricter && unparseableReplyEvery > 0 && n % unparseableReplyEvery == 0)) {
            content = "I would say this response is rather good overall.";
        } else if (judgeContent != null) {
            content = judgeContent;
        } else {
            content = judgeReply(user, request);
        }
        long in = 0;
        for (JsonNode m : messages) {
            in += m.path("content").asText().length() / 4 + 4;
        }
        promptTokens.addAndGet(in);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", "chatcmpl-" + ids.incrementAndGet());
        answer.put("object", "chat.completion");
        answer.put("model", request.path("model").asText());
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        if (request.path("logprobs").asBoolean(false) && !logprobs.equals("none")) {
            choice.set("logprobs", logprobsOf(content));
        }
        choice.put("finish_reason", "stop");
        ObjectNode usage = answer.putObject("usage");
        usage.put("prompt_tokens", in).put("completion_tokens", content.length() / 4 + 1)
                .put("total_tokens", in + content.length() / 4 + 1);
        if (usageRaw != null) {
            usage.set("prompt_tokens", rawNumber(usageRaw));
        }
        return answer;
    }

    private String judgeReply(String user, JsonNode request) {
        Matcher ins = INSTRUCTION.matcher(user);
        String instruction = ins.find() ? ins.group(1) : "";
        long seed = request.path("seed").asLong(0);
        boolean noise = (noisy || freshNoise > 0) && request.path("temperature").asDouble(0) > 0
                && noisyCall.test(instruction, seed);
        Matcher one = ONE_RESPONSE.matcher(user);
        boolean rationale = user.contains("\"rationale\"");
        if (user.contains("[Response]") && one.find()) {
            String response = one.group(1);
            judged.computeIfAbsent(instruction + "\u0000" + response, k -> new AtomicInteger()).incrementAndGet();
            judgedWithSeed.computeIfAbsent(instruction + "\u0000" + response + "\u0000" + seed,
                    k -> new AtomicInteger()).incrementAndGet();
            int s = noisyJudgeScore(response, seed, noise);
            if (user.contains("\"helpfulness\": <1-10>")) {
                return "{\"rationale\": \"ok\", \"helpfulness\": " + s + ", \"honesty\": " + Math.max(1, s - 1)
                        + ", \"instruction_following\": " + s + ", \"truthfulness\": " + Math.min(10, s + 1) + "}";
            }
            String why = rationale ? "\"rationale\": \"" + rationale(user, "Judged by the stand-in.") + "\", " : "";
            return "```json\n{" + why + "\"score\": " + s + "}\n```";
        }
        StringBuilder sb = new StringBuilder("{\"scores\": [");
        Matcher m = RESPONSE.matcher(user.substring(user.indexOf("[Response 1]")));
        int i = 0;
        while (m.find()) {
            String response = m.group(2).strip();
            if (response.contains("\n\nAnswer with only a JSON object")) {
                response = response.substring(0, response.indexOf("\n\nAnswer with only a JSON object")).strip();
            }
            judged.computeIfAbsent(instruction + "\u0000" + response, k -> new AtomicInteger()).incrementAndGet();
            judgedWithSeed.computeIfAbsent(instruction + "\u0000" + response + "\u0000" + seed,
                    k -> new AtomicInteger()).incrementAndGet();
            if (i++ > 0) {
                sb.append(", ");
            }
            sb.append("{\"response\": ").append(m.group(1));
            if (rationale) {
                sb.append(", \"rationale\": \"").append(rationale(user, "fine")).append('"');
            }
            sb.append(", \"score\": ").append(noisyJudgeScore(response, seed, noise)).append('}');
        }
        return sb.append("]}").toString();
    }

    /** The rationale the stand-in writes: the default, a few words when asked for few, padded or full of digits. */
    private String rationale(String user, String normal) {
        String r = user.contains("<at most") ? "Fine overall." : normal;
        if (digitRationales) {
            r = "Scores 3 of 10 on facts, 7/10 on style, 9 in 2024 terms; 10 points.";
        }
        if (!user.contains("<at most")) {
            StringBuilder sb = new StringBuilder(r);
            while (sb.length() < rationaleChars) {
                sb.append(" It addresses the request and is mostly accurate.");
            }
            r = sb.toString();
        }
        return r;
    }

    // ---- log-probabilities -------------------------------------------------------------------

    private static final Pattern WHOLE_NUMBERS = Pattern.compile("\\s?[A-Za-z]+|\\s?\\d{1,3}|\\s+|[^\\sA-Za-z0-9]");
    private static final Pattern SINGLE_DIGITS = Pattern.compile("\\s?[A-Za-z]+|\\s?\\d|\\s+|[^\\sA-Za-z0-9]");
    private static final Pattern SCORE_BEFORE = Pattern.compile("\"score\":\\s*$");

    /**
     * {@code choices[0].logprobs} for a judge answer, in OpenAI's shape: {@code content[]} of
     * {@code token}, {@code logprob}, {@code bytes}, {@code top_logprobs[]}. The token at a
     * score's value gets {@link #scoreTokenProbabilities}; other tokens are near certain.
     */
    private JsonNode logprobsOf(String content) {
        String mode = logprobs;
        if (mode.equals("null")) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        ObjectNode lp = JSON.createObjectNode();
        ArrayNode list = lp.putArray("content");
        lp.putNull("refusal");
        Matcher m = (mode.equals("digits") ? SINGLE_DIGITS : WHOLE_NUMBERS).matcher(content);
        while (m.find()) {
            String token = m.group();
            String before = content.substring(0, m.start());
            String digits = token.strip();
            boolean score = !digits.isEmpty() && Character.isDigit(digits.charAt(0))
                    && SCORE_BEFORE.matcher(before).find();
            boolean secondDigit = mode.equals("digits") && !digits.isEmpty() && Character.isDigit(digits.charAt(0))
                    && before.endsWith("1") && SCORE_BEFORE.matcher(before.substring(0, before.length() - 1)).find();
            if (score && mode.equals("truncated")) {
                break;
            }
            ObjectNode t = list.addObject();
            String written = mode.equals("malformed") && score ? token + "x" : token;
            t.put("token", written);
            ArrayNode top = JSON.createArrayNode();
            String prefix = token.substring(0, token.length() - digits.length());
            if (secondDigit) {
                // after "1" where 10 was written: "0" (10) or the end of the number (1)
                t.put("logprob", Math.log(0.9));
                alternative(top, token, Math.log(0.9));
                alternative(top, "}", Math.log(0.1));
            } else if (score) {
                int s = mode.equals("digits") && digits.equals("1") && content.startsWith("0", m.end()) ? 10
                        : Integer.parseInt(digits);
                t.put("logprob", Math.log(0.6));
                for (Map.Entry<Integer, Double> e : scoreTokenProbabilities(s).entrySet()) {
                    String text = mode.equals("digits") && e.getKey() == 10 ? "1" : Integer.toString(e.getKey());
                    if (e.getKey() == s) {
                        alternative(top, token, Math.log(e.getValue()));
                    } else {
                        alternative(top, prefix + text, Math.log(e.getValue()));
                    }
                }
                alternative(top, prefix + "\"", Math.log(0.05));
            } else if (!digits.isEmpty() && Character.isDigit(digits.charAt(0))) {
                // a digit in a rationale: a trap for readers that look for the first digit
                int d = Integer.parseInt(digits);
                t.put("logprob", Math.log(0.5));
                alternative(top, token, Math.log(0.5));
                alternative(top, prefix + (d % 10 + 1), Math.log(0.5));
            } else {
                t.put("logprob", 0.0);
                alternative(top, token, 0.0);
            }
            ArrayNode bytes = t.putArray("bytes");
            for (byte b : written.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b & 0xFF);
            }
            if (score && mode.equals("malformed-number")) {
                t.put("logprob", "high");
            }
            if (!mode.equals("no-alternatives")) {
                t.set("top_logprobs", top);
            } else {
                t.putArray("top_logprobs");
            }
        }
        return lp;
    }

    private static void alternative(ArrayNode top, String token, double logprob) {
        ObjectNode a = top.addObject();
        a.put("token", token);
        a.put("logprob", logprob);
        ArrayNode bytes = a.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xFF);
        }
    }

    // ---- embeddings and reward models ---------------------------------------------------------

    private void embeddings(HttpExchange ex, JsonNode request) throws IOException {
        JsonNode input = request.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(t -> texts.add(t.asText()));
        } else {
            texts.add(input.asText());
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("object", "list");
        ArrayNode data = answer.putArray("data");
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            d.put("index", i);
            ArrayNode v = d.putArray("embedding");
            for (float f : embedding(texts.get(i))) {
                v.add(f);
            }
            tokens += texts.get(i).length() / 4 + 1;
        }
        answer.put("model", request.path("model").asText());
        answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        send(ex, 200, JSON.writeValueAsString(answer));
    }

    /** vLLM's pooling API: messages in, the reward head's output out (one value per class). */
    private void pooling(HttpExchange ex, JsonNode request) throws IOException {
        poolingBodies.add(request);
        String prompt = "";
        String response = "";
        for (JsonNode m : request.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                prompt = m.path("content").asText();
            } else if ("assistant".equals(m.path("role").asText())) {
                response = m.path("content").asText();
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("object", "list");
        ObjectNode d = answer.putArray("data").addObject();
        d.put("index", 0);
        d.put("object", "pooling");
        double reward = reward(prompt, response);
        switch (poolingShape) {
            case "scalar" -> d.put("data", reward);
            case "tokens" -> {
                ArrayNode tokens = d.putArray("data");
                tokens.addArray().add(-1.0).add(0.5);
                tokens.addArray().add(0.0).add(0.25);
                tokens.addArray().add(1.0).add(reward);
            }
            default -> d.putArray("data").add(reward);
        }
        answer.putObject("usage").put("prompt_tokens", (prompt.length() + response.length()) / 4 + 1);
        if (usageRaw != null) {
            ((ObjectNode) answer.get("usage")).set("prompt_tokens", rawNumber(usageRaw));
        }
        if (rewardRaw != null) {
            d.set("data", JSON.createArrayNode().add(rawNumber(rewardRaw)));
        }
        answer(ex, JSON.writeValueAsString(answer));
    }

    /** TEI's /predict with raw scores: a list of {score, label} per input. */
    private void predict(HttpExchange ex, JsonNode request) throws IOException {
        JsonNode inputs = request.path("inputs");
        String prompt;
        String response;
        if (inputs.isArray() && inputs.size() == 2 && inputs.get(0).isTextual()) {
            prompt = inputs.get(0).asText();
            response = inputs.get(1).asText();
        } else if (inputs.isArray() && inputs.get(0).isArray()) {
            prompt = inputs.get(0).get(0).asText();
            response = inputs.get(0).get(1).asText();
        } else {
            prompt = "";
            response = inputs.asText();
        }
        double reward = reward(prompt, response);
        ArrayNode predictions = JSON.createArrayNode();
        List<String> labels = teiLabels;
        for (int i = 0; i < labels.size(); i++) {
            predictions.addObject().put("score", i == 0 ? reward : i - reward).put("label", labels.get(i));
        }
        List<JsonNode> sorted = new ArrayList<>();
        predictions.forEach(sorted::add);
        sorted.sort((a, b) -> Double.compare(b.path("score").asDouble(), a.path("score").asDouble()));
        ArrayNode answer = JSON.createArrayNode();
        sorted.forEach(answer::add);
        send(ex, 200, JSON.writeValueAsString(answer));
    }

    // ---- files and batches ---------------------------------------------------------------------

    private void upload(HttpExchange ex, byte[] body) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        String text = new String(body, StandardCharsets.UTF_8);
        String content = null;
        for (String part : text.split("--" + Pattern.quote(boundary))) {
            if (part.contains("name=\"file\"")) {
                int start = part.indexOf("\r\n\r\n") + 4;
                content = part.substring(start, part.lastIndexOf("\r\n"));
            }
        }
        if (content == null) {
            send(ex, 400, "{\"error\": {\"message\": \"no file part\"}}");
            return;
        }
        String id = "file-" + ids.incrementAndGet();
        files.put(id, content.getBytes(StandardCharsets.UTF_8));
        send(ex, 200, "{\"id\": \"" + id + "\", \"object\": \"file\", \"bytes\": " + content.length()
                + ", \"purpose\": \"batch\"}");
    }

    private void createBatch(HttpExchange ex, JsonNode request) throws IOException {
        String input = request.path("input_file_id").asText();
        if (!files.containsKey(input)) {
            send(ex, 400, "{\"error\": {\"message\": \"unknown input file\"}}");
            return;
        }
        String id = "batch-" + ids.incrementAndGet();
        ObjectNode batch = JSON.createObjectNode();
        batch.put("id", id);
        batch.put("object", "batch");
        batch.put("endpoint", request.path("endpoint").asText());
        batch.put("input_file_id", input);
        batch.put("completion_window", request.path("completion_window").asText());
        batch.put("status", "validating");
        batch.putNull("output_file_id");
        batch.putNull("error_file_id");
        batch.put("polls", 0);
        batchEnds.put(id, new Object[] {batchEndStatus, batchEndAnswered});
        batches.put(id, batch);
        send(ex, 200, JSON.writeValueAsString(withoutPolls(batch)));
    }

    private void pollBatch(HttpExchange ex, String id) throws IOException {
        ObjectNode batch = batches.get(id);
        if (batch == null) {
            send(ex, 404, "{\"error\": {\"message\": \"No such batch\"}}");
            return;
        }
        synchronized (batch) {
            if (BATCH_ENDED.contains(batch.path("status").asText())) {
                send(ex, 200, JSON.writeValueAsString(withoutPolls(batch)));
                return;
            }
            int polls = batch.path("polls").asInt() + 1;
            batch.put("polls", polls);
            String[] lines = new String(files.get(batch.path("input_file_id").asText()), StandardCharsets.UTF_8)
                    .split("\n");
            int total = (int) java.util.Arrays.stream(lines).filter(l -> !l.isBlank()).count();
            ObjectNode counts = batch.putObject("request_counts");
            counts.put("total", total);
            if (polls < batchPollsUntilDone) {
                batch.put("status", "in_progress");
                counts.put("completed", total * polls / batchPollsUntilDone).put("failed", 0);
            } else if (!BATCH_ENDED.contains(batch.path("status").asText())) {
                Object[] end = batchEnds.getOrDefault(id, new Object[] {"completed", -1});
                String endStatus = (String) end[0];
                int answered = endStatus.equals("completed") ? Integer.MAX_VALUE : (int) end[1];
                if (endStatus.equals("failed")) {
                    batch.put("status", "failed");
                    batch.putObject("errors").put("object", "list").putArray("data").addObject()
                            .put("code", "invalid_request").put("message", "The stand-in refused this batch.")
                            .put("line", 1);
                    counts.put("completed", 0).put("failed", 0);
                    send(ex, 200, JSON.writeValueAsString(withoutPolls(batch)));
                    return;
                }
                StringBuilder out = new StringBuilder();
                StringBuilder errors = new StringBuilder();
                int index = 0;
                int completed = 0;
                int failed = 0;
                for (String line : lines) {
                    if (line.isBlank()) {
                        continue;
                    }
                    index++;
                    JsonNode req = JSON.readTree(line);
                    ObjectNode result = JSON.createObjectNode();
                    result.put("id", "batch_req_" + ids.incrementAndGet());
                    result.put("custom_id", req.path("custom_id").asText());
                    if (index > answered) {
                        result.putNull("response");
                        String code = endStatus.equals("cancelled") ? "batch_cancelled" : "batch_expired";
                        result.putObject("error").put("code", code).put("message", "This request could not be"
                                + " executed before the batch ended.");
                        errors.append(JSON.writeValueAsString(result)).append('\n');
                        failed++;
                        continue;
                    }
                    ObjectNode resp = result.putObject("response");
                    resp.put("request_id", "req_" + ids.get());
                    if (batchLineFailureEvery > 0 && index % batchLineFailureEvery == 0) {
                        resp.put("status_code", 500);
                        resp.putObject("body").putObject("error").put("message", "The server had an error while"
                                + " processing your request.").put("type", "server_error");
                        result.putNull("error");
                        errors.append(JSON.writeValueAsString(result)).append('\n');
                        failed++;
                        continue;
                    }
                    resp.put("status_code", 200);
                    resp.set("body", chatAnswer(req.path("body"), index));
                    result.putNull("error");
                    out.append(JSON.writeValueAsString(result)).append('\n');
                    completed++;
                }
                if (out.length() > 0) {
                    String outId = "file-" + ids.incrementAndGet();
                    files.put(outId, out.toString().getBytes(StandardCharsets.UTF_8));
                    batch.put("output_file_id", outId);
                }
                if (errors.length() > 0) {
                    String errId = "file-" + ids.incrementAndGet();
                    files.put(errId, errors.toString().getBytes(StandardCharsets.UTF_8));
                    batch.put("error_file_id", errId);
                }
                batch.put("status", endStatus);
                counts.put("completed", completed).put("failed", failed);
            }
            send(ex, 200, JSON.writeValueAsString(withoutPolls(batch)));
        }
    }

    private static final Set<String> BATCH_ENDED = Set.of("completed", "expired", "cancelled", "failed");

    private static ObjectNode withoutPolls(ObjectNode batch) {
        ObjectNode copy = batch.deepCopy();
        copy.remove("polls");
        return copy;
    }

    // ---- the Hugging Face Hub ------------------------------------------------------------------

    private void hub(HttpExchange ex, String path) throws IOException {
        // /api/datasets/{owner}/{name}/tree/{revision}[/{path}]  or  /datasets/{owner}/{name}/resolve/{revision}/{path}
        String[] parts = path.split("/");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (hubToken != null && !("Bearer " + hubToken).equals(auth)) {
            send(ex, 401, "{\"error\": \"Access to this dataset is restricted. You must have access to it and be"
                    + " authenticated to access it. Please log in.\"}");
            return;
        }
        if (path.startsWith("/api/datasets/") && parts.length >= 7 && parts[5].equals("tree")) {
            Path dir = hubRepos.get(parts[3] + "/" + parts[4]);
            if (dir == null) {
                send(ex, 404, "{\"error\": \"Repository not found\"}");
                return;
            }
            ArrayNode list = JSON.createArrayNode();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    ObjectNode f = list.addObject();
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    String key = parts[3] + "/" + parts[4] + ":" + rel;
                    byte[] content = Files.readAllBytes(p);
                    long size = hubListedSizes.getOrDefault(key, (long) content.length);
                    f.put("type", "file");
                    f.put("oid", hex("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8),
                            content));
                    f.put("size", size);
                    f.put("path", rel);
                    if (hubLfs || hubListedSha256.containsKey(key)) {
                        f.putObject("lfs").put("oid", hubListedSha256.getOrDefault(key, hex("SHA-256", new byte[0],
                                content))).put("size", size).put("pointerSize", 134);
                    }
                }
            }
            send(ex, 200, JSON.writeValueAsString(list));
            return;
        }
        if (path.startsWith("/datasets/") && parts.length >= 7 && parts[4].equals("resolve")) {
            Path dir = hubRepos.get(parts[2] + "/" + parts[3]);
            String rel = String.join("/", java.util.Arrays.copyOfRange(parts, 6, parts.length));
            Path file = dir == null ? null : dir.resolve(rel);
            if (file == null || !Files.isRegularFile(file)) {
                send(ex, 404, "{\"error\": \"Entry not found\"}");
                return;
            }
            if (hubRedirectTo != null) {
                ex.getResponseHeaders().add("Location", hubRedirectTo + path);
                send(ex, 302, "");
                return;
            }
            byte[] all = Files.readAllBytes(file);
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                hubRanges.add(range);
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=")) {
                from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            }
            byte[] part = java.util.Arrays.copyOfRange(all, from, all.length);
            int status = from > 0 ? 206 : 200;
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/"
                        + all.length);
            }
            if (dropDownloadAfterBytes >= 0 && droppedOnce.add(path)) {
                // Announce the whole length, send only part of it, and close: a broken connection.
                ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
                ex.sendResponseHeaders(status, part.length);
                OutputStream out = ex.getResponseBody();
                out.write(part, 0, (int) Math.min(dropDownloadAfterBytes, part.length));
                out.flush();
                if (dropDownloadStallMs > 0) {
                    sleep(dropDownloadStallMs);
                }
                // The JDK server keeps a connection whose fixed-length body was cut short open (the
                // client would wait for the rest forever); an exception out of the handler closes it.
                throw new IOException("stand-in: download dropped after " + dropDownloadAfterBytes + " bytes");
            }
            sendBytes(ex, status, part, "application/octet-stream");
            return;
        }
        send(ex, 404, "{\"error\": \"Unknown hub path\"}");
    }

    // ---- plumbing ------------------------------------------------------------------------------

    /** A JSON number written exactly as given ("1e999", "1" followed by 30 zeros), whatever a double could hold. */
    private static JsonNode rawNumber(String text) {
        return JSON.getNodeFactory().rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(text));
    }

    private static String hex(String algorithm, byte[] header, byte[] content) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance(algorithm);
            md.update(header);
            md.update(content);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mask(String auth) {
        if (auth == null) {
            return "none";
        }
        String key = auth.replaceFirst("^Bearer ", "");
        return key.length() < 8 ? "***" : key.substring(0, 3) + "*****" + key.substring(key.length() - 4);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        sendBytes(ex, status, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static void sendBytes(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        } catch (IOException ignored) {
            // the client went away (a timeout it gave up on)
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Runs a stand-in from the command line, for manual trials: {@code java ... StandInServer [latencyMs]}. */
    public static void main(String[] args) throws Exception {
        StandInServer s = start();
        if (args.length > 0) {
            s.latency(Long.parseLong(args[0]));
        }
        System.out.println(s.baseUrl());
        Thread.currentThread().join();
    }
}
