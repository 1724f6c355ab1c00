package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.admap.internal.store.RunStore;
import org.admap.internal.store.ScoreSourceInfo;

/**
 * The page's {@code sources}: every score source of the run with its provenance (the input's
 * own scores, the data's labels, or a scorer with its model, endpoint, prompt version,
 * parameters and date), so a number on the page can be traced to what made it.
 */
final class ScoreSourcesJson {

    private ScoreSourcesJson() {
    }

    static void write(JsonGenerator g, ReportSource store) throws IOException {
        g.writeArrayFieldStart("sources");
        for (String s : store.scoreSources()) {
            g.writeStartObject();
            g.writeStringField("name", s);
            if (s.equals(RunStore.INPUT)) {
                g.writeStringField("kind", "data");
                g.writeStringField("description", "scores that came with the input data");
            } else if (s.equals(RunStore.LABELS)) {
                g.writeStringField("kind", "labels");
                g.writeStringField("description", "the data's own labels (annotations)");
            } else {
                ScoreSourceInfo info = store.scoreSource(s).orElse(null);
                if (info != null) {
                    g.writeStringField("kind", info.kind());
                    g.writeStringField("model", info.model());
                    g.writeStringField("endpoint", info.endpoint());
                    g.writeStringField("promptVersion", info.promptVersion());
                    g.writeStringField("parameters", info.parameters());
                    g.writeStringField("created", info.created() == null ? null : info.created().toString());
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
