package org.admap.cli;

import java.io.IOException;
import java.io.PrintWriter;
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
import org.admap.bench.ChildProcess;
import org.admap.bench.DuckDbReference;
import org.admap.bench.IoFloor;
import org.admap.bench.NumpyReference;
import org.admap.bench.PipelineBench;
import org.admap.bench.RegionCheck;
import org.admap.generate.SyntheticDataset;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.ingest.Layout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code admap bench}: times {@code admap map} as a whole process against its peers on the
 * same file in one run: the map as DuckDB SQL ({@code bench/map.sql}), as a Python + numpy
 * script ({@code bench/map_numpy.py}) and reading the file with no work (the I/O floor).
 * Wall-clock figures for the README and issue notes; never used in tests.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        headerHeading = "%n",
        header = "Time admap map against DuckDB SQL, Python + numpy and the I/O floor.",
        description = {
                "",
                "For each input, runs in turn, --repeat times (interleaved, so that a busy machine slows all alike),"
                        + " and reports medians:",
                "  read     reading the file with no work (the I/O floor, as cat FILE > /dev/null)",
                "  admap    'admap map FILE --out DIR' as a child process with --heap (start-up included)",
                "  duckdb   bench/map.sql through the DuckDB JDBC driver, in this process (start-up excluded)",
                "  numpy    python3 bench/map_numpy.py FILE OUT (skipped with a message without python3 + numpy)",
                "and checks that the three maps put every instruction in the same region.",
                "",
                "With --pipeline, times the whole pipeline instead: admap's map, diagnose (with duplicates), select"
                        + " --region high-avg and report, each a process of its own with --heap, against the same work"
                        + " as one DuckDB SQL script (bench/pipeline.sql, a process of its own), interleaved; prints"
                        + " medians, peak resident memory, the run directory's size, and whether both flagged the"
                        + " same instructions for the same reasons and wrote the same pairs.",
                "",
                "Without FILEs, generates --instructions x --responses in admap's multi-response layout (20-60 word"
                        + " responses) in each of --formats. DuckDB and numpy run on multi-response files only.",
                "",
                "Examples:",
                "  admap bench --instructions 100000,1000000",
                "  admap bench --instructions 1000000 --formats jsonl,jsonl.gz,parquet --repeat 5",
                "  admap bench my-prefs.jsonl",
                "  admap bench --pipeline --instructions 1000000",
                ""
        })
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Data files to map (optional).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--instructions", paramLabel = "N", split = ",", defaultValue = "100000",
            description = "Sizes to generate when no FILE is given (default ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(names = "--responses", paramLabel = "K", defaultValue = "4",
            description = "Responses per generated instruction.")
    int responses;

    @Option(names = "--formats", paramLabel = "F", split = ",", defaultValue = "jsonl",
            description = "Formats to generate: jsonl, jsonl.gz, parquet (default ${DEFAULT-VALUE}).")
    List<String> formats;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "Runs per input (median reported).")
    int repeat;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "1g",
            description = "The admap child process's maximum heap (-Xmx; default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--skip", paramLabel = "PEER", split = ",",
            description = "Peers not to run: read, duckdb, numpy.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--pipeline",
            description = "Time the whole pipeline (map, diagnose, select high-avg, report) against"
                    + " bench/pipeline.sql in DuckDB, instead of the map alone.")
    boolean pipeline;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where to put generated files and scratch outputs (default: a temporary directory,"
                    + " removed afterwards). Generated files already there are reused.")
    Path workDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Medians of one input. */
    private record Row(String label, double mb, double read, double admap, double duckdb, double numpy,
                       String regions) {
    }

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new UserException("--repeat must be at least 1");
        }
        for (String f : formats) {
            if (!List.of("jsonl", "jsonl.gz", "parquet").contains(f)) {
                throw new UserException("--formats: unknown format '" + f + "'; expected jsonl, jsonl.gz or parquet");
            }
        }
        for (String s : skip) {
            if (!List.of("read", "duckdb", "numpy").contains(s)) {
                throw new UserException("--skip: unknown peer '" + s + "'; expected read, duckdb or numpy");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("admap-bench") : Files.createDirectories(workDir);
        if (pipeline) {
            try {
                return pipeline(out, work);
            } finally {
                if (temporary) {
                    deleteTree(work);
                }
            }
        }
        try {
            NumpyReference numpy = null;
            if (!skip.contains("numpy")) {
                numpy = NumpyReference.prepare(work);
                if (numpy == null) {
                    out.println("numpy: skipped, " + NumpyReference.whyMissing());
                }
            }
            out.printf(Locale.ROOT, "admap bench: %d cores, Java %s; admap as a child process with -Xmx%s;"
                    + " medians of %d interleaved runs%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), heap, repeat);
            out.printf(Locale.ROOT, "%-36s %8s %7s %8s %8s %8s %8s %8s %8s  %s%n", "input", "MB", "read s", "admap s",
                    "duckdb s", "numpy s", "duckdb/", "numpy/", "admap/", "regions");
            out.printf(Locale.ROOT, "%-36s %8s %7s %8s %8s %8s %8s %8s %8s%n", "", "", "", "", "", "", "admap",
                    "admap", "read");
            out.flush();
            if (!files.isEmpty()) {
                for (Path f : files) {
                    print(out, measure(f.getFileName().toString(), f, work, numpy));
                }
            } else {
                for (long n : sizes) {
                    Path jsonl = work.resolve("generated-" + n + "x" + responses + ".jsonl");
                    for (String format : formats) {
                        Path data = work.resolve("generated-" + n + "x" + responses + "." + format);
                        if (!Files.exists(data)) {
                            if (format.equals("parquet")) {
                                generate(n, jsonl);
                                DuckDbReference.toParquet(jsonl, data);
                            } else {
                                generate(n, data);
                            }
                        }
                        print(out, measure(String.format(Locale.ROOT, "generated %,d x %d (.%s)", n, responses,
                                format), data, work, numpy));
                    }
                }
            }
            out.println("read: the file's bytes read with no work; admap: whole 'admap map' process; duckdb:"
                    + " bench/map.sql in-process; numpy: bench/map_numpy.py. Ratios above 1 mean admap is faster.");
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
        return ExitCodes.OK;
    }

    private int pipeline(PrintWriter out, Path work) throws Exception {
        out.printf(Locale.ROOT, "admap bench --pipeline: %d cores, Java %s; admap's commands as processes with -Xmx%s,"
                + " bench/pipeline.sql in DuckDB as a process; medians of %d interleaved runs%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), heap, repeat);
        out.flush();
        PipelineBench bench = new PipelineBench(heap, repeat, out);
        List<Path> inputs = new ArrayList<>(files);
        if (inputs.isEmpty()) {
            for (long n : sizes) {
                Path data = work.resolve("generated-" + n + "x" + responses + ".jsonl");
                generate(n, data);
                inputs.add(data);
            }
        }
        for (Path input : inputs) {
            bench.run(input, work);
        }
        return ExitCodes.OK;
    }

    private void generate(long n, Path file) throws IOException {
        if (!Files.exists(file)) {
            new SyntheticDataset(new SyntheticDataset.Spec(n, responses, 20, 60, 0.02, 1, Layout.MULTI))
                    .write(file, Progress.Factory.NONE);
        }
    }

    private Row measure(String label, Path input, Path work, NumpyReference numpy) throws Exception {
        boolean multi;
        try (DatasetReader reader = DatasetReader.open(input, IngestOptions.defaults())) {
            multi = reader.layout() == Layout.MULTI;
        }
        boolean runRead = !skip.contains("read");
        boolean runDuck = multi && !skip.contains("duckdb");
        boolean runNumpy = multi && numpy != null && !input.toString().endsWith(".parquet");
        double[] read = new double[repeat];
        double[] admap = new double[repeat];
        double[] duck = new double[repeat];
        double[] py = new double[repeat];
        Path runDir = work.resolve("run");
        Path duckCsv = work.resolve("duckdb-map.csv");
        Path numpyCsv = work.resolve("numpy-map.csv");
        Path log = work.resolve("child.log");
        for (int r = 0; r < repeat; r++) {
            if (runRead) {
                long s = System.nanoTime();
                IoFloor.read(input);
                read[r] = (System.nanoTime() - s) / 1e9;
            }
            deleteTree(runDir);
            admap[r] = ChildProcess.time(ChildProcess.admap(List.of("-Xmx" + heap),
                    List.of("map", input.toString(), "--out", runDir.toString(), "-q")), log);
            if (runDuck) {
                Files.deleteIfExists(duckCsv);
                long s = System.nanoTime();
                DuckDbReference.run(input, duckCsv);
                duck[r] = (System.nanoTime() - s) / 1e9;
            }
            if (runNumpy) {
                py[r] = ChildProcess.time(numpy.command(input, numpyCsv), log);
            }
        }
        List<String> agree = new ArrayList<>();
        Path mapCsv = runDir.resolve("map.csv");
        if (runDuck) {
            long d = RegionCheck.differences(mapCsv, duckCsv);
            agree.add(d == 0 ? "same as duckdb" : d + " differ from duckdb");
        }
        if (runNumpy) {
            long d = RegionCheck.differences(mapCsv, numpyCsv);
            agree.add(d == 0 ? "same as numpy" : d + " differ from numpy");
        }
        deleteTree(runDir);
        return new Row(label, Files.size(input) / 1e6, runRead ? median(read) : Double.NaN, median(admap),
                runDuck ? median(duck) : Double.NaN, runNumpy ? median(py) : Double.NaN, String.join(", ", agree));
    }

    private static void print(PrintWriter out, Row row) {
        out.printf(Locale.ROOT, "%-36s %8.1f %7s %8s %8s %8s %8s %8s %8s  %s%n", row.label(), row.mb(),
                num(row.read()), num(row.admap()), num(row.duckdb()), num(row.numpy()),
                ratio(row.duckdb(), row.admap()), ratio(row.numpy(), row.admap()), ratio(row.admap(), row.read()),
                row.regions());
        out.flush();
    }

    private static String num(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.2f", seconds);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
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
