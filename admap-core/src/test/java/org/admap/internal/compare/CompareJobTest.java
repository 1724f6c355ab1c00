package org.admap.internal.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.compare.MapComparison;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.model.Region;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path run(String name, Path data, String source) throws IOException {
        Path file = Files.createDirectories(dir.resolve(name)).resolve(RunStore.FILE_NAME);
        try (RunStore store = RunStore.create(file)) {
            Ingest.run(List.of(data), IngestOptions.defaults(), store, Progress.Factory.NONE);
            MapJob.run(store, source, Correlation.COSINE);
        }
        return file;
    }

    /** The demo with its instructions and each instruction's responses in reverse order. */
    private Path reversedDemo() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(RealData.demo()));
        Collections.reverse(lines);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            ObjectNode item = (ObjectNode) JSON.readTree(line);
            List<Object> responses = new ArrayList<>();
            item.withArray("responses").forEach(responses::add);
            Collections.reverse(responses);
            ArrayNode reversed = JSON.createArrayNode();
            responses.forEach(r -> reversed.add((com.fasterxml.jackson.databind.JsonNode) r));
            item.set("responses", reversed);
            out.append(JSON.writeValueAsString(item)).append('\n');
        }
        Path file = dir.resolve("reversed.jsonl");
        Files.writeString(file, out);
        return file;
    }

    @Test
    void theSameDataInAnotherOrderGivesTheSameMap() throws IOException {
        Path a = run("a", RealData.demo(), RunStore.INPUT);
        Path b = run("b", reversedDemo(), RunStore.INPUT);

        MapComparison c;
        try (RunStore store = RunStore.open(a)) {
            c = CompareJob.runs(store, "a", b, "b");
        }

        assertThat(c.a()).isEqualTo("a (input)");
        assertThat(c.joined()).isEqualTo(50);
        // responses summed in another order give equal means that differ in the last bit: a
        // comparison that did not round them away would see orders where there are ties
        assertThat(c.meanSpearman()).isCloseTo(1, within(1e-12));
        assertThat(c.meanKendall()).isCloseTo(1, within(1e-12));
        assertThat(c.varianceSpearman()).isCloseTo(1, within(1e-12));
        assertThat(c.varianceKendall()).isCloseTo(1, within(1e-12));
        assertThat(c.regionChanges()).isZero();
        assertThat(c.count(Region.HIGH_AVG, Region.HIGH_AVG)).isEqualTo(17);
        assertThat(c.overlap(Region.HIGH_AVG)).isEqualTo(1.0);
        // every response found by its text, the two pairs of whitespace-twins included
        assertThat(c.responses()).isEqualTo(200);
        assertThat(c.responsePearson()).isCloseTo(1, within(1e-12));
    }

    @Test
    void twoRunsAndTwoSourcesOfOneRunCompareAlike() throws IOException {
        Path onScores = run("scores", RealData.demo(), RunStore.INPUT);
        Path onLabels = run("labels", RealData.demo(), RunStore.LABELS);

        MapComparison runs;
        List<MapComparison> sources;
        try (RunStore store = RunStore.open(onScores)) {
            runs = CompareJob.runs(store, "scores", onLabels, "labels");
            sources = CompareJob.sources(store, "scores", List.of(RunStore.INPUT, RunStore.LABELS));
        }

        assertThat(sources).singleElement().satisfies(s -> {
            assertThat(s.a()).isEqualTo("scores (input)");
            assertThat(s.b()).isEqualTo("scores (labels)");
            assertThat(s.joined()).isEqualTo(runs.joined());
            assertThat(s.meanSpearman()).isCloseTo(runs.meanSpearman(), within(1e-12));
            assertThat(s.meanKendall()).isCloseTo(runs.meanKendall(), within(1e-12));
            assertThat(s.varianceKendall()).isCloseTo(runs.varianceKendall(), within(1e-12));
            assertThat(s.regionChanges()).isEqualTo(runs.regionChanges());
            assertThat(s.regions()).isDeepEqualTo(runs.regions());
            assertThat(s.responses()).isEqualTo(200);
            assertThat(s.responsePearson()).isCloseTo(runs.responsePearson(), within(1e-12));
        });
        // labels are roughly score / 2, rounded: close, but not the same map
        assertThat(runs.meanSpearman()).isBetween(0.8, 0.999);
        assertThat(runs.regionChanges()).isPositive();
        long total = 0;
        for (long[] row : runs.regions()) {
            for (long x : row) {
                total += x;
            }
        }
        assertThat(total).isEqualTo(50);
    }

    @Test
    void runsWithoutACommonInstructionOrOneRunTwiceAreRefused() throws IOException {
        Path a = run("a", RealData.demo(), RunStore.INPUT);
        Path other = dir.resolve("other.jsonl");
        Files.writeString(other, "{\"id\": \"x\", \"prompt\": \"p\", \"responses\": [{\"text\": \"a\", \"score\": 1},"
                + " {\"text\": \"b\", \"score\": 2}]}\n");
        Path b = run("b", other, RunStore.INPUT);
        try (RunStore store = RunStore.open(a)) {
            assertThatThrownBy(() -> CompareJob.runs(store, "a", b, "b")).hasMessageContaining("share no instruction");
            assertThatThrownBy(() -> CompareJob.runs(store, "a", a, "a")).hasMessageContaining("--scores");
            assertThatThrownBy(() -> CompareJob.sources(store, "a", List.of("input")))
                    .hasMessageContaining("two or more");
            assertThatThrownBy(() -> CompareJob.sources(store, "a", List.of("input", "judge")))
                    .hasMessageContaining("no scores from 'judge'");
            // and the store is still usable after a failed attach
            assertThat(store.itemCount()).isEqualTo(50);
        }
    }
}
