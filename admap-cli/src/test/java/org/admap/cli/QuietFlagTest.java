package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -q} on every command of the pipeline, as a script gives it: map, diagnose, select and
 * report do their work and print nothing on stdout; without it they say what they wrote.
 */
class QuietFlagTest {

    @TempDir
    Path tmp;

    @Test
    void theWholePipelineRunsQuietlyWithTheSameFlag() {
        Path run = tmp.resolve("run");
        Path pairs = tmp.resolve("high-avg.jsonl");
        Cli.Result map = Cli.run("map", "../examples/demo.jsonl", "--out", run.toString(), "-q");
        Cli.Result diagnose = Cli.run("diagnose", run.toString(), "-q");
        Cli.Result select = Cli.run("select", run.toString(), "--region", "high-avg", "--out", pairs.toString(),
                "--quiet");
        Cli.Result report = Cli.run("report", run.toString(), "-q");
        for (Cli.Result r : new Cli.Result[] {map, diagnose, select, report}) {
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).as(r.toString()).isEmpty();
            assertThat(r.err()).as(r.toString()).isEmpty();
        }
        assertThat(run.resolve("flags.csv")).isNotEmptyFile();
        assertThat(pairs).isNotEmptyFile();
        assertThat(run.resolve("report.html")).isNotEmptyFile();

        Cli.Result loud = Cli.run("report", run.toString());
        assertThat(loud.exit()).isZero();
        assertThat(loud.out()).contains("wrote " + run.resolve("report.html"));
    }

    @Test
    void quietStillSaysWhyItFailed() {
        Cli.Result r = Cli.run("diagnose", tmp.resolve("no-such-run").toString(), "-q");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no-such-run");
    }
}
