package org.admap.internal.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.admap.Version;
import org.admap.compare.MapComparison;
import org.admap.model.Region;

/**
 * The one writer of {@code compare.json}: per comparison of two maps, the rank agreement of
 * their means and variances, the region table and overlaps, and the per-response agreement.
 */
public final class ComparisonJson {

    private ComparisonJson() {
    }

    /** Writes the comparisons to {@code file}, atomically. */
    public static void write(Path file, List<MapComparison> comparisons) throws IOException {
        JsonFiles.write(file, json(comparisons));
    }

    public static ObjectNode json(List<MapComparison> comparisons) {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());
        ArrayNode list = root.putArray("comparisons");
        for (MapComparison c : comparisons) {
            ObjectNode o = list.addObject();
            o.put("a", c.a());
            o.put("b", c.b());
            o.put("points_a", c.pointsA());
            o.put("points_b", c.pointsB());
            o.put("joined", c.joined());
            ObjectNode means = o.putObject("means");
            number(means, "spearman", c.meanSpearman());
            number(means, "kendall", c.meanKendall());
            ObjectNode variances = o.putObject("variances");
            number(variances, "spearman", c.varianceSpearman());
            number(variances, "kendall", c.varianceKendall());
            ObjectNode regions = o.putObject("regions");
            regions.put("changed", c.regionChanges());
            number(regions, "changed_fraction", c.joined() == 0 ? Double.NaN : (double) c.regionChanges() / c.joined());
            ObjectNode overlap = regions.putObject("overlap");
            ObjectNode table = regions.putObject("table");
            for (Region ra : Region.values()) {
                number(overlap, ra.cliName(), c.overlap(ra));
                ObjectNode row = table.putObject(ra.cliName());
                for (Region rb : Region.values()) {
                    row.put(rb.cliName(), c.count(ra, rb));
                }
            }
            ObjectNode responses = o.putObject("responses");
            responses.put("joined", c.responses());
            number(responses, "pearson", c.responsePearson());
            number(responses, "spearman", c.responseSpearman());
            o.put("degenerate_a", c.degenerateA().degenerate());
            o.put("degenerate_b", c.degenerateB().degenerate());
            ArrayNode warnings = o.putArray("warnings");
            c.warnings().forEach(warnings::add);
        }
        return root;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
