package org.admap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.admap.internal.store.RunDirectory;
import org.admap.report.ViewData;
import org.admap.web.ViewerServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A map whose regions come from the id tie-break alone: refused by select, flagged by report, serve and compare. */
class DegenerateMapCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path run;

    /** Pairwise data with labels only: every instruction has mean 0.5 and variance 0.25. */
    @BeforeEach
    void mapPairsWithLabelsOnly() throws Exception {
        Path data = tmp.resolve("pairs.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"p1\", \"chosen\": \"good\", \"rejected\": \"bad\"}",
                "{\"prompt\": \"p2\", \"chosen\": \"fine\", \"rejected\": \"poor\"}",
                "{\"prompt\": \"p3\", \"chosen\": \"yes\", \"rejected\": \"no\"}",
                "{\"prompt\": \"p4\", \"chosen\": \"right\", \"rejected\": \"wrong\"}",
                "{\"prompt\": \"p5\", \"chosen\": \"kind\", \"rejected\": \"rude\"}",
                "{\"prompt\": \"p6\", \"chosen\": \"clear\", \"rejected\": \"vague\"}"));
        run = tmp.resolve("run");
        Cli.Result r = Cli.run("map", data.toString(), "--out", run.toString(), "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void selectRefusesARegionOfADegenerateMapUnlessAllowed() {
        Path out = tmp.resolve("high-avg.jsonl");
        Cli.Result refused = Cli.run("select", run.toString(), "--region", "high-avg", "--out", out.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("refusing to select high-avg").contains("same mean and variance")
                .contains("--allow-degenerate");
        assertThat(out).doesNotExist();

        Cli.Result allowed = Cli.run("select", run.toString(), "--region", "high-avg", "--out", out.toString(),
                "--allow-degenerate");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        assertThat(allowed.err()).contains("warning: every instruction has the same mean and variance");
        assertThat(out).exists();
    }

    @Test
    void selectingAllOrRandomDoesNotDependOnTheMapAndIsNotRefused() {
        Cli.Result all = Cli.run("select", run.toString(), "--region", "all", "--out",
                tmp.resolve("all.jsonl").toString());
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out()).contains("selected 6 instructions");
        Cli.Result fraction = Cli.run("select", run.toString(), "--region", "all", "--fraction", "0.5",
                "--out", tmp.resolve("half.jsonl").toString());
        assertThat(fraction.exit()).as("a fraction of all is ranked by mean").isEqualTo(2);
    }

    @Test
    void reportHtmlCarriesTheBannerText() throws Exception {
        Cli.Result r = Cli.run("report", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("id=\"degenerate\"").contains("\"degenerate\":{\"kind\":\"constant\"");
    }

    @Test
    void theViewerServesTheDegeneracyWithTheMap() throws Exception {
        try (ViewerServer server = ViewerServer.start(new RunDirectory(run), "127.0.0.1", 0,
                ViewData.Options.forServe())) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.uri().resolve("/api/run")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode meta = JSON.readTree(r.body()).get("meta");
            assertThat(meta.at("/degenerate/kind").asText()).isEqualTo("constant");
            assertThat(meta.at("/degenerate/message").asText()).contains("id tie-break");
            assertThat(meta.at("/degenerate/regions")).hasSize(3);
        }
    }

    @Test
    void compareSaysTheOverlapOfTwoDegenerateMapsIsTheTieBreak() throws Exception {
        Path other = tmp.resolve("other.jsonl");
        Files.write(other, List.of(
                "{\"prompt\": \"p1\", \"chosen\": \"bad\", \"rejected\": \"good\"}",
                "{\"prompt\": \"p2\", \"chosen\": \"poor\", \"rejected\": \"fine\"}",
                "{\"prompt\": \"p3\", \"chosen\": \"no\", \"rejected\": \"yes\"}",
                "{\"prompt\": \"p4\", \"chosen\": \"wrong\", \"rejected\": \"right\"}",
                "{\"prompt\": \"p5\", \"chosen\": \"rude\", \"rejected\": \"kind\"}",
                "{\"prompt\": \"p6\", \"chosen\": \"vague\", \"rejected\": \"clear\"}"));
        Path run2 = tmp.resolve("run2");
        assertThat(Cli.run("map", other.toString(), "--out", run2.toString(), "-q").exit()).isZero();
        Cli.Result r = Cli.run("compare", run.toString(), run2.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        // every preference reversed, yet the regions agree completely: the ids decided them on both sides
        assertThat(r.out()).contains("high-avg overlap 1.0000")
                .contains("warning: " + run + " (labels): every instruction has the same mean and variance")
                .contains("the high-avg overlap (1.00) comes from the id tie-break alone");
        JsonNode json = JSON.readTree(run.resolve("compare.json").toFile()).at("/comparisons/0");
        assertThat(json.get("degenerate_a").asBoolean()).isTrue();
        assertThat(json.get("warnings")).hasSize(2);
    }
}
