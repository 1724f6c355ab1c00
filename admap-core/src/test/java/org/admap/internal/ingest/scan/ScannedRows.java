package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.internal.text.TextKeys;
import org.admap.model.Item;
import org.admap.model.Response;

/** Items as a scan gives them back, texts included, and as the full ingest reads them: the two must be equal. */
final class ScannedRows {

    private ScannedRows() {
    }

    /** An item as the scan can give it back: id, full prompt, and per response text, score, label, model. */
    record Row(String id, String prompt, List<String> texts, List<Double> scores, List<Double> labels,
               List<String> models) {
    }

    /** The scan's items with their texts read back from the files at the offsets it recorded. */
    static List<Row> of(ScannedScores scan, Path... files) throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (Path f : files) {
            bytes.add(Files.readAllBytes(f));
        }
        return rows(scan, (texts, r) -> {
            int quote = (int) texts.textOffsets()[r];
            return JsonStrings.at(bytes.get(texts.file()), quote, quote + texts.textLengths()[r]);
        });
    }

    /**
     * The scan's items with, instead of each text, its {@code TextKeys.responseFilter} in hex:
     * for inputs whose texts are not JSON literals at the recorded offsets (CSV), the filter
     * says the scan saw the text the full ingest reads.
     */
    static List<Row> withFilters(ScannedScores scan) throws IOException {
        return rows(scan, (texts, r) -> Long.toHexString(texts.textFilters()[r]));
    }

    /** How a row shows response {@code r} of a chunk's texts. */
    @FunctionalInterface
    private interface TextOf {
        String text(ScannedScores.ChunkTexts texts, int r) throws IOException;
    }

    private static List<Row> rows(ScannedScores scan, TextOf textOf) throws IOException {
        List<String> prompts = new ArrayList<>();
        scan.forEachPrompt((key, id, prompt) -> prompts.add(prompt));
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < scan.chunkCount(); c++) {
            ScannedScores.ChunkColumns columns = scan.columns(c, false);
            ScannedScores.ChunkTexts texts = scan.texts(c);
            ScannedScores.ChunkModels models = scan.models(c);
            for (int i = 0; i < columns.items(); i++) {
                int from = i == 0 ? 0 : columns.responseEnds()[i - 1];
                int to = columns.responseEnds()[i];
                List<String> t = new ArrayList<>();
                List<Double> s = new ArrayList<>();
                List<Double> l = new ArrayList<>();
                List<String> m = new ArrayList<>();
                for (int r = from; r < to; r++) {
                    t.add(textOf.text(texts, r));
                    s.add(columns.scores()[r]);
                    l.add(columns.labels()[r]);
                    int model = models.byResponse()[r];
                    m.add(model < 0 ? null : models.names()[model]);
                }
                rows.add(new Row(columns.ids()[i], prompts.get(columns.firstKey() + i), t, s, l, m));
            }
        }
        return rows;
    }

    /** {@code rows} with each text replaced by the filter of its JSON string literal, as {@link #withFilters}. */
    static List<Row> filtersOf(List<Row> rows) throws IOException {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> t = new ArrayList<>();
            for (String text : r.texts()) {
                byte[] literal = JSON.writeValueAsBytes(text);
                t.add(Long.toHexString(TextKeys.responseFilter(literal, 0, literal.length)));
            }
            out.add(new Row(r.id(), r.prompt(), t, r.scores(), r.labels(), r.models()));
        }
        return out;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static List<Row> fullIngest(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (DatasetReader reader = DatasetReader.open(file, IngestOptions.defaults())) {
            for (Item item; (item = reader.next()) != null; ) {
                List<Response> r = item.responses();
                rows.add(new Row(item.id(), item.fullPrompt(), r.stream().map(Response::text).toList(),
                        r.stream().map(Response::score).toList(), r.stream().map(Response::label).toList(),
                        r.stream().map(Response::model).toList()));
            }
        }
        return rows;
    }
}
