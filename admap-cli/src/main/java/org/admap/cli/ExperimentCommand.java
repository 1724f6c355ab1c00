package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.experiment.Experiment;
import org.admap.experiment.Loss;
import org.admap.experiment.TrainingRecipe;
import org.admap.options.PairFlags;
import org.admap.run.Run;
import org.admap.select.ExportFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap experiment}: writes the paper's comparison set with its training configs. */
@Command(name = "experiment",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Write the paper's study: five training sets, their training configs and the commands to run.",
        description = {
                "",
                "Writes into DIR the pairs of full (every mapped instruction), high-avg, low-avg, high-var and " +
                        "random (a seeded sample the size of high-avg), registered in DIR/data/dataset_info.json; " +
                        "per set, base model and loss a LLaMA-Factory training config with the paper's settings " +
                        "(LoRA, 3 epochs, batch 2 x 16, cutoff 2048; DPO: sigmoid loss, beta 0.01, learning rate " +
                        "5e-6; SimPO: beta 2.0, gamma 2.5, learning rate 3e-7), its merge config and a TRL " +
                        "equivalent (DIR/trl/train_trl.py); and DIR/README.md with the commands to train and to " +
                        "evaluate on MT-Bench and AlpacaEval. admap does not train.",
                "",
                "Examples:",
                "  admap experiment run/ --out study/",
                "  admap experiment run/ --out study/ --loss dpo --loss simpo \\",
                "            --base-model princeton-nlp/Llama-3-Base-8B-SFT \\",
                "            --base-model alignment-handbook/zephyr-7b-sft-full",
                ""
        })
final class ExperimentCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run directory (after admap map).")
    Path dir;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true,
            description = "The folder to write (absent or empty, unless --force).")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "sharegpt",
            description = "The pairs' format: sharegpt (default: LLaMA-Factory's, keeps multi-turn prompts as turns)"
                    + " or llama-factory (alpaca). The TRL script reads either.")
    String format;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "dpo (default) or simpo; repeat for both. Configs are written per loss.")
    List<String> losses;

    @Option(names = "--base-model", paramLabel = "MODEL",
            description = "The SFT model to train from; repeat for several (default: "
                    + TrainingRecipe.LLAMA3_SFT + "; the paper also used " + TrainingRecipe.ZEPHYR_SFT + ").")
    List<String> baseModels;

    @Option(names = "--template", paramLabel = "NAME",
            description = "LLaMA-Factory's chat template (default: llama3 for Llama-3-Base-8B-SFT, zephyr for"
                    + " zephyr-7b-sft-full; required for other models).")
    String template;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the random set and of training (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PairFlags pairing;

    @Option(names = "--force", description = "Write into DIR even when it is not empty (replacing its files).")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<TrainingRecipe> recipes = new ArrayList<>();
        for (String model : baseModels == null ? List.of(TrainingRecipe.LLAMA3_SFT) : baseModels) {
            for (String loss : losses == null ? List.of("dpo") : losses) {
                recipes.add(TrainingRecipe.paper(Loss.parse(loss), model, template));
            }
        }
        ExportFormat fmt = ExportFormat.parse(format);
        Experiment.Options options = new Experiment.Options(fmt, pairing.toOptions(fmt), recipes, seed);
        // only selections: a scanned run makes them from its columns and inputs, with no store build
        Run run = Run.openDeferred(dir, TerminalProgress.forStderr(false));
        Experiment.Result r = Experiment.write(run, options, out, force, spec.commandLine().getErr());
        PrintWriter stdout = spec.commandLine().getOut();
        for (Experiment.ComparisonSet s : r.sets()) {
            stdout.printf(Locale.ROOT, "%-9s %,7d instructions %,9d pairs  %s%n", s.name(), s.instructions(),
                    s.pairs(), s.file());
        }
        stdout.printf(Locale.ROOT, "wrote %d training configs (%d base model%s x %d loss%s) and %s%n",
                recipes.size() * Experiment.SETS.size(), baseModels == null ? 1 : baseModels.size(),
                baseModels == null || baseModels.size() == 1 ? "" : "s", losses == null ? 1 : losses.size(),
                losses == null || losses.size() == 1 ? "" : "es", out.resolve("README.md"));
        return ExitCodes.OK;
    }
}
