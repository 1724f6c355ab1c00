package org.admap.select;

import java.util.Locale;

/**
 * The file formats selections are exported in, each checked against its consumer's
 * documentation (TRL's {@code dataset_formats.md}, LLaMA-Factory's {@code data/README.md}).
 *
 * <p>Every pair format carries an {@code id} column: the id of the instruction the pair was
 * formed from, so that the several pairs of one instruction can be told apart from pairs of
 * different instructions, and joined back to {@code map.csv}. Consumers ignore columns they
 * are not told about.
 *
 * <p>Where a format can hold a prompt either as text or as chat messages ({@link #TRL},
 * {@link #KTO}, {@link #LISTWISE}), the first instruction written decides for the whole file
 * (one file, one schema, as {@code datasets} needs): a conversation (an item with
 * {@link org.admap.model.Item#turns() turns}) makes every row a message list, so that the
 * trainer applies the chat template; a plain prompt makes every row text, and a later
 * conversation is then written as its flattened text. {@link #TRL_CHAT} and
 * {@link #TRL_STANDARD} force one style.
 */
public enum ExportFormat {
    /**
     * TRL's preference format: {@code id}, {@code prompt}, {@code chosen}, {@code rejected},
     * {@code score_chosen}, {@code score_rejected}; standard (strings) or conversational
     * (message lists) by the first instruction. JSON lines ({@code .json}: a JSON array).
     */
    TRL("trl"),
    /** {@link #TRL} with every prompt and response as chat messages (TRL's conversational preference). */
    TRL_CHAT("trl-chat"),
    /** {@link #TRL} with every prompt and response as text (TRL's standard preference, explicit prompt). */
    TRL_STANDARD("trl-standard"),
    /**
     * LLaMA-Factory's alpaca-style preference format: {@code instruction}, {@code input},
     * {@code chosen}, {@code rejected}, {@code id}; its {@code dataset_info.json} entry
     * ({@code "ranking": true}) is written beside the file. A JSON array ({@code .jsonl}: JSON lines).
     */
    LLAMA_FACTORY("llama-factory"),
    /**
     * LLaMA-Factory's sharegpt preference format: {@code conversations} (the prompt's turns as
     * {@code {"from", "value"}}, system turn first), {@code chosen} and {@code rejected} as one
     * {@code gpt} message each, {@code id}; its {@code dataset_info.json} entry
     * ({@code "formatting": "sharegpt"}, {@code "ranking": true}) is written beside the file.
     */
    SHAREGPT("sharegpt"),
    /**
     * TRL's unpaired preference format for KTO: {@code id}, {@code prompt}, {@code completion},
     * {@code label} (a boolean), {@code score}: every valued response of a selected instruction,
     * {@code label} true when its value is above the instruction's mean ({@link PairBuilder#completions}).
     * LLaMA-Factory reads the standard style through the {@code dataset_info.json} entry written beside it.
     */
    KTO("kto"),
    /**
     * One row per instruction: {@code id}, {@code prompt}, {@code chosen} (the best response),
     * {@code rejected} (a list: every response valued below it, best first), {@code score_chosen},
     * {@code score_rejected} (a list). For listwise losses (the DPO paper's Plackett-Luce, InfoNCA)
     * in your own training code: TRL and LLaMA-Factory take one rejected per row and ask for
     * such data to be split into pairs (trl#1831, LLaMA-Factory#6509), which {@link #TRL} does.
     */
    LISTWISE("listwise"),
    /** TRL's standard columns ({@link #TRL_STANDARD}) in a Parquet file, for {@code load_dataset("parquet", ...)}. */
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

    /** The names {@link #parse} accepts, for messages and help texts. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (ExportFormat f : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.cliName);
        }
        return sb.toString();
    }

    public static ExportFormat parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (n) {
            case "alpaca", "llama-factory-alpaca" -> {
                return LLAMA_FACTORY;
            }
            case "llama-factory-sharegpt" -> {
                return SHAREGPT;
            }
            case "trl-conversational" -> {
                return TRL_CHAT;
            }
            case "unpaired", "trl-unpaired" -> {
                return KTO;
            }
            default -> {
            }
        }
        for (ExportFormat f : values()) {
            if (f.cliName.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "': expected " + names());
    }

    /** Whether the format holds pairs (rather than whole instructions or single responses). */
    public boolean holdsPairs() {
        return this != MULTI && this != KTO;
    }

    /** Whether the format is LLaMA-Factory's, registered by a {@code dataset_info.json} entry written beside it. */
    public boolean hasDatasetInfo() {
        return this == LLAMA_FACTORY || this == SHAREGPT || this == KTO;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
