package org.admap.ingest;

import java.util.Arrays;
import java.util.Locale;

/**
 * Field mappings for well-known one-row-per-response files, so users need not spell out
 * five flags for them.
 */
public enum Preset {
    /**
     * AlpacaEval annotation files ({@code <model>.annotations.json}): one row per
     * (instruction, model) with the judge's weighted preference in [1, 2] for the model's
     * answer ({@code output_2}) over the baseline's. Score = {@code preference - 1}, the
     * judged probability that the model wins; as the files carry no other annotation, the
     * scores double as labels.
     */
    ALPACA_EVAL("alpaca-eval");

    private final String cliName;

    Preset(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Preset parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Preset p : values()) {
            if (p.cliName.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "': expected one of "
                + Arrays.stream(values()).map(Preset::cliName).toList());
    }

    /** Applies the preset's mapping where the user has not set a field explicitly. */
    IngestOptions applyTo(IngestOptions o) {
        return switch (this) {
            case ALPACA_EVAL -> new IngestOptions(Layout.LONG, this,
                    or(o.promptField(), "instruction"), or(o.responseField(), "output_2"),
                    or(o.scoreField(), "preference"), o.labelField(), or(o.modelField(), "generator_2"),
                    o.idField(), o.inputField(), o.referenceField(),
                    o.scoreTransform().isIdentity() ? ScoreTransform.parse("x - 1") : o.scoreTransform(),
                    o.labelField() == null, o.skipBadRows(), o.grouping(), o.columns());
        };
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
