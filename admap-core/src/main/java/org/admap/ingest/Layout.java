package org.admap.ingest;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the rows of a file are laid out into instructions and responses. {@link #AUTO}
 * recognises the layout from the first row's fields.
 */
public enum Layout {
    /** Recognise the layout from the data. */
    AUTO("auto"),
    /**
     * admap's neutral layout, one row per instruction:
     * {@code {"id": .., "prompt": .., "responses": [{"text": .., "score": .., "label": .., "model": ..}]}}.
     */
    MULTI("multi"),
    /** UltraFeedback's raw rows: {@code instruction} and {@code completions} with GPT-4 annotations. */
    ULTRAFEEDBACK("ultrafeedback"),
    /** One comparison per row: {@code chosen} and {@code rejected} (TRL, binarized, alpaca, HH-RLHF). */
    PAIRWISE("pairwise"),
    /** One response per row, grouped into instructions by prompt (or by an id field). */
    LONG("long");

    private final String cliName;

    Layout(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Layout parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Layout l : values()) {
            if (l.cliName.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layout '" + name + "': expected one of "
                + Arrays.stream(values()).map(Layout::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
