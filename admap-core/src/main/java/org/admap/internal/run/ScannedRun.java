package org.admap.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.admap.Progress;
import org.admap.ingest.BadRows;
import org.admap.ingest.FileFormat;
import org.admap.ingest.IngestOptions;
import org.admap.internal.columns.PromptExcerpts;
import org.admap.internal.columns.RunColumns;
import org.admap.internal.csv.CsvCells;
import org.admap.internal.ingest.hub.HubUri;
import org.admap.internal.ingest.scan.NotScannable;
import org.admap.internal.ingest.scan.ScannedScores;
import org.admap.internal.ingest.scan.ScoreScan;
import org.admap.internal.map.MapCsv;
import org.admap.internal.store.DeferredStore;
import org.admap.internal.store.InputFileRecord;
import org.admap.internal.store.ItemDetails;
import org.admap.internal.store.RunDirectory;
import org.admap.internal.store.RunStore;
import org.admap.map.ScanMap;
import org.admap.model.Item;
import org.admap.run.RunException;
import org.admap.run.RunFacts;
import org.admap.stats.Correlation;

/**
 * The fast way to a new run for {@code admap map}: when every input is JSON lines or a JSON
 * array (plain or gzip) in the multi-response, pairwise, ultrafeedback or long layout (their
 * plain spellings), CSV or TSV in the multi-response, pairwise or long layout, or Parquet in
 * the multi-response layout, the map is computed from a
 * parallel scan of ids and scores ({@link ScoreScan}) without building the run
 * store, and the run directory gets {@code map.csv}, {@code summary.json} and the note of a deferred store
 * ({@link DeferredStore}); the store, with every text, is built by {@link StoreHydration}
 * when a command first needs it. {@code map.csv} and {@code summary.json}'s numbers are
 * those the full way ({@link FullIngestRun}) gives.
 */
public final class ScannedRun {

    /** What was written. */
    public record Written(RunDirectory run, ScanMap map, RunFacts facts) {
    }

    private ScannedRun() {
    }

    /**
     * Creates the run by a scan, or returns null (having written nothing) when the inputs
     * or options need the full ingest: another format or layout, gzip, Hub inputs, options,
     * a scorer's source, data without scores or labels, or a row of an unusual shape.
     */
    public static Written create(List<String> inputNames, IngestOptions options, Path outDir, boolean force,
            String scores, Correlation correlation, Progress.Factory progress, int threads) throws IOException {
        return create(inputNames, options, outDir, force, scores, correlation, progress, threads,
                CsvCells.NEUTRALISED);
    }

    /** {@link #create(List, IngestOptions, Path, boolean, String, Correlation, Progress.Factory, int)}, map.csv's
     * text cells written as {@code cells} says (as the full ingest writes them: the same bytes). */
    public static Written create(List<String> inputNames, IngestOptions options, Path outDir, boolean force,
            String scores, Correlation correlation, Progress.Factory progress, int threads, CsvCells cells)
            throws IOException {
        if (scores != null && !scores.equals(RunStore.INPUT) && !scores.equals(RunStore.LABELS)) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        for (String name : inputNames) {
            if (HubUri.isHub(name)) {
                return null;
            }
            Path p = Path.of(name);
            if (!Files.isRegularFile(p)) {
                return null; // the full way says what is wrong with it
            }
            files.add(p);
        }
        RunDirectory run = FullIngestRun.usableOutput(outDir, force);
        if (ScoreScan.unsupportedReason(files, options) != null) {
            return null;
        }
        long t0 = System.nanoTime();
        if (Files.isDirectory(outDir)) {
            // what a killed command left (a commit under way, temporaries), before this one writes its own
            RunCommit.recoverRun(run);
        }
        // a gzip input's decompressed copy, or a table's or Parquet file's records as JSON lines, written by the
        // scan under a temporary name in the run directory: the texts are read back from it
        Path[] copies = new Path[files.size()];
        boolean createdDir = false;
        for (int i = 0; i < files.size(); i++) {
            FileFormat.Detected d = FileFormat.detect(files.get(i));
            boolean table = d.format() == FileFormat.CSV || d.format() == FileFormat.TSV;
            if (table || d.format() == FileFormat.PARQUET
                    || d.gzip() && (d.format() == FileFormat.JSONL || d.format() == FileFormat.JSON)) {
                if (!Files.exists(outDir)) {
                    Files.createDirectories(outDir);
                    createdDir = true;
                }
                copies[i] = temporaryCopy(run.inputCopy(i));
            }
        }
        boolean written = false;
        try {
            ScannedScores scan;
            try {
                scan = ScoreScan.scan(files, threads, progress, i -> copies[i]);
            } catch (NotScannable e) {
                return null;
            }
            try (scan) {
                Written w = write(files, copies, scan, run, outDir, force, scores, correlation, threads, cells, t0);
                written = w != null;
                return w;
            }
        } catch (OutOfMemoryError e) {
            throw new RunException("not enough memory to map " + (files.size() == 1 ? files.get(0) : files.size()
                    + " files") + " (the scan keeps a few dozen bytes per response and the prompts; Java's heap is "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB): give it more, e.g. ADMAP_JAVA_OPTS=-Xmx4g"
                    + " (5M instructions x 4 responses map in 3 GB, faster in 3.5)");
        } finally {
            if (!written) {
                for (Path c : copies) {
                    if (c != null) {
                        Files.deleteIfExists(c);
                    }
                }
                if (createdDir) {
                    try (var entries = Files.list(outDir)) {
                        if (entries.findAny().isEmpty()) {
                            Files.deleteIfExists(outDir);
                        }
                    }
                }
            }
        }
    }

    /** A temporary name for that copy, as {@link RunCommit#stage} names one: a killed map leaves no copy behind. */
    private static Path temporaryCopy(Path copy) {
        Path target = copy.toAbsolutePath().normalize();
        return target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    private static Written write(List<Path> files, Path[] copies, ScannedScores scan, RunDirectory run, Path outDir,
                                 boolean force, String scores, Correlation correlation, int threads, CsvCells cells,
                                 long t0) throws IOException {
        if (!scan.hasScores() && !scan.hasLabels()) {
            return null; // stored without a map, for a scorer: the full way
        }
        long t1 = System.nanoTime();
        ScanMap map = ScanMap.build(scan, scores, correlation);
        long t2 = System.nanoTime();

        boolean createdDir = !Files.exists(outDir);
        Files.createDirectories(outDir);
        boolean done = false;
        RunCommit commit = new RunCommit(run);
        try (commit) {
            List<InputFileRecord> inputs = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                FileFormat.Detected d = FileFormat.detect(f);
                // named as the full ingest names it (Ingest): jsonl, json, their .gz, parquet
                String format = d.format().name().toLowerCase(java.util.Locale.ROOT) + (d.gzip() ? ".gz" : "");
                inputs.add(new InputFileRecord(i, f.toString(), format, d.gzip(), scan.layout(i).description(),
                        Files.size(f),
                        Files.getLastModifiedTime(f).toInstant(), scan.rows(i), 0));
            }
            // where the texts are read back from: the input, or its copy (gzip, CSV/TSV, Parquet)
            List<Path> textFiles = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                String format = inputs.get(i).format();
                textFiles.add(copies[i] != null ? copies[i] : format.equals("jsonl") || format.equals("json")
                        ? files.get(i) : null);
            }
            boolean withColumns = !textFiles.contains(null);
            // the report's hover texts, made from the prompts map.csv is written from, in the same pass;
            // only a run with columns keeps them
            PromptExcerpts.Builder excerpts = withColumns ? new PromptExcerpts.Builder(scan.pieceCount(),
                    ItemDetails.excerptChars(map.map().points().size())) : null;
            MapCsv.write((int) scan.items(), new MapCsv.PromptChunks() {
                @Override
                public int count() {
                    return scan.pieceCount();
                }

                @Override
                public void forEach(int chunk, MapCsv.Prompts.Row row) throws IOException {
                    scan.forEachPrompt(chunk, excerpts == null ? csvRows(row) : csvRows(row, excerpts.piece(chunk)));
                }
            }, threads, map.map().points(), map.map().provenance().correlation() != null, false, cells,
                    commit.stage(run.mapCsv()));
            long t3 = System.nanoTime();
            Map<String, Double> seconds = new LinkedHashMap<>();
            seconds.put("ingest", round(t1 - t0));
            seconds.put("map", round(t2 - t1));
            seconds.put("map_csv", round(t3 - t2));
            RunFacts facts = new RunFacts(inputs, scan.items(), scan.responses(), scan.renamedIds(),
                    JsonFiles.MAPPER.writeValueAsString(BadRowsJson.of(new BadRows())), map.labels(),
                    map.scoreRange(), seconds, scan.grouping() == null ? null
                    : SummaryJson.groupingJson(scan.grouping(), Map.of()));
            SummaryJson.write(commit.stage(run.summaryJson()), SummaryJson.of(facts, map.map()));
            Path columns = outDir.resolve(RunColumns.FILE);
            boolean wroteColumns = withColumns;
            if (withColumns) {
                List<RunColumns.InputFile> columnInputs = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    Path f = textFiles.get(i).toAbsolutePath();
                    // a copy is named by where the commit puts it; a rename keeps its size and time
                    Path named = copies[i] != null ? run.inputCopy(i).toAbsolutePath().normalize() : f;
                    columnInputs.add(new RunColumns.InputFile(named.toString(), Files.size(f),
                            Files.getLastModifiedTime(f).toMillis()));
                }
                RunColumns.writeFile(commit.stage(columns), columnInputs, scan, map);
            }
            for (int i = 0; i < files.size(); i++) {
                if (copies[i] != null && withColumns) {
                    commit.move(copies[i], run.inputCopy(i));
                }
            }
            Path excerptsFile = outDir.resolve(PromptExcerpts.FILE);
            if (excerpts != null) {
                excerpts.write(commit.stage(excerptsFile), map.map().provenance().created().toString(), scan.items());
            }
            DeferredStore.of(files, map.map().provenance().scoreSource(), correlation.cliName())
                    .write(commit.stage(run.deferredStore()));
            if (force) { // one commit point: the old run stays whole until then
                run.derivedOutputs().forEach(commit::delete);
                for (Path old : run.inputCopies()) {
                    int i = Integer.parseInt(old.getFileName().toString().replaceAll("\\D", ""));
                    if (i >= files.size() || copies[i] == null || !withColumns) {
                        commit.delete(old);
                    }
                }
                commit.delete(run.store());
                commit.delete(Path.of(run.store() + ".wal"));
                if (!wroteColumns) {
                    commit.delete(columns);
                    commit.delete(excerptsFile);
                }
            }
            commit.commit();
            done = true;
            return new Written(run, map, facts);
        } finally {
            if (!done && createdDir && !commit.recorded()) {
                try (var entries = Files.list(outDir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(outDir);
                    }
                }
            }
        }
    }

    /** The prompts of a piece into map.csv's rows. */
    private static ScannedScores.PromptConsumer csvRows(MapCsv.Prompts.Row row) {
        return new ScannedScores.PromptConsumer() {
            @Override
            public void accept(int key, String id, String prompt) throws IOException {
                row.accept(key, id, prompt);
            }

            @Override
            public void acceptLiteral(int key, String id, byte[] json, int quote, int end) throws IOException {
                row.acceptLiteral(key, id, json, quote, end); // transcoded to CSV without a String
            }
        };
    }

    /** The prompts of a piece into map.csv's rows and the piece's excerpts. */
    private static ScannedScores.PromptConsumer csvRows(MapCsv.Prompts.Row row, PromptExcerpts.Piece piece) {
        return new ScannedScores.PromptConsumer() {
            @Override
            public void accept(int key, String id, String prompt) throws IOException {
                row.accept(key, id, prompt);
                piece.add(prompt);
            }

            @Override
            public void acceptLiteral(int key, String id, byte[] json, int quote, int end) throws IOException {
                row.acceptLiteral(key, id, json, quote, end);
                piece.addLiteral(json, quote, end);
            }

            @Override
            public void acceptParts(int key, String id, String prompt, String input) throws IOException {
                row.accept(key, id, Item.fullPrompt(prompt, input));
                piece.add(prompt, input);
            }
        };
    }

    private static double round(long nanos) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9));
    }

}
