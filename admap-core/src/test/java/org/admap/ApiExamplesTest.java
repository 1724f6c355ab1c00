package org.admap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.admap.diagnose.DiagnoseOptions;
import org.admap.diagnose.Reason;
import org.admap.ingest.DatasetReader;
import org.admap.ingest.IngestOptions;
import org.admap.map.AlignmentMap;
import org.admap.map.MapBuilder;
import org.admap.map.MapProvenance;
import org.admap.model.Item;
import org.admap.model.ItemScores;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.run.CreateOptions;
import org.admap.run.Run;
import org.admap.score.ScoreOutcome;
import org.admap.score.ScoreTask;
import org.admap.score.Scorer;
import org.admap.score.ScorerConfig;
import org.admap.score.ScoringOptions;
import org.admap.score.Usage;
import org.admap.select.ExportFormat;
import org.admap.select.PairBuilder;
import org.admap.select.PairExporter;
import org.admap.select.PairMode;
import org.admap.select.SelectionExport;
import org.admap.select.Target;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked examples in the class Javadoc of the public API's first types ({@link Run},
 * {@link AlignmentMap}, {@link Scorer}, {@link DatasetReader}, {@link PairExporter}), run as
 * they are written there, on the bundled example data, with what they should give asserted.
 *
 * <p>Each test's example sits between {@code // example:Type} and {@code // end} comments, and
 * {@link #javadocShowsTheseExamples} checks that every class's Javadoc shows exactly that code
 * (line by line, indentation aside): an example changed on one side only fails the build.
 */
class ApiExamplesTest {

    @TempDir
    Path tmp;

    private final Path input = RealData.demo();

    @Test
    void runFromFileToHighAvgPairs() throws IOException {
        Path dir = tmp.resolve("run");
        StringWriter notes = new StringWriter();
        // example:Run
        Run.Created created = Run.create(CreateOptions.of(List.of(input.toString()), dir), Progress.Factory.NONE);
        Map<Region, Long> regions = created.map().regionCounts();    // instructions per region
        Run run = created.run();                                     // later: Run.open(dir, Progress.Factory.NONE)
        Run.Diagnosed diagnosed = run.diagnose(DiagnoseOptions.paper(true), true, null);
        Map<Reason, Long> flagged = diagnosed.diagnosis().countsByReason();
        SelectionExport.Options trl = new SelectionExport.Options(PairMode.ALL, PairBuilder.By.LABELS,
                ExportFormat.TRL);
        SelectionExport.Result pairs = run.select(Target.of(Region.HIGH_AVG), null, 0, trl,
                dir.resolve("high-avg.jsonl"), false, new PrintWriter(System.err, true));
        // end

        // the figures ./admap demo prints for the same data (README, quick start)
        assertThat(regions).containsEntry(Region.HIGH_AVG, 17L).containsEntry(Region.LOW_AVG, 16L)
                .containsEntry(Region.HIGH_VAR, 17L);
        assertThat(flagged).containsEntry(Reason.MISANNOTATED, 3L);
        assertThat(pairs.records()).isEqualTo(68);
        assertThat(pairs.instructions()).isEqualTo(17);
        assertThat(Files.readAllLines(dir.resolve("high-avg.jsonl"))).hasSize(68);
        assertThat(Run.open(dir, Progress.Factory.NONE).map("input", Correlation.COSINE).map().regionCounts())
                .isEqualTo(regions);
    }

    @Test
    void mapOfThreeInstructions() {
        // example:AlignmentMap
        MapBuilder builder = new MapBuilder(new MapProvenance("input", null, Instant.now(), "dev"), null);
        // one ItemScores per instruction: its responses' scores, and the data's labels of them
        builder.accept(new ItemScores(0, "q1", new double[] {8, 2, 5, 9}, new double[] {4, 1, 3, 5}));
        builder.accept(new ItemScores(1, "q2", new double[] {7, 7, 8}, new double[] {3, 3, 4}));
        builder.accept(new ItemScores(2, "q3", new double[] {2, 3}, new double[] {1, 2}));
        AlignmentMap map = builder.build();
        List<MapPoint> best = map.points(Region.HIGH_AVG);    // the third worth training on: q2
        // end

        assertThat(best).extracting(MapPoint::id).containsExactly("q2");
        assertThat(map.points(Region.HIGH_VAR)).extracting(MapPoint::id).containsExactly("q1");
        assertThat(map.points(Region.LOW_AVG)).extracting(MapPoint::id).containsExactly("q3");
        assertThat(best.get(0).mean()).isEqualTo(22.0 / 3);
    }

    @Test
    void aScorerOfOneLineMapsTheDemoByLength() throws Exception {
        Path dir = tmp.resolve("run");
        Run run = Run.create(CreateOptions.of(List.of(input.toString()), dir), Progress.Factory.NONE).run();
        // example:Scorer
        Scorer byLength = new Scorer() {
            public ScorerConfig config() {
                return ScorerConfig.of("length", "chars", "v1", Map.of(), null);
            }
            public boolean wholeItems() {
                return false;
            }
            public List<ScoreOutcome> score(ScoreTask task) {
                ScoreTask.Target t = task.responses().get(0);
                return List.of(ScoreOutcome.ok(t.position(), t.text().length(), null, Usage.NONE, 0, 1));
            }
            public Usage estimate(ScoreTask task) {
                return Usage.NONE;
            }
        };
        Run.Scored scored = run.score(store -> byLength, "length", ScoringOptions.defaults(), Progress.Factory.NONE);
        AlignmentMap byLengthMap = run.map("length", Correlation.COSINE).map();
        // end

        assertThat(scored.report().scored()).isEqualTo(200);
        assertThat(scored.failed()).isZero();
        assertThat(byLengthMap.points()).hasSize(50);
        assertThat(byLengthMap.provenance().scoreSource()).isEqualTo("length");
        // a map on lengths: every mean is a mean of response lengths, so no mean is below the shortest
        assertThat(byLengthMap.points()).allSatisfy(p -> assertThat(p.mean()).isGreaterThan(1));
        // as the Javadoc says: a second pass sends nothing, every score is already stored
        Run.Scored again = run.score(store -> byLength, "length", ScoringOptions.defaults(), Progress.Factory.NONE);
        assertThat(again.report().scored()).isZero();
        assertThat(again.report().alreadyScored()).isEqualTo(200);
    }

    @Test
    void readerReadsTheDemoItemByItem() throws IOException {
        // example:DatasetReader
        int items = 0;
        int responses = 0;
        long skipped;
        try (DatasetReader reader = DatasetReader.open(input, IngestOptions.defaults())) {
            for (Item item = reader.next(); item != null; item = reader.next()) {
                items++;
                responses += item.responses().size();
            }
            skipped = reader.badRows().count();
        }
        // end

        assertThat(items).isEqualTo(50);
        assertThat(responses).isEqualTo(200);
        assertThat(skipped).isZero();
    }

    @Test
    void exporterWritesEveryLabelledPair() throws IOException {
        List<Item> items = new ArrayList<>();
        try (DatasetReader reader = DatasetReader.open(input, IngestOptions.defaults())) {
            for (Item item = reader.next(); item != null; item = reader.next()) {
                items.add(item);
            }
        }
        Path file = tmp.resolve("pairs.jsonl");
        // example:PairExporter
        PairBuilder pairs = new PairBuilder(PairMode.ALL, PairBuilder.By.LABELS);
        try (PairExporter out = PairExporter.create(ExportFormat.TRL, file)) {
            for (Item item : items) {
                out.write(item, null, pairs.pairs(item));    // null: no map point (TRL does not write one)
            }
            out.commit();
        }
        // end

        int expected = items.stream().mapToInt(item -> pairs.pairs(item).size()).sum();
        List<String> lines = Files.readAllLines(file);
        assertThat(expected).isGreaterThan(items.size());
        assertThat(lines).hasSize(expected);
        assertThat(lines).allSatisfy(line -> assertThat(line).contains("\"prompt\"", "\"chosen\"", "\"rejected\""));
    }

    @Test
    void javadocShowsTheseExamples() throws IOException {
        Path core = RealData.repositoryRoot().resolve("admap-core");
        String tests = Files.readString(core.resolve("src/test/java/org/admap/ApiExamplesTest.java"));
        Map<String, String> sources = Map.of(
                "Run", "org/admap/run/Run.java",
                "AlignmentMap", "org/admap/map/AlignmentMap.java",
                "Scorer", "org/admap/score/Scorer.java",
                "DatasetReader", "org/admap/ingest/DatasetReader.java",
                "PairExporter", "org/admap/select/PairExporter.java");
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String source = Files.readString(core.resolve("src/main/java").resolve(e.getValue()));
            assertThat(classJavadocExample(source, e.getKey()))
                    .as("the example in %s's class Javadoc is the one ApiExamplesTest runs", e.getKey())
                    .isEqualTo(testExample(tests, e.getKey()));
        }
    }

    /** The lines between {@code // example:NAME} and {@code // end} in this file, trimmed. */
    private static List<String> testExample(String tests, String name) {
        Matcher m = Pattern.compile("// example:" + name + "\\n(.*?)\\n\\s*// end\\n", Pattern.DOTALL).matcher(tests);
        assertThat(m.find()).as("an example marked %s in ApiExamplesTest", name).isTrue();
        return trimmed(m.group(1).lines().toList());
    }

    /** The first {@code <pre>{@code ...}</pre>} block of the Javadoc right before the type's declaration. */
    private static List<String> classJavadocExample(String source, String name) {
        int declaration = indexOfDeclaration(source, name);
        int start = source.lastIndexOf("/**", declaration);
        String javadoc = source.substring(start, declaration);
        Matcher m = Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\* }</pre>", Pattern.DOTALL).matcher(javadoc);
        assertThat(m.find()).as("a <pre>{@code ...}</pre> example in %s's class Javadoc", name).isTrue();
        return trimmed(m.group(1).lines().map(line -> line.replaceFirst("^\\s*\\* ?", "")).toList());
    }

    private static int indexOfDeclaration(String source, String name) {
        Matcher m = Pattern.compile("\\npublic (final class|interface) " + name + "\\b").matcher(source);
        assertThat(m.find()).as("the declaration of %s", name).isTrue();
        return m.start();
    }

    private static List<String> trimmed(List<String> lines) {
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
