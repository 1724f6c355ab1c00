package org.admap.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.ingest.IngestOptions;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.stats.Correlation;

/** Runs of the bundled demo data made through the core run API, as {@code admap map} makes them. */
final class DemoRuns {

    private DemoRuns() {
    }

    /** {@code examples/demo.jsonl}, found from the module's directory up. */
    static Path demo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path demo = dir.resolve("examples").resolve("demo.jsonl");
            if (Files.isRegularFile(demo)) {
                return demo;
            }
        }
        throw new IllegalStateException("examples/demo.jsonl not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code admap map demo.jsonl --out DIR}: a scanned run (columns, the store deferred). */
    static Run scanned(Path out) throws IOException {
        return create(out, false);
    }

    /** {@code admap map demo.jsonl --out DIR --full-ingest}: a run with its store. */
    static Run fullIngest(Path out) throws IOException {
        return create(out, true);
    }

    private static Run create(Path out, boolean fullIngest) throws IOException {
        return Run.create(new CreateOptions(List.of(demo().toString()), null, IngestOptions.defaults(), out, false,
                null, Correlation.COSINE, 1, fullIngest, false), Progress.Factory.NONE).run();
    }

    /** {@code admap diagnose DIR} on a scanned run: on its columns, with the paper's thresholds. */
    static void diagnose(Path dir, DiagnoseOptions options) throws IOException {
        Run.diagnoseOnColumns(dir, options, true);
    }
}
