package org.admap.score.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.admap.internal.json.Json;
import org.admap.internal.score.http.ApiClient;
import org.admap.internal.score.http.ApiException;
import org.admap.internal.score.http.ApiResponse;
import org.admap.score.Pricing;
import org.admap.score.Usage;

/**
 * Embeddings from an OpenAI-compatible {@code POST /embeddings} endpoint: OpenAI itself,
 * vLLM, Ollama, llama.cpp server, TEI's OpenAI route. All texts of a call go in one request
 * ({@code input} as a list). Retries, rate limits and key redaction are the
 * {@link ApiClient}'s.
 *
 * <p>Texts longer than the model's input limit are the server's business: OpenAI refuses
 * them (the instruction's scores fail with its message), some servers truncate.
 */
public final class OpenAiEmbedder implements Embedder {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ApiClient client;
    private final String model;
    private final Pricing pricing;

    /**
     * @param client  a client whose base URL ends where {@code /embeddings} follows (e.g. {@code .../v1})
     * @param model   the embedding model, e.g. {@code text-embedding-3-small}
     * @param pricing USD per million input tokens
     */
    public OpenAiEmbedder(ApiClient client, String model, Pricing pricing) {
        this.client = Objects.requireNonNull(client, "client");
        this.model = Objects.requireNonNull(model, "model");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String endpoint() {
        return client.settings().baseUrl().toString();
    }

    /** What this embedder's requests wait for now (a rate limit's pause), or empty. */
    public java.util.Optional<String> waiting() {
        return client.waiting();
    }

    @Override
    public Usage usageOf(long tokens) {
        return new Usage(tokens, 0, pricing.cost(tokens, 0));
    }

    @Override
    public Embeddings embed(List<String> texts) throws EmbeddingException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        long chars = 0;
        for (String t : texts) {
            input.add(t);
            chars += t.length();
        }
        ApiResponse r;
        try {
            r = client.postJson("/embeddings", body, chars / 4 + texts.size());
        } catch (ApiException e) {
            throw new EmbeddingException("embedding failed: " + e.getMessage(), e.body(), e.attempts());
        }
        JsonNode data = r.json().path("data");
        if (!data.isArray() || data.size() != texts.size()) {
            throw new EmbeddingException("the embedding server answered " + (data.isArray() ? data.size() : "no")
                    + " embeddings for " + texts.size() + " texts", excerpt(r.body()), r.attempts());
        }
        float[][] vectors = new float[texts.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode d = data.get(i);
            int index = d.path("index").asInt(i);
            JsonNode e = d.path("embedding");
            if (index < 0 || index >= vectors.length || vectors[index] != null || !e.isArray() || e.isEmpty()) {
                throw new EmbeddingException("the embedding server's answer is not one float vector per text"
                        + " (at data[" + i + "])", excerpt(r.body()), r.attempts());
            }
            float[] v = new float[e.size()];
            for (int j = 0; j < v.length; j++) {
                JsonNode x = e.get(j);
                if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                    throw new EmbeddingException("the embedding server's vector " + i + " holds a non-number"
                            + " (base64 encoding is not read: leave encoding_format at float)", excerpt(r.body()),
                            r.attempts());
                }
                v[j] = (float) x.asDouble();
            }
            vectors[index] = v;
        }
        for (float[] v : vectors) {
            if (v.length != vectors[0].length) {
                throw new EmbeddingException("the embedding server's vectors differ in length", excerpt(r.body()),
                        r.attempts());
            }
        }
        long tokens;
        try {
            tokens = Usage.reportedTokens(r.json().path("usage"), "prompt_tokens", chars / 4 + texts.size());
        } catch (ApiException absurd) {
            throw new EmbeddingException(absurd.getMessage(), excerpt(r.body()), r.attempts());
        }
        return new Embeddings(vectors, usageOf(tokens), r.attempts(), r.latencyMs());
    }

    private static String excerpt(String body) {
        return body == null || body.length() <= 2_000 ? body : body.substring(0, 2_000) + "...";
    }
}
