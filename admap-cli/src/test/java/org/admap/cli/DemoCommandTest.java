package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
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
        // Spoil the first run's outputs: a rerun must write them afresh, to the same bytes (the demo is seeded).
        byte[] map = Files.readAllBytes(out.resolve("map.csv"));
        byte[] flags = Files.readAllBytes(out.resolve("flags.csv"));
        Files.writeString(out.resolve("map.csv"), "stale\n");
        Files.writeString(out.resolve("flags.csv"), "stale\n");
        Files.delete(out.resolve("regions/high-avg.jsonl"));

        Cli.Result again = Cli.run("demo", "--out", out.toString(), "--quiet");

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(out.resolve("map.csv")).hasBinaryContent(map);
        assertThat(out.resolve("flags.csv")).hasBinaryContent(flags);
        assertThat(Files.readAllLines(out.resolve("regions/high-avg.jsonl"))).hasSize(17);
    }

    private static String fragment(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        return m.find() ? m.group() : "(no match for " + regex + ")";
    }
}
