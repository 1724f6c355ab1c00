package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.admap.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** help, diagnose and generate, end to end through the command line. */
class CommandsTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"demo", "map", "score", "run", "diagnose", "compare", "select", "report", "serve",
            "generate", "bench"})
    void everyCommandExplainsItselfWithAnExample(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: admap " + command);
        if (!command.equals("demo")) {
            assertThat(r.out()).contains("admap " + command + " ");
        }
    }

    @Test
    void noCommandShowsTheListAndExitsTwo() {
        Cli.Result r = Cli.run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing a command").contains("demo").contains("select");
    }

    @Test
    void diagnoseWritesFlagsAndItsThresholds() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q").exit()).isZero();
        Cli.Result r = Cli.run("diagnose", run.toString(), "--corr", "pearson", "--max-corr", "0", "--low-impact", "0");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("flagged 5: misannotated 3, score-prefers-rejected 0, low-impact 0,"
                + " duplicate-responses 2, duplicate-instruction 0");
        JsonNode d = JSON.readTree(run.resolve("diagnosis.json").toFile());
        assertThat(d.at("/options/correlation").asText()).isEqualTo("pearson");
        assertThat(d.at("/counts/misannotated").asLong()).isEqualTo(3);
        assertThat(Files.readAllLines(run.resolve("flags.csv"))).hasSize(6);
    }

    @Test
    void diagnoseWithoutIndependentLabelsOnlyFlagsLowImpact() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", run.toString(), "-q", "--scores", "labels")
                .exit()).isZero();
        Cli.Result r = Cli.run("diagnose", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("no misannotation check").contains("misannotated 0");
    }

    @Test
    void diagnoseNeedsARun() {
        Cli.Result r = Cli.run("diagnose", tmp.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is not an admap run");
    }

    @Test
    void generateIsSeededAndItsOutputMaps() throws Exception {
        Path a = tmp.resolve("a.jsonl.gz");
        Path b = tmp.resolve("b.jsonl.gz");
        assertThat(Cli.run("generate", "--instructions", "300", "--out", a.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("generate", "--instructions", "300", "--out", b.toString(), "-q").exit()).isZero();
        assertThat(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b))).isTrue();
        Cli.Result exists = Cli.run("generate", "--instructions", "300", "--out", a.toString());
        assertThat(exists.exit()).isEqualTo(2);

        Path run = tmp.resolve("run");
        Cli.Result map = Cli.run("map", a.toString(), "--out", run.toString());
        assertThat(map.exit()).as(map.toString()).isZero();
        assertThat(map.out()).contains("300 instructions, 1,200 responses");
        Cli.Result diagnose = Cli.run("diagnose", run.toString());
        assertThat(diagnose.out()).containsPattern("misannotated [1-9]");
    }

    @Test
    void generateWritesEveryLayoutItReads() throws Exception {
        for (String layout : List.of("long", "pairwise")) {
            Path data = tmp.resolve(layout + ".jsonl");
            String[] args = layout.equals("pairwise")
                    ? new String[] {"generate", "--instructions", "50", "--responses", "2", "--layout", layout,
                            "--out", data.toString(), "-q"}
                    : new String[] {"generate", "--instructions", "50", "--layout", layout, "--out",
                            data.toString(), "-q"};
            assertThat(Cli.run(args).exit()).isZero();
            Cli.Result map = Cli.run("map", data.toString(), "--out", tmp.resolve("run-" + layout).toString());
            assertThat(map.exit()).as(map.toString()).isZero();
            assertThat(map.out()).contains("50 instructions");
        }
    }
}
