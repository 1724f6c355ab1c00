package org.admap.embed;

import java.util.Arrays;
import java.util.Locale;

/**
 * The sentence-embedding models admap runs in the process: ONNX exports with their
 * tokenizers, packaged in jars on Maven Central by LangChain4j (used here only as the
 * carrier of the model files), so they work with no network.
 *
 * <p>Each is run the way sentence-transformers runs it: same pooling, same input limit
 * ({@code max_seq_length}; longer texts are truncated), vectors normalised to unit length.
 */
public enum LocalModel {
    /**
     * sentence-transformers/all-MiniLM-L6-v2: 384 dimensions, mean pooling, inputs up to 256
     * word pieces; 22.7M parameters, a 90 MB model (83 MB jar); Apache-2.0. The default: the
     * most used small sentence-embedding model and the closest packaged relative of the
     * paper's all-mpnet-base-v2 (same training data, a smaller network), which has no
     * packaged build on Maven Central.
     */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2", "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json", 256, Pooling.MEAN, "Apache-2.0"),
    /**
     * BAAI/bge-small-en-v1.5, int8-quantized: 384 dimensions, CLS pooling, inputs up to 512
     * word pieces; 33M parameters, a 34 MB model (25 MB jar); MIT.
     */
    BGE_SMALL_EN_V15_Q("bge-small-en-v15-q", "BAAI/bge-small-en-v1.5 (int8-quantized)", "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json", 512, Pooling.CLS, "MIT");

    /** How token vectors become one sentence vector. */
    public enum Pooling {
        /** The mean of the token vectors, padding excluded. */
        MEAN,
        /** The vector of the first ([CLS]) token. */
        CLS
    }

    /** The model used when none is named. */
    public static final LocalModel DEFAULT = ALL_MINILM_L6_V2;

    private final String cliName;
    private final String description;
    private final String modelResource;
    private final String tokenizerResource;
    private final int maxTokens;
    private final Pooling pooling;
    private final String licence;

    LocalModel(String cliName, String description, String modelResource, String tokenizerResource, int maxTokens,
               Pooling pooling, String licence) {
        this.cliName = cliName;
        this.description = description;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.maxTokens = maxTokens;
        this.pooling = pooling;
        this.licence = licence;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    String modelResource() {
        return modelResource;
    }

    String tokenizerResource() {
        return tokenizerResource;
    }

    /** The input limit in word pieces, special tokens included; longer texts are truncated. */
    public int maxTokens() {
        return maxTokens;
    }

    public Pooling pooling() {
        return pooling;
    }

    public String licence() {
        return licence;
    }

    /** Parses a model name as given after {@code local:}. */
    public static LocalModel parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(".", "");
        for (LocalModel m : values()) {
            if (m.cliName.equals(n) || m.cliName.replace("-", "").equals(n.replace("-", ""))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown local embedding model '" + name + "': expected one of "
                + Arrays.stream(values()).map(LocalModel::cliName).toList());
    }
}
