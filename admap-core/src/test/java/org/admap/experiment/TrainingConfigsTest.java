package org.admap.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The training configs hold the paper's settings under names their trainers document. */
class TrainingConfigsTest {

    /**
     * The arguments LLaMA-Factory documents, by the dataclass that declares them (only those
     * admap writes are listed; a key outside this list is a typo LLaMA-Factory would reject).
     */
    private static final Set<String> LLAMA_FACTORY_ARGUMENTS = Set.copyOf(union(
            // src/llamafactory/hparams/model_args.py (ModelArguments, ExportArguments)
            List.of("model_name_or_path", "adapter_name_or_path", "trust_remote_code", "export_dir", "export_size",
                    "export_device", "export_legacy_format"),
            // src/llamafactory/hparams/data_args.py (DataArguments)
            List.of("template", "dataset", "dataset_dir", "cutoff_len", "overwrite_cache",
                    "preprocessing_num_workers", "max_samples", "val_size"),
            // src/llamafactory/hparams/finetuning_args.py (FinetuningArguments, LoraArguments, RLHFArguments)
            List.of("stage", "finetuning_type", "lora_rank", "lora_alpha", "lora_target", "pref_beta", "pref_loss",
                    "pref_ftx", "simpo_gamma", "plot_loss"),
            // transformers.Seq2SeqTrainingArguments, which LLaMA-Factory's training_args.py extends
            List.of("output_dir", "overwrite_output_dir", "do_train", "per_device_train_batch_size",
                    "gradient_accumulation_steps", "learning_rate", "num_train_epochs", "lr_scheduler_type",
                    "warmup_ratio", "bf16", "logging_steps", "save_steps", "ddp_timeout", "seed")));

    /** pref_loss's values in finetuning_args.py: Literal["sigmoid", "hinge", "ipo", "kto_pair", "orpo", "simpo"]. */
    private static final Set<String> PREF_LOSSES = Set.of("sigmoid", "hinge", "ipo", "kto_pair", "orpo", "simpo");

    /** TRL's DPOConfig and CPOConfig fields (trl/trainer/dpo_config.py, cpo_config.py) and TrainingArguments'. */
    private static final Set<String> TRL_ARGUMENTS = Set.copyOf(union(
            List.of("beta", "loss_type", "max_length", "cpo_alpha", "simpo_gamma"),
            List.of("output_dir", "per_device_train_batch_size", "gradient_accumulation_steps", "learning_rate",
                    "num_train_epochs", "lr_scheduler_type", "warmup_ratio", "bf16", "logging_steps",
                    "save_steps", "seed")));

    @SafeVarargs
    private static Set<String> union(List<String>... lists) {
        Set<String> all = new HashSet<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** The YAML as a trainer reads it. */
    private static Map<String, Object> parse(String yaml) {
        Map<String, Object> m = new Yaml().load(yaml);
        return m == null ? Map.of() : m;
    }

    private static String yamlOf(Map<String, Object> values) {
        return FlatYaml.write("test", values);
    }

    @Test
    void dpoConfigHasThePapersSettingsUnderLlamaFactorysNames() {
        TrainingRecipe dpo = TrainingRecipe.paper(Loss.DPO, TrainingRecipe.LLAMA3_SFT, null);

        Map<String, Object> yaml = parse(yamlOf(TrainingConfigs.llamaFactory(dpo, "high-avg", "data",
                "saves/x", 42)));

        assertThat(LLAMA_FACTORY_ARGUMENTS).containsAll(yaml.keySet());
        assertThat(yaml).containsEntry("stage", "dpo").containsEntry("finetuning_type", "lora")
                .containsEntry("pref_loss", "sigmoid").containsEntry("pref_beta", 0.01)
                .containsEntry("learning_rate", 5e-6).containsEntry("num_train_epochs", 3.0)
                .containsEntry("per_device_train_batch_size", 2).containsEntry("gradient_accumulation_steps", 16)
                .containsEntry("cutoff_len", 2048).containsEntry("model_name_or_path",
                        "princeton-nlp/Llama-3-Base-8B-SFT")
                .containsEntry("template", "llama3").containsEntry("dataset", "high-avg")
                .containsEntry("dataset_dir", "data").containsEntry("seed", 42);
        assertThat(yaml).doesNotContainKey("simpo_gamma");
        assertThat(PREF_LOSSES).contains((String) yaml.get("pref_loss"));
    }

    @Test
    void simpoConfigHasThePapersSettings() {
        TrainingRecipe simpo = TrainingRecipe.paper(Loss.SIMPO, TrainingRecipe.ZEPHYR_SFT, null);

        Map<String, Object> yaml = parse(yamlOf(TrainingConfigs.llamaFactory(simpo, "full", "data", "saves/x",
                7)));

        assertThat(LLAMA_FACTORY_ARGUMENTS).containsAll(yaml.keySet());
        assertThat(yaml).containsEntry("pref_loss", "simpo").containsEntry("pref_beta", 2.0)
                .containsEntry("simpo_gamma", 2.5).containsEntry("learning_rate", 3e-7)
                .containsEntry("template", "zephyr")
                .containsEntry("model_name_or_path", "alignment-handbook/zephyr-7b-sft-full");
        assertThat(PREF_LOSSES).contains((String) yaml.get("pref_loss"));
    }

    @Test
    void mergeConfigUsesOnlyLlamaFactorysExportArguments() {
        TrainingRecipe dpo = TrainingRecipe.paper(Loss.DPO, TrainingRecipe.LLAMA3_SFT, null);

        Map<String, Object> yaml = parse(yamlOf(TrainingConfigs.llamaFactoryMerge(dpo, "saves/a", "models/a")));

        assertThat(LLAMA_FACTORY_ARGUMENTS).containsAll(yaml.keySet());
        assertThat(yaml).containsEntry("adapter_name_or_path", "saves/a").containsEntry("export_dir", "models/a");
    }

    @Test
    void trlConfigIsTheSameTrainingUnderTrlsNames() {
        for (Loss loss : Loss.values()) {
            TrainingRecipe r = TrainingRecipe.paper(loss, TrainingRecipe.LLAMA3_SFT, null);
            Map<String, Object> lf = parse(yamlOf(TrainingConfigs.llamaFactory(r, "s", "data", "out", 42)));

            Map<String, Object> trl = new LinkedHashMap<>(parse(yamlOf(TrainingConfigs.trl(r, "data/s.json",
                    "out", 42))));
            TrainingConfigs.TRL_SCRIPT_KEYS.forEach(trl::remove);

            assertThat(TRL_ARGUMENTS).as(loss.cliName()).containsAll(trl.keySet());
            assertThat(trl.get("beta")).isEqualTo(lf.get("pref_beta"));
            assertThat(trl.get("learning_rate")).isEqualTo(lf.get("learning_rate"));
            assertThat(trl.get("max_length")).isEqualTo(lf.get("cutoff_len"));
            assertThat(trl.get("num_train_epochs")).isEqualTo(lf.get("num_train_epochs"));
            assertThat(trl.get("gradient_accumulation_steps")).isEqualTo(lf.get("gradient_accumulation_steps"));
            if (loss == Loss.SIMPO) {
                assertThat(trl).containsEntry("loss_type", "simpo").containsEntry("cpo_alpha", 0.0)
                        .containsEntry("simpo_gamma", 2.5);
            } else {
                assertThat(trl).containsEntry("loss_type", "sigmoid");
            }
        }
    }

    @Test
    void theTrlScriptReadsExactlyTheScriptKeys() {
        String script = TrainingConfigs.trlScript();
        for (String key : TrainingConfigs.TRL_SCRIPT_KEYS) {
            assertThat(script).contains("script[\"" + key + "\"]");
        }
        assertThat(script).contains("SCRIPT_KEYS = [\"model_name_or_path\", \"data_file\"");
    }

    @Test
    void stringsWithYamlSyntaxStayStrings() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("output_dir", "saves/a: b # c\n\"quoted\" \\ yes");
        values.put("dataset", "true");
        values.put("export_size", 5);
        values.put("learning_rate", 1.0e-5);

        Map<String, Object> yaml = parse(yamlOf(values));

        assertThat(yaml).containsEntry("output_dir", "saves/a: b # c\n\"quoted\" \\ yes")
                .containsEntry("dataset", "true").containsEntry("export_size", 5)
                .containsEntry("learning_rate", 1.0e-5);
    }

    @Test
    void aModelWithoutAKnownTemplateNeedsOne() {
        assertThatThrownBy(() -> TrainingRecipe.paper(Loss.DPO, "my/model", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--template");
        assertThat(TrainingRecipe.paper(Loss.DPO, "my/Model_7B", "qwen").modelName()).isEqualTo("model_7b");
    }
}
