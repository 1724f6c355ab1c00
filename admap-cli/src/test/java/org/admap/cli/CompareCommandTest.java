package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.admap.RealData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path onScores;
    Path onLabels;

    @BeforeEach
    void map() {
        onScores = tmp.resolve("scores");
        onLabels = tmp.resolve("labels");
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", onScores.toString(), "-q").exit()).isZero();
        assertThat(Cli.run("map", RealData.demo().toString(), "--out", onLabels.toString(), "--scores", "labels",
                "-q").exit()).isZero();
    }

    @Test
    void twoRunsPrintTheirAgreementAndWriteItAsJson() throws Exception {
        Cli.Result r = Cli.run("compare", onScores.toString(), onLabels.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(onScores + " (input) vs " + onLabels + " (labels): 50 instructions on both maps"
                        + " (50 and 50 mapped)")
                .containsPattern("means\\s+Spearman 0\\.9\\d{3}  Kendall 0\\.\\d{4}")
                .containsPattern("regions\\s+\\d+ of 50 change region")
                .contains("A \\ B", "high-avg", "responses  200 scored on both sides")
                .contains("wrote " + onScores.resolve("compare.json"));
        JsonNode c = JSON.readTree(onScores.resolve("compare.json").toFile()).at("/comparisons/0");
        assertThat(c.get("joined").asInt()).isEqualTo(50);
        long total = 0;
        for (JsonNode row : c.at("/regions/table")) {
            for (JsonNode n : row) {
                total += n.asLong();
            }
        }
        assertThat(total).isEqualTo(50);
        assertThat(c.at("/regions/overlap/high-avg").asDouble()).isBetween(0.0, 1.0);
        assertThat(c.at("/responses/joined").asInt()).isEqualTo(200);
    }

    @Test
    void scoreSourcesOfOneRunGiveTheSameFiguresAsTwoRuns() throws Exception {
        Path out = tmp.resolve("sources.json");
        Cli.Result r = Cli.run("compare", onScores.toString(), "--scores", "all", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.run("compare", onScores.toString(), onLabels.toString()).exit()).isZero();

        JsonNode sources = JSON.readTree(out.toFile()).at("/comparisons/0");
        JsonNode runs = JSON.readTree(onScores.resolve("compare.json").toFile()).at("/comparisons/0");
        for (String field : new String[] {"means", "variances", "regions"}) {
            assertThat(sources.get(field)).as(field).isEqualTo(runs.get(field));
        }
        // the responses come in another order (by key, or by id and text): the same up to rounding
        assertThat(sources.at("/responses/joined").asInt()).isEqualTo(200);
        assertThat(sources.at("/responses/pearson").asDouble())
                .isCloseTo(runs.at("/responses/pearson").asDouble(), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void compareNeedsASecondRunOrTwoSources() {
        Cli.Result none = Cli.run("compare", onScores.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("compare what?");

        Cli.Result both = Cli.run("compare", onScores.toString(), onLabels.toString(), "--scores", "input,labels");
        assertThat(both.exit()).isEqualTo(2);

        Cli.Result unknown = Cli.run("compare", onScores.toString(), "--scores", "input,judge");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no scores from 'judge'");

        Cli.Result self = Cli.run("compare", onScores.toString(), onScores.toString());
        assertThat(self.exit()).isEqualTo(2);
        assertThat(self.err()).contains("--scores");
    }
}
