package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.admap.internal.store.EmbeddingCache;
import org.admap.internal.store.RunStore;
import org.admap.model.TextHash;
import org.admap.stats.Cosine;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admap map RUN --variability comb} end to end, on the local embedding model's stored vectors. */
class CombVariabilityCommandTest {

    private static final String NO_KEY = "ADMAP_TEST_NO_SUCH_KEY_VARIABLE";

    @TempDir
    Path tmp;

    private static List<CSVRecord> rows(Path csv) throws Exception {
        try (Reader r = Files.newBufferedReader(csv)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void combRanksOnThePairwiseEmbeddingCosinesAndSaysSo() throws Exception {
        Path run = tmp.resolve("run");
        Cli.mapDemo(run);
        byte[] scoreMap = Files.readAllBytes(run.resolve("map.csv"));

        Cli.Result none = Cli.run("map", run.toString(), "--variability", "comb", "-q");
        assertThat(none.exit()).as(none.toString()).isEqualTo(2);
        assertThat(none.err()).contains("has none").contains("--scorer reference");

        Cli.Result scored = Cli.run("score", run.toString(), "--scorer", "reference", "--api-key-env", NO_KEY, "-q");
        assertThat(scored.exit()).as(scored.toString()).isZero();

        Cli.Result comb = Cli.run("map", run.toString(), "--variability", "comb");
        assertThat(comb.exit()).as(comb.toString()).isZero();
        assertThat(comb.out()).contains("variability: comb");
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.path("map").path("variability").asText()).isEqualTo("comb");

        Cli.Result report = Cli.run("report", run.toString());
        assertThat(report.exit()).as(report.toString()).isZero();
        assertThat(Files.readString(run.resolve("report.html"))).contains("\"variability\":\"comb\"")
                .contains("pairwise embedding cosines (comb)");

        // Recompute each instruction's comb from the stored vectors, pair by pair, with np.var's divisor n.
        List<CSVRecord> rows = rows(run.resolve("map.csv"));
        assertThat(rows).hasSize(50);
        Map<String, Double> expected = new HashMap<>();
        try (RunStore store = RunStore.open(run.resolve("run.duckdb"));
             EmbeddingCache cache = EmbeddingCache.open(store, EmbeddingCache.models(store).get(0))) {
            store.forEachItem("input", null, ki -> {
                List<float[]> v = new ArrayList<>();
                ki.item().responses().forEach(r -> v.add(cache.get(List.of(TextHash.of(r.text())))
                        .get(TextHash.of(r.text()))));
                List<Double> cos = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    for (int j = i + 1; j < v.size(); j++) {
                        cos.add(Cosine.of(v.get(i), v.get(j)));
                    }
                }
                double mean = cos.stream().mapToDouble(d -> d).average().orElseThrow();
                expected.put(ki.item().id(), cos.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum()
                        / cos.size());
            });
        }
        long highVar = 0;
        for (CSVRecord r : rows) {
            assertThat(Double.parseDouble(r.get("variance"))).as(r.get("id"))
                    .isCloseTo(expected.get(r.get("id")), org.assertj.core.data.Offset.offset(1e-6));
            highVar += r.get("region").equals("high-var") ? 1 : 0;
        }
        assertThat(highVar).isEqualTo(50 - (2 * 50) / 3);

        // Back to the default: the same bytes as before comb.
        Cli.Result back = Cli.run("map", run.toString(), "--variability", "score", "-q");
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(Files.readAllBytes(run.resolve("map.csv"))).isEqualTo(scoreMap);
        assertThat(Cli.run("map", run.toString(), "--variability", "spread").err())
                .contains("unknown variability 'spread'");
    }
}
