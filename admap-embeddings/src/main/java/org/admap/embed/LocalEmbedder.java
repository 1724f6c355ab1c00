package org.admap.embed;

import ai.onnxruntime.OrtException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.score.Usage;
import org.admap.score.reference.Embedder;
import org.admap.score.reference.EmbeddingException;

/**
 * A sentence-embedding model run in this process with ONNX Runtime: reference-based scores
 * with no API key and no server.
 *
 * <p>Texts are embedded in padded batches on {@code threads} threads. A text longer than
 * the model's input limit ({@link LocalModel#maxTokens()} word pieces: 256 for
 * all-MiniLM-L6-v2) is truncated there, as sentence-transformers does (and so as the
 * paper's pipeline did); this is recorded as the {@code long_texts} parameter in every
 * score's provenance.
 *
 * <p>Thread-safe. Free: its usage counts word pieces, at no cost.
 */
public final class LocalEmbedder implements Embedder {

    private final LocalModel model;
    private final SentenceEncoder encoder;

    /** Loads a model (about a second), running on {@code threads} threads. */
    public LocalEmbedder(LocalModel model, int threads) {
        this.model = model;
        this.encoder = new SentenceEncoder(model, threads);
    }

    /** The default model on every core. */
    public static LocalEmbedder defaultModel() {
        return new LocalEmbedder(LocalModel.DEFAULT, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String model() {
        return model.cliName();
    }

    @Override
    public String endpoint() {
        return "in-process";
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("runtime", "onnx");
        p.put("pooling", model.pooling().name().toLowerCase(java.util.Locale.ROOT));
        p.put("long_texts", "truncated at " + model.maxTokens() + " word pieces");
        return p;
    }

    @Override
    public Embeddings embed(List<String> texts) throws EmbeddingException, InterruptedException {
        long start = System.nanoTime();
        for (String t : texts) {
            if (t == null || t.isBlank()) {
                throw new EmbeddingException("cannot embed an empty text", null, 1);
            }
        }
        SentenceEncoder.Result result;
        try {
            result = encoder.encode(texts);
        } catch (OrtException | RuntimeException e) {
            throw new EmbeddingException("the local model " + model.cliName() + " failed: " + e.getMessage(), null, 1);
        }
        return new Embeddings(result.vectors(), new Usage(result.tokens(), 0, 0), 1,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Which model this is: name, size, licence. */
    public LocalModel localModel() {
        return model;
    }

    @Override
    public void close() {
        encoder.close();
    }
}
