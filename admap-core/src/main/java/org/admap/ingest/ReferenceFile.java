package org.admap.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of reference answers kept apart from the data ({@code score --references FILE}):
 * rows with a {@code reference} and either the instruction's {@code id} or its prompt
 * ({@code prompt} or {@code instruction}), in any format admap reads (JSON lines, JSON,
 * CSV/TSV, Parquet, gzip).
 */
public final class ReferenceFile {

    /**
     * One reference.
     *
     * @param id        the instruction's id, or null to match by prompt
     * @param prompt    the full prompt, or null to match by id
     * @param reference the reference answer
     */
    public record Entry(String id, String prompt, String reference) {
    }

    private ReferenceFile() {
    }

    /** Reads every row; a row without a reference, or with neither id nor prompt, is an error naming it. */
    public static List<Entry> read(Path file) throws IOException {
        FileFormat.Detected format = FileFormat.detect(file);
        List<Entry> entries = new ArrayList<>();
        try (RecordReader records = FileDatasetReader.recordReader(format)) {
            for (SourceRecord r; (r = records.next()) != null; ) {
                RowFields f = new RowFields(r.location());
                String reference = f.optionalReference(r.node(), "reference");
                if (reference == null) {
                    throw f.error("reference", "missing or empty");
                }
                String id = f.optionalText(r.node(), "id", "id");
                String prompt = f.optionalText(r.node(), "prompt", "prompt");
                if (prompt == null) {
                    prompt = f.optionalText(r.node(), "instruction", "instruction");
                    String input = f.optionalText(r.node(), "input", "input");
                    if (prompt != null && input != null) {
                        prompt = org.admap.model.Item.fullPrompt(prompt, input);
                    }
                }
                if (id == null && prompt == null) {
                    throw f.error("id", "missing: a reference row needs the instruction's id or its prompt");
                }
                entries.add(new Entry(id, prompt, reference));
            }
        }
        if (entries.isEmpty()) {
            throw IngestException.forFile(file.toString(), "holds no references");
        }
        return entries;
    }
}
