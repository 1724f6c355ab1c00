package org.admap.experiment;

import java.util.Locale;
import java.util.Map;

/**
 * The training settings of one run of the study, the paper's by default: LoRA (rank 8 on
 * every linear layer), 3 epochs, 2 pairs per device times 16 accumulation steps, sequences cut
 * at 2,048 tokens; DPO with the sigmoid loss, beta 0.01 and learning rate 5e-6; SimPO with
 * beta 2.0, gamma 2.5 and learning rate 3e-7.
 *
 * @param loss          the preference loss
 * @param baseModel     the SFT model trained from (a Hugging Face id or a path)
 * @param template      LLaMA-Factory's chat template name for it
 * @param beta          the loss's beta ({@code pref_beta}; TRL's {@code beta})
 * @param gamma         SimPO's target margin ({@code simpo_gamma}); NaN for DPO
 * @param learningRate  the peak learning rate
 * @param epochs        training epochs
 * @param batchPerDevice pairs per device and step
 * @param accumulation  gradient accumulation steps
 * @param cutoff        the longest tokenised prompt + response kept
 * @param loraRank      LoRA's rank
 */
public record TrainingRecipe(Loss loss, String baseModel, String template, double beta, double gamma,
                             double learningRate, double epochs, int batchPerDevice, int accumulation, int cutoff,
                             int loraRank) {

    /** The paper's two base models. */
    public static final String LLAMA3_SFT = "princeton-nlp/Llama-3-Base-8B-SFT";
    public static final String ZEPHYR_SFT = "alignment-handbook/zephyr-7b-sft-full";

    /**
     * LLaMA-Factory's template for the paper's base models: Llama-3-Base-8B-SFT was fine-tuned
     * with Llama 3's chat format, zephyr-7b-sft-full with Zephyr's.
     */
    private static final Map<String, String> TEMPLATES = Map.of(LLAMA3_SFT, "llama3", ZEPHYR_SFT, "zephyr");

    /**
     * The paper's settings for a loss and base model.
     *
     * @param template LLaMA-Factory's template, or null for the base model's known one
     * @throws IllegalArgumentException when no template is given for a base model that has no known one
     */
    public static TrainingRecipe paper(Loss loss, String baseModel, String template) {
        String t = template != null ? template : TEMPLATES.get(baseModel);
        if (t == null) {
            throw new IllegalArgumentException("no known LLaMA-Factory chat template for '" + baseModel
                    + "': give one with --template (e.g. llama3, zephyr, mistral, qwen)");
        }
        return loss == Loss.DPO
                ? new TrainingRecipe(loss, baseModel, t, 0.01, Double.NaN, 5e-6, 3, 2, 16, 2048, 8)
                : new TrainingRecipe(loss, baseModel, t, 2.0, 2.5, 3e-7, 3, 2, 16, 2048, 8);
    }

    /** A short name for file names: the model's last path segment, lower case. */
    public String modelName() {
        String m = baseModel.replaceAll("/+$", "");
        return m.substring(m.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    }

    /** The effective batch on one device: pairs per optimiser step. */
    public int effectiveBatch() {
        return batchPerDevice * accumulation;
    }
}
