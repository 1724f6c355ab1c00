package org.admap.map;

import java.util.Locale;

/**
 * What the map's variability axis measures. {@link #SCORE} is admap's default: the population
 * variance of an instruction's response scores (the paper's {@code proxy}). {@link #COMB} is
 * the paper's {@code comb} ({@code calculate/variance.py}): the population variance of the
 * cosine similarities of every pair of the instruction's responses' embedding vectors, so that
 * the axis says how different the responses are, not how differently they were scored.
 */
public enum Variability {
    SCORE("score"),
    COMB("comb");

    private final String cliName;

    Variability(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line, in the run info and in summary.json. */
    public String cliName() {
        return cliName;
    }

    /** The variability named {@code name} ({@code score} or {@code comb}). */
    public static Variability parse(String name) {
        for (Variability v : values()) {
            if (v.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variability '" + name + "': use score or comb");
    }
}
