package org.admap.score.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.store.EmbeddingCache;
import org.admap.internal.store.ReferenceAnswers;
import org.admap.internal.store.RunStore;
import org.admap.model.TextHash;
import org.admap.score.Pricing;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.Usage;
import org.admap.stats.Cosine;

/**
 * Reference-based alignment scores (the paper's third kind): each response's score is its
 * similarity to a reference answer to the same instruction.
 *
 * <p>Per instruction (one task holds all its pending responses):
 * <ol>
 *   <li><b>The reference.</b> The item's own reference when the data has one (writer
 *       {@value ReferenceAnswers#DATA}); otherwise one written by an LLM over chat completions
 *       ({@link #SYSTEM_PROMPT}, {@code max_tokens} 1024, temperature 0), once per instruction
 *       text: it is stored in the run store and every later run, source and scorer reuses it.</li>
 *   <li><b>The similarity.</b> {@link Similarity#COSINE}: the cosine of the response's
 *       embedding to the reference's, the reference and all responses embedded in one call,
 *       each distinct text once per run store (cached by text hash and model). Or
 *       {@link Similarity#ROUGE_L}: ROUGE-L F1 ({@link RougeL}), computed in-process: no
 *       embedding server.</li>
 * </ol>
 * An empty or whitespace-only response gets a failed score ("empty response"), never a
 * number; so does every response of an instruction whose reference or embeddings could not
 * be had, with the reason.
 *
 * <p>Cost: the reference's tokens at the writer's chat prices (paid by the first instruction
 * that needs it), the embedding tokens at the embedding model's price; each response carries
 * its share.
 *
 * <p>The embeddings come from an {@link Embedder}: an OpenAI-compatible server
 * ({@link OpenAiEmbedder}) or any in-process model.
 */
public final class ReferenceScorer implements Scorer {

    /** The reference writer's instructions, in the paper's spirit; versioned by {@link #PROMPT_VERSION}. */
    public static final String SYSTEM_PROMPT = "Answer the user's request with accurate, relevant and up-to-date"
            + " information. Make the answer positive, interesting and engaging, educational, and helpful.";
    /** The version of {@link #SYSTEM_PROMPT}: part of every score's provenance. */
    public static final String PROMPT_VERSION = "reference-v1";
    /** The paper's reference writer. */
    public static final String DEFAULT_WRITER = "gpt-4o-2024-11-20";
    /** A cheap, good OpenAI embedding model. */
    public static final String DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
    /** The paper's limit on the reference's length. */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    /** How a response is compared with the reference. */
    public enum Similarity {
        /** Cosine similarity of sentence embeddings, in [-1, 1]. */
        COSINE("cosine"),
        /** ROUGE-L F1 over words, in [0, 1]. */
        ROUGE_L("rouge-l");

        private final String cliName;

        Similarity(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /** {@code cosine} or {@code rouge-l}. */
        public static Similarity parse(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (Similarity s : values()) {
                if (s.cliName.equals(n) || s.cliName.replace("-", "").equals(n.replace("-", "").replace("_", ""))) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--similarity must be cosine or rouge-l, got '" + name + "'");
        }
    }

    /**
     * What the reference scorer does.
     *
     * @param similarity     cosine of embeddings, or ROUGE-L
     * @param writer         the model that writes references the data lacks
     * @param writerPricing  its chat prices
     * @param maxTokens      the reference's token limit
     * @param temperature    the writer's sampling temperature
     * @param dataReferences whether a reference that came with the data is used (else every
     *                       reference is written by {@code writer})
     */
    public record ReferenceSettings(Similarity similarity, String writer, Pricing writerPricing, int maxTokens,
                           double temperature, boolean dataReferences, ReferencePrompt prompt) {

        /** ReferenceSettings with admap's own writer prompt. */
        public ReferenceSettings(Similarity similarity, String writer, Pricing writerPricing, int maxTokens,
                        double temperature, boolean dataReferences) {
            this(similarity, writer, writerPricing, maxTokens, temperature, dataReferences, ReferencePrompt.ADMAP);
        }

        public ReferenceSettings {
            Objects.requireNonNull(similarity, "similarity");
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(writerPricing, "writerPricing");
            Objects.requireNonNull(prompt, "prompt");
            if (maxTokens < 1) {
                throw new IllegalArgumentException("the reference's max_tokens must be at least 1, got " + maxTokens);
            }
        }

        /** The paper's settings: GPT-4o writes, 1024 tokens, temperature 0, data references first. */
        public static ReferenceSettings defaults(Similarity similarity) {
            return new ReferenceSettings(similarity, DEFAULT_WRITER, Pricing.forModel(DEFAULT_WRITER),
                    DEFAULT_MAX_TOKENS, 0, true);
        }
    }

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ReferenceSettings settings;
    private final ApiClient writerClient;
    private final ReferenceAnswers answers;
    private final ReferenceWriter writer;
    private final EmbeddingCache cache;
    private final CachedEmbeddings embeddings;

    /**
     * @param settings     what to do
     * @param writerClient the chat-completions server of the reference writer, or null when
     *                     the data brings every reference (an item without one aborts scoring)
     * @param embedder     the embedding model; null for {@link Similarity#ROUGE_L} (and ignored by it)
     * @param store        the run store that keeps references and embeddings; read and written
     *                     on connections of the scorer's own, closed by {@link #close()}
     */
    public ReferenceScorer(ReferenceSettings settings, ApiClient writerClient, Embedder embedder, RunStore store) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.similarity() == Similarity.COSINE && embedder == null) {
            throw new IllegalArgumentException("cosine similarity needs an embedding model");
        }
        this.writerClient = writerClient;
        this.answers = ReferenceAnswers.open(store);
        this.writer = new ReferenceWriter(writerClient, settings.writer(), settings.writerPricing(),
                settings.maxTokens(), settings.temperature(), settings.prompt(), answers);
        if (settings.similarity() == Similarity.COSINE) {
            try {
                this.cache = EmbeddingCache.open(store, embedder.model());
            } catch (RuntimeException e) {
                answers.close();
                throw e;
            }
            this.embeddings = new CachedEmbeddings(embedder, cache);
        } else {
            this.cache = null;
            this.embeddings = null;
        }
    }

    @Override
    public ScorerConfig config() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("similarity", settings.similarity().cliName());
        p.put("references", settings.dataReferences() ? "from the data, else written by " + settings.writer()
                : "written by " + settings.writer());
        p.put("reference_max_tokens", Integer.toString(settings.maxTokens()));
        if (settings.prompt() == ReferencePrompt.ADMAP) {
            p.put("reference_temperature", Double.toString(settings.temperature()));
        } else {
            p.put("reference_prompt", settings.prompt().cliName());
        }
        String model;
        String endpoint;
        if (embeddings != null) {
            Embedder e = embeddings.embedder();
            e.parameters().forEach((k, v) -> p.put("embedding_" + k, v));
            model = e.model();
            endpoint = e.endpoint();
        } else {
            model = "rouge-l";
            endpoint = writerClient == null ? "in-process" : writerClient.settings().baseUrl().toString();
        }
        return ScorerConfig.of("reference", model, settings.prompt().version(), p, endpoint);
    }

    @Override
    public boolean usesReference() {
        return true;
    }

    /** The reference writer sees the prompt's images, so its answer (and the cache key) depends on them. */
    @Override
    public boolean usesImages() {
        return true;
    }

    /** A conversation's reference answer is written as the assistant's next turn of it. */
    @Override
    public boolean usesTurns() {
        return true;
    }

    @Override
    public boolean wholeItems() {
        return true;
    }

    @Override
    public Usage estimate(ScoreTask task) {
        List<ScoreTask.Target> scorable = scorable(task);
        if (scorable.isEmpty()) {
            return Usage.NONE;
        }
        Usage usage = Usage.NONE;
        long referenceTokens;
        String data = dataReference(task);
        if (data != null) {
            referenceTokens = data.length() / 4 + 1;
        } else if (writer.stored(task.promptHash())) {
            referenceTokens = settings.maxTokens() / 2;
        } else {
            long in = (settings.prompt().systemPrompt().length() + task.prompt().length()) / 4 + 10;
            long out = settings.maxTokens() / 2; // references rarely fill the limit
            usage = usage.plus(new Usage(in, out, settings.writerPricing().cost(in, out)));
            referenceTokens = out;
        }
        if (embeddings != null) {
            long tokens = 0;
            // A stored written reference was embedded when it was written, but for a failure: count it cached.
            boolean referenceCached = data != null ? embeddings.cached(TextHash.of(data))
                    : writer.stored(task.promptHash());
            if (!referenceCached) {
                tokens += referenceTokens;
            }
            for (ScoreTask.Target t : scorable) {
                if (!embeddings.cached(t.hash())) {
                    tokens += t.text().length() / 4 + 1;
                }
            }
            if (tokens > 0) {
                usage = usage.plus(embeddings.embedder().usageOf(tokens));
            }
        }
        return usage;
    }

    @Override
    public List<ScoreOutcome> score(ScoreTask task) throws InterruptedException {
        List<ScoreOutcome> out = new ArrayList<>(task.responses().size());
        for (ScoreTask.Target t : task.responses()) {
            if (t.text().isBlank()) {
                out.add(ScoreOutcome.failed(t.position(), "empty response", null, Usage.NONE, 0, 0));
            }
        }
        List<ScoreTask.Target> scorable = scorable(task);
        if (scorable.isEmpty()) {
            return out;
        }
        ReferenceWriter.Reference reference;
        String data = dataReference(task);
        try {
            if (data != null) {
                answers.putIfAbsent(new ReferenceAnswers.Answer(task.promptHash(), ReferenceAnswers.DATA, data, 0, 0,
                        0, Instant.now()));
                reference = new ReferenceWriter.Reference(data, ReferenceAnswers.DATA, Usage.NONE, 0, 0);
            } else {
                reference = writer.referenceFor(task.prompt(), task.turns(), task.images(), task.promptHash());
            }
        } catch (ReferenceWriter.ReferenceException e) {
            failAll(out, scorable, e.getMessage(), e.raw(), e.usage(), 0, e.attempts());
            return out;
        }
        String referenceHash = TextHash.of(reference.text());
        Usage usage = reference.usage();
        int attempts = reference.attempts();
        long latency = reference.latencyMs();
        double[] values = new double[scorable.size()];
        String[] problems = new String[scorable.size()];
        if (settings.similarity() == Similarity.ROUGE_L) {
            for (int i = 0; i < values.length; i++) {
                values[i] = RougeL.f1(scorable.get(i).text(), reference.text());
            }
        } else {
            List<String> texts = new ArrayList<>(scorable.size() + 1);
            texts.add(reference.text());
            scorable.forEach(t -> texts.add(t.text()));
            CachedEmbeddings.EmbeddedTexts e;
            try {
                e = embeddings.embed(texts);
            } catch (EmbeddingException ex) {
                failAll(out, scorable, ex.getMessage(), ex.raw(), usage, latency, attempts + ex.attempts());
                return out;
            }
            usage = usage.plus(e.usage());
            attempts += e.attempts();
            latency += e.latencyMs();
            for (int i = 0; i < values.length; i++) {
                values[i] = Cosine.of(e.vectors()[0], e.vectors()[i + 1]);
                if (Double.isNaN(values[i])) {
                    problems[i] = e.vectors()[0].length != e.vectors()[i + 1].length
                            ? "the embeddings of the response and the reference differ in length"
                            : "an embedding is all zeros: the cosine is undefined";
                }
            }
        }
        for (int i = 0; i < values.length; i++) {
            ScoreTask.Target t = scorable.get(i);
            Usage share = usage.share(values.length, i);
            String raw = raw(reference.writer(), referenceHash, values[i]);
            out.add(problems[i] == null ? ScoreOutcome.ok(t.position(), values[i], raw, share, latency, attempts)
                    : ScoreOutcome.failed(t.position(), problems[i], raw, share, latency, attempts));
        }
        return out;
    }

    /** The responses that can be scored: not empty, not only whitespace. */
    private static List<ScoreTask.Target> scorable(ScoreTask task) {
        List<ScoreTask.Target> list = new ArrayList<>(task.responses().size());
        for (ScoreTask.Target t : task.responses()) {
            if (!t.text().isBlank()) {
                list.add(t);
            }
        }
        return list;
    }

    /** The data's reference to use, or null (none, blank, or not to be used). */
    private String dataReference(ScoreTask task) {
        String r = task.reference();
        return settings.dataReferences() && r != null && !r.isBlank() ? r : null;
    }

    private static void failAll(List<ScoreOutcome> out, List<ScoreTask.Target> targets, String error, String raw,
                                Usage usage, long latency, int attempts) {
        for (int i = 0; i < targets.size(); i++) {
            out.add(ScoreOutcome.failed(targets.get(i).position(), error, raw, usage.share(targets.size(), i), latency,
                    attempts));
        }
    }

    /** What each score row keeps: which reference it was measured against. */
    private String raw(String writerName, String referenceHash, double value) {
        ObjectNode n = JSON.createObjectNode();
        n.put("reference_writer", writerName);
        n.put("reference_hash", referenceHash);
        n.put("similarity", settings.similarity().cliName());
        if (Double.isFinite(value)) {
            n.put("value", value);
        }
        return n.toString();
    }

    @Override
    public java.util.Optional<String> waiting() {
        java.util.Optional<String> w = writerClient == null ? java.util.Optional.empty() : writerClient.waiting();
        if (w.isEmpty() && embeddings != null && embeddings.embedder() instanceof OpenAiEmbedder api) {
            w = api.waiting();
        }
        return w;
    }

    /** Closes the scorer's store connections and the embedder. */
    @Override
    public void close() {
        try {
            answers.close();
        } finally {
            if (cache != null) {
                try {
                    cache.close();
                } finally {
                    embeddings.embedder().close();
                }
            }
        }
    }
}
