package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment} on a scanned run makes its five sets from the columns and the input, and
 * builds no store: every file it writes is the same as on a full ingest of the same data, but
 * for the times and the paths of the run and the study.
 */
class ColumnsExperimentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aScannedRunWritesTheSameExperimentAsAFullIngestWithoutItsStore() throws Exception {
        Path data = tmp.resolve("g.jsonl");
        ok("generate", "--instructions", "800", "--out", data.toString(), "-q");
        Path slow = tmp.resolve("ingest").resolve("run");
        ok("map", data.toString(), "--out", slow.toString(), "--full-ingest", "-q");
        Path fast = tmp.resolve("scan").resolve("run");
        ok("map", data.toString(), "--out", fast.toString(), "-q");
        assertThat(fast.resolve("columns.bin")).as("the scan kept its columns").isRegularFile();

        Path a = tmp.resolve("ingest").resolve("study");
        Path b = tmp.resolve("scan").resolve("study");
        Cli.Result ra = ok("experiment", slow.toString(), "--out", a.toString(), "--loss", "dpo", "--loss", "simpo");
        Cli.Result rb = ok("experiment", fast.toString(), "--out", b.toString(), "--loss", "dpo", "--loss", "simpo");

        assertThat(fast.resolve("run.duckdb")).as("experiment builds no store").doesNotExist();
        assertThat(rb.out().replace(b.toString(), "OUT")).isEqualTo(ra.out().replace(a.toString(), "OUT"));
        assertThat(rb.err()).isEqualTo(ra.err());
        List<String> files = files(a);
        assertThat(files(b)).isEqualTo(files);
        assertThat(files).contains("data/high-avg.json", "data/random.json", "data/full.json");
        for (String f : files) {
            if (f.endsWith("provenance.json") || f.equals("experiment.json")) {
                assertThat(stable(b.resolve(f))).as(f).isEqualTo(stable(a.resolve(f)));
            } else {
                // the README names the run and the study by their paths; the rest is the same bytes
                assertThat(text(b, f, fast)).as(f).isEqualTo(text(a, f, slow));
            }
        }
    }

    /** A file of the study with its folder's path and its run's written as placeholders. */
    private static String text(Path study, String file, Path run) throws Exception {
        return Files.readString(study.resolve(file)).replace(study.toAbsolutePath().toString(), "OUT")
                .replace(run.toAbsolutePath().toString(), "RUN");
    }

    private static List<String> files(Path dir) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(f -> names.add(dir.relativize(f).toString()));
        }
        names.sort(null);
        return names;
    }

    /** A provenance without what differs by nature: when, and from which run directory. */
    private static JsonNode stable(Path file) throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree(file.toFile());
        p.remove("created");
        p.remove("run");
        if (p.get("map") instanceof ObjectNode m) {
            m.remove("created");
        }
        return p;
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isZero();
        return r;
    }
}
