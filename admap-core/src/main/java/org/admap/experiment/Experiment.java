package org.admap.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.admap.Version;
import org.admap.internal.json.Json;
import org.admap.internal.store.AtomicFile;
import org.admap.model.Region;
import org.admap.run.Run;
import org.admap.run.RunException;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import org.admap.select.Target;

/**
 * Writes the paper's comparison set of a run: the pairs of every mapped instruction
 * ({@code full}), of each region ({@code high-avg}, {@code low-avg}, {@code high-var}), and of a
 * seeded random sample the size of high-avg ({@code random}), with a LLaMA-Factory training
 * config, its LoRA merge and a TRL equivalent per set, base model and loss, and a
 * {@code README.md} with the commands to train and evaluate.
 * <pre>{@code
 * DIR/README.md                      what was written and the commands to run
 * DIR/experiment.json                provenance: run, map, sets and their sizes, settings
 * DIR/data/SET.json                  the pairs (+ SET.json.provenance.json)
 * DIR/data/dataset_info.json         LLaMA-Factory's registry of the five sets
 * DIR/llamafactory/MODEL-LOSS-SET.yaml        llamafactory-cli train
 * DIR/llamafactory/MODEL-LOSS-SET.merge.yaml  llamafactory-cli export (merge the adapter)
 * DIR/trl/MODEL-LOSS-SET.yaml, DIR/trl/train_trl.py   the TRL equivalent
 * }</pre>
 */
public final class Experiment {

    /** The sets, in the paper's order. */
    public static final List<String> SETS = List.of("full", "high-avg", "low-avg", "high-var", "random");

    /** The pair formats an experiment can write: those LLaMA-Factory reads through {@code dataset_info.json}. */
    public static final Set<ExportFormat> FORMATS = Set.of(ExportFormat.SHAREGPT, ExportFormat.LLAMA_FACTORY);

    private static final ObjectMapper JSON = Json.PRETTY;

    private Experiment() {
    }

    /**
     * What to write.
     *
     * @param format  the pairs' format ({@link #FORMATS})
     * @param pairs   how pairs are formed and ranked
     * @param recipes one per base model and loss
     * @param seed    the random set's seed, and the training seed
     */
    public record Options(ExportFormat format, SelectionExport.Options pairs, List<TrainingRecipe> recipes,
                          long seed) {

        public Options {
            if (!FORMATS.contains(format)) {
                throw new IllegalArgumentException("--format " + format.cliName() + ": an experiment writes pairs"
                        + " LLaMA-Factory reads, sharegpt or llama-factory (the TRL script reads both)");
            }
            if (recipes.isEmpty()) {
                throw new IllegalArgumentException("no base model or loss to write configs for");
            }
            recipes = List.copyOf(recipes);
        }
    }

    /** One comparison set as written. */
    public record ComparisonSet(String name, int instructions, long pairs, Path file) {
    }

    /** What was written. */
    public record Result(Path dir, List<ComparisonSet> sets, List<Path> configs) {
    }

    /**
     * Writes the experiment into {@code dir}, which must be absent or empty unless {@code force}.
     *
     * @param notes where notes for the user go (standard error)
     */
    public static Result write(Run run, Options o, Path dir, boolean force, PrintWriter notes) throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new RunException(dir + " is a file; give a folder for the experiment");
        }
        if (Files.isDirectory(dir) && !force) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new RunException(dir + " is not empty; use --force to write the experiment over it,"
                            + " or choose another folder");
                }
            }
        }
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        SelectionExport.Options pairOptions = new SelectionExport.Options(o.pairs().mode(), o.pairs().by(),
                o.format(), o.pairs().maxPairsPerPrompt());
        List<ComparisonSet> sets = new ArrayList<>();
        for (String name : SETS) {
            Target target = name.equals("full") ? Target.ALL : name.equals("random") ? Target.RANDOM
                    : Target.of(Region.parse(name));
            Path file = data.resolve(name + ".json");
            SelectionExport.Result r = run.select(target, null, o.seed(), pairOptions, file, true, notes);
            sets.add(new ComparisonSet(name, r.instructions(), r.records(), file));
        }
        List<Path> configs = new ArrayList<>();
        Path lf = dir.resolve("llamafactory");
        Path trl = dir.resolve("trl");
        for (TrainingRecipe recipe : o.recipes()) {
            String prefix = recipe.modelName() + "-" + recipe.loss().cliName();
            for (ComparisonSet s : sets) {
                String id = prefix + "-" + s.name();
                String adapter = "saves/" + recipe.modelName() + "/" + recipe.loss().cliName() + "/" + s.name();
                configs.add(text(lf.resolve(id + ".yaml"), FlatYaml.write(
                        "LLaMA-Factory: " + recipe.loss().cliName().toUpperCase(java.util.Locale.ROOT) + " on "
                                + s.name() + " (" + s.pairs() + " pairs from " + s.instructions() + " instructions)"
                                + ", the paper's settings.\nRun from " + dir.getFileName()
                                + "/: llamafactory-cli train llamafactory/" + id + ".yaml",
                        TrainingConfigs.llamaFactory(recipe, s.name(), "data", adapter, o.seed()))));
                configs.add(text(lf.resolve(id + ".merge.yaml"), FlatYaml.write(
                        "Merges the LoRA adapter of " + id + " into the base model, for evaluation.\n"
                                + "Run from " + dir.getFileName() + "/: llamafactory-cli export llamafactory/" + id
                                + ".merge.yaml",
                        TrainingConfigs.llamaFactoryMerge(recipe, adapter, "models/" + id))));
                configs.add(text(trl.resolve(id + ".yaml"), FlatYaml.write(
                        "TRL equivalent of llamafactory/" + id + ".yaml.\nRun from " + dir.getFileName()
                                + "/: python trl/train_trl.py trl/" + id + ".yaml",
                        TrainingConfigs.trl(recipe, "data/" + s.name() + ".json", "saves-trl/" + recipe.modelName()
                                + "/" + recipe.loss().cliName() + "/" + s.name(), o.seed()))));
            }
        }
        configs.add(text(trl.resolve("train_trl.py"), TrainingConfigs.trlScript()));
        Result result = new Result(dir, List.copyOf(sets), List.copyOf(configs));
        text(dir.resolve("README.md"), ExperimentReadme.write(run, o, result));
        writeProvenance(run, o, result);
        return result;
    }

    private static Path text(Path file, String content) throws IOException {
        try (AtomicFile out = new AtomicFile(file)) {
            out.stream().write(content.getBytes(StandardCharsets.UTF_8));
            out.commit();
        }
        return file;
    }

    private static void writeProvenance(Run run, Options o, Result r) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        root.put("run", run.directory().dir().toAbsolutePath().normalize().toString());
        root.put("format", o.format().cliName());
        root.put("pairs", o.pairs().mode().cliName());
        root.put("pair_by", o.pairs().by().name().toLowerCase(java.util.Locale.ROOT));
        if (o.pairs().maxPairsPerPrompt() > 0) {
            root.put("max_pairs_per_prompt", o.pairs().maxPairsPerPrompt());
        }
        root.put("seed", o.seed());
        ObjectNode sets = root.putObject("sets");
        for (ComparisonSet s : r.sets()) {
            ObjectNode n = sets.putObject(s.name());
            n.put("file", r.dir().relativize(s.file()).toString());
            n.put("instructions", s.instructions());
            n.put("pairs", s.pairs());
        }
        ArrayNode recipes = root.putArray("recipes");
        for (TrainingRecipe t : o.recipes()) {
            ObjectNode n = recipes.addObject();
            n.put("loss", t.loss().cliName());
            n.put("base_model", t.baseModel());
            n.put("template", t.template());
            n.put("beta", t.beta());
            if (!Double.isNaN(t.gamma())) {
                n.put("gamma", t.gamma());
            }
            n.put("learning_rate", t.learningRate());
            n.put("epochs", t.epochs());
            n.put("per_device_train_batch_size", t.batchPerDevice());
            n.put("gradient_accumulation_steps", t.accumulation());
            n.put("cutoff_len", t.cutoff());
            n.put("lora_rank", t.loraRank());
        }
        text(r.dir().resolve("experiment.json"), JSON.writeValueAsString(root) + "\n");
    }

    /** The paper's pair options: every differing pair, ranked by the data's labels. */
    public static SelectionExport.Options paperPairs(ExportFormat format) {
        return new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS, format);
    }
}
