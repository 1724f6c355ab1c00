package org.admap.select;

import java.util.Locale;

/** The file formats selections are exported in. */
public enum ExportFormat {
    /**
     * TRL's preference format: {@code prompt}, {@code chosen}, {@code rejected}, plus
     * {@code score_chosen} and {@code score_rejected} (the values that ranked the pair) as in
     * {@code ultrafeedback_binarized}. JSON lines ({@code .json}: a JSON array).
     */
    TRL("trl"),
    /**
     * LLaMA-Factory's alpaca-style preference format: {@code instruction}, {@code input},
     * {@code chosen}, {@code rejected}; register it in {@code dataset_info.json} with
     * {@code "ranking": true}. A JSON array ({@code .jsonl}: JSON lines).
     */
    LLAMA_FACTORY("llama-factory"),
    /** TRL's columns in a Parquet file, for {@code datasets.load_dataset("parquet", ...)}. */
    PARQUET("parquet"),
    /**
     * The selected instructions themselves in admap's neutral multi-response layout, with
     * every response's score and label (and the map's numbers), readable by admap again.
     */
    MULTI("multi");

    private final String cliName;

    ExportFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static ExportFormat parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ExportFormat f : values()) {
            if (f.cliName.equals(n) || (f == LLAMA_FACTORY && n.equals("alpaca"))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "': expected trl, llama-factory, parquet or multi");
    }

    /** Whether the format holds pairs (rather than whole instructions). */
    public boolean holdsPairs() {
        return this != MULTI;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
