package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.admap.model.MapPoint;
import org.admap.run.JsonFiles;
import org.admap.store.RunDirectory;

/**
 * The page's "How far to trust this map" data, as the {@code trust} object of {@link ViewData}:
 * each region's stability (mean {@code region_p}, its spread from {@code summary.json}, and
 * the share of instructions with {@code region_p >= 0.9}) with how it was estimated (the
 * {@code map.stability} block of {@code summary.json}), or, for a map whose scores carry no
 * uncertainty, {@code none} with the commands that give it. The bias audit is the
 * diagnosis' {@code bias}, which the page reads from the embedded diagnosis.
 */
final class TrustData {

    /** region_p at or above which an instruction counts as stable in the table. */
    static final double STABLE = 0.9;

    /** What a user runs to give a map uncertainty, shown where it has none. */
    static final String HOW_TO = "these scores are one judgment per response, so the map cannot say how stable its"
            + " regions are: judge each response several times (admap score RUN --samples 3) or with"
            + " log-probabilities (admap score RUN --logprobs on), or give scores as lists of repeated grades,"
            + " then rebuild the map (admap map RUN, --stability-target to choose what it predicts)";

    private TrustData() {
    }

    static void write(JsonGenerator g, RunDirectory run, List<MapPoint> all) throws IOException {
        g.writeObjectFieldStart("trust");
        if (!ViewData.hasRegionP(all)) {
            g.writeBooleanField("none", true);
            g.writeStringField("message", HOW_TO);
            g.writeEndObject();
            return;
        }
        JsonNode map = summaryMap(run);
        g.writeBooleanField("none", false);
        g.writeNumberField("stableAt", STABLE);
        g.writeArrayFieldStart("regions");
        for (var r : Coloring.REGIONS) {
            long count = 0;
            long known = 0;
            long stable = 0;
            double sum = 0;
            for (MapPoint p : all) {
                if (p.region() == r) {
                    count++;
                    if (!Double.isNaN(p.regionP())) {
                        known++;
                        sum += p.regionP();
                        if (p.regionP() >= STABLE) {
                            stable++;
                        }
                    }
                }
            }
            g.writeStartObject();
            g.writeStringField("name", r.cliName());
            g.writeNumberField("count", count);
            if (known > 0) {
                g.writeNumberField("meanRegionP", sum / known);
                g.writeNumberField("stableShare", (double) stable / known);
            }
            JsonNode sd = map.path("regions").path(r.cliName()).path("stability_sd");
            if (sd.isNumber()) {
                g.writeNumberField("stabilitySd", sd.asDouble());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        JsonNode estimate = map.path("stability");
        g.writeFieldName("estimate");
        if (estimate.isObject()) {
            g.writeTree(estimate);
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    /** The {@code map} block of the run's summary.json, or a missing node. */
    private static JsonNode summaryMap(RunDirectory run) {
        try {
            if (Files.isRegularFile(run.summaryJson())) {
                return JsonFiles.read(run.summaryJson()).path("map");
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable summary only hides the estimate's description
        }
        return JsonFiles.MAPPER.missingNode();
    }
}
