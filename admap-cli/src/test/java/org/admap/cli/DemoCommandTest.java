package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    static Path tmp;
    static Path out;
    static Cli.Result result;

    @BeforeAll
    static void runDemo() {
        out = tmp.resolve("admap-demo");
        result = Cli.run("demo", "--out", out.toString(), "--quiet");
    }

    @Test
    void succeedsAndPrintsTheSummary() {
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("50 instructions, 200 responses")
                .contains("high-avg")
                .contains("low-avg")
                .contains("high-var")
                .contains("flagged 7: misannotated 3")
                .contains("range 1.5 .. 9.3");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void writesEveryOutputTheReadmePromises() {
        assertThat(out.resolve("run.duckdb")).isRegularFile();
        for (String f : List.of("map.csv", "summary.json", "map.png", "map.svg", "report.html", "flags.csv",
                "diagnosis.json",
                "regions/high-avg.jsonl", "regions/low-avg.jsonl", "regions/high-var.jsonl",
                "pairs/high-avg.trl.jsonl", "pairs/high-avg.trl.jsonl.provenance.json")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void regionFilesSplitTheFiftyInstructionsByRank() throws Exception {
        // N = 50: floor(100/3) = 33 below the variance cut, 17 high-var; 33 split 16 low / 17 high.
        assertThat(Files.readAllLines(out.resolve("regions/high-avg.jsonl"))).hasSize(17);
        assertThat(Files.readAllLines(out.resolve("regions/low-avg.jsonl"))).hasSize(16);
        assertThat(Files.readAllLines(out.resolve("regions/high-var.jsonl"))).hasSize(17);
    }

    @Test
    void flagsThePlantedMisannotations() throws Exception {
        List<String> flags = Files.readAllLines(out.resolve("flags.csv"));
        assertThat(flags.get(0)).isEqualTo("id,prompt,reasons,correlation,margin,mean,variance,n,detail,"
                + "rank_agreement,confidence,duplicate_responses,duplicate_of,duplicate_kind");
        assertThat(flags.stream().filter(l -> l.contains(",misannotated,")).map(l -> l.substring(0, 8)))
                .containsExactly("demo-007", "demo-023", "demo-041");
        // the two planted near-duplicate responses (examples/README.md)
        assertThat(flags.stream().filter(l -> l.contains(",duplicate-responses,")).map(l -> l.substring(0, 8)))
                .containsExactly("demo-012", "demo-029");
    }

    @Test
    void drawsTheMapAndWritesTheInteractiveReport() throws Exception {
        BufferedImage png = ImageIO.read(out.resolve("map.png").toFile());
        assertThat(png.getWidth()).isEqualTo(2400);
        assertThat(png.getHeight()).isEqualTo(1800);
        String html = Files.readString(out.resolve("report.html"));
        // Compare fragments, not the page: a failure must not print a megabyte of inlined script.
        assertThat(fragment(html, "\"embeddedPoints\":[0-9]+")).isEqualTo("\"embeddedPoints\":50");
        assertThat(fragment(html, "\"flagReasons\":\\[[^\\]]*]"))
                .isEqualTo("\"flagReasons\":[\"duplicate-responses\",\"low-impact\",\"misannotated\"]");
        assertThat(result.out()).contains("report.html").contains("open " + out.resolve("report.html"));
    }

    @Test
    void rerunningReplacesTheDemoRun() throws Exception {
        // The demo replaces the run in its directory (a forced create): every output is written
        // afresh, to the first run's bytes (the demo is seeded; only times differ), the store is a
        // new one (nothing of the first run's store stays), and a derived output of the first run
        // that the demo does not write (flips.csv, from 'diagnose --inject-flips') does not survive.
        // report.html is rewritten but not compared: its per-source Pearson and Spearman come from
        // DuckDB's parallel sums, whose last digit can differ from one run to the next.
        Map<String, String> first = outputs();
        RunDirectory run = new RunDirectory(out);
        try (RunStore store = RunStore.open(run.store())) {
            store.putInfo("written-by", "the first demo run");
        }
        Path flips = run.flipsCsv();
        Files.writeString(out.resolve("map.csv"), "stale\n");
        Files.writeString(out.resolve("flags.csv"), "stale\n");
        Files.writeString(out.resolve("report.html"), "stale\n");
        Files.delete(out.resolve("regions/high-avg.jsonl"));
        Files.writeString(flips, "key,id,flipped,flagged\n");

        Cli.Result again = Cli.run("demo", "--out", out.toString(), "--quiet");

        assertThat(again.exit()).as(again.toString()).isZero();
        Map<String, String> second = outputs();
        assertThat(second.keySet()).isEqualTo(first.keySet());
        for (String f : first.keySet()) {
            if (!f.equals("report.html")) {
                assertThat(firstDifference(first.get(f), second.get(f))).as(f).isEmpty();
            }
        }
        assertThat(fragment(Files.readString(out.resolve("report.html")), "\"embeddedPoints\":[0-9]+"))
                .isEqualTo("\"embeddedPoints\":50");
        assertThat(flips).doesNotExist();
        try (RunStore store = RunStore.open(run.store())) {
            assertThat(store.info("written-by")).isEmpty();
            assertThat(store.itemCount()).isEqualTo(50);
            assertThat(store.responseCount()).isEqualTo(200);
        }
        assertThat(withoutTimes(again.out())).isEqualTo(withoutTimes(result.out()));
    }

    /**
     * Every output of the demo run but the store, by path, with the instants and durations that
     * differ between two runs masked (a PNG as its digest).
     */
    private static Map<String, String> outputs() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (var all = Files.walk(out)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String name = out.relativize(p).toString().replace('\\', '/');
                if (name.startsWith("run.duckdb")) {
                    continue;
                }
                files.put(name, name.endsWith(".png")
                        ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        : withoutTimes(Files.readString(p)));
            }
        }
        return files;
    }

    /** Where two texts first differ, a few characters either side; empty when they are equal. */
    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i == a.length() && i == b.length()) {
            return "";
        }
        int from = Math.max(0, i - 60);
        return "at " + i + ": '" + a.substring(from, Math.min(a.length(), i + 60)) + "' then '"
                + b.substring(from, Math.min(b.length(), i + 60)) + "'";
    }

    private static String withoutTimes(String text) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "TIME")
                .replaceAll("(?s)\"seconds\" : \\{[^}]*}", "\"seconds\" : {}")
                .replaceAll("scored in [0-9.]+ s", "scored in T s")
                .replaceAll("_\\d+clip-", "_clip-"); // JFreeSVG's clip ids carry the time
    }

    private static String fragment(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        return m.find() ? m.group() : "(no match for " + regex + ")";
    }
}
