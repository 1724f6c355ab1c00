package org.admap.internal.store;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.internal.json.Json;

/**
 * A run whose store is not built yet: {@code admap map} on large JSON-lines files writes
 * the map from a scan of the scores alone and leaves the run store (with every text) to
 * the first command that needs it. This is the note it leaves in the run directory: which
 * files to read, as they were then, and which map to rebuild on them.
 *
 * @param inputs      the input files, absolute, with the size, modification time and sampled-block
 *                    hash they had ({@link InputFingerprint})
 * @param scores      the score source of the map
 * @param correlation the correlation measure of the map (its command-line name)
 */
public record DeferredStore(List<InputFingerprint> inputs, String scores, String correlation) {

    /** The note's file name in a run directory. */
    public static final String FILE_NAME = "store.pending.json";

    /** Indented, and leaves the atomic file's stream open for its commit. */
    private static final ObjectWriter WRITER = Json.PRETTY.writer()
            .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public DeferredStore {
        inputs = List.copyOf(inputs);
    }

    /** Describes the files as they are now. */
    public static DeferredStore of(List<Path> files, String scores, String correlation) throws IOException {
        List<InputFingerprint> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(InputFingerprint.of(f));
        }
        return new DeferredStore(inputs, scores, correlation);
    }

    /** Writes the note atomically. */
    public void write(Path file) throws IOException {
        try (AtomicFile out = new AtomicFile(file)) {
            WRITER.writeValue(out.stream(), this);
            out.commit();
        }
    }

    public static DeferredStore read(Path file) throws IOException {
        return Json.PRETTY.readValue(file.toFile(), DeferredStore.class);
    }

    /** The input files; fails naming the first one that is gone or changed since the map. */
    public List<Path> checkedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (InputFingerprint in : inputs) {
            files.add(in.check("the run's store is built from it when first needed"));
        }
        return files;
    }
}
