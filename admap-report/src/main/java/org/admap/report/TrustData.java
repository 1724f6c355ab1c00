package org.admap.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import org.admap.internal.run.JsonFiles;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.NoiseFrom;

/**
 * The page's "How far to trust this map" data, as the {@code trust} object of {@link ViewData}:
 * each region's stability (mean {@code region_p}, its spread from {@code summary.json}, and
 * the share of instructions with {@code region_p >= 0.9}) with how it was estimated (the
 * {@code map.stability} block of {@code summary.json}), or, for a map whose scores carry no
 * uncertainty, {@code none} with the commands that give it; beside them the judge's own noise
 * ({@link JudgeNoise}: one judgment's sd, a score's standard error, and where the noise was
 * measured). The bias audit is the diagnosis' {@code bias}, which the page reads from the
 * embedded diagnosis.
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

    /**
     * The judge's own noise as {@code summary.json}'s {@code map.stability} gives it.
     *
     * @param judgmentSd    one judgment's standard deviation, {@code sqrt(judgment_variance)}
     * @param standardError a score's standard error, {@code sqrt(judgment_variance / samples_per_score)}
     * @param samples       {@code samples_per_score}, the judgments a score is the mean of
     * @param from          where the noise was measured
     */
    record JudgeNoise(double judgmentSd, double standardError, int samples, NoiseFrom from) {
    }

    /**
     * The judge's noise of the estimate {@code stability} (summary.json's {@code map.stability})
     * of a map on {@code source}, or null where the estimate gives no finite judgment variance
     * and count of judgments (no estimate, an older summary, a variance written as NaN): the
     * page then shows nothing rather than a NaN. Where the noise was measured is the estimate's
     * {@code noise_from}; a summary without it (written before the estimate recorded it) is read
     * by inference: a calibration block, a sample, a scorer's single judgments (log-probabilities),
     * else samples.
     */
    static JudgeNoise judgeNoise(JsonNode stability, String source) {
        JsonNode variance = stability.path("judgment_variance");
        JsonNode samples = stability.path("samples_per_score");
        if (!variance.isNumber() || !samples.isIntegralNumber()) {
            return null;
        }
        double v = variance.asDouble();
        int k = samples.asInt();
        if (!Double.isFinite(v) || v < 0 || k < 1) {
            return null;
        }
        // the estimate says where its noise came from; a summary written before it did is read as then
        NoiseFrom from = NoiseFrom.parse(stability.path("noise_from").asText(""));
        return new JudgeNoise(Math.sqrt(v), Math.sqrt(v / k), k, from != null ? from : inferred(stability, k, source));
    }

    /** Where the noise was measured, guessed from a summary that does not say (older than {@code noise_from}). */
    private static NoiseFrom inferred(JsonNode stability, int k, String source) {
        if (stability.path("calibration").isObject()) {
            return NoiseFrom.CALIBRATION;
        } else if (stability.path("sample").isNumber()) {
            return NoiseFrom.SAMPLE;
        } else if (k == 1 && source != null && !source.equals(RunStore.INPUT) && !source.equals(RunStore.LABELS)) {
            // a scorer's single judgment has a standard error only from its log-probability spread
            return NoiseFrom.LOGPROBS;
        }
        return NoiseFrom.SAMPLES;
    }

    /** The {@code trust} object of the map of {@code all} on score source {@code source}. */
    static void write(JsonGenerator g, RunDirectory run, PointColumns all, String source) throws IOException {
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
            for (int i = 0; i < all.size(); i++) {
                if (all.region(i) == r) {
                    count++;
                    double regionP = all.regionP(i);
                    if (!Double.isNaN(regionP)) {
                        known++;
                        sum += regionP;
                        if (regionP >= STABLE) {
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
        JudgeNoise noise = estimate.isObject() ? judgeNoise(estimate, source) : null;
        if (noise != null) {
            g.writeNumberField("judgmentSd", noise.judgmentSd());
            g.writeNumberField("standardError", noise.standardError());
            g.writeStringField("noiseFrom", noise.from().json());
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
