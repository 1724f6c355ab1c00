package org.admap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.admap.Version;
import org.admap.map.MapJob;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.report.JsonFiles;
import org.admap.select.ExportFormat;
import org.admap.select.Pair;
import org.admap.select.PairBuilder;
import org.admap.select.PairExporter;
import org.admap.select.PairMode;
import org.admap.select.Selector;
import org.admap.select.Target;
import org.admap.store.RunDirectory;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code admap select}: exports the DPO training pairs of a region of the map. */
@Command(name = "select",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Export the DPO training pairs of a region of the map.",
        description = {
                "",
                "Selects instructions from the run's map and writes their preference pairs: every pair of responses whose labels differ, the higher-labelled one chosen (ties and identical texts skipped). The paper trains on high-avg: a third of the data that matches or beats all of it.",
                "",
                "--fraction keeps the most typical share of a region: high-avg by mean (best first), low-avg by mean (worst first), high-var by variance (largest first), all by mean. random draws a seeded sample, by default the size of high-avg (the paper's baseline).",
                "",
                "Writes FILE and FILE.provenance.json (which run, map, region and options made it).",
                "",
                "Examples:",
                "  admap select run/ --region high-avg --out high-avg.jsonl              (TRL)",
                "  admap select run/ --region high-avg --format llama-factory \\",
                "            --out high-avg.json",
                "  admap select run/ --region random --seed 42 --out random.parquet",
                "  admap select run/ --region high-var --format multi --out high-var.jsonl",
                ""
        })
final class SelectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
    Path dir;

    @Option(names = "--region", paramLabel = "REGION", required = true,
            description = "high-avg, low-avg, high-var, all (every mapped instruction) or random.")
    String region;

    @Option(names = "--fraction", paramLabel = "F",
            description = "Keep this share of the selection, in (0, 1] (default: 1; random: the size of high-avg).")
    Double fraction;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the random selection (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pairs", paramLabel = "MODE", defaultValue = "all",
            description = "all (every differing pair, default) or best-worst (one pair per instruction).")
    String pairs;

    @Option(names = "--pair-by", paramLabel = "VALUES", defaultValue = "labels",
            description = "Rank responses by the data's labels (default) or by the map's scores.")
    String pairBy;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "trl (JSON lines: prompt, chosen, rejected, score_chosen, score_rejected),"
                    + " llama-factory (instruction, input, chosen, rejected), parquet (TRL columns),"
                    + " or multi (the instructions in admap's layout). Default: from the file name"
                    + " (.parquet: parquet), else trl.")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "The file to write.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What was exported. */
    record Result(int instructions, long records, int withoutPairs, PairBuilder.By by, ExportFormat format) {
    }

    @Override
    public Integer call() throws Exception {
        RunDirectory run = RunDirectory.existing(dir);
        Target target = Target.parse(region);
        ExportFormat fmt = format != null ? ExportFormat.parse(format)
                : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet") ? ExportFormat.PARQUET
                : ExportFormat.TRL;
        PairBuilder.By by = switch (pairBy.toLowerCase(Locale.ROOT)) {
            case "labels", "label" -> PairBuilder.By.LABELS;
            case "scores", "score" -> PairBuilder.By.SCORES;
            default -> throw new UserException("--pair-by must be labels or scores, got '" + pairBy + "'");
        };
        Result r = export(run, target, fraction, seed, PairMode.parse(pairs), by, fmt, out,
                spec.commandLine().getErr());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "selected %,d instructions (%s)", r.instructions(), target.cliName());
        if (fmt.holdsPairs()) {
            stdout.printf(Locale.ROOT, ": %,d pairs (%s, by %s)", r.records(), PairMode.parse(pairs).cliName(),
                    r.by().name().toLowerCase(Locale.ROOT));
            if (r.withoutPairs() > 0) {
                stdout.printf(Locale.ROOT, "; %,d instructions gave no pair (tied or identical responses)",
                        r.withoutPairs());
            }
        }
        stdout.println();
        stdout.println("wrote " + out + " (" + fmt.cliName() + "), " + provenancePath(out));
        if (fmt == ExportFormat.LLAMA_FACTORY) {
            stdout.println("register it in LLaMA-Factory's data/dataset_info.json as shown in "
                    + provenancePath(out) + " (\"dataset_info\")");
        }
        return ExitCodes.OK;
    }

    static Path provenancePath(Path out) {
        return out.resolveSibling(out.getFileName() + ".provenance.json");
    }

    /** Selects and writes the file and its provenance sidecar. */
    static Result export(RunDirectory run, Target target, Double fraction, long seed, PairMode mode,
                         PairBuilder.By by, ExportFormat format, Path out, PrintWriter notes) throws Exception {
        try (RunStore store = RunStore.open(run.store())) {
            String source = MapJob.currentSource(store);
            List<MapPoint> points = store.mapPoints();
            double f = fraction != null ? fraction : target.random()
                    ? (double) points.stream().filter(p -> p.region() == Region.HIGH_AVG).count() / points.size()
                    : 1.0;
            List<MapPoint> selected = Selector.select(points, target, f, seed);
            if (by == PairBuilder.By.LABELS && !store.hasLabels() && format.holdsPairs()) {
                notes.println("note: the data has no labels; pairs are ranked by the map's scores ('" + source + "')");
                by = PairBuilder.By.SCORES;
            }
            BitSet keys = new BitSet();
            Map<Integer, MapPoint> byKey = new HashMap<>();
            for (MapPoint p : selected) {
                keys.set(p.key());
                byKey.put(p.key(), p);
            }
            PairBuilder builder = new PairBuilder(mode, by);
            int[] withoutPairs = {0};
            long records;
            try (PairExporter exporter = PairExporter.create(format, out)) {
                store.forEachItem(source, keys, ki -> {
                    List<Pair> pairs = format.holdsPairs() ? builder.pairs(ki.item()) : List.of();
                    if (format.holdsPairs() && pairs.isEmpty()) {
                        withoutPairs[0]++;
                    }
                    try {
                        exporter.write(ki.item(), byKey.get(ki.key()), pairs);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                exporter.commit();
                records = exporter.records();
            }
            Result result = new Result(selected.size(), records, withoutPairs[0], by, format);
            JsonFiles.write(provenancePath(out), provenance(run, store, source, target, f, seed, mode, result, out));
            return result;
        }
    }

    private static ObjectNode provenance(RunDirectory run, RunStore store, String source, Target target,
                                         double fraction, long seed, PairMode mode, Result r, Path out) {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        root.put("file", out.getFileName().toString());
        root.put("format", r.format().cliName());
        root.put("run", run.dir().toAbsolutePath().normalize().toString());
        ObjectNode map = root.putObject("map");
        map.put("scores", source);
        map.put("created", store.info(MapJob.INFO_CREATED).orElse(""));
        ObjectNode sel = root.putObject("selection");
        sel.put("region", target.cliName());
        sel.put("fraction", fraction);
        if (target.random()) {
            sel.put("seed", seed);
        }
        sel.put("instructions", r.instructions());
        if (r.format().holdsPairs()) {
            ObjectNode pairs = root.putObject("pairs");
            pairs.put("mode", mode.cliName());
            pairs.put("by", r.by().name().toLowerCase(Locale.ROOT));
            pairs.put("count", r.records());
            pairs.put("instructions_without_pairs", r.withoutPairs());
        }
        if (r.format() == ExportFormat.LLAMA_FACTORY) {
            String name = out.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            ObjectNode entry = root.putObject("dataset_info").putObject(name);
            entry.put("file_name", out.getFileName().toString());
            entry.put("ranking", true);
            ObjectNode columns = entry.putObject("columns");
            columns.put("prompt", "instruction");
            columns.put("query", "input");
            columns.put("chosen", "chosen");
            columns.put("rejected", "rejected");
        }
        return root;
    }
}
