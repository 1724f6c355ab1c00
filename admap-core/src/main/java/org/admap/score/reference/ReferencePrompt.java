package org.admap.score.reference;

import java.util.Locale;

/**
 * The reference writer's instructions, as a named preset ({@code --reference-prompt}).
 * {@link #ADMAP} is admap's own versioned prompt at temperature 0, the default.
 * {@link #PAPER} is the authors' {@code gpt-inference.py} word for word: its system prompt,
 * {@code max_tokens} 1024, their model ({@code gpt-4o-2024-11-20}, from
 * {@code config/gpt-inference-config.yaml}) and no temperature (their call sends none, so
 * the server's default applies). A reference written under one preset is stored apart from
 * the other's, so switching presets writes the references again instead of reusing them.
 */
public enum ReferencePrompt {
    ADMAP("admap", ReferenceScorer.SYSTEM_PROMPT, ReferenceScorer.PROMPT_VERSION, true),
    PAPER("paper", "The assistant should provide users with accurate, relevant, and up-to-date information,"
            + " ensuring that the content is positive, interesting, engaging, educational, and helpful.",
            "reference-paper-gpt-inference", false);

    /** The writer model and length limit of the paper's {@code gpt-inference.py}. */
    public static final String PAPER_MODEL = "gpt-4o-2024-11-20";
    public static final int PAPER_MAX_TOKENS = 1024;

    private final String cliName;
    private final String systemPrompt;
    private final String version;
    private final boolean sendsTemperature;

    ReferencePrompt(String cliName, String systemPrompt, String version, boolean sendsTemperature) {
        this.cliName = cliName;
        this.systemPrompt = systemPrompt;
        this.version = version;
        this.sendsTemperature = sendsTemperature;
    }

    public String cliName() {
        return cliName;
    }

    /** The writer model when {@code --reference-model} does not name one: the paper's for {@link #PAPER}. */
    public String defaultWriter() {
        return this == PAPER ? PAPER_MODEL : ReferenceScorer.DEFAULT_WRITER;
    }

    /** The length limit of a written reference: the paper fixes 1024, as admap's default is. */
    public int maxTokens() {
        return this == PAPER ? PAPER_MAX_TOKENS : ReferenceScorer.DEFAULT_MAX_TOKENS;
    }

    /** The system message the writer is sent before the instruction. */
    public String systemPrompt() {
        return systemPrompt;
    }

    /** Part of every score's provenance: which instructions wrote its reference. */
    public String version() {
        return version;
    }

    /** Whether the request carries a temperature (the paper's does not). */
    public boolean sendsTemperature() {
        return sendsTemperature;
    }

    /**
     * The key the written answers are stored under for this writer model: the model itself
     * for admap's prompt (as before presets existed), the model and the preset otherwise.
     */
    public String storeKey(String model) {
        return this == ADMAP ? model : model + "#" + cliName;
    }

    /** {@code admap} or {@code paper}. */
    public static ReferencePrompt parse(String name) {
        for (ReferencePrompt p : values()) {
            if (p.cliName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("--reference-prompt must be admap or paper, got '" + name + "'");
    }
}
