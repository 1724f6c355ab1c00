package org.admap.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.Version;
import org.admap.internal.store.InputFileRecord;
import org.admap.map.AlignmentMap;
import org.admap.map.Degeneracy;
import org.admap.map.MapStability;
import org.admap.map.MapSummary;
import org.admap.model.Region;
import org.admap.run.RunFacts;
import org.admap.run.RunSummary;

/**
 * The one writer of {@code summary.json} ({@link RunSummary}): what the run read (inputs,
 * counts, skipped rows), what the map was built on (score source, relation of labels to
 * scores) and the map's numbers (per region: count, mean and variance ranges), plus
 * warnings a user should not miss. The CLI and Spark's {@code ParquetOutput} both write
 * through it.
 */
public final class SummaryJson {

    /** Run-info key holding the skipped-rows report of the ingest, as JSON. */
    public static final String INFO_BAD_ROWS = "ingest.bad_rows";
    /** Run-info key holding the number of renamed duplicate ids. */
    public static final String INFO_RENAMED_IDS = "ingest.renamed_ids";
    /** Run-info key holding what grouping rows into instructions did, as JSON ({@link #groupingJson}). */
    public static final String INFO_GROUPING = "ingest.grouping";

    /** Run-info keys of the wall time of each step of the run's creation, in seconds. */
    public static final String INFO_SECONDS_INGEST = "seconds.ingest";
    public static final String INFO_SECONDS_MAP = "seconds.map";
    public static final String INFO_SECONDS_CSV = "seconds.map_csv";

    private SummaryJson() {
    }

    /** The summary of a map and the facts of its run, with or without a run store. */
    public static RunSummary of(RunFacts facts, AlignmentMap map) {
        List<RunSummary.Input> inputs = new ArrayList<>();
        for (InputFileRecord in : facts.inputs()) {
            inputs.add(new RunSummary.Input(in.path(), in.format(), in.layout(), in.bytes(), in.rowsRead(),
                    in.badRows()));
        }
        MapSummary s = MapSummary.of(map);
        MapStability st = map.stability();
        Map<String, RunSummary.RegionPart> regions = new LinkedHashMap<>();
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            MapSummary.RegionStats rs = s.regions().get(r);
            regions.put(r.cliName(), new RunSummary.RegionPart(rs.count(), rs.meanRange(), rs.varianceRange(),
                    st == null ? null : st.result().stability().get(r),
                    st == null ? null : st.result().spread().get(r)));
        }
        RunSummary.MapPart m = new RunSummary.MapPart(map.provenance().scoreSource(), facts.labels(),
                map.provenance().correlation(), map.provenance().created(), s.mapped(), s.unmapped(),
                facts.scoreRange(), s.meanRange(), regions, st == null ? null : stability(st),
                map.variability().cliName());
        return new RunSummary(Version.get(), Instant.now(), null, new RunSummary.Read(inputs, facts.items(),
                facts.responses(), facts.renamedIds(), facts.badRowsJson(), facts.groupingJson()), m, null, null, null,
                facts.seconds(),
                warnings(facts, map, s));
    }

    /**
     * How the regions' stability was estimated, and the share of all instructions that keep their
     * region; public so that Spark's summary of the same estimate is this one.
     */
    public static RunSummary.StabilityPart stability(MapStability st) {
        return new RunSummary.StabilityPart(st.result().overall(), st.options().target().toString(),
                st.options().noise().cliName(), st.options().sample(), st.samplesPerScore(), st.noiseVariance(),
                st.calibration(), st.lattice() == null ? null : st.lattice().step(), st.result().draws(),
                st.result().seed(), st.calibrated() == null ? null : new RunSummary.CalibrationPart(
                        st.calibrated().share(), st.calibrated().seed(), st.calibration(),
                        Math.sqrt(st.noiseVariance()), st.calibrationText()), st.noiseFrom().json());
    }

    /** Writes a summary to {@code file}, atomically. */
    public static void write(Path file, RunSummary summary) throws IOException {
        JsonFiles.write(file, json(summary));
    }

    /** A summary as {@code summary.json} holds it, for writers that own the file themselves (Spark's). */
    public static byte[] bytes(RunSummary summary) throws IOException {
        byte[] json = JsonFiles.MAPPER.writeValueAsBytes(json(summary));
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return withNewline;
    }

    /** A summary as JSON; unknown numbers (below zero) and absent parts are left out. */
    public static ObjectNode json(RunSummary summary) throws IOException {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", summary.admapVersion());
        root.put("created", summary.created().toString());
        if (summary.engine() != null) {
            root.put("engine", summary.engine());
        }

        RunSummary.Read read = summary.run();
        ObjectNode run = root.putObject("run");
        ArrayNode inputs = run.putArray("inputs");
        for (RunSummary.Input in : read.inputs()) {
            ObjectNode i = inputs.addObject();
            i.put("path", in.path());
            putText(i, "format", in.format());
            putText(i, "layout", in.layout());
            putCount(i, "bytes", in.bytes());
            putCount(i, "rows", in.rows());
            putCount(i, "bad_rows", in.badRows());
        }
        putCount(run, "items", read.items());
        putCount(run, "responses", read.responses());
        putCount(run, "renamed_ids", read.renamedIds());
        JsonNode bad = JsonFiles.MAPPER.readTree(read.badRowsJson());
        JsonNode noted = bad.isObject() ? ((ObjectNode) bad).remove(BadRowsJson.NOTED) : null;
        run.set("bad_rows", bad);
        if (read.groupingJson() != null) {
            run.set("grouping", JsonFiles.MAPPER.readTree(read.groupingJson()));
        }
        if (noted != null) {
            run.set("rows_noted", noted); // rows read but counted by reason: Arena ties, by kind
        }

        RunSummary.MapPart mp = summary.map();
        ObjectNode m = root.putObject("map");
        m.put("scores", mp.scores());
        m.put("labels", mp.labels());
        putText(m, "correlation", mp.correlation());
        putText(m, "variability", mp.variability());
        if (mp.created() != null) {
            m.put("created", mp.created().toString());
        }
        m.put("mapped", mp.mapped());
        m.put("unmapped", mp.unmapped());
        if (mp.scoreRange() != null) {
            m.set("score_range", JsonFiles.range(mp.scoreRange()));
        }
        if (mp.meanRange() != null) {
            m.set("mean_range", JsonFiles.range(mp.meanRange()));
        }
        ObjectNode regions = m.putObject("regions");
        mp.regions().forEach((name, rs) -> {
            ObjectNode o = regions.putObject(name);
            o.put("count", rs.count());
            if (rs.mean() != null) {
                o.set("mean", JsonFiles.range(rs.mean()));
            }
            if (rs.variance() != null) {
                o.set("variance", JsonFiles.range(rs.variance()));
            }
            if (rs.stability() != null) {
                o.put("stability", rs.stability());
                o.put("stability_sd", rs.stabilitySd());
            }
        });
        if (mp.stability() != null) {
            RunSummary.StabilityPart st = mp.stability();
            ObjectNode o = m.putObject("stability");
            o.put("overall", st.overall());
            o.put("target", st.target());
            o.put("noise", st.noise());
            putText(o, "noise_from", st.noiseFrom());
            if (st.sample() >= 0) {
                o.put("sample", st.sample());
            }
            o.put("samples_per_score", st.samplesPerScore());
            o.put("judgment_variance", st.judgmentVariance());
            o.put("calibration_responses", st.calibrationResponses());
            if (st.latticeStep() != null) {
                o.put("lattice_step", st.latticeStep());
            }
            o.put("draws", st.draws());
            o.put("seed", st.seed());
            if (st.calibration() != null) {
                RunSummary.CalibrationPart c = st.calibration();
                ObjectNode co = o.putObject("calibration");
                co.put("share", c.share());
                co.put("seed", c.seed());
                co.put("pairs", c.pairs());
                co.put("pooled_sd", c.pooledSd());
                co.put("noise_model", c.noiseModel());
            }
        }

        if (summary.diagnosis() != null) {
            RunSummary.DiagnosisPart d = summary.diagnosis();
            ObjectNode o = root.putObject("diagnosis");
            o.put("flagged", d.flagged());
            putNumber(o, "bottom_correlation", d.bottomCorrelation());
            putNumber(o, "low_impact_variance", d.lowImpactVariance());
            o.put("correlation_defined", d.correlationDefined());
        }
        if (summary.scoring() != null) {
            RunSummary.ScoringPart s = summary.scoring();
            ObjectNode o = root.putObject("scoring");
            o.put("name", s.name());
            o.put("fingerprint", s.fingerprint());
            o.put("store", s.store());
            o.put("responses", s.responses());
            o.put("already_stored", s.alreadyStored());
            o.put("scored_ok", s.scoredOk());
            o.put("failed", s.failed());
            o.put("executors", s.executors());
        }
        if (summary.pairs() != null) {
            RunSummary.PairsPart p = summary.pairs();
            ObjectNode o = root.putObject("pairs");
            o.put("region", p.region());
            o.put("mode", p.mode());
            o.put("by", p.by());
            o.put("count", p.count());
            o.put("directory", p.directory());
        }

        ObjectNode seconds = root.putObject("seconds");
        summary.seconds().forEach(seconds::put);

        ArrayNode warnings = root.putArray("warnings");
        summary.warnings().forEach(warnings::add);
        return root;
    }

    private static void putText(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static void putCount(ObjectNode o, String key, long value) {
        if (value >= 0) {
            o.put(key, value);
        }
    }

    private static void putNumber(ObjectNode o, String key, double value) {
        if (Double.isNaN(value)) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    /** Things that make the map less meaningful than it looks. */
    public static List<String> warnings(RunFacts facts, AlignmentMap map, MapSummary s) {
        List<String> list = new java.util.ArrayList<>();
        Degeneracy degeneracy = Degeneracy.of(map);
        if (degeneracy.degenerate()) {
            list.add(degeneracy.message());
        }
        if (s.unmapped() > 0) {
            list.add(s.unmapped() + " instruction(s) have fewer than two scored responses and are not on the map");
        }
        if ("scores".equals(facts.labels()) && groupingField(facts.groupingJson(), "pair_labels") != null) {
            list.add("the labels come from comparisons (--pair-labels " + groupingField(facts.groupingJson(),
                    "pair_labels") + "), which only rank an instruction's responses against each other: used as"
                    + " scores they give every instruction about the same mean, so high-avg and low-avg say"
                    + " nothing about quality; give scores (score_chosen/score_rejected, --score-field) or score"
                    + " the responses (admap score)");
        }
        long merged = mergedRows(facts.groupingJson());
        if (merged > 0) {
            list.add(merged + " row(s) gave a response an earlier row of the same instruction gave (same text and"
                    + " model) and were merged into it, not counted as more responses: the scores of rows of one"
                    + " response are samples of its score, those of pairs are averaged");
        }
        long renamed = facts.renamedIds();
        if (renamed > 0) {
            list.add(renamed + " instruction(s) repeat an earlier id or prompt and were stored as id#2, id#3, ...");
        }
        return list;
    }

    /**
     * What grouping did as {@code summary.json}'s {@code run.grouping} holds it: rows grouped,
     * the instructions and responses they became, rows merged into an earlier response,
     * comparisons, the pair-label rule, and the responses each named score source scored.
     */
    public static String groupingJson(org.admap.ingest.group.GroupingReport g, Map<String, Long> sources)
            throws IOException {
        ObjectNode o = JsonFiles.object();
        if (g != null) {
            o.put("rows", g.rows());
            o.put("instructions", g.instructions());
            o.put("responses", g.responses());
            o.put("merged_rows", g.mergedRows());
            o.put("comparisons", g.comparisons());
            if (g.pairLabels() != null) {
                o.put("pair_labels", g.pairLabels());
            }
        }
        if (!sources.isEmpty()) {
            ObjectNode s = o.putObject("score_sources");
            sources.forEach(s::put);
        }
        return JsonFiles.MAPPER.writeValueAsString(o);
    }

    private static String groupingField(String groupingJson, String field) {
        if (groupingJson == null) {
            return null;
        }
        try {
            JsonNode v = JsonFiles.MAPPER.readTree(groupingJson).get(field);
            return v == null || v.isNull() ? null : v.asText();
        } catch (IOException e) {
            return null;
        }
    }

    private static long mergedRows(String groupingJson) {
        if (groupingJson == null) {
            return 0;
        }
        try {
            return JsonFiles.MAPPER.readTree(groupingJson).path("merged_rows").asLong(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
