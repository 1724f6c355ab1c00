package org.admap.score.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The run's {@code batches/} folder and the names in it: {@code SOURCE+N.requests.jsonl} for a
 * request file being written, renamed to {@code BATCHID.requests.jsonl} once its batch exists
 * (kept until the batch is imported, so that its requests are known without the API).
 */
final class BatchFolder {

    private static final String REQUESTS = ".requests.jsonl";

    private final Path path;

    BatchFolder(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** The request file of a submitted batch. */
    Path requestFile(String batchId) {
        return path.resolve(safe(batchId) + REQUESTS);
    }

    /** The {@code n}th request file (from 1) of a source, before its batch is created. */
    Path unsubmitted(String source, int n) {
        return path.resolve(safe(source) + "+" + n + REQUESTS);
    }

    /** Deletes a source's request files written but never submitted (a run stopped between writing and creating). */
    void deleteUnsubmitted(String source) throws IOException {
        if (!Files.isDirectory(path)) {
            return;
        }
        String prefix = safe(source) + "+";
        try (Stream<Path> files = Files.list(path)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A name as a file name: anything but letters, digits, '_', '.' and '-' becomes '_'. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
