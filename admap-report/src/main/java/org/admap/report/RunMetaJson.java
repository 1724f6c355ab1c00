package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import org.admap.Version;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.RunDirectory;
import org.admap.map.Degeneracy;
import org.admap.model.Region;

/**
 * The page's {@code meta}: what the map is of (title, dataset, score source and labels, the
 * measures behind its axes and colours), its counts, when and by which admap it was made,
 * where the run lies, its inputs, and, for a degenerate map, why its regions mean little.
 */
final class RunMetaJson {

    private RunMetaJson() {
    }

    static void write(JsonGenerator g, RunDirectory run, RunView view, ReportSource store, int mapped)
            throws IOException {
        g.writeObjectFieldStart("meta");
        g.writeStringField("title", view.title());
        g.writeStringField("dataset", view.dataset());
        g.writeStringField("scores", view.source());
        g.writeStringField("scoresDescription", view.describeSource());
        g.writeStringField("labels", view.labels());
        g.writeStringField("correlation", view.correlation());
        g.writeStringField("variability", view.variability());
        g.writeStringField("variabilityTitle", view.variabilityTitle());
        g.writeStringField("diagnosisCorrelation", ViewData.diagnosisCorrelation(run));
        g.writeNumberField("items", store.itemCount());
        g.writeNumberField("responses", store.responseCount());
        g.writeNumberField("mapped", mapped);
        g.writeNumberField("unmapped", store.itemCount() - mapped);
        g.writeStringField("mapCreated", store.mapCreated());
        g.writeStringField("created", Instant.now().toString());
        g.writeStringField("admapVersion", Version.get());
        g.writeStringField("run", run.dir().toAbsolutePath().normalize().toString());
        Degeneracy degeneracy = degeneracy(view.pointColumns());
        if (degeneracy.degenerate()) {
            g.writeObjectFieldStart("degenerate");
            g.writeStringField("kind", degeneracy.kind().name().toLowerCase(Locale.ROOT));
            g.writeStringField("message", degeneracy.message());
            g.writeArrayFieldStart("regions");
            for (Region r : degeneracy.affected()) {
                g.writeString(r.cliName());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeArrayFieldStart("inputs");
        for (InputFileRecord in : store.inputs()) {
            g.writeStartObject();
            g.writeStringField("path", in.path());
            g.writeStringField("format", in.format());
            g.writeStringField("layout", in.layout());
            g.writeNumberField("rows", in.rowsRead());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The map's degeneracy test on its means and variances, copied out of the columns without a point object each. */
    private static Degeneracy degeneracy(PointColumns points) {
        double[] means = new double[points.size()];
        double[] variances = new double[points.size()];
        for (int i = 0; i < means.length; i++) {
            means[i] = points.mean(i);
            variances[i] = points.variance(i);
        }
        return Degeneracy.of(means, variances);
    }
}
