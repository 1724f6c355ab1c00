package org.admap.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.Progress;
import org.admap.ingest.IngestOptions;
import org.admap.internal.columns.RunColumns;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.stats.Correlation;

/** The bundled demo mapped as {@code admap map} maps it (columns, no store), its columns opened. */
final class ScannedDemo {

    private ScannedDemo() {
    }

    /** Maps {@code examples/demo.jsonl} into {@code dir} and opens its columns (the caller closes them). */
    static RunColumns columns(Path dir) throws IOException {
        Run.create(new CreateOptions(List.of(demo().toString()), null, IngestOptions.defaults(), dir, false, null,
                Correlation.COSINE, 1, false, false), Progress.Factory.NONE).run();
        return RunColumns.open(dir);
    }

    /** {@code examples/demo.jsonl}, found from the module's directory up. */
    private static Path demo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path demo = dir.resolve("examples").resolve("demo.jsonl");
            if (Files.isRegularFile(demo)) {
                return demo;
            }
        }
        throw new IllegalStateException("examples/demo.jsonl not found above " + Path.of("").toAbsolutePath());
    }
}
