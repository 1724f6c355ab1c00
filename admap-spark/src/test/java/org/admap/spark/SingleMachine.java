package org.admap.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.admap.Progress;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Diagnosis;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.diagnose.DiagnoseJob;
import org.admap.internal.map.MapJob;
import org.admap.internal.run.SummaryJson;
import org.admap.internal.score.ScoringJob;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.AlignmentMap;
import org.admap.map.StabilityOptions;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.run.RunFacts;
import org.admap.score.Scorer;
import org.admap.score.ScoringOptions;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import org.admap.select.Target;
import org.admap.stats.Correlation;

/**
 * The single-machine path the Spark job must equal: {@code admap map}, {@code admap diagnose}
 * and {@code admap select --region R} through the core's own jobs and run store.
 */
final class SingleMachine {

    /** A pair as the TRL export writes it. */
    record TrlPair(String prompt, String chosen, String rejected, double scoreChosen, double scoreRejected) {
        static TrlPair of(PairRow r) {
            return new TrlPair(r.prompt(), r.chosen(), r.rejected(), r.scoreChosen(), r.scoreRejected());
        }
    }

    /** What the single machine produced. */
    record Result(String source, String labels, List<MapPoint> points, List<FlagsCsvRow> flags, List<TrlPair> pairs) {
    }

    private SingleMachine() {
    }

    /** An export's score: null (absent) as NaN, as the job's PairRow holds it. */
    private static double score(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }

    static Result run(List<Path> files, IngestOptions ingest, Region region, Path dir) throws IOException {
        return run(files, ingest, region, dir, null, null);
    }

    /** The same with {@code admap map}'s stability options ({@code --stability-*}, {@code --noise}, ...). */
    static Result run(List<Path> files, IngestOptions ingest, Region region, Path dir, StabilityOptions stability)
            throws IOException {
        return run(files, ingest, region, dir, null, null, stability);
    }

    /** The same, after {@code admap score --scorer ... --name NAME} with this scorer, mapped on its scores. */
    static Result run(List<Path> files, IngestOptions ingest, Region region, Path dir, Scorer scorer, String name)
            throws IOException {
        return run(files, ingest, region, dir, scorer, name, StabilityOptions.DEFAULTS);
    }

    private static Result run(List<Path> files, IngestOptions ingest, Region region, Path dir, Scorer scorer,
                              String name, StabilityOptions stability) throws IOException {
        Files.createDirectories(dir);
        String source;
        String labels;
        AlignmentMap map;
        Diagnosis diagnosis;
        try (RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME))) {
            long renamed = Ingest.run(files, ingest, store, Progress.Factory.NONE).renamedIds();
            store.putInfo(SummaryJson.INFO_RENAMED_IDS, Long.toString(renamed)); // as FullIngestRun keeps it
            if (scorer != null) {
                try {
                    new ScoringJob(store, scorer, name, ScoringOptions.defaults(), Progress.Factory.NONE).run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            source = scorer != null ? name : MapJob.defaultSource(store);
            map = MapJob.run(store, source, Correlation.COSINE, stability);
            labels = store.info(MapJob.INFO_LABELS).orElseThrow();
            // summary.json as admap map writes it (FullIngestRun), through the one writer Spark uses too
            SummaryJson.write(dir.resolve("summary.json"), SummaryJson.of(RunFacts.of(store, source), map));
            diagnosis = DiagnoseJob.run(store, source, DiagnoseOptions.paper(labels.equals("independent")), false);
        }
        Path out = dir.resolve("pairs.jsonl");
        SelectionExport.export(RunDirectory.existing(dir), region == null ? Target.ALL : Target.of(region), null, 42,
                new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS, ExportFormat.TRL), out,
                new PrintWriter(new StringWriter()));
        ObjectMapper json = new ObjectMapper();
        List<TrlPair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode n = json.readTree(line);
            pairs.add(new TrlPair(n.get("prompt").asText(), n.get("chosen").asText(), n.get("rejected").asText(),
                    score(n.get("score_chosen")), score(n.get("score_rejected"))));
        }
        return new Result(source, labels, map.points(), diagnosis.flags().stream().map(FlagsCsvRow::of).toList(),
                pairs);
    }
}
