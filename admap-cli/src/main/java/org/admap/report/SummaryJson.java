package org.admap.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.admap.Version;
import org.admap.map.AlignmentMap;
import org.admap.map.MapJob;
import org.admap.map.MapStability;
import org.admap.map.MapSummary;
import org.admap.model.Region;
import org.admap.store.InputFileRecord;
import org.admap.store.RunStore;

/**
 * Builds {@code summary.json}: what the run read (inputs, counts, skipped rows), what the
 * map was built on (score source, relation of labels to scores) and the map's numbers (per
 * region: count, mean and variance ranges), plus warnings a user should not miss.
 */
public final class SummaryJson {

    /** Run-info key holding the skipped-rows report of the ingest, as JSON. */
    public static final String INFO_BAD_ROWS = "ingest.bad_rows";
    /** Run-info key holding the number of renamed duplicate ids. */
    public static final String INFO_RENAMED_IDS = "ingest.renamed_ids";

    /** Run-info keys of the wall time of each step of the run's creation, in seconds. */
    public static final String INFO_SECONDS_INGEST = "seconds.ingest";
    public static final String INFO_SECONDS_MAP = "seconds.map";
    public static final String INFO_SECONDS_CSV = "seconds.map_csv";

    private SummaryJson() {
    }

    public static ObjectNode build(RunStore store, AlignmentMap map) throws IOException {
        return build(RunFacts.of(store, map.provenance().scoreSource()), map);
    }

    /** The summary of a map and the facts of its run, with or without a run store. */
    public static ObjectNode build(RunFacts facts, AlignmentMap map) throws IOException {
        ObjectNode root = JsonFiles.object();
        root.put("admap_version", Version.get());
        root.put("created", Instant.now().toString());

        ObjectNode run = root.putObject("run");
        ArrayNode inputs = run.putArray("inputs");
        for (InputFileRecord in : facts.inputs()) {
            ObjectNode i = inputs.addObject();
            i.put("path", in.path());
            i.put("format", in.format());
            i.put("layout", in.layout());
            i.put("bytes", in.bytes());
            i.put("rows", in.rowsRead());
            i.put("bad_rows", in.badRows());
        }
        run.put("items", facts.items());
        run.put("responses", facts.responses());
        run.put("renamed_ids", facts.renamedIds());
        JsonNode bad = JsonFiles.MAPPER.readTree(facts.badRowsJson());
        run.set("bad_rows", bad);

        MapSummary s = MapSummary.of(map);
        ObjectNode m = root.putObject("map");
        String source = map.provenance().scoreSource();
        m.put("scores", source);
        m.put("labels", facts.labels());
        if (map.provenance().correlation() != null) {
            m.put("correlation", map.provenance().correlation());
        }
        m.put("created", map.provenance().created().toString());
        m.put("mapped", s.mapped());
        m.put("unmapped", s.unmapped());
        m.set("score_range", JsonFiles.range(facts.scoreRange()));
        m.set("mean_range", JsonFiles.range(s.meanRange()));
        ObjectNode regions = m.putObject("regions");
        for (Region r : List.of(Region.HIGH_AVG, Region.LOW_AVG, Region.HIGH_VAR)) {
            MapSummary.RegionStats rs = s.regions().get(r);
            ObjectNode o = regions.putObject(r.cliName());
            o.put("count", rs.count());
            o.set("mean", JsonFiles.range(rs.meanRange()));
            o.set("variance", JsonFiles.range(rs.varianceRange()));
            if (map.stability() != null) {
                o.put("stability", map.stability().result().stability().get(r));
                o.put("stability_sd", map.stability().result().spread().get(r));
            }
        }
        if (map.stability() != null) {
            m.set("stability", stability(map.stability()));
        }

        ObjectNode seconds = root.putObject("seconds");
        facts.seconds().forEach(seconds::put);

        ArrayNode warnings = root.putArray("warnings");
        for (String w : warnings(facts, map, s)) {
            warnings.add(w);
        }
        return root;
    }

    /** How the regions' stability was estimated, and the share of all instructions that keep their region. */
    private static ObjectNode stability(MapStability st) {
        ObjectNode o = JsonFiles.object();
        o.put("overall", st.result().overall());
        o.put("target", st.options().target().toString());
        o.put("noise", st.options().noise().cliName());
        if (st.options().sample() >= 0) {
            o.put("sample", st.options().sample());
        }
        o.put("samples_per_score", st.samplesPerScore());
        o.put("judgment_variance", st.noiseVariance());
        o.put("calibration_responses", st.calibration());
        if (st.lattice() != null) {
            o.put("lattice_step", st.lattice().step());
        }
        o.put("draws", st.result().draws());
        o.put("seed", st.result().seed());
        return o;
    }

    /** Things that make the map less meaningful than it looks. */
    public static List<String> warnings(RunFacts facts, AlignmentMap map, MapSummary s) {
        List<String> list = new java.util.ArrayList<>();
        if (s.degenerate()) {
            list.add("every instruction has the same mean and variance (" + s.meanRange()[0] + "), so the regions"
                    + " are decided by id alone: the map needs real alignment scores (pair labels 1/0 used as"
                    + " scores carry no signal); provide score fields or run a scorer");
        }
        if (s.unmapped() > 0) {
            list.add(s.unmapped() + " instruction(s) have fewer than two scored responses and are not on the map");
        }
        long renamed = facts.renamedIds();
        if (renamed > 0) {
            list.add(renamed + " instruction(s) repeat an earlier id or prompt and were stored as id#2, id#3, ...");
        }
        return list;
    }
}
