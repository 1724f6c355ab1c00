package org.admap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.admap.internal.json.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code admap bench --pipeline}: the whole pipeline (map, diagnose with duplicates, select
 * high-avg, report) as admap's commands, each a process of its own, against the same work as
 * one DuckDB SQL script ({@code bench/pipeline.sql}, run by {@link DuckDbScript} as a process
 * of its own), interleaved, medians; then checks that both flagged the same instructions for
 * the same reasons and wrote the same pairs.
 */
public final class PipelineBench {

    /** The admap steps, in order, with their arguments after the run directory is known. */
    private static final List<String> STEPS = List.of("map", "diagnose", "select", "report");

    private final String heap;
    private final int repeat;
    private final PrintWriter out;

    public PipelineBench(String heap, int repeat, PrintWriter out) {
        this.heap = heap;
        this.repeat = repeat;
        this.out = out;
    }

    /** Runs both pipelines on the input {@code repeat} times and prints medians and the agreement. */
    public void run(Path input, Path work) throws IOException, InterruptedException {
        Path runDir = work.resolve("run");
        Path pairs = work.resolve("admap-pairs.jsonl");
        Path duckOut = work.resolve("duckdb");
        Path log = work.resolve("child.log");
        Map<String, double[]> seconds = new LinkedHashMap<>();
        STEPS.forEach(s -> seconds.put(s, new double[repeat]));
        double[] admapTotal = new double[repeat];
        double[] duckTotal = new double[repeat];
        long admapPeak = 0;
        long duckPeak = 0;
        for (int r = 0; r < repeat; r++) {
            ChildProcess.deleteTree(runDir);
            Files.deleteIfExists(pairs);
            Files.deleteIfExists(org.admap.select.SelectionExport.provenancePath(pairs)); // or select refuses run 2
            for (String step : STEPS) {
                List<String> args = switch (step) {
                    case "map" -> List.of("map", input.toString(), "--out", runDir.toString(), "-q");
                    case "diagnose" -> List.of("diagnose", runDir.toString());
                    case "select" -> List.of("select", runDir.toString(), "--region", "high-avg", "-o",
                            pairs.toString());
                    default -> List.of("report", runDir.toString());
                };
                ChildProcess.Timing t = ChildProcess.timed(ChildProcess.admap(List.of("-Xmx" + heap), args), log);
                seconds.get(step)[r] = t.seconds();
                admapTotal[r] += t.seconds();
                admapPeak = Math.max(admapPeak, t.peakKb());
            }
            ChildProcess.deleteTree(duckOut);
            ChildProcess.Timing d = ChildProcess.timed(ChildProcess.java(List.of(), DuckDbScript.class.getName(),
                    List.of(input.toString(), duckOut.toString())), log);
            duckTotal[r] = d.seconds();
            duckPeak = Math.max(duckPeak, d.peakKb());
            out.printf(Locale.ROOT, "  run %d: admap %.2f s (%s), duckdb %.2f s%n", r + 1, admapTotal[r],
                    stepLine(seconds, r), duckTotal[r]);
            out.flush();
        }
        double a = median(admapTotal);
        double d = median(duckTotal);
        out.printf(Locale.ROOT, "%s (%.1f MB): admap %.2f s (%s; peak %s), duckdb %.2f s (peak %s):"
                + " duckdb/admap %.2fx%n", input.getFileName(), Files.size(input) / 1e6, a, medianLine(seconds),
                mb(admapPeak), d, mb(duckPeak), d / a);
        out.printf(Locale.ROOT, "run directory %s (%.2f of the input)%n", mb(ChildProcess.treeSize(runDir) >> 10),
                ChildProcess.treeSize(runDir) / (double) Files.size(input));
        out.println("flags: " + compareFlags(runDir.resolve("flags.csv"), duckOut.resolve("flags.csv")));
        out.println("pairs: " + comparePairs(pairs, duckOut.resolve("pairs.jsonl")));
        out.flush();
    }

    private static String stepLine(Map<String, double[]> seconds, int r) {
        List<String> parts = new ArrayList<>();
        seconds.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", k, v[r])));
        return String.join(", ", parts);
    }

    private static String medianLine(Map<String, double[]> seconds) {
        List<String> parts = new ArrayList<>();
        seconds.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", k, median(v))));
        return String.join(", ", parts);
    }

    private static String mb(long kb) {
        return kb <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * The agreement of two flags files (columns id and reasons, reasons joined by ';'): per
     * reason, how many instructions each flagged and how many only one of them did.
     */
    static String compareFlags(Path admap, Path duck) throws IOException {
        Map<String, Set<String>> a = flags(admap);
        Map<String, Set<String>> d = flags(duck);
        Map<String, long[]> byReason = new TreeMap<>(); // {admap, duckdb, only admap, only duckdb}
        count(a, d, byReason, 0, 2);
        count(d, a, byReason, 1, 3);
        List<String> parts = new ArrayList<>();
        boolean same = true;
        for (Map.Entry<String, long[]> e : byReason.entrySet()) {
            long[] c = e.getValue();
            same &= c[2] == 0 && c[3] == 0;
            parts.add(String.format(Locale.ROOT, "%s %,d/%,d%s", e.getKey(), c[0], c[1],
                    c[2] + c[3] == 0 ? "" : String.format(Locale.ROOT, " (only admap %,d, only duckdb %,d)", c[2],
                            c[3])));
        }
        return (same ? "same ids and reasons; " : "DIFFER; ") + "admap/duckdb " + String.join(", ", parts);
    }

    private static void count(Map<String, Set<String>> x, Map<String, Set<String>> y, Map<String, long[]> byReason,
                              int total, int only) {
        for (Map.Entry<String, Set<String>> e : x.entrySet()) {
            Set<String> other = y.getOrDefault(e.getKey(), Set.of());
            for (String reason : e.getValue()) {
                long[] c = byReason.computeIfAbsent(reason, k -> new long[4]);
                c[total]++;
                if (!other.contains(reason)) {
                    c[only]++;
                }
            }
        }
    }

    private static Map<String, Set<String>> flags(Path csv) throws IOException {
        Map<String, Set<String>> out = new HashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                out.put(row.get("id"), new TreeSet<>(Arrays.asList(row.get("reasons").split(";"))));
            }
        }
        return out;
    }

    /** The agreement of two TRL pair files: counts, and how many pairs only one of them has. */
    static String comparePairs(Path admap, Path duck) throws IOException {
        long[] a = pairHashes(admap);
        long[] d = pairHashes(duck);
        long common = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < d.length) {
            if (a[i] == d[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < d[j]) {
                i++;
            } else {
                j++;
            }
        }
        String verdict = common == a.length && common == d.length ? "same pairs" : "DIFFER";
        return String.format(Locale.ROOT, "%s; admap %,d, duckdb %,d, only admap %,d, only duckdb %,d", verdict,
                a.length, d.length, a.length - common, d.length - common);
    }

    /** A 64-bit hash of each pair (prompt, chosen, rejected and the two values), sorted. */
    private static long[] pairHashes(Path jsonl) throws IOException {
        ObjectMapper mapper = Json.MAPPER;
        long[] out = new long[1024];
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode p = mapper.readTree(line);
                String key = p.path("prompt").asText() + '\u0000' + p.path("chosen").asText() + '\u0000'
                        + p.path("rejected").asText() + '\u0000' + p.path("score_chosen").asDouble() + '\u0000'
                        + p.path("score_rejected").asDouble();
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = hash64(key);
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    private static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h ^ (h >>> 29);
    }
}
