package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on the real public data beside the repository (skipped where it is absent). */
class RealDataCliTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void alpacaEvalAnnotationsGive805InstructionsIn268_268_269() throws Exception {
        Path dir = RealData.require("alpaca_eval");
        List<String> args = new ArrayList<>(List.of("map"));
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".json.gz")).sorted().forEach(f -> args.add(f.toString()));
        }
        assertThat(args).hasSize(13);
        Path run = tmp.resolve("run");
        args.addAll(List.of("--out", run.toString(), "-q"));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode s = JSON.readTree(run.resolve("summary.json").toFile());
        assertThat(s.at("/run/items").asLong()).isEqualTo(805);
        assertThat(s.at("/run/inputs/0/layout").asText()).isEqualTo("long (preset alpaca-eval)");
        assertThat(s.at("/map/regions/high-avg/count").asLong()).isEqualTo(268);
        assertThat(s.at("/map/regions/low-avg/count").asLong()).isEqualTo(268);
        assertThat(s.at("/map/regions/high-var/count").asLong()).isEqualTo(269);
        assertThat(s.at("/map/labels").asText()).isEqualTo("scores");

        Path pairs = tmp.resolve("ae.jsonl");
        Cli.Result sel = Cli.run("select", run.toString(), "--region", "high-avg", "--pairs", "best-worst",
                "--out", pairs.toString());
        assertThat(sel.exit()).as(sel.toString()).isZero();
        assertThat(Files.readAllLines(pairs)).hasSizeBetween(250, 268);
    }

    @Test
    void hhRlhfPairsMapWithAWarningThatLabelsAloneCarryNoSignal() throws Exception {
        Path file = RealData.require("hh-rlhf").resolve("harmless-base-test.jsonl.gz");
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", file.toString(), "--out", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2,312 instructions, 4,624 responses").contains("(pairwise)")
                .contains("warning: every instruction has the same mean and variance")
                .contains("2 instruction(s) repeat an earlier id");
        Path pairs = tmp.resolve("hh.jsonl");
        assertThat(Cli.run("select", run.toString(), "--region", "all", "--out", pairs.toString()).exit()).isZero();
        List<String> lines = Files.readAllLines(pairs);
        assertThat(lines).hasSize(2312);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("prompt").asText()).startsWith("\n\nHuman: ").endsWith("\n\nAssistant:");
        assertThat(first.get("chosen").asText()).doesNotContain("\n\nHuman:");
    }
}
