package org.admap.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.admap.Progress;
import org.admap.diagnose.Correlation;
import org.admap.generate.SyntheticDataset;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import org.admap.map.MapJob;
import org.admap.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code admap bench}: times the map pipeline, end to end, on given files or on generated
 * data. Wall-clock figures for the README and issue notes; never used in tests.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Time ingest + map on files or on generated data.",
        description = {
                "",
                "For each input, runs 'admap map' in-process --repeat times into a scratch directory and reports the median wall time of the whole map (ingest into the run store, statistics, regions, map.csv, summary.json) and of rebuilding the map from the store alone, in instructions per second. Without FILEs, generates --instructions x --responses first.",
                "",
                "Examples:",
                "  admap bench --instructions 100000,1000000",
                "  admap bench ../shared/data/alpaca_eval/*.json.gz --preset alpaca-eval",
                ""
        })
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Data files to map as one run (optional).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--instructions", paramLabel = "N[,N...]", split = ",", defaultValue = "100000",
            description = "Sizes to generate when no FILE is given (default ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(names = "--responses", paramLabel = "K", defaultValue = "4", description = "Responses per generated instruction.")
    int responses;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "Runs per input (median reported).")
    int repeat;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where to put generated files and scratch runs (default: a temporary directory,"
                    + " removed afterwards).")
    Path workDir;

    @Mixin
    IngestFlags ingest;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new UserException("--repeat must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("admap-bench") : Files.createDirectories(workDir);
        try {
            out.printf(Locale.ROOT, "admap bench: %d cores, max heap %,d MB, Java %s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.version"));
            out.printf(Locale.ROOT, "%-34s %12s %11s %9s %9s %12s %11s%n", "input", "instructions", "responses",
                    "MB", "map s", "instr/s", "rebuild s");
            if (!files.isEmpty()) {
                measure(out, files.size() == 1 ? files.get(0).getFileName().toString() : files.size() + " files",
                        files, ingest.toOptions(), work);
            } else {
                for (long n : sizes) {
                    Path data = work.resolve("generated-" + n + "x" + responses + ".jsonl");
                    if (!Files.exists(data)) {
                        new SyntheticDataset(new SyntheticDataset.Spec(n, responses, 20, 60, 0.02, 1, Layout.MULTI))
                                .write(data, Progress.Factory.NONE);
                    }
                    measure(out, String.format(Locale.ROOT, "generated %,d x %d (jsonl)", n, responses),
                            List.of(data), IngestOptions.defaults(), work);
                }
            }
            out.println("map s: whole 'admap map' (read, store, statistics, regions, map.csv, summary.json);"
                    + " rebuild s: the map alone from the run store. Medians of " + repeat + " runs.");
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
        return ExitCodes.OK;
    }

    private void measure(PrintWriter out, String label, List<Path> inputs, IngestOptions options, Path work)
            throws Exception {
        double[] map = new double[repeat];
        double[] rebuild = new double[repeat];
        long items = 0;
        long responseCount = 0;
        for (int r = 0; r < repeat; r++) {
            Path runDir = work.resolve("run");
            deleteTree(runDir);
            long start = System.nanoTime();
            NewRun.Result result = NewRun.create(inputs, options, runDir, false, null, Correlation.COSINE,
                    Progress.Factory.NONE);
            map[r] = (System.nanoTime() - start) / 1e9;
            items = result.ingest().items();
            responseCount = result.ingest().responses();
            try (RunStore store = RunStore.open(result.run().store())) {
                long s = System.nanoTime();
                MapJob.run(store, MapJob.currentSource(store), Correlation.COSINE);
                rebuild[r] = (System.nanoTime() - s) / 1e9;
            }
        }
        long bytes = 0;
        for (Path p : inputs) {
            bytes += Files.size(p);
        }
        double median = median(map);
        out.printf(Locale.ROOT, "%-34s %,12d %,11d %9.1f %9.2f %,12.0f %11.2f%n", label, items, responseCount,
                bytes / 1e6, median, items / median, median(rebuild));
        out.flush();
        deleteTree(work.resolve("run"));
        ManagementFactory.getMemoryMXBean().gc();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
