package org.admap.experiment;

import java.util.Locale;
import org.admap.run.Run;

/** The experiment folder's {@code README.md}: what is in it and the commands to train and evaluate. */
final class ExperimentReadme {

    private ExperimentReadme() {
    }

    static String write(Run run, Experiment.Options o, Experiment.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# The comparison set of ").append(run.directory().dir().getFileName()).append("\n\n");
        sb.append("Written by `admap experiment` from the run in `")
                .append(run.directory().dir().toAbsolutePath().normalize()).append("`: the paper's study, ")
                .append("training the same base model on each set of pairs and comparing the models. ")
                .append("admap writes the data and configs; it does not train. Provenance: `experiment.json`, ")
                .append("and `data/SET.json.provenance.json` per set.\n\n");
        sb.append("| set | instructions | pairs | file |\n|---|---:|---:|---|\n");
        for (Experiment.ComparisonSet s : r.sets()) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %,d | `%s` |%n", s.name(), s.instructions(),
                    s.pairs(), r.dir().relativize(s.file())));
        }
        sb.append("\n`full` is every mapped instruction; `random` a uniform sample (seed ").append(o.seed())
                .append(") of the same size as `high-avg`, the paper's baseline. Pairs: ")
                .append(o.pairs().mode().cliName()).append(", ranked by ")
                .append(o.pairs().by().name().toLowerCase(Locale.ROOT))
                .append(o.pairs().maxPairsPerPrompt() > 0 ? ", at most " + o.pairs().maxPairsPerPrompt()
                        + " per instruction" : "")
                .append("; format `").append(o.format().cliName())
                .append("`, registered in `data/dataset_info.json`.\n\n");
        sb.append("## Settings (the paper's)\n\n");
        sb.append("| base model | loss | template | beta | gamma | learning rate | epochs | batch | cutoff | LoRA |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---|---:|---|\n");
        for (TrainingRecipe t : o.recipes()) {
            sb.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s | %s | %d x %d | %d | rank %d,"
                            + " all linear |%n", t.baseModel(), t.loss().cliName(), t.template(),
                    FlatYaml.value(t.beta()), Double.isNaN(t.gamma()) ? "" : FlatYaml.value(t.gamma()),
                    FlatYaml.value(t.learningRate()), FlatYaml.value(t.epochs()), t.batchPerDevice(),
                    t.accumulation(), t.cutoff(), t.loraRank()));
        }
        sb.append("\nCheck the template against the base model's `tokenizer_config.json` (`chat_template`) ")
                .append("before training; `admap experiment --template NAME` writes another.\n\n");
        sb.append("## Train\n\nFrom this folder, with [LLaMA-Factory](https://github.com/hiyouga/LLaMA-Factory) ")
                .append("installed:\n\n```sh\n");
        for (TrainingRecipe t : o.recipes()) {
            String prefix = t.modelName() + "-" + t.loss().cliName();
            sb.append("for set in");
            Experiment.SETS.forEach(s -> sb.append(' ').append(s));
            sb.append("; do\n  llamafactory-cli train llamafactory/").append(prefix).append("-$set.yaml\n")
                    .append("  llamafactory-cli export llamafactory/").append(prefix)
                    .append("-$set.merge.yaml   # merged model in models/").append(prefix).append("-$set\n")
                    .append("done\n");
        }
        sb.append("```\n\nOr with TRL (`pip install trl peft datasets pyyaml`), the same settings:\n\n```sh\n");
        TrainingRecipe first = o.recipes().get(0);
        sb.append("python trl/train_trl.py trl/").append(first.modelName()).append('-')
                .append(first.loss().cliName()).append("-high-avg.yaml\n```\n\n");
        sb.append("## Evaluate\n\nThe paper compares the models on MT-Bench and AlpacaEval 2.0.\n\n");
        sb.append("MT-Bench, with FastChat's `llm_judge` (GPT-4 as the judge, `OPENAI_API_KEY` set):\n\n```sh\n");
        sb.append("cd FastChat/fastchat/llm_judge\n");
        String example = first.modelName() + "-" + first.loss().cliName();
        sb.append("for set in");
        Experiment.SETS.forEach(s -> sb.append(' ').append(s));
        sb.append("; do\n  python gen_model_answer.py --model-path ").append(r.dir().toAbsolutePath().normalize())
                .append("/models/").append(example).append("-$set --model-id ").append(example).append("-$set\n")
                .append("done\npython gen_judgment.py --model-list");
        Experiment.SETS.forEach(s -> sb.append(' ').append(example).append('-').append(s));
        sb.append(" --parallel 4\npython show_result.py\n```\n\n");
        sb.append("AlpacaEval 2.0 (length-controlled win rate against GPT-4 Turbo): generate each model's answers")
                .append(" to the 805 AlpacaEval instructions (`tatsu-lab/alpaca_eval`, with the model's chat")
                .append(" template) into a JSON list of `instruction`, `output`, `generator`, then:\n\n```sh\n")
                .append("alpaca_eval --model_outputs outputs/").append(example).append("-high-avg.json\n```\n\n")
                .append("The paper's finding to check: high-avg, a third of the data, matches or beats `full`,")
                .append(" and beats `random`, `low-avg` and `high-var`.\n");
        return sb.toString();
    }
}
