package org.admap.report;

import static org.admap.report.JsonNumbers.number;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.admap.store.ScoreStatistics;

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
     * @param mapSource the source the map was built from (it decides which model was best)
     */
    static void write(JsonGenerator g, ReportSource stats, String mapSource) throws IOException {
        List<String> sources = stats.scoreSources();
        g.writeObjectFieldStart("summary");
        g.writeArrayFieldStart("histograms");
        for (String s : sources) {
            ScoreStatistics.SourceStats st = stats.sourceStats(s, BINS);
            g.writeStartObject();
            g.writeStringField("source", s);
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
        for (int i = 0; i < sources.size(); i++) {
            for (int j = i + 1; j < sources.size(); j++) {
                ScoreStatistics.Agreement a = stats.agreement(sources.get(i), sources.get(j));
                g.writeStartObject();
                g.writeStringField("a", a.a());
                g.writeStringField("b", a.b());
                g.writeNumberField("n", a.n());
                number(g, "pearson", a.pearson());
                number(g, "spearman", a.spearman());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("models");
        for (ScoreStatistics.ModelStats m : stats.models(sources, mapSource)) {
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
