package org.admap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.admap.generate.SyntheticDataset;
import org.admap.ingest.Layout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code admap generate}: writes a synthetic dataset. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Write a synthetic preference dataset (for benchmarks, or to try admap at scale).",
        description = {
                "",
                "Seeded and streamed: the same arguments give the same file, of any size. Scores are 1-10 judge-like " +
                        "ratings around a per-instruction quality with a per-instruction spread; labels are 1-5 " +
                        "ratings that follow the scores, reversed for --flip-rate of the instructions (planted " +
                        "misannotations that 'admap diagnose' should find).",
                "",
                "Example:",
                "  admap generate --instructions 1000000 --responses 4 --out big.jsonl.gz",
                ""
        })
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--instructions", paramLabel = "N", required = true, description = "Number of instructions.")
    long instructions;

    @Option(names = "--responses", paramLabel = "K", defaultValue = "4",
            description = "Responses per instruction (default ${DEFAULT-VALUE}).")
    int responses;

    @Option(names = "--words", paramLabel = "MIN-MAX", defaultValue = "20-60",
            description = "Response length range in words (default ${DEFAULT-VALUE}).")
    String words;

    @Option(names = "--flip-rate", paramLabel = "P", defaultValue = "0.02",
            description = "Share of instructions with reversed labels (default ${DEFAULT-VALUE}).")
    double flipRate;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default " +
            "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "multi",
            description = "multi (default), long, pairwise (needs --responses 2) or ultrafeedback"
                    + " (openbmb/UltraFeedback's raw rows; the labels as fine-grained_score).")
    String layout;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true,
            description = "The file to write: .jsonl, or .jsonl.gz for gzip.")
    Path out;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && !force) {
            throw new UserException(out + " already exists; use --force to overwrite it");
        }
        String[] range = words.split("-", 2);
        int min;
        int max;
        try {
            min = Integer.parseInt(range[0].trim());
            max = range.length > 1 ? Integer.parseInt(range[1].trim()) : min;
        } catch (NumberFormatException e) {
            throw new UserException("--words must look like 20-60, got '" + words + "'");
        }
        SyntheticDataset.Spec s = new SyntheticDataset.Spec(instructions, responses, min, max, flipRate, seed,
                Layout.parse(layout));
        long start = System.nanoTime();
        new SyntheticDataset(s).write(out, TerminalProgress.forStderr(quiet));
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %,d instructions x %d responses, %,d bytes,"
                + " in %.1f s%n", out, instructions, responses, Files.size(out), seconds);
        return ExitCodes.OK;
    }
}
