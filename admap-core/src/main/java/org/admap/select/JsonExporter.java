package org.admap.select;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.admap.model.Item;
import org.admap.model.MapPoint;
import org.admap.model.Response;
import org.admap.store.AtomicFile;

/**
 * TRL, LLaMA-Factory and multi-response exports as JSON, streamed with Jackson's
 * generator. A {@code .json} file gets a JSON array, anything else JSON lines, which
 * both trainers (through {@code datasets}) read.
 */
final class JsonExporter implements PairExporter {

    private static final JsonFactory JSON = new JsonFactory();

    private final ExportFormat format;
    private final AtomicFile file;
    private final JsonGenerator out;
    private final boolean array;
    private long records;

    JsonExporter(ExportFormat format, Path path) throws IOException {
        this.format = format;
        this.file = new AtomicFile(path);
        this.array = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        this.out = JSON.createGenerator(file.stream(), JsonEncoding.UTF8);
        if (array) {
            out.writeStartArray();
        } else {
            out.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        }
    }

    @Override
    public void write(Item item, MapPoint point, List<Pair> pairs) throws IOException {
        if (format == ExportFormat.MULTI) {
            writeItem(item, point);
            records++;
            return;
        }
        for (Pair p : pairs) {
            out.writeStartObject();
            if (format == ExportFormat.TRL) {
                out.writeStringField("prompt", item.fullPrompt());
                out.writeStringField("chosen", p.chosen().text());
                out.writeStringField("rejected", p.rejected().text());
                out.writeNumberField("score_chosen", p.valueChosen());
                out.writeNumberField("score_rejected", p.valueRejected());
            } else {
                out.writeStringField("instruction", item.prompt());
                out.writeStringField("input", item.input());
                out.writeStringField("chosen", p.chosen().text());
                out.writeStringField("rejected", p.rejected().text());
            }
            out.writeEndObject();
            records++;
        }
    }

    private void writeItem(Item item, MapPoint point) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", item.id());
        out.writeStringField("prompt", item.prompt());
        if (!item.input().isEmpty()) {
            out.writeStringField("input", item.input());
        }
        if (item.reference() != null) {
            out.writeStringField("reference", item.reference());
        }
        out.writeArrayFieldStart("responses");
        for (Response r : item.responses()) {
            out.writeStartObject();
            out.writeStringField("text", r.text());
            if (r.hasScore()) {
                out.writeNumberField("score", r.score());
            }
            if (r.hasLabel()) {
                out.writeNumberField("label", r.label());
            }
            if (r.model() != null) {
                out.writeStringField("model", r.model());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        if (point != null) {
            out.writeObjectFieldStart("map");
            out.writeStringField("region", point.region().cliName());
            out.writeNumberField("mean", point.mean());
            out.writeNumberField("variance", point.variance());
            if (!Double.isNaN(point.correlation())) {
                out.writeNumberField("correlation", point.correlation());
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    @Override
    public long records() {
        return records;
    }

    @Override
    public void commit() throws IOException {
        if (array) {
            out.writeEndArray();
        }
        out.writeRaw('\n');
        out.close();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        try {
            if (!out.isClosed()) {
                out.close();
            }
        } finally {
            file.close();
        }
    }
}
