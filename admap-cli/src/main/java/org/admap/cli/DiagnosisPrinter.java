package org.admap.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.admap.diagnose.BiasAudit;
import org.admap.diagnose.DetectionMetrics;
import org.admap.diagnose.Diagnosis;
import org.admap.diagnose.Reason;
import org.admap.diagnose.SelfValidation;

/**
 * Prints a diagnosis, a self-validation and the bias audit as the few lines a user reads
 * after {@code diagnose}.
 */
final class DiagnosisPrinter {

    private DiagnosisPrinter() {
    }

    static void print(PrintWriter out, Diagnosis d) {
        Map<Reason, Long> counts = d.countsByReason();
        out.printf(Locale.ROOT, "examined %,d instructions", d.examined());
        if (d.options().labelsIndependent()) {
            out.printf(Locale.ROOT, " (%,d with a defined %s agreement)%n", d.correlationDefined(),
                    d.options().correlation().cliName());
        } else {
            out.println(" (the labels are the scores, or absent: no misannotation check from the map's scores;"
                    + " give the data independent labels, map it on a scorer's scores, or name --scorers)");
        }
        if (d.options().scorers().size() == 1) { // "two or more had evidence on 0" would read as a finding
            out.printf(Locale.ROOT, "scorer %s: its evidence is in flags.csv; scorers-disagree needs two or more"
                    + " scorers (--scorers A,B)%n", d.options().scorers().get(0));
        } else if (!d.options().scorers().isEmpty()) {
            out.printf(Locale.ROOT, "scorers %s: two or more had evidence on %,d instructions%n",
                    String.join(", ", d.options().scorers()), d.scorersEvaluated());
        }
        List<String> parts = new ArrayList<>();
        for (Reason r : Reason.values()) {
            if (r == Reason.SCORERS_DISAGREE && d.options().scorers().size() < 2) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s %,d", r.cliName(), counts.get(r)));
        }
        out.printf(Locale.ROOT, "flagged %,d: %s%n", d.flags().size(), String.join(", ", parts));
    }

    static void print(PrintWriter out, SelfValidation.Result v) {
        out.printf(Locale.ROOT, "self-validation: flipped the labels of %,d of %,d instructions (%s%%, seed %d) in a"
                + " copy; the run's labels are untouched%n", v.injected(), v.eligible(), number(v.percent()), v.seed());
        if (v.labelsWereScores()) {
            out.println("  (the labels are the scores: the flipped scores played the labels, so unflipped"
                    + " instructions agree by construction; read recall)");
        }
        DetectionMetrics.PrecisionRecall pr = v.atThreshold();
        out.printf(Locale.ROOT, "  flags about labels: precision %s (%,d of %,d flagged), recall %s (%,d of %,d"
                + " flipped)%n", fmt(pr.precision()), pr.hits(), pr.flagged(), fmt(pr.recall()), pr.hits(),
                pr.positives());
        String kLabel = "P@" + v.k();
        out.printf(Locale.ROOT, "  %-22s %8s %8s%n", "ranking by", "ROC AUC", kLabel);
        for (SelfValidation.Detector d : v.detectors()) {
            out.printf(Locale.ROOT, "  %-22s %8s %8s%n", d.name(), fmt(d.auc()), fmt(d.precisionAtK()));
        }
    }

    /** The bias audit: Spearman of score and length per source, and the shown-position means where known. */
    static void print(PrintWriter out, List<BiasAudit> audits) {
        for (BiasAudit a : audits) {
            out.printf(Locale.ROOT, "bias of '%s' (%,d responses): Spearman of score and length %s (characters),"
                    + " %s (tokens)%n", a.source(), a.responses(), fmt(a.chars()), fmt(a.tokens()));
            BiasAudit.PositionBias p = a.position();
            if (p != null) {
                StringBuilder means = new StringBuilder();
                for (int i = 0; i < p.meanScore().length; i++) {
                    means.append(i == 0 ? "" : ", ").append(i + 1).append(": ").append(fmt(p.meanScore()[i]));
                }
                out.printf(Locale.ROOT, "  mean score by shown position (%,d calls) %s; the position explains %s%%"
                        + " of the within-call score variance%n", p.calls(), means,
                        fmt(100 * p.varianceShare()));
            }
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
