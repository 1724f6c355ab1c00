package org.admap.internal.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.admap.Version;
import org.admap.diagnose.BiasAudit;
import org.admap.diagnose.DetectionMetrics;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Duplicates;
import org.admap.diagnose.Reason;
import org.admap.diagnose.SelfValidation;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;

/**
 * The one writer of {@code diagnosis.json}: the map the diagnosis judged, its options and
 * thresholds, the counts by reason, the duplicates and, after {@code --inject-flips}, the
 * self-validation's precision and recall, and the bias audit of the scores ({@code bias}).
 */
public final class DiagnosisJson {

    private DiagnosisJson() {
    }

    /** Writes the diagnosis of the map on {@code source} to {@code file}, atomically. */
    public static void write(Path file, RunStore store, String source, Diagnosis d, SelfValidation.Result v,
                             List<BiasAudit> bias) throws IOException {
        JsonFiles.write(file, json(store, source, d, v, bias));
    }

    /**
     * Writes a diagnosis made without the store (on the run's columns), with what the map
     * was: its source, when it was made and how its labels relate to its scores. The bias
     * audit reads response texts' lengths from the store, so this diagnosis has none yet
     * ({@code bias} is an empty list): it is added when the store is built ({@link StoreFlags}).
     */
    public static void write(Path file, String source, String mapCreated, String labels, Diagnosis d,
                             SelfValidation.Result v) throws IOException {
        JsonFiles.write(file, json(source, mapCreated, labels, d, v, List.of()));
    }

    public static ObjectNode json(RunStore store, String source, Diagnosis d, SelfValidation.Result v,
                           List<BiasAudit> bias) {
        return json(source, store.info(MapJob.INFO_CREATED).orElse(""), store.info(MapJob.INFO_LABELS).orElse(""),
                d, v, bias);
    }

    public static ObjectNode json(String source, String mapCreated, String labels, Diagnosis d, SelfValidation.Result v,
                           List<BiasAudit> bias) {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        ObjectNode map = root.putObject("map");
        map.put("scores", source);
        map.put("created", mapCreated);
        map.put("labels", labels);
        DiagnoseOptions options = d.options();
        ObjectNode o = root.putObject("options");
        o.put("correlation", options.correlation().cliName());
        o.put("max_correlation", options.maxCorrelation());
        o.put("bottom_fraction", options.bottomFraction());
        o.put("low_impact_fraction", options.lowImpactFraction());
        o.put("labels_independent", options.labelsIndependent());
        o.put("min_margin", options.minMargin());
        ArrayNode scorerList = o.putArray("scorers");
        options.scorers().forEach(scorerList::add);
        o.put("scorer_quorum", options.scorerQuorum());
        o.put("min_scorer_agreement", options.minScorerAgreement());
        o.put("weigh_by_uncertainty", options.weighByUncertainty());
        if (options.byAgreeProbability()) { // absent when off: diagnosis.json as before the rule
            o.put("max_agree_probability", options.maxAgreeProbability());
        }
        o.put("duplicates", d.duplicates() != Duplicates.none());
        root.put("examined", d.examined());
        root.put("correlation_defined", d.correlationDefined());
        root.put("scorers_evaluated", d.scorersEvaluated());
        ObjectNode t = root.putObject("thresholds");
        putNumber(t, "bottom_correlation", d.bottomCorrelation());
        putNumber(t, "low_impact_variance", d.lowImpactVariance());
        root.put("flagged", d.flags().size());
        root.put("flagged_about_labels", d.labelFlags());
        ObjectNode counts = root.putObject("counts");
        for (Map.Entry<Reason, Long> e : d.countsByReason().entrySet()) {
            counts.put(e.getKey().cliName(), e.getValue());
        }
        ObjectNode dup = root.putObject("duplicates");
        dup.put("instructions_repeating_another", d.duplicates().repeats());
        dup.put("of_which_after_normalising", d.duplicates().normalisedRepeats());
        dup.put("repeated_groups", d.duplicates().groups());
        dup.put("instructions_with_duplicate_responses", d.duplicates().withDuplicateResponses());
        if (v != null) {
            root.set("self_validation", json(v));
        }
        root.set("bias", json(bias));
        return root;
    }

    /** Sets (or replaces) the bias audit of a diagnosis.json's tree. */
    public static void putBias(ObjectNode root, List<BiasAudit> bias) {
        root.set("bias", json(bias));
    }

    private static ArrayNode json(List<BiasAudit> audits) {
        ArrayNode list = JsonFiles.MAPPER.createArrayNode();
        for (BiasAudit a : audits) {
            ObjectNode o = list.addObject();
            o.put("scores", a.source());
            o.put("responses", a.responses());
            putNumber(o, "spearman_length_chars", a.chars());
            putNumber(o, "spearman_length_tokens", a.tokens());
            o.put("tokens", "words, numbers and punctuation marks: " + RunStore.TOKEN_PATTERN);
            BiasAudit.PositionBias p = a.position();
            if (p != null) {
                ObjectNode pos = o.putObject("position");
                pos.put("calls", p.calls());
                ArrayNode byPosition = pos.putArray("by_shown_position");
                for (int i = 0; i < p.counts().length; i++) {
                    ObjectNode x = byPosition.addObject();
                    x.put("position", i + 1);
                    x.put("scores", p.counts()[i]);
                    putNumber(x, "mean_score", p.meanScore()[i]);
                    putNumber(x, "mean_deviation_from_call", p.meanDeviation()[i]);
                }
                pos.put("variance_share", p.varianceShare());
            }
        }
        return list;
    }

    private static ObjectNode json(SelfValidation.Result v) {
        ObjectNode s = JsonFiles.object();
        s.put("percent", v.percent());
        s.put("seed", v.seed());
        s.put("labels_were_scores", v.labelsWereScores());
        s.put("eligible", v.eligible());
        s.put("injected", v.injected());
        s.set("at_threshold", json(v.atThreshold()));
        ObjectNode byReason = s.putObject("by_reason");
        v.byReason().forEach((r, pr) -> byReason.set(r.cliName(), json(pr)));
        s.put("k", v.k());
        ArrayNode ranking = s.putArray("ranking");
        for (SelfValidation.Detector d : v.detectors()) {
            ObjectNode x = ranking.addObject();
            x.put("scores", d.name());
            putNumber(x, "roc_auc", d.auc());
            putNumber(x, "precision_at_k", d.precisionAtK());
        }
        s.put("flips_csv", "flips.csv");
        if (v.labelsWereScores()) {
            s.put("note", "the labels are the map's scores: the flipped copy of the scores played the labels, so"
                    + " unflipped instructions agree perfectly by construction; recall is the informative figure");
        }
        return s;
    }

    private static ObjectNode json(DetectionMetrics.PrecisionRecall pr) {
        ObjectNode o = JsonFiles.object();
        o.put("flagged", pr.flagged());
        o.put("hits", pr.hits());
        o.put("positives", pr.positives());
        putNumber(o, "precision", pr.precision());
        putNumber(o, "recall", pr.recall());
        putNumber(o, "f1", pr.f1());
        return o;
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
