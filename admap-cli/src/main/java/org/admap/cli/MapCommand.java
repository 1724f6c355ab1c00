package org.admap.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.internal.ingest.hub.HubDataset;
import org.admap.internal.ingest.hub.HubUri;
import org.admap.internal.store.RunDirectory;
import org.admap.map.StabilityOptions;
import org.admap.options.Correlations;
import org.admap.options.IngestFlags;
import org.admap.options.MapFlags;
import org.admap.options.StabilityFlags;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.stats.Correlation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code admap map}: builds the alignment data map of a dataset, or rebuilds a run's map. */
@Command(name = "map",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Build the alignment data map of a preference dataset.",
        description = {
                "",
                "Reads the files (JSON lines, JSON, CSV/TSV, Parquet; each optionally .gz), stores them in " +
                        "DIR/run.duckdb and computes, per instruction with two or more scored responses, the mean " +
                        "(quality) and population variance (variability) of its response scores. Regions by rank: " +
                        "the third with the highest variance is high-var; the rest split by mean into high-avg (the " +
                        "third worth training on) and low-avg.",
                "",
                "Hugging Face Hub datasets are inputs too:",
                "  hf://datasets/OWNER/NAME[/PATH][@REVISION]",
                "Their data files (under PATH, or the file PATH names) are downloaded into a cache, resumed if a " +
                        "download breaks, verified, and reused by later runs. A gated or private dataset needs " +
                        "HF_TOKEN.",
                "",
                "Writes DIR/map.csv (id,prompt,n,mean,variance,std,region[,correlation][,region_p]) and " +
                        "DIR/summary.json, and the run store DIR/run.duckdb (for JSON lines or a JSON array in the " +
                        "multi-response, pairwise, ultrafeedback or long layout, CSV or TSV in all but " +
                        "ultrafeedback, and multi-response Parquet, the map comes from a fast parallel " +
                        "scan of the scores; diagnose, select and report then read the texts where they lie (a gzip " +
                        "input decompressed, or a table as JSON lines, into DIR/input-N.jsonl), and the store, " +
                        "with the texts, is built when a command first needs it; --full-ingest builds it now). Given " +
                        "a run directory alone, rebuilds its map (for example on another score source) without " +
                        "reading the input files again.",
                "",
                "Examples:",
                "  admap map prefs.jsonl --out run/",
                "  admap map alpaca_eval/*.annotations.json.gz --preset alpaca-eval --out run/",
                "  admap map hh-rlhf.jsonl.gz --out run/            (pairwise, recognised)",
                "  admap map hf://datasets/Anthropic/hh-rlhf/harmless-base --out run/",
                "  admap map evals.csv --layout long --prompt-field question \\",
                "            --response-field answer --score-field rating --out run/",
                "  admap map run/ --scores labels                    (rebuild on the labels)",
                "  admap map run/ --sample 0                         (the map of the first judgment alone)",
                "  admap map --out run/ --query \"SELECT q.text AS prompt, a.text AS response",
                "            FROM read_json('q.jsonl') q JOIN read_csv('a.csv') a USING (qid)\"",
                ""
        })
final class MapCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "INPUT",
            description = "Data files or Hub datasets (hf://...), all read into one run; or one run directory to"
                    + " rebuild its map. None with --query.")
    List<String> inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "The run directory to create.")
    Path out;

    @Option(names = "--force", description = "Replace the run in DIR if there is one.")
    boolean force;

    @Mixin
    MapFlags map;

    @Option(names = "--corr", paramLabel = "MEASURE", defaultValue = "cosine", converter = Correlations.class,
            description = "Label/score agreement in the correlation column: cosine (default, the paper's),"
                    + " pearson, kendall, rank, pearson-minmax or kl (see admap diagnose --help).")
    Correlation correlation;

    @Option(names = "--variability", paramLabel = "KIND", defaultValue = "score",
            description = "The variability axis the regions are ranked on: score (default: the population variance"
                    + " of the response scores) or comb (the paper's: the population variance of the cosine"
                    + " similarities of every pair of an instruction's responses, from the embedding vectors that"
                    + " 'admap score DIR --scorer reference' stored; only when rebuilding a run's map).")
    String variability;

    @Mixin
    IngestFlags ingest;

    @Mixin
    HubFlags hub;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that read JSON-lines input (default: the number of cores). The map does not"
                    + " depend on it.")
    Integer threads;

    @Option(names = "--full-ingest",
            description = "Build the run store with every text now, instead of writing the map from a scan of the"
                    + " scores and building the store when a command first needs it.")
    boolean fullIngest;

    @Mixin
    StabilityFlags stability;

    @Mixin
    CsvFlags csv;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars, no summary on stdout.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        StabilityOptions stabilityOptions;
        try {
            stabilityOptions = stability.toOptions();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        org.admap.map.Variability kind;
        try {
            kind = org.admap.map.Variability.parse(variability);
        } catch (IllegalArgumentException e) {
            throw new UserException("--variability: " + e.getMessage());
        }
        if (inputs == null) {
            inputs = List.of();
        }
        if (inputs.isEmpty() && ingest.query() == null) {
            throw new UserException("no input: give data files (or Hub datasets), a run directory, or --query SQL");
        }
        if (ingest.query() == null && inputs.size() == 1 && !HubUri.isHub(inputs.get(0))
                && Files.isDirectory(Path.of(inputs.get(0)))
                && out == null) {
            Run run = Run.open(Path.of(inputs.get(0)), TerminalProgress.forStderr(false)).withCsvCells(csv.cells());
            Run.Mapped mapped = run.map(map.scores(), correlation, stabilityOptions, kind);
            if (!quiet) {
                SummaryPrinter.printMap(stdout, mapped.facts(), mapped.map(), 0);
                stdout.println("wrote " + run.directory().mapCsv() + ", " + run.directory().summaryJson()
                        + " (flags and plots of the previous map were removed: run diagnose and report again)");
            }
            return ExitCodes.OK;
        }
        if (kind == org.admap.map.Variability.COMB) {
            throw new UserException("--variability comb needs the responses' embedding vectors, which a new run does"
                    + " not have yet: build the map, run 'admap score DIR --scorer reference', then"
                    + " 'admap map DIR --variability comb'");
        }
        if (out == null) {
            throw new UserException("missing --out DIR: the run directory to write the map into");
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Run.Created created = Run.create(new CreateOptions(inputs, hub.resolver(), ingest.toOptions(), out, force,
                map.scores(), correlation, n, fullIngest, false, stabilityOptions, ingest.query()), csv.cells(),
                TerminalProgress.forStderr(quiet));
        RunDirectory run = created.run().directory();
        if (created.map() == null) {
            stdout.printf(Locale.ROOT, "stored %,d instructions, %,d responses in %s; the data has neither"
                    + " scores nor labels, so there is no map yet:%n  admap score %s --scorer judge|reward|reference"
                    + " ...   then   admap map %s --scores NAME%n", created.facts().items(),
                    created.facts().responses(), run.store(), out, out);
            return ExitCodes.OK;
        }
        if (quiet) {
            return ExitCodes.OK;
        }
        for (HubDataset.Download d : created.downloads()) {
            stdout.printf(Locale.ROOT, "%s: %d data file%s, %,d bytes (%d downloaded, %d from the cache; in %s)%n",
                    d.uri(), d.files().size(), d.files().size() == 1 ? "" : "s", d.bytes(), d.downloadedCount(),
                    d.files().size() - d.downloadedCount(), d.folder());
        }
        SummaryPrinter.printMap(stdout, created.facts(), created.map(), created.badRows());
        if (created.way() == Run.Way.SCAN) {
            stdout.println("wrote " + run.mapCsv() + ", " + run.summaryJson()
                    + " (the run store is built from the input when a command first needs it)");
        } else {
            stdout.println("wrote " + run.store() + ", " + run.mapCsv() + ", " + run.summaryJson());
        }
        return ExitCodes.OK;
    }
}
