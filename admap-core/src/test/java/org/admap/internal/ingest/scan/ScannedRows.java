package org.admap.internal.ingest.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
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
        List<String> prompts = new ArrayList<>();
        scan.forEachPrompt((key, id, prompt) -> prompts.add(prompt));
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < scan.chunkCount(); c++) {
            ScannedScores.ChunkColumns columns = scan.columns(c, false);
            ScannedScores.ChunkTexts texts = scan.texts(c);
            ScannedScores.ChunkModels models = scan.models(c);
            byte[] file = bytes.get(texts.file());
            for (int i = 0; i < columns.items(); i++) {
                int from = i == 0 ? 0 : columns.responseEnds()[i - 1];
                int to = columns.responseEnds()[i];
                List<String> t = new ArrayList<>();
                List<Double> s = new ArrayList<>();
                List<Double> l = new ArrayList<>();
                List<String> m = new ArrayList<>();
                for (int r = from; r < to; r++) {
                    int quote = (int) texts.textOffsets()[r];
                    t.add(JsonStrings.at(file, quote, quote + texts.textLengths()[r]));
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
