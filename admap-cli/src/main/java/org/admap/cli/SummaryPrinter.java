package org.admap.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.admap.internal.run.SummaryJson;
import org.admap.internal.store.InputFileRecord;
import org.admap.map.AlignmentMap;
import org.admap.map.MapSummary;
import org.admap.model.Region;
import org.admap.run.RunFacts;

/** Prints the few lines a user reads after a command: counts, ranges, regions, warnings. */
final class SummaryPrinter {

    private SummaryPrinter() {
    }

    /** Prints what a map was built from and its regions. */
    static void printMap(PrintWriter out, RunFacts facts, AlignmentMap map, long badRows) {
        List<InputFileRecord> inputs = facts.inputs();
        String layouts = inputs.stream().map(InputFileRecord::layout).distinct().reduce((a, b) -> a + ", " + b)
                .orElse("");
        long queries = inputs.stream().filter(in -> "duckdb-query".equals(in.format())).count();
        long files = inputs.size() - queries;
        String from = (files > 0 ? files + " file" + (files == 1 ? "" : "s") : "")
                + (files > 0 && queries > 0 ? " and " : "") + (queries > 0 ? "a DuckDB query" : "");
        out.printf(Locale.ROOT, "%,d instructions, %,d responses from %s (%s)%s%n", facts.items(),
                facts.responses(), from, layouts,
                badRows > 0 ? String.format(Locale.ROOT, "; %,d bad rows skipped", badRows) : "");
        String source = map.provenance().scoreSource();
        double[] range = facts.scoreRange();
        String labels = switch (facts.labels()) {
            case "independent" -> "labels: a separate annotation (" + map.provenance().correlation()
                    + " agreement in the correlation column)";
            case "scores" -> "labels: the same numbers as the scores";
            default -> "labels: none";
        };
        out.printf(Locale.ROOT, "map on scores '%s' (range %s .. %s); %s%n", source, num(range[0]), num(range[1]),
                labels);
        if (map.variability() == org.admap.map.Variability.COMB) {
            out.println("variability: comb (variance of the responses' pairwise embedding cosines, the paper's comb;"
                    + " not the scores' variance)");
        }
        MapSummary s = MapSummary.of(map);
        boolean stable = map.stability() != null;
        out.printf(Locale.ROOT, "  %-9s %9s   %-21s %s%n", "region", "count", "mean",
                stable ? String.format(Locale.ROOT, "%-21s %s", "variance", "stability") : "variance");
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            MapSummary.RegionStats rs = s.regions().get(r);
            String variance = num(rs.varianceRange()[0]) + " .. " + num(rs.varianceRange()[1]);
            out.printf(Locale.ROOT, "  %-9s %,9d   %-21s %s%n", r.cliName(), rs.count(),
                    num(rs.meanRange()[0]) + " .. " + num(rs.meanRange()[1]),
                    !stable ? variance : String.format(Locale.ROOT, "%-21s %.3f", variance,
                            map.stability().result().stability().get(r)));
        }
        if (stable) {
            out.printf(Locale.ROOT, "stability: the expected share that keeps its region on a %s map (%s noise,"
                    + " %d draws); region_p per instruction in map.csv%n", map.stability().options().target(),
                    map.stability().options().noise().cliName(), map.stability().result().draws());
        }
        for (String w : SummaryJson.warnings(facts, map, s)) {
            out.println("warning: " + w);
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e") || !s.contains(".")) {
            return s;
        }
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
