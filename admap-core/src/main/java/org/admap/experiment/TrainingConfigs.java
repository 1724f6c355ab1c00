package org.admap.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training configurations of one comparison set: LLaMA-Factory's YAML (the paper trained
 * with LLaMA-Factory), its LoRA merge, and a TRL equivalent. Every key is one LLaMA-Factory or
 * TRL documents (checked by {@code TrainingConfigsTest} against their argument names).
 */
public final class TrainingConfigs {

    private TrainingConfigs() {
    }

    /**
     * {@code llamafactory-cli train} settings, run from the experiment's folder.
     *
     * @param dataset    the dataset's name in {@code dataDir}'s {@code dataset_info.json}
     * @param dataDir    the {@code dataset_dir}, relative to the experiment's folder
     * @param outputDir  where the adapter goes, relative to the experiment's folder
     */
    public static Map<String, Object> llamaFactory(TrainingRecipe r, String dataset, String dataDir,
                                                   String outputDir, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        // model
        m.put("model_name_or_path", r.baseModel());
        m.put("trust_remote_code", true);
        // method
        m.put("stage", "dpo"); // LLaMA-Factory's DPO stage runs every pairwise loss, SimPO included
        m.put("do_train", true);
        m.put("finetuning_type", "lora");
        m.put("lora_rank", r.loraRank());
        m.put("lora_target", "all");
        m.put("pref_loss", r.loss() == Loss.DPO ? "sigmoid" : "simpo");
        m.put("pref_beta", r.beta());
        if (r.loss() == Loss.SIMPO) {
            m.put("simpo_gamma", r.gamma());
        }
        // dataset
        m.put("dataset", dataset);
        m.put("dataset_dir", dataDir);
        m.put("template", r.template());
        m.put("cutoff_len", r.cutoff());
        m.put("overwrite_cache", true);
        m.put("preprocessing_num_workers", 16);
        // output
        m.put("output_dir", outputDir);
        m.put("logging_steps", 10);
        m.put("save_steps", 500);
        m.put("plot_loss", true);
        m.put("overwrite_output_dir", true);
        // train
        m.put("per_device_train_batch_size", r.batchPerDevice());
        m.put("gradient_accumulation_steps", r.accumulation());
        m.put("learning_rate", r.learningRate());
        m.put("num_train_epochs", r.epochs());
        m.put("lr_scheduler_type", "cosine");
        m.put("warmup_ratio", 0.1);
        m.put("bf16", true);
        m.put("ddp_timeout", 180000000);
        m.put("seed", seed);
        return m;
    }

    /** {@code llamafactory-cli export} settings that merge the trained adapter into the base model. */
    public static Map<String, Object> llamaFactoryMerge(TrainingRecipe r, String adapterDir, String exportDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_name_or_path", r.baseModel());
        m.put("adapter_name_or_path", adapterDir);
        m.put("template", r.template());
        m.put("finetuning_type", "lora");
        m.put("trust_remote_code", true);
        m.put("export_dir", exportDir);
        m.put("export_size", 5);
        m.put("export_device", "cpu");
        m.put("export_legacy_format", false);
        return m;
    }

    /**
     * The TRL equivalent, read by the experiment's {@code train_trl.py}: the script's own keys
     * ({@link #TRL_SCRIPT_KEYS}) and then {@code DPOConfig}'s (DPO) or {@code CPOConfig}'s
     * (SimPO, which TRL implements as CPO with {@code loss_type: simpo} and {@code cpo_alpha: 0}).
     */
    public static Map<String, Object> trl(TrainingRecipe r, String dataFile, String outputDir, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_name_or_path", r.baseModel());
        m.put("data_file", dataFile);
        m.put("trainer", r.loss() == Loss.DPO ? "dpo" : "cpo");
        m.put("lora_r", r.loraRank());
        m.put("lora_alpha", r.loraRank() * 2); // LLaMA-Factory's default: twice the rank
        m.put("lora_target_modules", "all-linear");
        m.put("output_dir", outputDir);
        if (r.loss() == Loss.DPO) {
            m.put("loss_type", "sigmoid");
            m.put("beta", r.beta());
        } else {
            m.put("loss_type", "simpo");
            m.put("cpo_alpha", 0.0);
            m.put("beta", r.beta());
            m.put("simpo_gamma", r.gamma());
        }
        m.put("max_length", r.cutoff());
        m.put("per_device_train_batch_size", r.batchPerDevice());
        m.put("gradient_accumulation_steps", r.accumulation());
        m.put("learning_rate", r.learningRate());
        m.put("num_train_epochs", r.epochs());
        m.put("lr_scheduler_type", "cosine");
        m.put("warmup_ratio", 0.1);
        m.put("bf16", true);
        m.put("logging_steps", 10);
        m.put("save_steps", 500);
        m.put("seed", seed);
        return m;
    }

    /** The keys of {@link #trl} that {@code train_trl.py} takes itself; the rest go to the trainer's config. */
    public static final java.util.List<String> TRL_SCRIPT_KEYS = java.util.List.of("model_name_or_path",
            "data_file", "trainer", "lora_r", "lora_alpha", "lora_target_modules");

    /**
     * {@code train_trl.py}: loads a config written by {@link #trl}, reads the pairs in any of
     * admap's pair formats (sharegpt, alpaca, TRL) into TRL's conversational preference format,
     * and trains with LoRA.
     */
    public static String trlScript() {
        return """
                # Trains one comparison set with TRL, the equivalent of its LLaMA-Factory config.
                # Written by admap experiment. Usage (from the experiment's folder):
                #   python trl/train_trl.py trl/<model>-<loss>-<set>.yaml
                # Needs: pip install trl peft datasets pyyaml (TRL >= 0.12: processing_class).
                import sys

                import yaml
                from datasets import load_dataset
                from peft import LoraConfig
                from transformers import AutoModelForCausalLM, AutoTokenizer

                SCRIPT_KEYS = %s
                SHAREGPT_ROLES = {"human": "user", "gpt": "assistant", "system": "system",
                                  "observation": "tool", "function_call": "assistant"}


                def to_trl(row):
                    \"\"\"One pair in TRL's conversational preference format, from any admap pair format.\"\"\"
                    if "conversations" in row:  # LLaMA-Factory sharegpt
                        prompt = [{"role": SHAREGPT_ROLES.get(m["from"], m["from"]), "content": m["value"]}
                                  for m in row["conversations"]]
                        chosen, rejected = row["chosen"]["value"], row["rejected"]["value"]
                    elif "instruction" in row:  # LLaMA-Factory alpaca
                        text = row["instruction"] + ("\\n\\n" + row["input"] if row.get("input") else "")
                        prompt = [{"role": "user", "content": text}]
                        chosen, rejected = row["chosen"], row["rejected"]
                    else:  # TRL
                        prompt = row["prompt"]
                        if isinstance(prompt, str):
                            prompt = [{"role": "user", "content": prompt}]
                        chosen, rejected = row["chosen"], row["rejected"]
                    if isinstance(chosen, str):
                        chosen = [{"role": "assistant", "content": chosen}]
                        rejected = [{"role": "assistant", "content": rejected}]
                    return {"prompt": prompt, "chosen": chosen, "rejected": rejected}


                def main(path):
                    with open(path) as f:
                        cfg = yaml.safe_load(f)
                    script = {k: cfg.pop(k) for k in SCRIPT_KEYS}
                    data = load_dataset("json", data_files=script["data_file"], split="train")
                    data = data.map(to_trl, remove_columns=data.column_names)
                    tokenizer = AutoTokenizer.from_pretrained(script["model_name_or_path"])
                    if tokenizer.pad_token is None:
                        tokenizer.pad_token = tokenizer.eos_token
                    model = AutoModelForCausalLM.from_pretrained(script["model_name_or_path"], torch_dtype="auto")
                    peft = LoraConfig(r=script["lora_r"], lora_alpha=script["lora_alpha"],
                                      target_modules=script["lora_target_modules"], task_type="CAUSAL_LM")
                    if script["trainer"] == "dpo":
                        from trl import DPOConfig as Config, DPOTrainer as Trainer
                    else:
                        from trl import CPOConfig as Config, CPOTrainer as Trainer
                    trainer = Trainer(model=model, args=Config(**cfg), train_dataset=data,
                                      processing_class=tokenizer, peft_config=peft)
                    trainer.train()
                    trainer.save_model(cfg["output_dir"])


                if __name__ == "__main__":
                    main(sys.argv[1])
                """.formatted(pythonList(TRL_SCRIPT_KEYS));
    }

    private static String pythonList(java.util.List<String> keys) {
        StringBuilder sb = new StringBuilder("[");
        for (String k : keys) {
            sb.append(sb.length() == 1 ? "" : ", ").append('"').append(k).append('"');
        }
        return sb.append(']').toString();
    }
}
