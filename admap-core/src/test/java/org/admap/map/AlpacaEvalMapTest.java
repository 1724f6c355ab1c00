package org.admap.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.admap.Progress;
import org.admap.RealData;
import org.admap.ingest.Ingest;
import org.admap.ingest.IngestOptions;
import org.admap.internal.map.MapCsv;
import org.admap.internal.map.MapJob;
import org.admap.internal.store.RunStore;
import org.admap.model.MapPoint;
import org.admap.model.Region;
import org.admap.stats.Correlation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map of the 12 AlpacaEval annotation files (real data in {@code ../shared/data},
 * skipped where absent), checked against a direct computation from the raw JSON.
 */
class AlpacaEvalMapTest {

    @TempDir
    Path dir;

    @Test
    void theTwelveAnnotationFilesMapAsTheRawJsonSays() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(RealData.require("alpaca_eval"))) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json.gz")).sorted().toList();
        }
        assertThat(files).hasSize(12);

        // score = preference - 1, grouped by instruction
        Map<String, List<Double>> expected = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Path f : files) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                for (JsonNode row : json.readTree(in)) {
                    expected.computeIfAbsent(row.get("instruction").asText(), k -> new ArrayList<>())
                            .add(row.get("preference").asDouble() - 1);
                }
            }
        }

        AlignmentMap map;
        Map<Integer, String> prompts = new HashMap<>();
        String labels;
        try (RunStore store = RunStore.create(dir.resolve(RunStore.FILE_NAME))) {
            Ingest.run(files, IngestOptions.defaults(), store, Progress.Factory.NONE);
            map = MapJob.run(store, MapJob.defaultSource(store), Correlation.COSINE);
            store.forEachPrompt((key, id, prompt) -> prompts.put(key, prompt));
            labels = store.info(MapJob.INFO_LABELS).orElseThrow();
            MapCsv.write(store, map.points(), map.provenance().correlation() != null, dir.resolve("map.csv"));
        }

        assertThat(expected).hasSize(805);
        assertThat(map.points()).hasSize(805);
        assertThat(map.unmapped()).isZero();
        assertThat(map.regionCounts()).containsEntry(Region.LOW_AVG, 268L).containsEntry(Region.HIGH_AVG, 268L)
                .containsEntry(Region.HIGH_VAR, 269L);
        for (MapPoint p : map.points()) {
            List<Double> scores = expected.get(prompts.get(p.key()));
            assertThat(scores).as("instruction of %s", p.id()).isNotNull();
            double mean = scores.stream().mapToDouble(Double::doubleValue).sum() / scores.size();
            double variance = scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / scores.size();
            assertThat(p.n()).as(p.id()).isEqualTo(scores.size());
            assertThat(p.mean()).as(p.id()).isCloseTo(mean, within(1e-12));
            assertThat(p.variance()).as(p.id()).isCloseTo(variance, within(1e-12));
        }
        // the preset's scores double as labels: no separate annotation, no correlation column
        assertThat(labels).isEqualTo("scores");
        assertThat(map.provenance().correlation()).isNull();
        assertThat(map.points()).allSatisfy(p -> assertThat(p.correlation()).isNaN());
        try (Stream<String> lines = Files.lines(dir.resolve("map.csv"))) {
            assertThat(lines.findFirst()).contains("id,prompt,n,mean,variance,std,region");
        }
    }
}
