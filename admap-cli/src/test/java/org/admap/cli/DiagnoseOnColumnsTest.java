package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diagnose on a scanned run's columns, through the command line: no store is built, the
 * outputs equal those of the store's way on a copy of the run, and a changed input fails
 * naming the file.
 */
class DiagnoseOnColumnsTest {

    @TempDir
    Path tmp;

    private Path mapped(String name, Path data) {
        Path run = tmp.resolve(name);
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        return run;
    }

    private Path demoCopy() throws Exception {
        Path data = tmp.resolve("demo.jsonl");
        Files.copy(Path.of("../examples/demo.jsonl"), data, StandardCopyOption.REPLACE_EXISTING);
        return data;
    }

    @Test
    void theDemoIsDiagnosedOnItsColumnsWithTheStoresFlags() throws Exception {
        Path data = demoCopy();
        Path fast = mapped("fast", data);
        assertThat(fast.resolve("columns.bin")).isRegularFile();
        Path slow = tmp.resolve("slow");
        Files.createDirectories(slow);
        try (Stream<Path> files = Files.list(fast)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("columns.bin")) {
                    Files.copy(f, slow.resolve(f.getFileName()));
                }
            }
        }
        Cli.Result a = Cli.run("diagnose", fast.toString()); // the columns' way is the default
        Cli.Result b = Cli.run("diagnose", slow.toString());
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(fast.resolve("run.duckdb")).doesNotExist();
        assertThat(slow.resolve("run.duckdb")).isRegularFile();
        assertThat(Files.readString(fast.resolve("flags.csv"))).isEqualTo(Files.readString(slow.resolve("flags.csv")));
        // The bias audit reads the responses' lengths from the store, so only the store's way has it
        // (docs/trust.md); everything else is the same.
        assertThat(a.out()).doesNotContain("bias of");
        assertThat(b.out()).contains("bias of 'input'");
        assertThat(a.out().replace(fast.toString(), "RUN"))
                .isEqualTo(b.out().replace(slow.toString(), "RUN").replaceAll("(?m)^bias of .*\\R", ""));
        assertThat(withoutTimes(fast)).contains("\"bias\" : [ ]");
        assertThat(withoutTimes(fast).replace("\"bias\" : [ ]", ""))
                .isEqualTo(withoutTimes(slow).replaceAll("(?s)\"bias\" : \\[.*\\]", ""));
    }

    @Test
    void aChangedInputIsAUserErrorThatNamesIt() throws Exception {
        Path data = demoCopy();
        Path run = mapped("run", data);
        Files.writeString(data, Files.readString(data) + "\n");
        Cli.Result r = Cli.run("diagnose", run.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(data.toAbsolutePath().toString()).contains("changed");
        assertThat(run.resolve("flags.csv")).doesNotExist();
    }

    private static String withoutTimes(Path run) throws Exception {
        return Files.readString(run.resolve("diagnosis.json")).replaceAll("\"created\" *: *\"[^\"]*\"", "");
    }
}
