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
    /**
     * VLFeedback's rows: {@code prompt}, an image ({@code img_path} or {@code image}) and {@code completions}
     * with GPT-4V ratings of Helpfulness, Visual Faithfulness and Ethical Considerations.
     */
    VLFEEDBACK("vlfeedback"),
    /**
     * One comparison per row: {@code chosen} and {@code rejected} (TRL standard and
     * conversational, explicit or implicit prompt; ultrafeedback_binarized; alpaca and
     * LLaMA-Factory ranking; orca_dpo_pairs; HH-RLHF).
     */
    PAIRWISE("pairwise"),
    /** LLaMA-Factory sharegpt preference: {@code conversations} of {from, value}, {@code chosen}, {@code rejected}
     * messages. */
    SHAREGPT("sharegpt"),
    /** LLaMA-Factory v1: {@code chosen_messages} and {@code rejected_messages}, the prompt being the turns they share.
     * */
    LLAMAFACTORY_V1("llamafactory-v1"),
    /** Unpaired preference (KTO): one completion and a boolean {@code label} (TRL) or {@code kto_tag} per row. */
    UNPAIRED("unpaired"),
    /** PKU-SafeRLHF: {@code response_0}, {@code response_1}, {@code better_response_id}, {@code safer_response_id}. */
    PKU_SAFERLHF("pku-saferlhf"),
    /** LMSYS Chatbot Arena: {@code response_a}, {@code response_b}, one-hot {@code winner_*} or {@code winner}. */
    ARENA("arena"),
    /** Nectar: {@code prompt} with ranked {@code answers} [{answer, model, rank}]. */
    NECTAR("nectar"),
    /** HelpSteer / HelpSteer2: one response per row with five 0-4 attributes, grouped by prompt. */
    HELPSTEER("helpsteer"),
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
