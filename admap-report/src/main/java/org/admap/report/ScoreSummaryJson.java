package org.admap.report;

import static org.admap.report.JsonNumbers.number;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.ScoreStatistics;

/**
 * The page's {@code summary}, the statistics of the scores (computed by the store, written
 * here): each source's histogram (30 bins, or its distinct values when few), the Pearson and
 * Spearman agreement of every pair of sources, and per model its responses, the instructions
 * where it was best by the map's source and its mean under each source.
 */
final class ScoreSummaryJson {

    /** Histogram bins per source. */
    private static final int BINS = 30;

    private ScoreSummaryJson() {
    }

    /**
     * The statistics the summary shows, computed apart from writing them so that a report can
     * compute them on another thread while it writes the points.
     *
     * @param sources    the score sources, in the page's order
     * @param histograms each source's statistics
     * @param agreements every pair of sources' agreement, in the page's order
     * @param models     each model's statistics
     */
    record Summary(List<String> sources, List<ScoreStatistics.SourceStats> histograms,
                   List<ScoreStatistics.Agreement> agreements, List<ScoreStatistics.ModelStats> models) {
    }

    /**
     * Computes the summary's statistics.
     *
     * @param mapSource the source the map was built from (it decides which model was best)
     */
    static Summary compute(ReportSource stats, String mapSource) {
        List<String> sources = stats.scoreSources();
        List<ScoreStatistics.SourceStats> histograms = new ArrayList<>();
        for (String s : sources) {
            histograms.add(stats.sourceStats(s, BINS));
        }
        List<ScoreStatistics.Agreement> agreements = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            for (int j = i + 1; j < sources.size(); j++) {
                agreements.add(stats.agreement(sources.get(i), sources.get(j)));
            }
        }
        return new Summary(sources, histograms, agreements, stats.models(sources, mapSource));
    }

    /**
     * @param mapSource the source the map was built from (it decides which model was best)
     */
    static void write(JsonGenerator g, ReportSource stats, String mapSource) throws IOException {
        write(g, compute(stats, mapSource));
    }

    /** Writes the summary's statistics. */
    static void write(JsonGenerator g, Summary summary) throws IOException {
        g.writeObjectFieldStart("summary");
        g.writeArrayFieldStart("histograms");
        for (int i = 0; i < summary.sources().size(); i++) {
            ScoreStatistics.SourceStats st = summary.histograms().get(i);
            g.writeStartObject();
            g.writeStringField("source", summary.sources().get(i));
            g.writeNumberField("count", st.count());
            number(g, "mean", st.mean());
            number(g, "min", st.min());
            number(g, "max", st.max());
            if (st.histogram().values() != null) {
                g.writeArrayFieldStart("values");
                for (double v : st.histogram().values()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            } else {
                g.writeArrayFieldStart("edges");
                for (double v : st.histogram().edges()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("counts");
            for (long c : st.histogram().counts()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("agreements");
        for (ScoreStatistics.Agreement a : summary.agreements()) {
            g.writeStartObject();
            g.writeStringField("a", a.a());
            g.writeStringField("b", a.b());
            g.writeNumberField("n", a.n());
            number(g, "pearson", a.pearson());
            number(g, "spearman", a.spearman());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("models");
        for (ScoreStatistics.ModelStats m : summary.models()) {
            g.writeStartObject();
            g.writeStringField("model", m.model());
            g.writeNumberField("responses", m.responses());
            g.writeNumberField("items", m.items());
            g.writeNumberField("best", m.best());
            g.writeObjectFieldStart("means");
            for (Map.Entry<String, Double> e : m.means().entrySet()) {
                number(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
